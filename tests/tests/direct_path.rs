//! 2026-07-28 calls and listings that can send nothing before their answer are answered straight
//! from the HTTP request, as one JSON body; the rest go through rmcp, which streams. Both give
//! the same JSON-RPC answer: a request with a progress token (which rmcp serves) is the witness.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use http::StatusCode;
use mcp_runtime::McpServer as _;
use mcp_runtime::host::serve::{HttpConfig, http_router};
use mcp_runtime::host::{CallOptions, RunningCalls, SharedServer};
use serde_json::{Value, json};
use tests::jira::Jira;

mod support;
use support::http::{Answer, post, respond, send};

const VERSION: &str = "2026-07-28";

fn router(running: &Arc<RunningCalls>) -> Router {
    http_router(
        &[SharedServer::new(Jira)],
        &HttpConfig {
            calls: CallOptions::new().with_running(running.clone()),
            ..HttpConfig::default()
        },
    )
}

/// A stateless request for `method` with `params`, its `_meta` given `extra_meta` too.
fn request(method: &str, mut params: Value, extra_meta: Value) -> (Value, Vec<(String, String)>) {
    let mut meta = json!({
        "io.modelcontextprotocol/protocolVersion": VERSION,
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": {"name": "direct", "version": "1"}
    });
    meta.as_object_mut()
        .unwrap()
        .extend(extra_meta.as_object().unwrap().clone());
    params["_meta"] = meta;
    let mut headers = vec![
        ("mcp-protocol-version".to_owned(), VERSION.to_owned()),
        ("mcp-method".to_owned(), method.to_owned()),
    ];
    if let Some(name) = params["name"].as_str() {
        headers.push(("mcp-name".to_owned(), name.to_owned()));
    }
    let body = json!({"jsonrpc": "2.0", "id": 9, "method": method, "params": params});
    (body, headers)
}

async fn ask(router: &Router, method: &str, params: Value, extra_meta: Value) -> Answer {
    let (body, headers) = request(method, params, extra_meta);
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    send(router, post(&headers, body.to_string())).await
}

fn is_json(answer: &Answer) -> bool {
    answer.header("content-type") == "application/json"
}

fn is_stream(answer: &Answer) -> bool {
    answer.header("content-type") == "text/event-stream"
}

#[tokio::test]
async fn a_call_asking_for_nothing_more_is_answered_with_one_json_body_as_rmcp_answers_it() {
    let router = router(&Arc::default());
    let params = json!({"name": "search", "arguments": {"jql": "project = P"}});
    let direct = ask(&router, "tools/call", params.clone(), json!({})).await;
    assert_eq!(direct.status, StatusCode::OK);
    assert!(is_json(&direct), "{:?}", direct.headers);
    let streamed = ask(&router, "tools/call", params, json!({"progressToken": 1})).await;
    assert!(is_stream(&streamed), "{:?}", streamed.headers);
    assert_eq!(direct.message(), streamed.message());
    assert_eq!(
        direct.message()["result"]["content"][0]["text"],
        "project = P (limit 50)"
    );
}

#[tokio::test]
async fn the_listing_is_answered_from_bytes_as_rmcp_answers_it() {
    let router = router(&Arc::default());
    let direct = ask(&router, "tools/list", json!({}), json!({})).await;
    assert!(is_json(&direct), "{:?}", direct.headers);
    let streamed = ask(
        &router,
        "tools/list",
        json!({}),
        json!({"progressToken": 1}),
    )
    .await;
    assert!(is_stream(&streamed), "{:?}", streamed.headers);
    assert_eq!(direct.message(), streamed.message());
    let listed = direct.message()["result"]["tools"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(listed, Jira::METADATA.tools.len());
}

#[tokio::test]
async fn errors_are_answered_as_rmcp_answers_them() {
    let router = router(&Arc::default());
    for params in [
        json!({"name": "nope", "arguments": {}}),
        json!({"name": "search", "arguments": {"jql": 3}}),
        json!({"name": "explode", "arguments": {}}),
    ] {
        let direct = ask(&router, "tools/call", params.clone(), json!({})).await;
        let streamed = ask(&router, "tools/call", params, json!({"progressToken": 1})).await;
        assert!(is_json(&direct), "{:?}", direct.headers);
        assert_eq!(direct.status, streamed.status);
        assert_eq!(direct.message(), streamed.message());
    }
}

#[tokio::test]
async fn a_call_that_logs_at_a_level_asked_for_streams_its_messages_before_its_answer() {
    let router = router(&Arc::default());
    let params = json!({"name": "get_issue", "arguments": {"key": "P-1"}});
    let answer = ask(
        &router,
        "tools/call",
        params,
        json!({"io.modelcontextprotocol/logLevel": "info"}),
    )
    .await;
    assert!(is_stream(&answer), "{:?}", answer.headers);
    let logged = answer.body.find("notifications/message");
    let answered = answer.body.find("\"result\"");
    assert!(logged.is_some() && logged < answered, "{}", answer.body);
    assert_eq!(answer.message()["result"]["content"][0]["text"], "# P-1");
}

#[tokio::test]
async fn a_request_rmcp_would_refuse_goes_to_rmcp() {
    let router = router(&Arc::default());
    let (body, _) = request(
        "tools/call",
        json!({"name": "search", "arguments": {"jql": "x"}}),
        json!({}),
    );
    // The name header disagrees with the body.
    let headers = [
        ("mcp-protocol-version", VERSION),
        ("mcp-method", "tools/call"),
        ("mcp-name", "get_issue"),
    ];
    let answer = send(&router, post(&headers, body.to_string())).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.body);
    assert!(answer.body.contains("Mcp-Name"), "{}", answer.body);
    // No `Accept` of an event stream; a host that is not allowed.
    for (host, accept, refused) in [
        ("localhost", "application/json", StatusCode::NOT_ACCEPTABLE),
        (
            "evil.example",
            "application/json, text/event-stream",
            StatusCode::FORBIDDEN,
        ),
    ] {
        let request = http::Request::post("/mcp")
            .header("host", host)
            .header("content-type", "application/json")
            .header("accept", accept)
            .header("mcp-protocol-version", VERSION)
            .header("mcp-method", "tools/call")
            .header("mcp-name", "search")
            .body(axum::body::Body::from(body.to_string()))
            .unwrap();
        let answer = send(&router, request).await;
        assert_eq!(answer.status, refused, "{}", answer.body);
    }
}

#[tokio::test]
async fn a_client_that_hangs_up_stops_its_call() {
    let running = Arc::new(RunningCalls::default());
    let router = router(&running);
    let (body, headers) = request(
        "tools/call",
        json!({"name": "sleep", "arguments": {"millis": 400}}),
        json!({}),
    );
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let request = post(&headers, body.to_string());
    let waiting = tokio::spawn({
        let router = router.clone();
        async move { respond(&router, request).await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(running.snapshot().len(), 1, "the call runs");
    waiting.abort();
    let _ = waiting.await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(
        running.snapshot().is_empty(),
        "the call stopped with its request"
    );
}
