//! The in-process call path: dispatch, argument errors, unknown tools, timeout, cancellation,
//! panic containment, output bounds.

use std::time::Duration;

use mcp_runtime::host::ERROR_META_KEY;
use mcp_runtime::{CallError, CancellationToken, ErrorKind, McpServer, ToolContext};
use serde_json::json;
use tests::jira::Jira;

fn error_kind(result: &mcp_runtime::CallToolResult) -> String {
    result.meta.as_ref().unwrap()[ERROR_META_KEY]["kind"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn dispatches_to_the_method() {
    let result = Jira
        .call_tool("get_issue", json!({"key": "PROJ-42"}), ToolContext::new())
        .await
        .unwrap();
    assert!(!result.is_error);
    assert_eq!(result.text(), "# PROJ-42");
}

#[tokio::test]
async fn renamed_tool_dispatches_by_wire_name() {
    let result = Jira
        .call_tool("issue-summary", json!({"key": "A-1"}), ToolContext::new())
        .await
        .unwrap();
    assert_eq!(
        result.structured_content,
        Some(json!({"key": "A-1", "open": true}))
    );
    let err = Jira
        .call_tool("summary", json!({"key": "A-1"}), ToolContext::new())
        .await
        .unwrap_err();
    assert!(matches!(err, CallError::UnknownTool { .. }));
}

#[tokio::test]
async fn unknown_tool_names_the_closest() {
    let err = Jira
        .call_tool("get_isue", json!({}), ToolContext::new())
        .await
        .unwrap_err();
    assert_eq!(
        err,
        CallError::UnknownTool {
            server: "jira",
            name: "get_isue".into(),
            suggestion: Some("get_issue")
        }
    );
    assert_eq!(
        err.to_string(),
        "unknown tool `get_isue` in server `jira`; did you mean `get_issue`?"
    );
    let err = Jira
        .call_tool("zzz", json!({}), ToolContext::new())
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "unknown tool `zzz` in server `jira`");
}

#[tokio::test]
async fn invalid_arguments_are_an_error_result_naming_the_field() {
    let result = Jira
        .call_tool("get_issue", json!({"key": 42}), ToolContext::new())
        .await
        .unwrap();
    assert!(result.is_error);
    assert_eq!(error_kind(&result), "invalid_arguments");
    assert_eq!(
        result.text(),
        "invalid arguments for `get_issue`: `key`: invalid type: integer `42`, expected a string"
    );

    let result = Jira
        .call_tool("post_comment", json!({"key": "A-1"}), ToolContext::new())
        .await
        .unwrap();
    assert_eq!(
        result.text(),
        "invalid arguments for `post_comment`: missing field `body`"
    );

    let result = Jira
        .call_tool("get_issue", json!([1, 2]), ToolContext::new())
        .await
        .unwrap();
    assert!(result.is_error);
    assert_eq!(
        result.text(),
        "invalid arguments for `get_issue`: expected an object, found an array"
    );
}

#[tokio::test]
async fn missing_arguments_are_an_empty_object() {
    let result = Jira
        .call_tool(
            "whoami",
            serde_json::Value::Null,
            ToolContext::new().with_token("t"),
        )
        .await
        .unwrap();
    assert_eq!(result.text(), "connected");
    let result = Jira
        .call_tool("get_issue", serde_json::Value::Null, ToolContext::new())
        .await
        .unwrap();
    assert_eq!(
        result.text(),
        "invalid arguments for `get_issue`: missing field `key`"
    );
}

#[tokio::test]
async fn personal_authentication_is_a_first_class_outcome() {
    let result = Jira
        .call_tool("whoami", json!({}), ToolContext::new())
        .await
        .unwrap();
    assert!(result.is_error);
    let meta = &result.meta.unwrap()[ERROR_META_KEY];
    assert_eq!(meta["kind"], "personal_authentication_required");
    assert_eq!(meta["provider"], "jira");
}

#[tokio::test]
async fn tool_errors_are_error_results() {
    let result = Jira
        .call_tool("delete_issue", json!({"key": "A-1"}), ToolContext::new())
        .await
        .unwrap();
    assert!(result.is_error);
    assert_eq!(error_kind(&result), "tool");
    assert_eq!(result.text(), "cannot delete A-1");
}

#[tokio::test(start_paused = true)]
async fn the_server_timeout_is_enforced() {
    let result = Jira
        .call_tool("sleep", json!({"millis": 10_000}), ToolContext::new())
        .await
        .unwrap();
    assert!(result.is_error);
    assert_eq!(error_kind(&result), "timeout");
    assert_eq!(result.text(), "the tool `sleep` timed out after 500 ms");
    let result = Jira
        .call_tool("sleep", json!({"millis": 100}), ToolContext::new())
        .await
        .unwrap();
    assert_eq!(result.text(), "slept");
}

#[tokio::test]
async fn cancellation_stops_the_call() {
    let token = CancellationToken::new();
    let ctx = ToolContext::new().with_cancellation(token.clone());
    let call =
        tokio::spawn(async move { Jira.call_tool("sleep", json!({"millis": 400}), ctx).await });
    tokio::time::sleep(Duration::from_millis(20)).await;
    token.cancel();
    let err = call.await.unwrap().unwrap_err();
    assert_eq!(err, CallError::Cancelled { tool: "sleep" });
}

#[tokio::test]
async fn a_panicking_handler_is_an_error_and_the_server_goes_on() {
    let result = Jira
        .call_tool("explode", json!({}), ToolContext::new())
        .await
        .unwrap();
    assert!(result.is_error);
    assert_eq!(error_kind(&result), "panicked");
    assert_eq!(
        result.text(),
        "the tool `explode` failed unexpectedly: boom"
    );
    let result = Jira
        .call_tool("get_issue", json!({"key": "B-2"}), ToolContext::new())
        .await
        .unwrap();
    assert_eq!(result.text(), "# B-2");
}

#[tokio::test]
async fn output_is_bounded_by_the_context() {
    let ctx = ToolContext::new().with_output_limit(8);
    let result = Jira
        .call_tool("get_issue", json!({"key": "PROJ-123456"}), ctx)
        .await
        .unwrap();
    assert_eq!(
        result.text(),
        "# PROJ-1\n[output truncated: kept 8 of 13 bytes]"
    );
}

#[test]
fn kinds_are_exposed() {
    let error = mcp_runtime::McpError::invalid_arguments("x");
    assert_eq!(error.kind(), &ErrorKind::InvalidArguments);
    assert!(!error.is_tracked());
}

/// Reports what the call path told it about itself.
#[derive(Default)]
struct Introspective;

/// A server whose tool reads its own metadata from the context.
#[mcp_runtime::mcp_server(id = 77, availability = "manual")]
impl Introspective {
    /// Name the tool being called and its retry policy.
    #[mcp_runtime::tool(stake = "never_ask", retry = "on_interrupt")]
    async fn whoami(&self, ctx: &ToolContext) -> mcp_runtime::ToolResult {
        let tool = ctx.tool().expect("the call path names the tool");
        Ok(mcp_runtime::ToolOutput::text(format!(
            "{} {:?}",
            tool.name, tool.retry
        )))
    }
}

#[tokio::test]
async fn the_handler_sees_its_own_tool_metadata() {
    let result = Introspective
        .call_tool("whoami", json!({}), ToolContext::new())
        .await
        .unwrap();
    assert_eq!(result.text(), "whoami OnInterrupt");
}

/// What clients read in `_meta`: the kind, and each kind's own detail, exactly.
#[test]
fn error_results_carry_the_kind_and_its_detail() {
    use mcp_runtime::host::error_result;
    use mcp_runtime::{McpError, Stake};
    let cases = [
        (ErrorKind::Tool, json!({"kind": "tool"})),
        (
            ErrorKind::InvalidArguments,
            json!({"kind": "invalid_arguments"}),
        ),
        (
            ErrorKind::Provider { status: Some(502) },
            json!({"kind": "provider", "status": 502}),
        ),
        (
            ErrorKind::Provider { status: None },
            json!({"kind": "provider"}),
        ),
        (ErrorKind::NotFound, json!({"kind": "not_found"})),
        (
            ErrorKind::PersonalAuthenticationRequired {
                provider: "jira".into(),
            },
            json!({"kind": "personal_authentication_required", "provider": "jira"}),
        ),
        (
            ErrorKind::ApprovalRequired { stake: Stake::High },
            json!({"kind": "approval_required", "stake": "high"}),
        ),
        (
            ErrorKind::RateLimited {
                retry_after: Some(Duration::from_millis(2500)),
            },
            json!({"kind": "rate_limited", "retry_after_ms": 2500}),
        ),
        (
            ErrorKind::RateLimited { retry_after: None },
            json!({"kind": "rate_limited"}),
        ),
        (ErrorKind::Timeout, json!({"kind": "timeout"})),
        (ErrorKind::Panicked, json!({"kind": "panicked"})),
    ];
    for (kind, meta) in cases {
        let result = error_result(&McpError::of_kind(kind, "it failed"));
        assert!(result.is_error);
        assert_eq!(result.text(), "it failed");
        assert_eq!(result.meta.unwrap()[ERROR_META_KEY], meta);
    }
}
