//! Every call is logged with server, tool, duration and outcome, at a level set by `tracked`,
//! and never with argument values or tokens.

use mcp_runtime::{McpServer, RunIds, ToolContext};
use serde_json::json;
use tests::jira::Jira;

mod support;

#[tokio::test]
async fn calls_are_logged_without_secrets() {
    let captured = support::logs::Logs::capture();

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
    Jira.call_tool("explode", json!({}), ctx.clone())
        .await
        .unwrap();
    Jira.call_tool("sleep", json!({"millis": 50}), ctx)
        .await
        .unwrap();

    let logs = captured.text();
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
    // Durations are in milliseconds: a 50 ms sleep is not logged as 0.05 nor as 1 000.
    let slept = lines
        .iter()
        .find(|line| line.contains("tool=\"sleep\"") && line.contains("succeeded"))
        .expect(&logs);
    let duration_ms: f64 = slept
        .split("duration_ms=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|number| number.parse().ok())
        .expect(slept);
    assert!((50.0..1000.0).contains(&duration_ms), "{slept}");
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
