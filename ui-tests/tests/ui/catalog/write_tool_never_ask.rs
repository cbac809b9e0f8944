use mcp_runtime::prelude::*;

pub struct Jira;

/// Issues in Jira.
#[mcp_server(id = 22, availability = "manual")]
impl Jira {
    /// Create an issue.
    #[tool(stake = "never_ask")]
    async fn create_issue(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("issue"))
    }
}

fn main() {}
