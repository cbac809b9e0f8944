//! Tool calls and listings of a stdio session, which the line transport answers itself once
//! the session is up: the same answers rmcp gives a session over HTTP, notifications ahead of
//! their answer, calls running side by side, and a held call put to the client's user through
//! the session (the client's answer reaches it through rmcp).

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use mcp_runtime::McpServer;
use mcp_runtime::host::approval::{ApprovalGate, MemoryStore};
use mcp_runtime::host::serve::{HttpConfig, McpHandler, http_router};
use mcp_runtime::host::{CallOptions, RunningCalls, SharedServer};
use serde_json::{Value, json};
use tests::desk::Desk;
use tests::jira::Jira;

mod support;
use support::http::{VERSION, in_session, open_session, post, send};
use support::stdio::Client;

/// A client of `server`, declaring `capabilities`, the session up.
async fn start(
    server: impl Into<SharedServer>,
    options: CallOptions,
    capabilities: Value,
) -> Client {
    let handler = McpHandler::new(server).with_options(options);
    let mut client = Client::start(handler, capabilities).await;
    // Answered by rmcp's loop: the session is up, and the transport learns it at once.
    client
        .send(&json!({"jsonrpc": "2.0", "id": 0, "method": "ping"}))
        .await;
    client.next().await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    client
}

async fn request(client: &mut Client, id: u64, method: &str, params: Value) -> Value {
    client
        .send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
        .await;
    client.next().await
}

fn router() -> Router {
    http_router(&[SharedServer::new(Jira)], &HttpConfig::default())
}

/// The answer rmcp gives the same request in a session over HTTP.
async fn over_http(router: &Router, session: &str, id: u64, method: &str, params: Value) -> Value {
    let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
    send(router, post(&in_session(session), message.to_string()))
        .await
        .message()
}

#[tokio::test]
async fn calls_and_the_listing_are_answered_as_rmcp_answers_them_over_http() {
    let mut client = start(Jira, CallOptions::new(), json!({})).await;
    let router = router();
    let session = open_session(&router, &[], VERSION).await;
    let requests = [
        ("tools/list", json!({})),
        (
            "tools/call",
            json!({"name": "search", "arguments": {"jql": "project = P", "max_results": 3}}),
        ),
        (
            "tools/call",
            json!({"name": "issue-summary", "arguments": {"key": "P-1"}}),
        ),
        ("tools/call", json!({"name": "nope", "arguments": {}})),
        (
            "tools/call",
            json!({"name": "search", "arguments": {"jql": 3}}),
        ),
        ("tools/call", json!({"name": "explode"})),
        (
            "tools/call",
            json!({"name": "delete_issue", "arguments": {"key": "P-1"}}),
        ),
    ];
    for (id, (method, params)) in (1..).zip(requests) {
        let here = request(&mut client, id, method, params.clone()).await;
        let there = over_http(&router, &session, id, method, params).await;
        assert_eq!(here, there, "{method}");
    }
}

/// The listing shares the catalog's schemas instead of copying them; what it lists is still the
/// catalog's listing, output schemas included.
#[tokio::test]
async fn the_listing_is_the_catalogs() {
    let mut client = start(Jira, CallOptions::new(), json!({})).await;
    let listed = request(&mut client, 1, "tools/list", json!({})).await;
    let tools = listed["result"]["tools"].as_array().expect("tools");
    assert_eq!(tools.as_slice(), Jira::catalog().listing(), "{listed}");
    assert!(
        tools.iter().any(|tool| tool.get("outputSchema").is_some()),
        "a tool with an output schema is listed"
    );
}

#[tokio::test]
async fn log_messages_come_before_their_answer() {
    let mut client = start(Jira, CallOptions::new(), json!({})).await;
    client
        .send(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": "get_issue", "arguments": {"key": "P-1"}}}))
        .await;
    let logged = client.next().await;
    assert_eq!(logged["method"], "notifications/message", "{logged}");
    assert_eq!(logged["params"]["data"], "fetching");
    let answer = client.next().await;
    assert_eq!(answer["id"], 1);
    assert_eq!(answer["result"]["content"][0]["text"], "# P-1");
}

#[tokio::test]
async fn calls_run_side_by_side_and_are_answered_as_they_end() {
    let mut client = start(Jira, CallOptions::new(), json!({})).await;
    client
        .send(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": "sleep", "arguments": {"millis": 300}}}))
        .await;
    client
        .send(&json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
            "params": {"name": "search", "arguments": {"jql": "x"}}}))
        .await;
    assert_eq!(client.next().await["id"], 2);
    let slept = client.next().await;
    assert_eq!(slept["id"], 1);
    assert_eq!(slept["result"]["content"][0]["text"], "slept");
}

#[tokio::test]
async fn a_held_call_is_put_to_the_user_through_the_session_and_runs_once_approved() {
    let gate = Arc::new(ApprovalGate::new(MemoryStore::default()));
    let options = CallOptions::new().with_gate(gate);
    let mut client = start(Desk, options, json!({"elicitation": {}})).await;
    client
        .send(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": "add_note", "arguments": {"text": "x"}}}))
        .await;
    let question = client.next().await;
    assert_eq!(question["method"], "elicitation/create", "{question}");
    client
        .send(&json!({"jsonrpc": "2.0", "id": question["id"],
            "result": {"action": "accept", "content": {"decision": "once"}}}))
        .await;
    let answer = client.next().await;
    assert_eq!(answer["id"], 1, "{answer}");
    assert_eq!(answer["result"]["content"][0]["text"], "ran add_note x");
}

#[tokio::test]
async fn a_call_speaking_the_stateless_revision_is_answered_in_it() {
    let mut client = start(Jira, CallOptions::new(), json!({})).await;
    let meta = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": {"name": "t", "version": "1"}
    });
    let params = json!({"name": "search", "arguments": {"jql": "x"}, "_meta": meta});
    let answer = request(&mut client, 1, "tools/call", params).await;
    assert_eq!(answer["result"]["resultType"], "complete", "{answer}");
    let legacy = json!({"name": "search", "arguments": {"jql": "x"}});
    let answer = request(&mut client, 2, "tools/call", legacy).await;
    assert!(answer["result"].get("resultType").is_none(), "{answer}");
}

#[tokio::test]
async fn a_cancelled_call_stops_and_is_not_answered() {
    let running = Arc::new(RunningCalls::default());
    let options = CallOptions::new().with_running(running.clone());
    let mut client = start(Jira, options, json!({})).await;
    client
        .send(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": "sleep", "arguments": {"millis": 400}}}))
        .await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(running.snapshot().len(), 1);
    client
        .send(
            &json!({"jsonrpc": "2.0", "method": "notifications/cancelled",
            "params": {"requestId": 1}}),
        )
        .await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(running.snapshot().is_empty(), "the call stopped");
    let answer = request(
        &mut client,
        2,
        "tools/call",
        json!({"name": "search", "arguments": {"jql": "x"}}),
    )
    .await;
    assert_eq!(answer["id"], 2, "no answer to the cancelled call: {answer}");
}

#[tokio::test]
async fn a_call_running_when_the_input_closes_is_answered_before_the_server_ends() {
    let mut client = start(Jira, CallOptions::new(), json!({})).await;
    client
        .send(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": "sleep", "arguments": {"millis": 200}}}))
        .await;
    client.close().await;
    client.ended().await;
    // Written before the server ended, so there at once.
    let answer = client.next_within(Duration::from_millis(50)).await;
    assert_eq!(answer["result"]["content"][0]["text"], "slept", "{answer}");
}
