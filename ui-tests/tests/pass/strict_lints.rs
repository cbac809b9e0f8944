//! Generated code stays clean under strict lints a crate may deny.
#![deny(
    warnings,
    missing_docs,
    missing_debug_implementations,
    unused_qualifications,
    unreachable_pub,
    rust_2018_idioms,
    unused_results,
    trivial_casts,
    trivial_numeric_casts
)]

use mcp_runtime::prelude::*;

/// Arguments of `get_issue`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetIssue {
    /// Issue key.
    pub key: String,
}

/// The server.
#[derive(Debug, Default)]
pub struct Jira;

/// Issues in Jira.
#[mcp_server(id = 22, availability = "manual")]
impl Jira {
    /// Get an issue.
    #[tool(stake = "never_ask")]
    async fn get_issue(&self, _ctx: &ToolContext, args: GetIssue) -> ToolResult {
        Ok(ToolOutput::text(args.key))
    }

    /// Create an issue.
    #[tool(stake = "medium", approval_args(key))]
    async fn create_issue(&self, _ctx: &ToolContext, args: GetIssue) -> ToolResult {
        Ok(ToolOutput::text(args.key))
    }
}

fn main() {
    assert_eq!(JiraTool::ALL.len(), 2);
}
