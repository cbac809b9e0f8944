// `self: &Self` is `&self` spelt out.
use mcp_runtime::prelude::*;

#[derive(Default)]
pub struct Jira;

/// Issues in Jira.
#[mcp_server(id = 22, availability = "manual")]
impl Jira {
    /// Get an issue.
    #[tool(stake = "never_ask")]
    async fn get_issue(self: &Self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("issue"))
    }
}

fn main() {
    assert_eq!(JiraTool::GetIssue.name(), "get_issue");
}
