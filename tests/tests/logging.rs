//! Every call is logged with server, tool, duration and outcome, at a level set by `tracked`,
//! and never with argument values or tokens.

use std::io::Write;
use std::sync::{Arc, Mutex};

use mcp_runtime::{McpServer, RunIds, ToolContext};
use serde_json::json;
use tests::jira::Jira;
use tracing_subscriber::fmt::MakeWriter;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn calls_are_logged_without_secrets() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let ids = RunIds {
        user_id: Some("u-1".into()),
        agent_id: Some("a-1".into()),
        run_id: Some("r-1".into()),
    };
    let ctx = ToolContext::new()
        .with_token("tok-SECRET-123")
        .with_ids(ids);
    Jira.call_tool(
        "post_comment",
        json!({"key": "K-1", "body": "private words"}),
        ctx.clone(),
    )
    .await
    .unwrap();
    Jira.call_tool("delete_issue", json!({"key": "K-2"}), ctx.clone())
        .await
        .unwrap();
    Jira.call_tool("explode", json!({}), ctx).await.unwrap();

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = logs.lines().collect();
    let success = lines
        .iter()
        .find(|line| line.contains("tool call succeeded"))
        .expect(&logs);
    for field in [
        "server=\"jira\"",
        "tool=\"post_comment\"",
        "user_id=\"u-1\"",
        "run_id=\"r-1\"",
        "outcome=\"ok\"",
        "duration_ms=",
    ] {
        assert!(success.contains(field), "{field} missing in {success}");
    }
    assert!(success.contains(" INFO "), "{success}");
    let untracked = lines
        .iter()
        .find(|line| line.contains("tool=\"delete_issue\"") && line.contains("failed"))
        .expect(&logs);
    assert!(untracked.contains(" WARN "), "{untracked}");
    let panicked = lines
        .iter()
        .find(|line| line.contains("kind=\"panicked\""))
        .expect(&logs);
    assert!(panicked.contains("ERROR"), "{panicked}");
    for secret in ["tok-SECRET-123", "private words", "K-1"] {
        assert!(
            !logs.contains(secret),
            "{secret} leaked into the logs:\n{logs}"
        );
    }
}

#[test]
fn the_context_debug_output_redacts_the_token() {
    let ctx = ToolContext::new().with_token("tok-SECRET-123");
    let debug = format!("{ctx:?}");
    assert!(!debug.contains("tok-SECRET-123"), "{debug}");
    assert!(debug.contains("[redacted]"), "{debug}");
}
