//! The fixtures of 2026-07-28's HTTP scenarios: the stateless diagnostics (SEP-2575: a tool
//! relying on a capability the client did not declare, a tool streaming before it asks, a tool
//! that logs) and an argument mirrored in a header (SEP-2243).

use mcp_runtime::LogLevel;
use mcp_runtime::prelude::*;

use super::{Conformance, NOTIFICATION_GAP};

/// Arguments of `test_header_param`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct Regional {
    /// The region to run in; also sent as the `Mcp-Param-Region` header.
    #[schemars(extend("x-mcp-header" = "Region"))]
    pub region: String,
}

#[mcp_tools]
impl Conformance {
    /// Say which region the call ran in (routed on its `Mcp-Param-Region` header).
    #[tool(stake = "never_ask")]
    async fn test_header_param(&self, args: Regional) -> ToolResult {
        Ok(ToolOutput::text(format!("Ran in {}", args.region)))
    }

    /// Ask the client's model something: a client that did not declare sampling gets the
    /// protocol's missing-capability error, not an answer.
    #[tool(stake = "never_ask")]
    async fn test_missing_capability(&self, ctx: &ToolContext) -> ToolResult {
        let answer = ctx
            .input("question")
            .create_message(json!({
                "messages": [{ "role": "user", "content": { "type": "text", "text": "Say hi." } }],
                "maxTokens": 10,
            }))
            .await?;
        Ok(ToolOutput::text(format!(
            "Model: {}",
            answer["content"]["text"]
        )))
    }

    /// Report progress, then ask the user: the question comes back as an input-required
    /// result, never as a request of the server's own on the response stream.
    #[tool(stake = "never_ask")]
    async fn test_streaming_elicitation(&self, ctx: &ToolContext) -> ToolResult {
        ctx.progress(1.0, Some(2.0), Some("Thinking"));
        tokio::time::sleep(NOTIFICATION_GAP).await;
        let answer = ctx
            .input("confirm")
            .elicit(
                "Go on?",
                json!({ "type": "object", "properties": { "ok": { "type": "boolean" } } }),
            )
            .await?;
        Ok(ToolOutput::text(format!("Answer: {}", answer["action"])))
    }

    /// Log three messages; a request that set no log level receives none of them.
    #[tool(stake = "never_ask")]
    async fn test_logging_tool(&self, ctx: &ToolContext) -> ToolResult {
        for message in ["Starting", "Working", "Done"] {
            ctx.log(LogLevel::Info, message);
            tokio::time::sleep(NOTIFICATION_GAP).await;
        }
        Ok(ToolOutput::text("Logged three messages"))
    }
}
