//! What rmcp's HTTP transport answers in a way clients do not parse, answered as the protocol
//! says: a body that is not JSON is a JSON-RPC parse error (`-32700`, 400), and ending a session
//! is 200 for a live one and 404 for one that does not exist. And the cap on sessions: past it,
//! the idlest session is ended to make room for a new one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rmcp::transport::streamable_http_server::session::SessionManager;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use serde_json::json;

/// The largest request body read (as rmcp's own bound).
pub(super) const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// A service's sessions: rmcp's manager, when each was last used, and how many may live.
pub(super) struct Sessions {
    pub(super) manager: Arc<LocalSessionManager>,
    last_used: Mutex<HashMap<Arc<str>, Instant>>,
    cap: usize,
}

impl Sessions {
    pub(super) fn new(manager: Arc<LocalSessionManager>, cap: usize) -> Self {
        Sessions {
            manager,
            last_used: Mutex::default(),
            cap: cap.max(1),
        }
    }

    fn last_used(&self) -> MutexGuard<'_, HashMap<Arc<str>, Instant>> {
        self.last_used
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Notes that a live session was used. Ids rmcp does not know are not kept (a client could
    /// send any number of them), and the times of sessions that ended on their own are dropped
    /// once there are more times than the cap allows sessions.
    async fn touch(&self, id: Arc<str>) {
        let live = self.manager.sessions.read().await;
        if !live.contains_key(&id) {
            return;
        }
        let mut last_used = self.last_used();
        last_used.insert(id, Instant::now());
        if last_used.len() > self.cap {
            last_used.retain(|id, _| live.contains_key(id));
        }
    }

    fn forget(&self, id: &str) {
        self.last_used().remove(id);
    }

    /// Ends the idlest sessions until one more fits under the cap.
    async fn make_room(&self) {
        loop {
            let idlest = {
                let live = self.manager.sessions.read().await;
                if live.len() < self.cap {
                    return;
                }
                let last_used = self.last_used();
                live.keys()
                    .min_by_key(|id| last_used.get(*id).copied())
                    .cloned()
            };
            let Some(idlest) = idlest else { return };
            let _ = self.manager.close_session(&idlest).await;
            self.forget(&idlest);
        }
    }
}

/// The middleware of one service.
pub(super) async fn answer_as_the_protocol_says(
    sessions: Arc<Sessions>,
    request: Request,
    next: Next,
) -> Response {
    let session = session_id(&request);
    if let Some(id) = &session {
        sessions.touch(id.clone()).await;
    }
    match *request.method() {
        Method::POST => {
            if session.is_none() {
                sessions.make_room().await;
            }
            let response = parse_first(request, next).await;
            if let Some(id) = response
                .headers()
                .get("mcp-session-id")
                .and_then(|value| value.to_str().ok())
            {
                sessions.touch(Arc::from(id)).await;
            }
            response
        }
        Method::DELETE => end_session(&sessions, request, next).await,
        _ => next.run(request).await,
    }
}

fn session_id(request: &Request) -> Option<Arc<str>> {
    request
        .headers()
        .get("mcp-session-id")
        .and_then(|value| value.to_str().ok())
        .map(Arc::<str>::from)
}

/// A POST whose body is not JSON gets the JSON-RPC parse error clients read.
async fn parse_first(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return rpc_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                -32600,
                &format!("the request is larger than {MAX_BODY_BYTES} bytes"),
            );
        }
    };
    if let Err(error) = serde_json::from_slice::<serde::de::IgnoredAny>(&bytes) {
        return rpc_error(
            StatusCode::BAD_REQUEST,
            -32700,
            &format!("parse error: {error}"),
        );
    }
    // Only a call can have parameters that do not fit; other messages are not read twice.
    if mentions_tools_call(&bytes)
        && let Ok(message) = serde_json::from_slice(&bytes)
        && let Some(error) = super::malformed::invalid_params(&message)
    {
        return (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            error.to_string(),
        )
            .into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Ending a session: 404 for one that does not exist, 200 when a live one ended.
async fn end_session(sessions: &Sessions, request: Request, next: Next) -> Response {
    let id = session_id(&request);
    if let Some(id) = &id
        && !sessions.manager.has_session(id).await.unwrap_or(false)
    {
        return (StatusCode::NOT_FOUND, "no such session").into_response();
    }
    let mut response = next.run(request).await;
    if let Some(id) = &id {
        sessions.forget(id);
    }
    if response.status() == StatusCode::ACCEPTED {
        *response.status_mut() = StatusCode::OK;
    }
    response
}

fn rpc_error(status: StatusCode, code: i64, message: &str) -> Response {
    let body = json!({"jsonrpc": "2.0", "id": null, "error": {"code": code, "message": message}});
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// Whether `bytes` mention `tools/call` (the only method whose parameters are checked here).
fn mentions_tools_call(bytes: &[u8]) -> bool {
    bytes
        .windows(b"tools/call".len())
        .any(|window| window == b"tools/call")
}
