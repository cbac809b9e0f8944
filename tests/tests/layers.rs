//! Layers around every call: their order, what they see, and what they may change.

use std::sync::{Arc, Mutex};

use mcp_runtime::host::{Call, CallFuture, CallOptions, Layer, Next};
use mcp_runtime::{CallError, McpServer, ToolContext};
use serde_json::json;
use tests::registry::Echo;

/// Records the calls it sees, under its name.
struct Trace {
    name: &'static str,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Layer for Trace {
    fn call<'a>(&'a self, call: Call, next: Next<'a>) -> CallFuture<'a> {
        let seen = self.seen.clone();
        let name = self.name;
        Box::pin(async move {
            seen.lock().unwrap().push(format!(
                "{name} before {}/{}",
                call.server.name, call.tool.name
            ));
            let result = next.run(call).await;
            seen.lock().unwrap().push(format!("{name} after"));
            result
        })
    }
}

/// Rewrites the arguments before the handler reads them.
struct Shout;

impl Layer for Shout {
    fn call<'a>(&'a self, mut call: Call, next: Next<'a>) -> CallFuture<'a> {
        if let Some(text) = call.arguments["text"].as_str() {
            call.arguments["text"] = text.to_uppercase().into();
        }
        next.run(call)
    }
}

/// Answers without running the handler.
struct Closed;

impl Layer for Closed {
    fn call<'a>(&'a self, call: Call, _next: Next<'a>) -> CallFuture<'a> {
        Box::pin(async move {
            Err(CallError::Cancelled {
                tool: call.tool.name,
            })
        })
    }
}

#[tokio::test]
async fn layers_run_outermost_first_around_the_handler() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let options = CallOptions::new()
        .with_layer(Trace {
            name: "outer",
            seen: seen.clone(),
        })
        .with_layer(Shout)
        .with_layer(Trace {
            name: "inner",
            seen: seen.clone(),
        });
    let result = Echo
        .call_tool_with("echo", json!({"text": "hi"}), ToolContext::new(), &options)
        .await
        .unwrap();
    assert_eq!(result.text(), "HI");
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "outer before echo/echo",
            "inner before echo/echo",
            "inner after",
            "outer after"
        ]
    );
}

#[tokio::test]
async fn a_layer_can_answer_alone_and_unknown_tools_never_reach_layers() {
    let options = CallOptions::new().with_layer(Closed);
    let error = Echo
        .call_tool_with("echo", json!({"text": "hi"}), ToolContext::new(), &options)
        .await
        .unwrap_err();
    assert_eq!(error, CallError::Cancelled { tool: "echo" });
    let error = Echo
        .call_tool_with("ecko", json!({}), ToolContext::new(), &options)
        .await
        .unwrap_err();
    assert!(matches!(error, CallError::UnknownTool { .. }), "{error:?}");
}
