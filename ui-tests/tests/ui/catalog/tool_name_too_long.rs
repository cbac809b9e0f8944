use mcp_runtime::prelude::*;

pub struct Jira;

/// Issues in Jira.
#[mcp_server(id = 22, availability = "manual", name = "jira_cloud_enterprise")]
impl Jira {
    /// Get an issue.
    #[tool(stake = "never_ask")]
    async fn get_issue_with_every_field_comment_and_changelog(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("issue"))
    }
}

fn main() {}
