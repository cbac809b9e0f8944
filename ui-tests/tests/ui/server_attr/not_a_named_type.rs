use mcp_runtime::prelude::*;

pub trait Tracker {}

/// Issues in Jira.
#[mcp_server(id = 22, availability = "manual")]
impl dyn Tracker {
    /// Get an issue.
    #[tool(stake = "never_ask")]
    async fn get_issue(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("issue"))
    }
}

fn main() {}
