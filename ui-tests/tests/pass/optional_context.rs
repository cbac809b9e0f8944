//! The context and the arguments are each optional in a tool's signature.

use mcp_runtime::prelude::*;

#[derive(Deserialize, JsonSchema)]
pub struct GetIssue {
    /// The key.
    pub key: String,
}

#[derive(Default)]
pub struct Jira;

/// Issues in Jira.
#[mcp_server(id = 22, availability = "manual")]
impl Jira {
    /// Nothing needed.
    #[tool(stake = "never_ask")]
    async fn ping(&self) -> ToolResult {
        Ok(ToolOutput::text("pong"))
    }

    /// Arguments, no context.
    #[tool(stake = "never_ask")]
    async fn get_issue(&self, args: GetIssue) -> ToolResult {
        Ok(ToolOutput::text(args.key))
    }

    /// A context, no arguments.
    #[tool(stake = "never_ask")]
    async fn whoami(&self, ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text(ctx.ids().user_id.clone().unwrap_or_default()))
    }

    /// Both.
    #[tool(stake = "never_ask")]
    async fn get_issue_as(&self, ctx: &ToolContext, args: GetIssue) -> ToolResult {
        let _ = ctx;
        Ok(ToolOutput::text(args.key))
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let result = Jira
        .call(JiraTool::GetIssue, json!({"key": "A-1"}), ToolContext::new())
        .await
        .unwrap();
    assert_eq!(result.text(), "A-1");
    assert_eq!(Jira.call(JiraTool::Ping, json!({}), ToolContext::new()).await.unwrap().text(), "pong");
}
