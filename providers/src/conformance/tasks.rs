//! The tasks fixtures of 2026-07-28 (SEP-2663): a tool that never runs as a task, tools that may
//! (a computation of some seconds, one that panics, ones that ask their user first), one that
//! must (and fails), and one that asks in input-required rounds before it becomes a task.

use std::time::Duration;

use mcp_runtime::prelude::*;

use super::Conformance;

/// Arguments of `greet`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct Greet {
    /// Who to greet.
    pub name: String,
}

/// Arguments of `slow_compute`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SlowCompute {
    /// How long to compute, in seconds (0: at once).
    pub seconds: f64,
}

/// Arguments of `confirm_delete`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct Deletion {
    /// The file to delete, if one is named.
    pub filename: Option<String>,
}

/// A yes-or-no form.
fn confirmation() -> serde_json::Value {
    json!({
        "type": "object",
        "properties": { "confirm": { "type": "boolean" } },
        "required": ["confirm"],
    })
}

#[mcp_tools]
impl Conformance {
    /// Greet someone, at once.
    #[tool(stake = "never_ask")]
    async fn greet(&self, args: Greet) -> ToolResult {
        Ok(ToolOutput::text(format!("Hello, {}!", args.name)))
    }

    /// Compute for some seconds, as a task for clients that support tasks.
    #[tool(stake = "never_ask", task = "optional")]
    async fn slow_compute(&self, ctx: &ToolContext, args: SlowCompute) -> ToolResult {
        let seconds = args.seconds.clamp(0.0, 60.0);
        tokio::select! {
            () = tokio::time::sleep(Duration::from_secs_f64(seconds)) => {}
            () = ctx.cancellation().cancelled() => {
                return Err(McpError::new("cancelled").untracked());
            }
        }
        Ok(ToolOutput::text(format!("Computed for {seconds} s")))
    }

    /// Fail after a second, as a tool error; only as a task.
    #[tool(stake = "never_ask", task = "required")]
    async fn failing_job(&self) -> ToolResult {
        tokio::time::sleep(Duration::from_secs(1)).await;
        Err(McpError::new("The job failed, on purpose").untracked())
    }

    /// Panic: a failure of the call itself, not a tool error.
    #[tool(stake = "never_ask", task = "optional")]
    async fn protocol_error_job(&self) -> ToolResult {
        panic!("the job broke")
    }

    /// Ask the user to confirm a deletion, then delete (nothing).
    #[tool(stake = "never_ask", task = "optional")]
    async fn confirm_delete(&self, ctx: &ToolContext, args: Deletion) -> ToolResult {
        let file = args.filename.unwrap_or_else(|| "the file".to_owned());
        let answer = ctx
            .input("confirm")
            .elicit(&format!("Delete {file}?"), confirmation())
            .await?;
        let confirmed = answer["content"]["confirm"] == true;
        Ok(ToolOutput::text(if confirmed {
            format!("Deleted {file}")
        } else {
            format!("Kept {file}")
        }))
    }

    /// Ask the user's name in a round of the call, then greet them as a task.
    #[tool(stake = "never_ask", task = "required", task_start = "handler")]
    async fn test_tool_with_task(&self, ctx: &ToolContext) -> ToolResult {
        let answer = ctx
            .input("user_name")
            .elicit(
                "What is your name?",
                json!({
                    "type": "object",
                    "properties": { "name": { "type": "string" } },
                    "required": ["name"],
                }),
            )
            .await?;
        ctx.start_task().await;
        let name = answer["content"]["name"].as_str().unwrap_or("stranger");
        Ok(ToolOutput::text(format!("Hello, {name}!")))
    }

    /// Ask two questions at once.
    #[tool(stake = "never_ask", task = "optional")]
    async fn multi_input(&self, ctx: &ToolContext) -> ToolResult {
        let (first, second) = tokio::try_join!(
            ctx.input("first").elicit("First?", confirmation()),
            ctx.input("second").elicit("Second?", confirmation()),
        )?;
        Ok(ToolOutput::text(format!(
            "first: {}, second: {}",
            first["action"], second["action"]
        )))
    }
}
