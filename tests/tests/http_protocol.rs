//! The HTTP middleware in front of rmcp's transport, request by request through the router:
//! parse errors, the body's size and time, a session's protocol version, ids unique among a
//! session's requests in flight and at most so many, cancelled and hung-up requests, ending a
//! session, and the cap on sessions. (`providers/tests/limits.rs` drives the same limits through
//! the binary, with sockets.)

use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use mcp_runtime::host::SharedServer;
use mcp_runtime::host::serve::{HttpConfig, HttpLimits, http_router};
use serde_json::{Value, json};
use tests::jira::Jira;

mod support;
use support::http::{VERSION, call, in_session, initialize, open_session, post, respond, send};

/// Jira's test server (its calls stop at 500 ms) at `/mcp`, under `limits`.
fn router(limits: HttpLimits) -> Router {
    http_router(
        &[SharedServer::new(Jira)],
        &HttpConfig {
            limits,
            ..HttpConfig::default()
        },
    )
}

fn ping(id: u64) -> String {
    json!({"jsonrpc": "2.0", "id": id, "method": "ping"}).to_string()
}

/// A JSON-RPC error answer without an id.
fn error(code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": null, "error": {"code": code, "message": message}})
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_parse_error() {
    let answer = send(&router(HttpLimits::default()), post(&[], "{not json")).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer.message(),
        error(
            -32700,
            "parse error: key must be a string at line 1 column 2"
        )
    );
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let mut limits = HttpLimits::default();
    limits.max_body_bytes = 64;
    let answer = send(&router(limits), post(&[], initialize(VERSION))).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        answer.message(),
        error(-32600, "the request is larger than 64 bytes")
    );
}

#[tokio::test(start_paused = true)]
async fn a_body_that_never_ends_is_refused_at_its_deadline() {
    let mut limits = HttpLimits::default();
    limits.body_timeout = Duration::from_secs(2);
    let body = futures_util::stream::pending::<Result<Bytes, std::io::Error>>();
    let answer = send(&router(limits), post(&[], Body::from_stream(body))).await;
    assert_eq!(answer.status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(
        answer.message(),
        error(-32600, "the request body did not arrive within 2 s")
    );
}

#[tokio::test]
async fn a_session_keeps_the_version_it_negotiated() {
    let router = router(HttpLimits::default());
    let session = open_session(&router, &[], VERSION).await;
    let other = [
        ("mcp-session-id", &*session),
        ("mcp-protocol-version", "2025-06-18"),
    ];
    let answer = send(&router, post(&other, ping(1))).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer.message(),
        error(
            -32600,
            "this session negotiated protocol version 2025-11-25; its requests must carry \
             `MCP-Protocol-Version: 2025-11-25`, not 2025-06-18"
        )
    );
    let answer = send(&router, post(&in_session(&session), ping(2))).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

#[tokio::test]
async fn a_version_the_server_does_not_know_binds_the_session_to_the_answered_one() {
    let router = router(HttpLimits::default());
    let answer = send(&router, post(&[], initialize("1999-01-01"))).await;
    let answered = answer.message()["result"]["protocolVersion"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(answered, "1999-01-01");
    let session = answer.header("mcp-session-id").to_owned();
    let headers = [
        ("mcp-session-id", &*session),
        ("mcp-protocol-version", &*answered),
    ];
    let answer = send(&router, post(&headers, ping(1))).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

/// Starts `request`; its answer's body is left unread (the request stays in flight).
async fn start(router: &Router, request: Request<Body>) -> http::Response<Body> {
    let response = respond(router, request).await;
    assert_eq!(response.status(), StatusCode::OK);
    // A stream still being sent, as the connection must see it.
    assert!(!axum::body::HttpBody::is_end_stream(response.body()));
    response
}

#[tokio::test]
async fn ids_in_flight_are_unique_and_at_most_so_many() {
    let mut limits = HttpLimits::default();
    limits.max_requests_per_session = 2;
    let router = router(limits);
    let session = open_session(&router, &[], VERSION).await;
    let headers = in_session(&session);
    let sleep = |id| post(&headers, call(id, "sleep", json!({"millis": 300})));

    let first = start(&router, sleep(1)).await;
    let duplicate = send(&router, sleep(1)).await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert_eq!(
        duplicate.message(),
        error(
            -32600,
            "invalid request: a request with id 1 is already in flight in this session; ids \
             must be unique among requests in flight"
        )
    );
    // `"1"` is another id than `1`.
    let text_id = json!({"jsonrpc": "2.0", "id": "1", "method": "tools/call",
        "params": {"name": "sleep", "arguments": {"millis": 300}}});
    let second = start(&router, post(&headers, text_id.to_string())).await;
    let third = send(&router, sleep(3)).await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(third.header("retry-after"), "1");
    assert_eq!(
        third.message(),
        json!({"jsonrpc": "2.0", "id": 3, "error": {"code": -32000, "message":
            "this session has 2 requests in flight, the most it may; send this one when one \
             of them has been answered"}})
    );

    // A request with a null id is not one this layer can track: rmcp answers it, whatever
    // is in flight.
    let null_id = json!({"jsonrpc": "2.0", "id": null, "method": "ping"});
    let answer = send(&router, post(&headers, null_id.to_string())).await;
    assert_ne!(
        answer.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        answer.body
    );

    // Answered (its stream read to the end), a request frees its id and its place.
    first.into_body().collect().await.unwrap();
    let again = send(&router, sleep(1)).await;
    assert_eq!(again.message()["result"]["content"][0]["text"], "slept");
    second.into_body().collect().await.unwrap();
}

#[tokio::test]
async fn cancelling_a_request_frees_its_id_and_hanging_up_does_not() {
    let router = router(HttpLimits::default());
    let session = open_session(&router, &[], VERSION).await;
    let headers = in_session(&session);
    let sleep = |id| post(&headers, call(id, "sleep", json!({"millis": 400})));

    let _cancelled = start(&router, sleep(5)).await;
    let cancel = json!({"jsonrpc": "2.0", "method": "notifications/cancelled",
        "params": {"requestId": 5}});
    let answer = send(&router, post(&headers, cancel.to_string())).await;
    assert_eq!(answer.status, StatusCode::ACCEPTED);
    let _reused = start(&router, sleep(5)).await;

    // A client that hangs up may still have its request running: the id stays taken until
    // the call's deadline (500 ms) has passed.
    drop(start(&router, sleep(6)).await);
    assert_eq!(send(&router, sleep(6)).await.status, StatusCode::CONFLICT);
    tokio::time::sleep(Duration::from_millis(700)).await;
    let again = send(&router, sleep(6)).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
}

/// Behind an approval gate a call may first wait for its user's answer (minutes): a hung-up
/// request keeps its id past the call's own deadline.
#[tokio::test]
async fn behind_a_gate_a_hung_up_call_keeps_its_id_while_its_user_may_answer() {
    use mcp_runtime::host::CallOptions;
    use mcp_runtime::host::approval::{ApprovalGate, MemoryStore};
    let gate = std::sync::Arc::new(ApprovalGate::new(MemoryStore::default()));
    let router = http_router(
        &[SharedServer::new(Jira)],
        &HttpConfig {
            calls: CallOptions::new().with_gate(gate),
            ..HttpConfig::default()
        },
    );
    let session = open_session(&router, &[], VERSION).await;
    let headers = in_session(&session);
    let sleep = || post(&headers, call(6, "sleep", json!({"millis": 400})));
    drop(start(&router, sleep()).await);
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(send(&router, sleep()).await.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn invalid_call_parameters_are_invalid_params() {
    let router = router(HttpLimits::default());
    let session = open_session(&router, &[], VERSION).await;
    let nameless = json!({"jsonrpc": "2.0", "id": 4, "method": "tools/call",
        "params": {"arguments": {}}});
    let answer = send(&router, post(&in_session(&session), nameless.to_string())).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.message()["id"], 4);
    assert_eq!(answer.message()["error"]["code"], -32602);
}

fn delete(session: &str) -> Request<Body> {
    Request::delete("/mcp")
        .header("host", "localhost")
        .header("mcp-session-id", session)
        .header("mcp-protocol-version", VERSION)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn ending_a_session_is_ok_and_an_unknown_one_not_found() {
    let router = router(HttpLimits::default());
    let unknown = send(&router, delete("no-such-session")).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.body, "no such session");
    let session = open_session(&router, &[], VERSION).await;
    assert_eq!(send(&router, delete(&session)).await.status, StatusCode::OK);
    let after = send(&router, post(&in_session(&session), ping(1))).await;
    assert_eq!(after.status, StatusCode::NOT_FOUND);
    // Forgotten here too: whatever version it carries, a request in it finds no session.
    let other = [
        ("mcp-session-id", &*session),
        ("mcp-protocol-version", "2025-06-18"),
    ];
    let after = send(&router, post(&other, ping(2))).await;
    assert_eq!(after.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_new_session_past_the_cap_ends_the_idlest() {
    let mut limits = HttpLimits::default();
    limits.max_sessions = 2;
    let router = router(limits);
    let first = open_session(&router, &[], VERSION).await;
    let second = open_session(&router, &[], VERSION).await;
    // Used since: `second` is now the idlest.
    let answer = send(&router, post(&in_session(&first), ping(1))).await;
    assert_eq!(answer.status, StatusCode::OK);
    // Only an `initialize` outside a session makes room: not another request without one.
    send(&router, post(&[], ping(9))).await;
    let answer = send(&router, post(&in_session(&second), ping(4))).await;
    assert_eq!(answer.status, StatusCode::OK);
    let answer = send(&router, post(&in_session(&first), ping(5))).await;
    assert_eq!(answer.status, StatusCode::OK);
    let _third = open_session(&router, &[], VERSION).await;
    let ended = send(&router, post(&in_session(&second), ping(2))).await;
    assert_eq!(ended.status, StatusCode::NOT_FOUND);
    let kept = send(&router, post(&in_session(&first), ping(3))).await;
    assert_eq!(kept.status, StatusCode::OK);
}
