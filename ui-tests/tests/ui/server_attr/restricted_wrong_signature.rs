use mcp_runtime::prelude::*;

fn is_restricted(plan: &str) -> bool {
    plan == "free"
}

pub struct Jira;

/// Issues in Jira.
#[mcp_server(id = 22, availability = "manual", restricted = is_restricted)]
impl Jira {
    /// Get an issue.
    #[tool(stake = "never_ask")]
    async fn get_issue(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("issue"))
    }
}

fn main() {}
