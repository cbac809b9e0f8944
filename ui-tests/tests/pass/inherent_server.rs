use mcp_runtime::prelude::*;

#[derive(Deserialize, JsonSchema)]
pub struct GetIssue {
    /// Issue key.
    pub key: String,
}

#[derive(Default)]
pub struct Jira;

/// Issues in Jira.
#[mcp_server(id = 22, availability = "manual")]
impl Jira {
    /// Get an issue by its key.
    #[tool(stake = "never_ask")]
    async fn get_issue(&self, _ctx: &ToolContext, args: GetIssue) -> ToolResult {
        Ok(ToolOutput::text(args.key))
    }
}

fn main() {
    assert_eq!(Jira::METADATA.name, "jira");
    assert_eq!(JiraTool::ALL, &[JiraTool::GetIssue]);
}
