//! Requests sent to an HTTP router in-process (no socket), and what came back.

use axum::Router;
use axum::body::Body;
use http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt as _;
use serde_json::{Value, json};
use tower::ServiceExt as _;

/// The protocol revision sessions negotiate in these tests.
pub const VERSION: &str = "2025-11-25";

/// A POST of `message` to `/mcp`, with `headers` (name, value) besides the usual ones.
pub fn post(headers: &[(&str, &str)], message: impl Into<Body>) -> Request<Body> {
    let mut request = Request::post("/mcp")
        .header("host", "localhost")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(message.into()).unwrap()
}

/// The headers of a request in session `id` at `VERSION`.
pub fn in_session(id: &str) -> [(&str, &str); 2] {
    [("mcp-session-id", id), ("mcp-protocol-version", VERSION)]
}

/// A response, its body read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    /// The JSON-RPC message: the JSON body, or the last event of a stream.
    pub fn message(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| {
            self.body
                .lines()
                .rev()
                .filter_map(|line| line.strip_prefix("data: "))
                .find_map(|data| serde_json::from_str(data).ok())
                .unwrap_or_else(|| panic!("no message in {:?}", self.body))
        })
    }

    /// A header's value, `""` if absent.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map_or("", |value| value.to_str().unwrap())
    }
}

/// Sends `request` and reads the whole answer, failing the test if it takes 10 s.
pub async fn send(router: &Router, request: Request<Body>) -> Answer {
    let response = respond(router, request).await;
    let (parts, body) = response.into_parts();
    let body = within_10_s(body.collect()).await.unwrap().to_bytes();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body: String::from_utf8(body.to_vec()).unwrap(),
    }
}

/// The response to `request`, its body unread; failing the test if it takes 10 s.
pub async fn respond(router: &Router, request: Request<Body>) -> http::Response<Body> {
    within_10_s(router.clone().oneshot(request)).await.unwrap()
}

async fn within_10_s<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(std::time::Duration::from_secs(10), future)
        .await
        .expect("answered within 10 s")
}

/// An `initialize` request for `version`.
pub fn initialize(version: &str) -> String {
    initialize_declaring(version, json!({}))
}

/// An `initialize` request for `version` from a client declaring `capabilities`.
pub fn initialize_declaring(version: &str, capabilities: Value) -> String {
    json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": version, "capabilities": capabilities,
        "clientInfo": {"name": "t", "version": "1"}}})
    .to_string()
}

/// A new session (initialized, at `version`) with `headers` on each request; its id.
pub async fn open_session(router: &Router, headers: &[(&str, &str)], version: &str) -> String {
    open_session_declaring(router, headers, version, json!({})).await
}

/// [`open_session`] for a client declaring `capabilities`.
pub async fn open_session_declaring(
    router: &Router,
    headers: &[(&str, &str)],
    version: &str,
    capabilities: Value,
) -> String {
    let answer = send(
        router,
        post(headers, initialize_declaring(version, capabilities)),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let id = answer.header("mcp-session-id").to_owned();
    let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let headers = [headers, &in_session(&id)].concat();
    let answer = send(router, post(&headers, initialized.to_string())).await;
    assert_eq!(answer.status, StatusCode::ACCEPTED, "{}", answer.body);
    id
}

/// A `tools/call` of `tool` with `arguments`, under `id`.
pub fn call(id: u64, tool: &str, arguments: Value) -> String {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": {"name": tool, "arguments": arguments}})
    .to_string()
}

/// The next JSON-RPC message on an event stream (`pending` holds what was read past the last
/// one), failing the test after 10 s.
pub async fn next_message(body: &mut Body, pending: &mut String) -> Value {
    within_10_s(async {
        loop {
            if let Some(end) = pending.find("\n\n") {
                let event: String = pending.drain(..end + 2).collect();
                if let Some(data) = event.lines().find_map(|line| line.strip_prefix("data: "))
                    && let Ok(message) = serde_json::from_str(data)
                {
                    return message;
                }
                continue;
            }
            let frame = body.frame().await.expect("the stream goes on").unwrap();
            if let Ok(data) = frame.into_data() {
                pending.push_str(std::str::from_utf8(&data).unwrap());
            }
        }
    })
    .await
}
