//! `conformance`: the fixtures the official MCP conformance suite calls, written with our macros.
//!
//! The suite (`@modelcontextprotocol/conformance`) connects to a running server and calls tools
//! of fixed names; `scripts/conformance.sh` runs it against this server over Streamable HTTP.
//! Scenarios this server does not support yet are listed, with the reason, in
//! `tests/conformance/expected-failures.yml`.

use std::time::Duration;

use mcp_runtime::prelude::*;
use mcp_runtime::{LogLevel, ResourceContents};

/// A 1×1 red PNG.
const PIXEL_PNG: &[u8] = include_bytes!("pixel.png");

/// 10 ms of silence, 8 kHz mono WAV.
const SILENCE_WAV: &[u8] = include_bytes!("silence.wav");

/// The pause between notifications, so the client sees them arrive during the call.
const NOTIFICATION_GAP: Duration = Duration::from_millis(50);

/// The conformance fixtures.
#[derive(Debug, Default)]
pub struct Conformance;

/// Fixtures for the official MCP conformance suite: every content type, logging, progress and
/// errors.
#[mcp_server(id = 9000, availability = "auto_hidden_builder", name = "conformance")]
impl Conformance {
    /// Return a simple text.
    #[tool(stake = "never_ask")]
    async fn test_simple_text(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text(
            "This is a simple text response for testing.",
        ))
    }

    /// Return a 1×1 PNG image.
    #[tool(stake = "never_ask")]
    async fn test_image_content(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::new().with_image(PIXEL_PNG, "image/png"))
    }

    /// Return a short WAV audio clip.
    #[tool(stake = "never_ask")]
    async fn test_audio_content(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::new().with_audio(SILENCE_WAV, "audio/wav"))
    }

    /// Return an embedded text resource.
    #[tool(stake = "never_ask")]
    async fn test_embedded_resource(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::new().with_resource(ResourceContents::text(
            "test://embedded-resource",
            "text/plain",
            "This is an embedded resource content.",
        )))
    }

    /// Return text, an image and an embedded resource together.
    #[tool(stake = "never_ask")]
    async fn test_multiple_content_types(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("Multiple content types test:")
            .with_image(PIXEL_PNG, "image/png")
            .with_resource(ResourceContents::text(
                "test://mixed-content-resource",
                "application/json",
                r#"{"test":"data","value":123}"#,
            )))
    }

    /// Send three log messages while running.
    #[tool(stake = "never_ask")]
    async fn test_tool_with_logging(&self, ctx: &ToolContext) -> ToolResult {
        for message in [
            "Tool execution started",
            "Tool processing data",
            "Tool execution completed",
        ] {
            ctx.log(LogLevel::Info, message);
            tokio::time::sleep(NOTIFICATION_GAP).await;
        }
        Ok(ToolOutput::text("Tool with logging executed successfully"))
    }

    /// Report progress three times while running.
    #[tool(stake = "never_ask")]
    async fn test_tool_with_progress(&self, ctx: &ToolContext) -> ToolResult {
        for step in [0.0, 50.0, 100.0] {
            ctx.progress(step, Some(100.0), Some(&format!("Completed step {step}")));
            tokio::time::sleep(NOTIFICATION_GAP).await;
        }
        Ok(ToolOutput::text("Tool with progress executed successfully"))
    }

    /// Fail on purpose, as a tool error the model can read.
    #[tool(stake = "never_ask")]
    async fn test_error_handling(&self, _ctx: &ToolContext) -> ToolResult {
        Err(McpError::new("This tool intentionally returns an error for testing").untracked())
    }
}
