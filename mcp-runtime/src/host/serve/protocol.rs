//! The HTTP middleware in front of rmcp's transport. It answers what rmcp answers in a way
//! clients do not parse as the protocol says: a body that is not JSON is a JSON-RPC parse error
//! (`-32700`, 400), ending a session is 200 for a live one and 404 for one that does not exist.
//! And it holds the limits rmcp does not: the body's size and time, the cap on sessions (the
//! idlest ended for a new one), a session's requests carrying the version it negotiated, and
//! ids unique among a session's requests in flight, at most so many of them. On a protected
//! server, a call needing scopes its token lacks is answered `403` before it runs.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::Request;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};
use rmcp::model::{ClientJsonRpcMessage, ClientRequest, JsonRpcMessage, ProtocolVersion};
use rmcp::transport::streamable_http_server::session::SessionManager;
use serde::Deserialize;
use serde_json::{Value, json};

use super::call_request::CallRequest;
use super::direct::Direct;
use super::mcp_headers;
use super::protect::{Principal, ProtectedResource, insufficient_scope};
use super::sessions::{InFlight, Refusal, Sessions};

/// The scopes a protected server's calls need, checked against the request's token.
pub(super) struct ScopeCheck {
    pub resource: ProtectedResource,
    pub server: &'static str,
}

/// The middleware of one service.
pub(super) async fn answer_as_the_protocol_says(
    sessions: Arc<Sessions>,
    scopes: Option<Arc<ScopeCheck>>,
    direct: Arc<Direct>,
    request: Request,
    next: Next,
) -> Response {
    let session = session_id(&request);
    if let Some(id) = &session
        && let Some(negotiated) = sessions.touch(id).await
        && let Some(refused) = other_version(&negotiated, &request)
    {
        return refused;
    }
    match *request.method() {
        Method::POST => {
            post(
                &sessions,
                scopes.as_deref(),
                &direct,
                session,
                request,
                next,
            )
            .await
        }
        Method::DELETE => end_session(&sessions, request, next).await,
        _ => next.run(request).await,
    }
}

fn session_id(request: &Request) -> Option<Arc<str>> {
    request
        .headers()
        .get(mcp_headers::SESSION_ID)
        .and_then(|value| value.to_str().ok())
        .map(Arc::<str>::from)
}

/// A session's requests must carry the version it negotiated (400 otherwise, as the
/// transport's specification says of an unsupported version).
fn other_version(negotiated: &str, request: &Request) -> Option<Response> {
    let stated = request
        .headers()
        .get(mcp_headers::PROTOCOL_VERSION)?
        .to_str()
        .ok()?;
    (stated != negotiated).then(|| {
        rpc_error(
            StatusCode::BAD_REQUEST,
            -32600,
            &format!(
                "this session negotiated protocol version {negotiated}; its requests must carry \
                 `MCP-Protocol-Version: {negotiated}`, not {stated}"
            ),
        )
    })
}

/// The parts of a JSON-RPC message this layer looks at, each of any type, so that every JSON
/// object is read (and admitted); everything else is skipped unread.
#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    method: Option<Value>,
}

impl Envelope {
    fn of(call: &CallRequest) -> Self {
        Envelope {
            id: serde_json::to_value(&call.id).ok(),
            method: Some(Value::from("tools/call")),
        }
    }
}

/// A body that is not one JSON-RPC message: a parse error (`-32700`), or something rmcp
/// answers itself (a batch).
async fn not_one_message(parts: Parts, bytes: Bytes, next: Next) -> Response {
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

/// The tool a `tools/call` names.
fn tool_named(message: &ClientJsonRpcMessage) -> Option<&str> {
    match message {
        JsonRpcMessage::Request(request) => match &request.request {
            ClientRequest::CallToolRequest(call) => Some(&call.params.name),
            _ => None,
        },
        _ => None,
    }
}

/// The version an `initialize` asks for.
fn requested_version(bytes: &[u8]) -> Option<String> {
    let message: Value = serde_json::from_slice(bytes).ok()?;
    Some(message["params"]["protocolVersion"].as_str()?.to_owned())
}

/// A POST: its body read within the limits and checked, its id unique among its session's
/// requests in flight. A 2026-07-28 call that can take the direct path is answered there.
async fn post(
    sessions: &Arc<Sessions>,
    scopes: Option<&ScopeCheck>,
    direct: &Direct,
    session: Option<Arc<str>>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match read_body(body, sessions).await {
        Ok(bytes) => bytes,
        Err(refused) => return refused,
    };
    // A well-formed call in a session is read into its parameters alone, and once: rmcp reads
    // the whole message again, and reading it as rmcp's untagged message enum is the costly
    // part.
    let session_call = session
        .as_ref()
        .and_then(|_| serde_json::from_slice::<CallRequest>(&bytes).ok());
    let envelope = match &session_call {
        Some(call) => Envelope::of(call),
        None => match serde_json::from_slice::<Envelope>(&bytes) {
            Ok(envelope) => envelope,
            // Not one message: a parse error, or something rmcp answers itself (a batch).
            Err(_) => return not_one_message(parts, bytes, next).await,
        },
    };
    let method = envelope.method.as_ref().and_then(Value::as_str);
    if session.is_none() && method == Some("initialize") {
        sessions.make_room().await;
    }
    if let Some(call) = &session_call {
        let refused = scopes.and_then(|check| {
            insufficient_scope(
                &check.resource,
                parts.extensions.get::<Principal>(),
                check.server,
                &call.params.name,
            )
        });
        if let Some(refused) = refused {
            return refused;
        }
    }
    // Only a call can have parameters that do not fit; other messages are not read twice.
    else if let Some(method @ ("tools/call" | "tools/list")) = method
        && let Ok(mut message) = serde_json::from_slice::<ClientJsonRpcMessage>(&bytes)
    {
        if let Some(error) = super::malformed::invalid_params(&message) {
            return (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                error.to_string(),
            )
                .into_response();
        }
        if method == "tools/call"
            && let Some(check) = scopes
            && let Some(name) = tool_named(&message)
            && let Some(refused) = insufficient_scope(
                &check.resource,
                parts.extensions.get::<Principal>(),
                check.server,
                name,
            )
        {
            return refused;
        }
        if session.is_none()
            && let Some(request) = direct.admits(&parts, &mut message)
        {
            // Boxed, as below: inline, each would make every request's future larger, and it is
            // moved whole before it first runs.
            return Box::pin(direct.answer(&parts, request)).await;
        }
    }
    // The client's answer to a question this transport put to it for one of its calls.
    if let Some(session) = &session
        && envelope.method.is_none()
        && envelope.id.as_ref().is_some_and(Value::is_string)
        && let Some(calls) = sessions.calls_of(session)
        && let Ok(message) = serde_json::from_slice::<Value>(&bytes)
        && calls.take_answer(&message)
    {
        return StatusCode::ACCEPTED.into_response();
    }
    if method == Some("notifications/cancelled")
        && let Some(session) = &session
        && let Ok(message) = serde_json::from_slice::<Value>(&bytes)
    {
        let request_id = &message["params"]["requestId"];
        sessions.cancelled(session, &request_id.to_string());
    }
    let in_flight = match (&session, &envelope.method, &envelope.id) {
        // (A `null` id reads as none.)
        (Some(session), Some(_), Some(id)) => {
            match sessions.admit(session, id.to_string().into()) {
                Ok(in_flight) => in_flight,
                Err(refusal) => return refused(refusal, id),
            }
        }
        _ => None,
    };
    if let (Some(session), Some(call)) = (&session, session_call)
        && in_flight.is_some()
        && let Some((calls, negotiated)) = sessions.calls_and_version(session)
        && !call.speaks_own_revision()
        && direct.admits_session_call(&parts, &negotiated, &call.params.name)
    {
        let response = Box::pin(calls.answer(parts, call, direct.shutdown())).await;
        return held_until_answered(response, in_flight, sessions);
    }
    let requested = (method == Some("initialize"))
        .then(|| requested_version(&bytes))
        .flatten();
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if let Some(version) = requested
        && let Some(id) = response
            .headers()
            .get(mcp_headers::SESSION_ID)
            .and_then(|value| value.to_str().ok())
    {
        // rmcp answers a version it knows with the same version; another it replaces.
        let echoed = ProtocolVersion::KNOWN_VERSIONS
            .iter()
            .any(|known| known.as_str() == version && known.has_initialize());
        if echoed {
            sessions.negotiated(&Arc::from(id), &version).await;
        }
    }
    held_until_answered(response, in_flight, sessions)
}

/// `response`, holding its request's id in flight until its body has been sent.
fn held_until_answered(
    response: Response,
    in_flight: Option<InFlight>,
    sessions: &Sessions,
) -> Response {
    match in_flight {
        Some(in_flight) => {
            let hold = sessions.answer_deadline;
            response.map(|body| Body::new(UntilAnswered::new(body, in_flight, hold)))
        }
        None => response,
    }
}

/// The response body of an admitted request. Its id leaves the in-flight set when the body
/// ends (rmcp ends a request's stream after its answer). Dropped before that, because the
/// client hung up, the request may still be running (a session's requests outlive their
/// streams): its id is held until it cannot be any more, so hanging up frees no slot early.
struct UntilAnswered {
    body: Body,
    in_flight: Option<InFlight>,
    hold: Duration,
}

impl UntilAnswered {
    fn new(body: Body, in_flight: InFlight, hold: Duration) -> Self {
        UntilAnswered {
            body,
            in_flight: Some(in_flight),
            hold,
        }
    }
}

impl http_body::Body for UntilAnswered {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.body).poll_frame(cx);
        if matches!(polled, Poll::Ready(None)) || this.body.is_end_stream() {
            this.in_flight = None;
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

impl Drop for UntilAnswered {
    fn drop(&mut self) {
        let Some(in_flight) = self.in_flight.take() else {
            return;
        };
        if http_body::Body::is_end_stream(&self.body) {
            return;
        }
        let hold = self.hold;
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                tokio::time::sleep(hold).await;
                drop(in_flight);
            });
        }
    }
}

/// The body, whole, if it comes in time and fits.
async fn read_body(body: Body, sessions: &Sessions) -> Result<Bytes, Response> {
    let limits = &sessions.limits;
    match tokio::time::timeout(limits.body_timeout, to_bytes(body, limits.max_body_bytes)).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(rpc_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            -32600,
            &format!("the request is larger than {} bytes", limits.max_body_bytes),
        )),
        Err(_) => Err(rpc_error(
            StatusCode::REQUEST_TIMEOUT,
            -32600,
            &format!(
                "the request body did not arrive within {} s",
                limits.body_timeout.as_secs_f32()
            ),
        )),
    }
}

/// A request the session may not start now.
fn refused(refusal: Refusal, id: &Value) -> Response {
    match refusal {
        // No id in the answer: the client would match it to the request in flight with that id.
        Refusal::DuplicateId => rpc_error(
            StatusCode::CONFLICT,
            -32600,
            &format!(
                "invalid request: a request with id {id} is already in flight in this session; \
                 ids must be unique among requests in flight"
            ),
        ),
        Refusal::TooManyInFlight(cap) => {
            let mut response = rpc_error_for(
                id,
                StatusCode::TOO_MANY_REQUESTS,
                -32000,
                &format!(
                    "this session has {cap} requests in flight, the most it may; send this one \
                     when one of them has been answered"
                ),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
    }
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
    rpc_error_for(&Value::Null, status, code, message)
}

fn rpc_error_for(id: &Value, status: StatusCode, code: i64, message: &str) -> Response {
    let body = json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}});
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}
