//! What rmcp's HTTP transport answers in a way clients do not parse, answered as the protocol
//! says: a body that is not JSON is a JSON-RPC parse error (`-32700`, 400), and ending a session
//! is 200 for a live one and 404 for one that does not exist. And the cap on sessions: past it,
//! the idlest session is ended to make room for a new one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
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

    fn touch(&self, id: Arc<str>) {
        self.last_used
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(id, Instant::now());
    }

    /// Ends the idlest sessions until one more fits under the cap.
    async fn make_room(&self) {
        loop {
            let live: Vec<Arc<str>> = self.manager.sessions.read().await.keys().cloned().collect();
            if live.len() < self.cap {
                return;
            }
            let idlest = {
                let mut last_used = self
                    .last_used
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                last_used.retain(|id, _| live.contains(id));
                live.iter()
                    .min_by_key(|id| last_used.get(*id).copied())
                    .cloned()
            };
            let Some(idlest) = idlest else { return };
            let _ = self.manager.close_session(&idlest).await;
            self.last_used
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .remove(&idlest);
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
        sessions.touch(id.clone());
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
                sessions.touch(Arc::from(id));
            }
            response
        }
        Method::DELETE => end_session(&sessions.manager, request, next).await,
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
async fn end_session(sessions: &LocalSessionManager, request: Request, next: Next) -> Response {
    if let Some(id) = &session_id(&request)
        && !sessions.has_session(id).await.unwrap_or(false)
    {
        return (StatusCode::NOT_FOUND, "no such session").into_response();
    }
    let mut response = next.run(request).await;
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
