//! 2025-11-25 session calls answered by the HTTP transport itself: with one JSON body when the
//! call sends nothing first, else on an event stream of the call's own (its notifications, its
//! questions to the client, then its answer). rmcp's answer to the same request is the witness:
//! a request with an allowed `Origin` goes through rmcp's session layer.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use http::StatusCode;
use mcp_runtime::host::approval::{ApprovalGate, MemoryStore};
use mcp_runtime::host::serve::{HttpConfig, HttpLimits, http_router};
use mcp_runtime::host::{CallOptions, RunningCalls, SharedServer};
use serde_json::{Value, json};
use tests::jira::Jira;

mod support;
use support::http::{
    Answer, VERSION, call, in_session, next_message, open_session_declaring, post, respond, send,
};

/// A server whose one tool takes its time.
mod slow {
    use std::time::Duration;

    use mcp_runtime::prelude::*;

    #[derive(Debug, Default)]
    pub struct Slow;

    /// How many `wait` calls have run to their end.
    pub static WAITED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    /// How long to take.
    #[derive(Debug, Deserialize, JsonSchema)]
    pub struct Wait {
        /// Milliseconds.
        millis: u64,
    }

    /// Takes its time.
    #[mcp_server(id = 901, availability = "manual", timeout_ms = 60000)]
    impl Slow {
        /// Sleeps, or stops when cancelled.
        #[tool(stake = "never_ask")]
        async fn wait(&self, args: Wait) -> ToolResult {
            tokio::time::sleep(Duration::from_millis(args.millis)).await;
            WAITED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(ToolOutput::text("waited"))
        }

        /// Tells its progress twice, then answers.
        #[tool(stake = "never_ask")]
        async fn count(&self, ctx: &ToolContext) -> ToolResult {
            ctx.progress(1.0, Some(2.0), Some("one"));
            ctx.progress(2.0, Some(2.0), None);
            Ok(ToolOutput::text("counted"))
        }
    }
}
use slow::{Slow, WAITED};

fn slow_router(options: CallOptions) -> Router {
    http_router(
        &[SharedServer::new(Slow)],
        &HttpConfig {
            calls: options,
            ..HttpConfig::default()
        },
    )
}

/// Sends a request through rmcp's session layer rather than this transport's.
const THROUGH_RMCP: (&str, &str) = ("origin", "http://localhost:3000");

fn router(options: CallOptions) -> Router {
    http_router(
        &[SharedServer::new(Jira)],
        &HttpConfig {
            calls: options,
            ..HttpConfig::default()
        },
    )
}

/// A session whose client declared `capabilities`, its handler registered.
async fn session(router: &Router, capabilities: Value) -> String {
    let id = open_session_declaring(router, &[], VERSION, capabilities).await;
    // The session's handler registers as it handles `initialized`.
    tokio::time::sleep(Duration::from_millis(50)).await;
    id
}

/// Every JSON-RPC message of an answer: its JSON body, or its stream's events with data.
fn messages(answer: &Answer) -> Vec<Value> {
    if answer.header("content-type") == "application/json" {
        return vec![serde_json::from_str(&answer.body).unwrap()];
    }
    answer
        .body
        .lines()
        .filter_map(|line| line.strip_prefix("data: "))
        .filter_map(|data| serde_json::from_str(data).ok())
        .collect()
}

#[tokio::test]
async fn calls_are_answered_with_one_json_body_as_rmcp_answers_them() {
    let router = router(CallOptions::new());
    let session = session(&router, json!({})).await;
    let calls = [
        ("search", json!({"jql": "project = P", "max_results": 3})),
        ("issue-summary", json!({"key": "P-1"})),
        ("nope", json!({})),
        ("search", json!({"jql": 3})),
        ("explode", json!({})),
        ("delete_issue", json!({"key": "P-1"})),
    ];
    for (id, (tool, arguments)) in (1..).zip(calls) {
        let message = call(id, tool, arguments);
        let here = send(&router, post(&in_session(&session), message.clone())).await;
        assert_eq!(here.status, StatusCode::OK, "{tool}");
        assert_eq!(here.header("content-type"), "application/json", "{tool}");
        let headers = [&in_session(&session)[..], &[THROUGH_RMCP]].concat();
        let there = send(&router, post(&headers, message)).await;
        assert_eq!(there.header("content-type"), "text/event-stream", "{tool}");
        assert_eq!(here.message(), there.message(), "{tool}");
    }
}

/// rmcp sends a call's log messages on the session's own stream (`GET`), which many clients
/// never open; here they come on the call's stream, before its answer.
#[tokio::test]
async fn a_call_that_logs_streams_its_message_before_its_answer() {
    let router = router(CallOptions::new());
    let session = session(&router, json!({})).await;
    let message = call(1, "get_issue", json!({"key": "P-1"}));
    let here = send(&router, post(&in_session(&session), message.clone())).await;
    assert_eq!(here.header("content-type"), "text/event-stream");
    let headers = [&in_session(&session)[..], &[THROUGH_RMCP]].concat();
    let there = send(&router, post(&headers, message)).await;
    let here = messages(&here);
    assert_eq!(here.len(), 2, "{here:?}");
    assert_eq!(here[0]["method"], "notifications/message", "{here:?}");
    assert_eq!(here[0]["params"]["data"], "fetching");
    assert_eq!(here[1], there.message());
}

#[tokio::test]
async fn a_held_call_is_put_to_the_user_on_its_stream_and_runs_once_approved() {
    let gate = Arc::new(ApprovalGate::new(MemoryStore::default()));
    let router = router(CallOptions::new().with_gate(gate));
    let session = session(&router, json!({"elicitation": {}})).await;
    let message = call(
        1,
        "post_comment",
        json!({"key": "P-1", "body": "looks good"}),
    );
    let response = respond(&router, post(&in_session(&session), message)).await;
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut body = response.into_body();
    let mut pending = String::new();
    let question = next_message(&mut body, &mut pending).await;
    assert_eq!(question["method"], "elicitation/create", "{question}");
    let asked = question["id"]
        .as_str()
        .expect("a question of this transport's");
    let reply = json!({"jsonrpc": "2.0", "id": asked,
        "result": {"action": "accept", "content": {"decision": "once"}}});
    let taken = send(&router, post(&in_session(&session), reply.to_string())).await;
    assert_eq!(taken.status, StatusCode::ACCEPTED);
    let answer = next_message(&mut body, &mut pending).await;
    assert_eq!(
        answer["result"]["content"][0]["text"], "commented on P-1: looks good",
        "{answer}"
    );
}

#[tokio::test]
async fn a_call_still_running_after_a_moment_is_answered_on_a_stream() {
    let router = slow_router(CallOptions::new());
    let session = session(&router, json!({})).await;
    let message = call(1, "wait", json!({"millis": 1500}));
    let answer = send(&router, post(&in_session(&session), message)).await;
    assert_eq!(answer.header("content-type"), "text/event-stream");
    assert_eq!(answer.message()["result"]["content"][0]["text"], "waited");
}

#[tokio::test]
async fn a_cancelled_call_stops_and_its_stream_ends_unanswered() {
    let running = Arc::new(RunningCalls::default());
    let router = slow_router(CallOptions::new().with_running(running.clone()));
    let session = session(&router, json!({})).await;
    let message = call(7, "wait", json!({"millis": 30_000}));
    let response = respond(&router, post(&in_session(&session), message)).await;
    assert_eq!(running.snapshot().len(), 1);
    let cancel = json!({"jsonrpc": "2.0", "method": "notifications/cancelled",
        "params": {"requestId": 7}});
    let cancelled = send(&router, post(&in_session(&session), cancel.to_string())).await;
    assert_eq!(cancelled.status, StatusCode::ACCEPTED);
    let body = http_body_util::BodyExt::collect(response.into_body());
    let body = tokio::time::timeout(Duration::from_secs(5), body)
        .await
        .expect("the stream ends")
        .unwrap()
        .to_bytes();
    assert!(
        !String::from_utf8_lossy(&body).contains("\"result\""),
        "{body:?}"
    );
    assert!(running.snapshot().is_empty());
}

#[tokio::test]
async fn ending_the_session_stops_its_calls() {
    let running = Arc::new(RunningCalls::default());
    let router = slow_router(CallOptions::new().with_running(running.clone()));
    let session = session(&router, json!({})).await;
    let message = call(1, "wait", json!({"millis": 30_000}));
    let _response = respond(&router, post(&in_session(&session), message)).await;
    assert_eq!(running.snapshot().len(), 1);
    let end = http::Request::delete("/mcp")
        .header("host", "localhost")
        .header("mcp-session-id", &session)
        .header("mcp-protocol-version", VERSION)
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(send(&router, end).await.status, StatusCode::OK);
    tokio::time::timeout(Duration::from_secs(5), async {
        while !running.snapshot().is_empty() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the call stops");
}

/// A call stating a revision of its own in `_meta` is not its session's: rmcp decides what it is.
#[tokio::test]
async fn a_call_speaking_another_revision_is_left_to_rmcp() {
    let router = router(CallOptions::new());
    let session = session(&router, json!({})).await;
    let message = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {
        "name": "search", "arguments": {"jql": "project = P"},
        "_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28"}}})
    .to_string();
    let here = send(&router, post(&in_session(&session), message.clone())).await;
    let headers = [&in_session(&session)[..], &[THROUGH_RMCP]].concat();
    let there = send(&router, post(&headers, message)).await;
    assert_eq!(here.status, there.status, "{}", here.body);
    assert_eq!(here.message(), there.message());
    assert!(
        here.message()["error"]["message"]
            .as_str()
            .is_some_and(|message| message.contains("does not match"))
    );
}

#[tokio::test]
async fn progress_asked_for_is_streamed_before_the_answer_as_rmcp_streams_it() {
    let router = slow_router(CallOptions::new());
    let session = session(&router, json!({})).await;
    let message = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {
        "name": "count", "arguments": {}, "_meta": {"progressToken": "p-1"}}})
    .to_string();
    let here = send(&router, post(&in_session(&session), message.clone())).await;
    let headers = [&in_session(&session)[..], &[THROUGH_RMCP]].concat();
    let there = send(&router, post(&headers, message)).await;
    let here = messages(&here);
    assert_eq!(here.len(), 3, "{here:?}");
    assert_eq!(here[0]["params"]["progressToken"], "p-1", "{here:?}");
    assert_eq!(here, messages(&there));
}

/// `logging/setLevel` decides which of a call's log messages the client gets: `get_issue` logs
/// at `info`.
#[tokio::test]
async fn the_sessions_log_level_decides_which_messages_are_sent() {
    let router = router(CallOptions::new());
    for (level, sent) in [("warning", false), ("info", true), ("debug", true)] {
        let session = session(&router, json!({})).await;
        let set = json!({"jsonrpc": "2.0", "id": 1, "method": "logging/setLevel",
            "params": {"level": level}});
        let answer = send(&router, post(&in_session(&session), set.to_string())).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        let message = call(2, "get_issue", json!({"key": "P-1"}));
        let answer = send(&router, post(&in_session(&session), message)).await;
        let logged = messages(&answer)
            .iter()
            .any(|message| message["method"] == "notifications/message");
        assert_eq!(logged, sent, "{level}: {}", answer.body);
    }
}

/// As rmcp's: a client that hangs up before its answer has begun does not stop the call (the
/// 2025-11-25 transport: disconnection is not cancellation).
#[tokio::test]
async fn a_call_whose_client_hangs_up_at_once_runs_to_its_end() {
    let router = slow_router(CallOptions::new());
    let session = session(&router, json!({})).await;
    let message = call(1, "wait", json!({"millis": 300}));
    let request = post(&in_session(&session), message);
    let asked = tokio::spawn(respond_owned(router.clone(), request));
    tokio::time::sleep(Duration::from_millis(50)).await;
    asked.abort();
    tokio::time::timeout(Duration::from_secs(5), async {
        while WAITED.load(std::sync::atomic::Ordering::SeqCst) == 0 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the call ran to its end");
}

async fn respond_owned(router: Router, request: http::Request<axum::body::Body>) {
    respond(&router, request).await;
}

/// A router of `server` whose sessions end after `idle` without requests.
fn idle_router(server: SharedServer, idle: Duration) -> Router {
    let mut limits = HttpLimits::default();
    limits.session_idle_timeout = idle;
    http_router(
        &[server],
        &HttpConfig {
            limits,
            ..HttpConfig::default()
        },
    )
}

fn list_tools(id: u64) -> String {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/list"}).to_string()
}

/// Calls answered here never reach rmcp's session worker, which ends a session it sees no
/// message for: the session's idle time counts every request, so a session busy with calls
/// stays whole (its next `tools/list`, which rmcp answers, works), and one idle too long ends.
#[tokio::test]
async fn a_session_busy_with_calls_lives_and_an_idle_one_ends() {
    let router = idle_router(SharedServer::new(Jira), Duration::from_millis(400));
    let session = session(&router, json!({})).await;
    for id in 1..=8 {
        let message = call(id, "search", json!({"jql": "project = P"}));
        let answer = send(&router, post(&in_session(&session), message)).await;
        assert_eq!(answer.header("content-type"), "application/json");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let listed = send(&router, post(&in_session(&session), list_tools(9))).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert!(listed.message()["result"]["tools"].is_array(), "{listed:?}");

    tokio::time::sleep(Duration::from_millis(800)).await;
    let gone = send(&router, post(&in_session(&session), list_tools(10))).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND, "{gone:?}");
}

/// A session is not idle while a request of it is in flight, however long that takes.
#[tokio::test]
async fn a_session_with_a_call_running_is_not_idle() {
    let router = idle_router(SharedServer::new(Slow), Duration::from_millis(300));
    let session = session(&router, json!({})).await;
    let message = call(1, "wait", json!({"millis": 1000}));
    let answer = send(&router, post(&in_session(&session), message)).await;
    assert_eq!(answer.message()["result"]["content"][0]["text"], "waited");
    let listed = send(&router, post(&in_session(&session), list_tools(2))).await;
    assert_eq!(listed.status, StatusCode::OK, "{listed:?}");
}

/// rmcp takes a request without `MCP-Protocol-Version` as speaking its session's revision, and
/// so does this transport: such a call is answered here, as one with the header is.
#[tokio::test]
async fn a_call_without_the_version_header_is_answered_here_too() {
    let router = router(CallOptions::new());
    let session = session(&router, json!({})).await;
    let message = call(1, "search", json!({"jql": "project = P"}));
    let here = send(
        &router,
        post(&[("mcp-session-id", &session)], message.clone()),
    )
    .await;
    assert_eq!(here.header("content-type"), "application/json");
    let headers = [&in_session(&session)[..], &[THROUGH_RMCP]].concat();
    let there = send(
        &router,
        post(&headers, call(2, "search", json!({"jql": "project = P"}))),
    )
    .await;
    assert_eq!(here.message()["result"], there.message()["result"]);
}
