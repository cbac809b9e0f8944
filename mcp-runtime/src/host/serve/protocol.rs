//! What rmcp's HTTP transport answers in a way clients do not parse, answered as the protocol
//! says: a body that is not JSON is a JSON-RPC parse error (`-32700`, 400), and ending a session
//! is 200 for a live one and 404 for one that does not exist.

use std::sync::Arc;

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

/// The middleware: `sessions` are the service's, to tell a live session from an unknown one.
pub(super) async fn answer_as_the_protocol_says(
    sessions: Arc<LocalSessionManager>,
    request: Request,
    next: Next,
) -> Response {
    match *request.method() {
        Method::POST => parse_first(request, next).await,
        Method::DELETE => end_session(&sessions, request, next).await,
        _ => next.run(request).await,
    }
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
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Ending a session: 404 for one that does not exist, 200 when a live one ended.
async fn end_session(sessions: &LocalSessionManager, request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get("mcp-session-id")
        .and_then(|value| value.to_str().ok())
        .map(Arc::<str>::from);
    if let Some(id) = &id
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
