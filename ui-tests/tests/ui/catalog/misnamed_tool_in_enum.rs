use mcp_runtime::prelude::*;

#[derive(Default)]
pub struct Jira;

/// Issues in Jira.
#[mcp_server(id = 22, availability = "manual")]
impl Jira {
    /// Get an issue.
    #[tool(stake = "never_ask")]
    async fn get_issue(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("issue"))
    }

    /// Create an issue.
    #[tool(stake = "low")]
    async fn create_issue(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("issue"))
    }
}

fn main() {
    let _ = JiraTool::GetIsue.name();
}
