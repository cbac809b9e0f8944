//! A small Jira-like server exercising every key of the attribute surface.

use std::time::Duration;

use mcp_runtime::prelude::*;
use mcp_runtime::{LogLevel, McpError};

/// Arguments of `get_issue`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetIssue {
    /// Issue key, e.g. `PROJ-42`.
    pub key: String,
}

/// Arguments of `post_comment`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct PostComment {
    /// Issue key, e.g. `PROJ-42`.
    pub key: String,
    /// Comment body, in markdown.
    pub body: String,
}

/// Arguments of `search`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct Search {
    /// JQL query.
    pub jql: String,
    /// Page size.
    pub max_results: Option<u32>,
}

/// Arguments of `sleep`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct Sleep {
    /// How long to sleep.
    pub millis: u64,
}

/// A structured issue summary.
#[derive(Debug, Serialize, JsonSchema)]
pub struct IssueSummary {
    /// The key.
    pub key: String,
    /// Whether it is open.
    pub open: bool,
}

/// The test server.
#[derive(Debug, Default)]
pub struct Jira;

/// Issues, projects and comments in Jira.
#[mcp_server(
    id = 22,
    availability = "manual",
    authorization(provider = "jira", use_cases(personal_actions, platform_actions)),
    icon = "JiraLogo",
    documentation_url = "https://example.invalid/docs/jira",
    allow_multiple_instances,
    timeout_ms = 500
)]
impl Jira {
    /// Get an issue by its key.
    #[tool(
        stake = "never_ask",
        running = "Retrieving issue",
        done = "Retrieve issue"
    )]
    async fn get_issue(&self, ctx: &ToolContext, args: GetIssue) -> ToolResult {
        ctx.log(LogLevel::Info, "fetching");
        Ok(ToolOutput::markdown(format!("# {}", args.key)))
    }

    /// Comment on an issue.
    #[tool(stake = "medium", approval_args(key), title = "Post a comment")]
    async fn post_comment(&self, _ctx: &ToolContext, args: PostComment) -> ToolResult {
        Ok(ToolOutput::text(format!(
            "commented on {}: {}",
            args.key, args.body
        )))
    }

    /// Search issues with JQL.
    #[tool(stake = "never_ask", cost = "advanced", eager)]
    async fn search(&self, _ctx: &ToolContext, args: Search) -> ToolResult {
        let limit = args.max_results.unwrap_or(50);
        Ok(ToolOutput::text(format!("{} (limit {limit})", args.jql)))
    }

    /// A structured summary of an issue.
    #[tool(stake = "never_ask", name = "issue-summary")]
    async fn summary(
        &self,
        _ctx: &ToolContext,
        args: GetIssue,
    ) -> Result<Json<IssueSummary>, McpError> {
        Ok(Json(IssueSummary {
            key: args.key,
            open: true,
        }))
    }

    /// Who am I connected as.
    #[tool(stake = "never_ask")]
    async fn whoami(&self, ctx: &ToolContext) -> ToolResult {
        match ctx.token() {
            Some(_) => Ok(ToolOutput::text("connected")),
            None => Err(McpError::personal_authentication_required("jira")),
        }
    }

    /// Delete an issue.
    #[tool(stake = "high")]
    async fn delete_issue(&self, _ctx: &ToolContext, args: GetIssue) -> ToolResult {
        Err(McpError::new(format!("cannot delete {}", args.key)).untracked())
    }

    /// Sleep, or stop when cancelled.
    #[tool(stake = "never_ask", retry = "never")]
    async fn sleep(&self, ctx: &ToolContext, args: Sleep) -> ToolResult {
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(args.millis)) => Ok(ToolOutput::text("slept")),
            () = ctx.cancellation().cancelled() => Err(McpError::new("cancelled")),
        }
    }

    /// Panic.
    #[tool(stake = "never_ask")]
    async fn explode(&self, _ctx: &ToolContext) -> ToolResult {
        panic!("boom")
    }

    /// Not a tool: an ordinary method.
    pub fn helper(&self) -> &'static str {
        "helper"
    }
}
