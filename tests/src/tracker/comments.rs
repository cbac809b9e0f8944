//! The tracker's comment tools.

use mcp_runtime::prelude::*;

use super::Tracker;

/// Arguments of `post_comment`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct PostComment {
    /// The number.
    pub number: u64,
    /// The comment, in markdown.
    pub body: String,
}

#[mcp_tools]
impl Tracker {
    /// Comment on an issue.
    #[tool(stake = "medium", approval_args(number))]
    async fn post_comment(&self, _ctx: &ToolContext, args: PostComment) -> ToolResult {
        match self.title(args.number) {
            Some(_) => Ok(ToolOutput::text(format!("commented on #{}", args.number))),
            None => Err(McpError::not_found(format!("no issue #{}", args.number))),
        }
    }
}
