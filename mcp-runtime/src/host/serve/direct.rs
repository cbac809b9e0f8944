//! 2026-07-28 tool calls and listings answered straight from their HTTP request, with one JSON
//! body.
//!
//! rmcp serves each stateless request through a service of its own (a spawned task, channels,
//! an SSE stream). A `tools/call` that can send nothing before its result, because it asks for
//! neither progress nor log messages, needs none of that: it is called here, in the request's
//! own future (a client that hangs up drops the call, and its work stops), and answered with
//! the same JSON-RPC response rmcp would send, as a JSON body. `tools/list` is answered from
//! the listing serialized once.
//!
//! Only requests rmcp would accept take this path: every header and `_meta` check is made here
//! in the narrowest form that implies rmcp's, and a request that fails one, or asks for anything
//! else, goes to rmcp, which answers or refuses it as it always has.

use std::collections::HashSet;
use std::sync::OnceLock;

use axum::http::request::Parts;
use axum::http::uri::Authority;
use axum::http::{HeaderMap, HeaderName, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rmcp::ErrorData;
use rmcp::model::{
    CallToolRequestParams, ClientCapabilities, ClientJsonRpcMessage, ClientRequest, ErrorCode,
    GetMeta, JsonRpcMessage, ProtocolVersion, RequestId, ServerJsonRpcMessage, ServerResult,
};
use tokio_util::sync::CancellationToken;

use super::McpHandler;
use super::handler::with_caller;
use super::mcp_headers;
use crate::ToolContext;

/// The one revision served here.
const VERSION: &str = "2026-07-28";

/// The `_meta` keys that make a call send notifications before its result.
const STREAMING_KEYS: &[&str] = &["progressToken", "io.modelcontextprotocol/logLevel"];

/// The direct path of one server's endpoint.
pub(super) struct Direct {
    handler: McpHandler,
    /// `Host` values rmcp accepts, as it reads them; empty: any.
    allowed_hosts: Vec<(String, Option<u16>)>,
    /// Tools with arguments mirrored in `Mcp-Param-*` headers (`x-mcp-header`), which rmcp
    /// checks against the body; found on first use.
    mirrored: OnceLock<HashSet<String>>,
    /// Cancels the calls running here when the server shuts down.
    shutdown: CancellationToken,
}

/// A request taking the direct path.
pub(super) enum DirectRequest {
    Call(Box<DirectCall>),
    List { id: RequestId },
}

/// A `tools/call` taking the direct path.
pub(super) struct DirectCall {
    id: RequestId,
    params: CallToolRequestParams,
    /// The capabilities the request declares.
    client: Option<ClientCapabilities>,
}

impl Direct {
    pub(super) fn new(
        handler: McpHandler,
        allowed_hosts: &[String],
        shutdown: CancellationToken,
    ) -> Self {
        Direct {
            handler,
            allowed_hosts: allowed_hosts
                .iter()
                .filter_map(|allowed| authority(allowed.trim()))
                .collect(),
            mirrored: OnceLock::new(),
            shutdown,
        }
    }

    fn mirrored(&self, tool: &str) -> bool {
        self.mirrored
            .get_or_init(|| {
                let tools = self.handler.listed_tools().iter();
                tools
                    .filter(|tool| {
                        serde_json::to_string(&tool.input_schema)
                            .is_ok_and(|schema| schema.contains("\"x-mcp-header\""))
                    })
                    .map(|tool| tool.name.to_string())
                    .collect()
            })
            .contains(tool)
    }

    /// What `message` asks for, if the request can take the direct path; `None` sends it to
    /// rmcp.
    pub(super) fn admits(
        &self,
        parts: &Parts,
        message: &mut ClientJsonRpcMessage,
    ) -> Option<DirectRequest> {
        let headers = &parts.headers;
        let method = only(headers, mcp_headers::METHOD)?;
        if headers.contains_key(mcp_headers::SESSION_ID)
            || headers.contains_key(header::ORIGIN)
            || only(headers, mcp_headers::PROTOCOL_VERSION)? != VERSION
            || !self.host_allowed(parts)
            || !accepts_json_and_sse(headers)
            || !content_is_json(headers)
        {
            return None;
        }
        let JsonRpcMessage::Request(request) = message else {
            return None;
        };
        let meta = request.request.get_meta();
        if STREAMING_KEYS.iter().any(|key| meta.contains_key(*key))
            || meta.protocol_version()? != ProtocolVersion::V_2026_07_28
            || !meta
                .missing_required_keys(&ProtocolVersion::V_2026_07_28)
                .is_empty()
        {
            return None;
        }
        let client = meta.client_capabilities();
        let id = request.id.clone();
        match &mut request.request {
            ClientRequest::ListToolsRequest(_) if method == "tools/list" => {
                Some(DirectRequest::List { id })
            }
            ClientRequest::CallToolRequest(call) if method == "tools/call" => {
                let name = &call.params.name;
                // (`_meta` was read into the request's, above.)
                if only(headers, mcp_headers::NAME)? != name
                    || name.starts_with("=?")
                    || self.mirrored(name)
                {
                    return None;
                }
                let params = std::mem::replace(&mut call.params, CallToolRequestParams::new(""));
                Some(DirectRequest::Call(Box::new(DirectCall {
                    id,
                    params,
                    client,
                })))
            }
            _ => None,
        }
    }

    /// Answers `request`, made by the HTTP request `parts`.
    pub(super) async fn answer(&self, parts: &Parts, request: DirectRequest) -> Response {
        match request {
            DirectRequest::List { id } => {
                json_response(StatusCode::OK, self.handler.listing_answer(&id, true))
            }
            DirectRequest::Call(call) => self.call(parts, *call).await,
        }
    }

    /// Runs the call and answers it.
    async fn call(&self, parts: &Parts, call: DirectCall) -> Response {
        let DirectCall { id, params, client } = call;
        let cancellation = self.shutdown.child_token();
        // Dropped with the request (the client hung up): the call's work is told to stop.
        let _cancel_on_drop = cancellation.clone().drop_guard();
        // Nothing to send before the result: no client and no notifier.
        let ctx = with_caller(
            ToolContext::new().with_cancellation(cancellation),
            Some(parts),
        );
        // No task handle comes back to a client that did not declare tasks: a call becomes one
        // only for a client that did.
        let answered = self
            .handler
            .call_2026(params, ctx, client, Some(parts))
            .await
            .map(ServerResult::from);
        let (message, status) = match answered {
            Ok(result) => (ServerJsonRpcMessage::response(result, id), StatusCode::OK),
            Err(error) => {
                let status = status_of(&error);
                (ServerJsonRpcMessage::error(error, Some(id)), status)
            }
        };
        match serde_json::to_vec(&message) {
            Ok(body) => json_response(status, body),
            Err(error) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the answer could not be written: {error}"),
            )
                .into_response(),
        }
    }

    /// Whether the request `parts`, calling `tool` in a 2025-11-25 session that negotiated
    /// `negotiated`, is one rmcp would accept as it is (the session itself is checked by the
    /// caller): its headers in the narrowest form that implies rmcp's checks.
    pub(super) fn admits_session_call(&self, parts: &Parts, negotiated: &str, tool: &str) -> bool {
        let headers = &parts.headers;
        // Without the header rmcp takes the request as its session's, as it does with it.
        let version = !headers.contains_key(mcp_headers::PROTOCOL_VERSION)
            || only(headers, mcp_headers::PROTOCOL_VERSION) == Some(negotiated);
        version
            && !headers.contains_key(header::ORIGIN)
            && !headers.contains_key(mcp_headers::METHOD)
            && !headers.contains_key(mcp_headers::NAME)
            && self.host_allowed(parts)
            && accepts_json_and_sse(headers)
            && content_is_json(headers)
            && !self.mirrored(tool)
    }

    /// Cancelled when the server shuts down.
    pub(super) fn shutdown(&self) -> &CancellationToken {
        &self.shutdown
    }

    fn host_allowed(&self, parts: &Parts) -> bool {
        if self.allowed_hosts.is_empty() {
            return true;
        }
        let Some((host, port)) = only(&parts.headers, header::HOST).and_then(host_and_port) else {
            return false;
        };
        self.allowed_hosts.iter().any(|(name, allowed_port)| {
            name.eq_ignore_ascii_case(host)
                && allowed_port.is_none_or(|allowed| port == Some(allowed))
        })
    }
}

pub(super) fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The HTTP status rmcp gives a call's error on 2026-07-28: 400 for a capability the client
/// must declare, 200 for the rest (a call never ends in rmcp's other 400s or its 404: those
/// refuse a request before it is called).
fn status_of(error: &ErrorData) -> StatusCode {
    match error.code {
        ErrorCode::MISSING_REQUIRED_CLIENT_CAPABILITY => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    }
}

/// The single value of the header `name`, if it has exactly one and it is text.
fn only(headers: &HeaderMap, name: HeaderName) -> Option<&str> {
    let mut values = headers.get_all(name).iter();
    let value = values.next()?;
    values
        .next()
        .is_none()
        .then(|| value.to_str().ok())
        .flatten()
}

/// A `Host` value's name (lower case, without brackets) and port, as rmcp compares them.
fn authority(value: &str) -> Option<(String, Option<u16>)> {
    let authority = Authority::try_from(value).ok()?;
    let host = authority
        .host()
        .trim_matches(['[', ']'])
        .to_ascii_lowercase();
    Some((host, authority.port_u16()))
}

/// A `Host` value's name (without brackets) and port, read in place: every request has one.
/// `None` for anything but `name[:port]` and `[address][:port]`; such a request goes to rmcp,
/// which reads it.
fn host_and_port(value: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = match value.strip_prefix('[') {
        Some(bracketed) => bracketed.split_once(']')?,
        None => value.split_at(value.find(':').unwrap_or(value.len())),
    };
    let port = match port {
        "" => None,
        port => {
            let digits = port.strip_prefix(':')?;
            if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
                return None;
            }
            Some(digits.parse().ok()?)
        }
    };
    Some((name, port))
}

/// Whether `Accept` names both media types without parameters (which could weigh one at zero).
fn accepts_json_and_sse(headers: &HeaderMap) -> bool {
    let entries = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter(|value| !value.contains('"'))
        .flat_map(|value| value.split(','))
        .map(str::trim);
    let (mut json, mut sse) = (false, false);
    for entry in entries {
        json |= entry.eq_ignore_ascii_case("application/json");
        sse |= entry.eq_ignore_ascii_case("text/event-stream");
    }
    json && sse
}

/// Whether `Content-Type` is JSON.
fn content_is_json(headers: &HeaderMap) -> bool {
    only(headers, header::CONTENT_TYPE).is_some_and(|value| {
        let essence = value.split_once(';').map_or(value, |(essence, _)| essence);
        essence.trim().eq_ignore_ascii_case("application/json")
    })
}

#[cfg(test)]
mod tests {
    use super::{authority, host_and_port};

    /// Read in place, a `Host` value names what `http`'s parser (and so rmcp) reads in it, or
    /// nothing (the request then goes to rmcp).
    #[test]
    fn a_host_read_in_place_is_what_the_parser_reads_or_nothing() {
        let read = [
            "localhost",
            "LocalHost:8080",
            "127.0.0.1:0",
            "127.0.0.1:08080",
            "[::1]",
            "[::1]:3000",
            "example.com:65535",
        ];
        for value in read {
            let (name, port) = host_and_port(value).expect(value);
            assert_eq!(
                Some((name.to_ascii_lowercase(), port)),
                authority(value),
                "{value}"
            );
        }
        let refused = [
            "localhost:",
            "localhost:+80",
            "localhost:65536",
            "localhost:80:80",
            "[::1",
            "[::1]80",
            "[::1]:",
        ];
        for value in refused {
            assert_eq!(host_and_port(value), None, "{value}");
        }
    }
}
