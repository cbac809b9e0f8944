//! The tracker's comment tools.

use mcp_runtime::prelude::*;

use super::Tracker;

/// Arguments of `post_comment`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct PostComment {
    /// The issue's number.
    pub number: u64,
    /// The comment, in markdown.
    pub body: String,
}

/// Arguments of `assign_issue`: camelCase on the wire.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssignIssue {
    /// The issue's number.
    pub issue_number: u64,
    /// Who takes it.
    pub assignee_login: String,
}

#[mcp_tools]
impl Tracker {
    /// Assign an issue to someone.
    #[tool(stake = "medium", approval_args(assignee_login))]
    async fn assign_issue(&self, args: AssignIssue) -> ToolResult {
        Ok(ToolOutput::text(format!(
            "assigned #{} to {}",
            args.issue_number, args.assignee_login
        )))
    }

    /// Comment on an issue.
    #[tool(stake = "medium", approval_args(number))]
    async fn post_comment(&self, _ctx: &ToolContext, args: PostComment) -> ToolResult {
        match self.title(args.number) {
            Some(_) => Ok(ToolOutput::text(format!("commented on #{}", args.number))),
            None => Err(McpError::not_found(format!("no issue #{}", args.number))),
        }
    }
}
