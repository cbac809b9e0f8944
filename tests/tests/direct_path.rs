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
use tests::interview::Interview;
use tests::jira::Jira;
use tests::library::Library;

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

/// `headers` as `post` takes them.
fn borrowed(headers: &[(String, String)]) -> Vec<(&str, &str)> {
    headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect()
}

async fn ask(router: &Router, method: &str, params: Value, extra_meta: Value) -> Answer {
    let (body, headers) = request(method, params, extra_meta);
    let headers = borrowed(&headers);
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

/// Headers changed from the usual ones: (name, value).
type Headers<'a> = &'a [(&'a str, &'a str)];

/// A stateless call of `search` as `request` makes it, with `changed` applied to its headers
/// (name, value; an empty value removes the header) and `meta` its `_meta`.
fn changed_request(changed: Headers, meta: Value) -> http::Request<axum::body::Body> {
    let body = json!({"jsonrpc": "2.0", "id": 9, "method": "tools/call",
        "params": {"name": "search", "arguments": {"jql": "x"}, "_meta": meta}});
    let mut headers = vec![
        ("host", "localhost"),
        ("content-type", "application/json"),
        ("accept", "application/json, text/event-stream"),
        ("mcp-protocol-version", VERSION),
        ("mcp-method", "tools/call"),
        ("mcp-name", "search"),
    ];
    for (name, value) in changed {
        headers.retain(|(kept, _)| kept != name);
        if !value.is_empty() {
            headers.push((name, value));
        }
    }
    let mut request = http::Request::post("/mcp");
    for (name, value) in headers {
        request = request.header(name, value);
    }
    request
        .body(axum::body::Body::from(body.to_string()))
        .unwrap()
}

fn full_meta() -> Value {
    json!({
        "io.modelcontextprotocol/protocolVersion": VERSION,
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": {"name": "direct", "version": "1"}
    })
}

#[tokio::test]
async fn requests_rmcp_refuses_are_still_refused() {
    let router = router(&Arc::default());
    let without_capabilities = json!({"io.modelcontextprotocol/protocolVersion": VERSION});
    let cases: [(Headers, Value, StatusCode); 8] = [
        (
            &[("mcp-name", "get_issue")],
            full_meta(),
            StatusCode::BAD_REQUEST,
        ),
        (
            &[("mcp-method", "tools/list")],
            full_meta(),
            StatusCode::BAD_REQUEST,
        ),
        (
            &[("accept", "application/json")],
            full_meta(),
            StatusCode::NOT_ACCEPTABLE,
        ),
        (
            &[("host", "evil.example")],
            full_meta(),
            StatusCode::FORBIDDEN,
        ),
        (
            &[("origin", "http://evil.example")],
            full_meta(),
            StatusCode::FORBIDDEN,
        ),
        (
            &[("content-type", "text/plain")],
            full_meta(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            &[("mcp-protocol-version", "2099-01-01")],
            full_meta(),
            StatusCode::BAD_REQUEST,
        ),
        (&[], without_capabilities, StatusCode::BAD_REQUEST),
    ];
    for (changed, meta, refused) in cases {
        let answer = send(&router, changed_request(changed, meta)).await;
        assert_eq!(answer.status, refused, "{changed:?}: {}", answer.body);
    }
    // A listing whose method header names a call.
    let (body, _) = request("tools/list", json!({}), json!({}));
    let headers = [
        ("mcp-protocol-version", VERSION),
        ("mcp-method", "tools/call"),
    ];
    let answer = send(&router, post(&headers, body.to_string())).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.body);
}

#[tokio::test]
async fn a_host_allowed_on_one_port_only_is_refused_on_another() {
    let router = http_router(
        &[SharedServer::new(Jira)],
        &HttpConfig {
            allowed_hosts: vec!["localhost:8080".to_owned()],
            ..HttpConfig::default()
        },
    );
    let answer = send(
        &router,
        changed_request(&[("host", "localhost:9090")], full_meta()),
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    let answer = send(
        &router,
        changed_request(&[("host", "localhost:8080")], full_meta()),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(is_json(&answer), "{:?}", answer.headers);
}

#[tokio::test]
async fn arguments_mirrored_in_headers_are_checked_against_them() {
    let router = http_router(&[SharedServer::new(Library)], &HttpConfig::default());
    let params = json!({"name": "shelve", "arguments": {"title": "Dune", "shelf": "sf"}});
    let (body, headers) = request("tools/call", params, json!({}));
    let mut headers = borrowed(&headers);
    headers.push(("mcp-param-shelf", "poetry"));
    let answer = send(&router, post(&headers, body.to_string())).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.body);
    assert!(answer.body.contains("Mcp-Param-Shelf"), "{}", answer.body);
}

#[tokio::test]
async fn a_capability_the_call_needs_is_answered_as_rmcp_answers_it() {
    let router = http_router(&[SharedServer::new(Interview)], &HttpConfig::default());
    // A tool that runs only as a task, called by a client without the tasks extension.
    let params = json!({"name": "wait", "arguments": {}});
    let direct = ask(&router, "tools/call", params.clone(), json!({})).await;
    let streamed = ask(&router, "tools/call", params, json!({"progressToken": 1})).await;
    assert!(is_json(&direct), "{:?}", direct.headers);
    assert_eq!(direct.status, StatusCode::BAD_REQUEST, "{}", direct.body);
    assert_eq!(direct.status, streamed.status);
    assert_eq!(direct.message(), streamed.message());
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
    let headers = borrowed(&headers);
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
