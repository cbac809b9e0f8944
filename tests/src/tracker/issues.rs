//! The tracker's issue tools.

use mcp_runtime::prelude::*;

use super::Tracker;

/// Arguments of `get_issue`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetIssue {
    /// The issue's number.
    pub number: u64,
}

/// Arguments of `create_issue`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CreateIssue {
    /// The title.
    pub title: String,
}

#[mcp_tools]
impl Tracker {
    /// Get an issue by its number.
    #[tool(stake = "never_ask")]
    async fn get_issue(&self, _ctx: &ToolContext, args: GetIssue) -> ToolResult {
        match self.title(args.number) {
            Some(title) => Ok(ToolOutput::text(format!("#{}: {title}", args.number))),
            None => Err(McpError::not_found(format!("no issue #{}", args.number))),
        }
    }

    /// Create an issue.
    #[tool(stake = "low")]
    async fn create_issue(&self, _ctx: &ToolContext, args: CreateIssue) -> ToolResult {
        let mut issues = self.issues.lock().unwrap();
        let number = issues.len() as u64 + 1;
        issues.insert(number, args.title);
        Ok(ToolOutput::text(format!("created #{number}")))
    }
}
