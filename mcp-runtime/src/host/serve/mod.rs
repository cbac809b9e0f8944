//! Serving servers over MCP, through the official Rust SDK (`rmcp`): stdio and Streamable HTTP.
//!
//! The adapter ([`McpHandler`]) implements rmcp's server handler over a server's catalog, built
//! once per process, and runs every call through the same in-process call path as everything
//! else ([`crate::McpServer::call_tool`]).

mod ask;
mod call_request;
mod client;
mod connect;
mod connections;
mod direct;
mod handler;
mod http;
mod input;
mod line_calls;
mod line_writer;
mod malformed;
mod mcp_headers;
mod notify;
mod protect;
mod protocol;
mod session_calls;
mod sessions;
mod state;
mod stdio;
mod subscriptions;
mod tasks;
mod unread;

pub use connect::{ConnectLinks, URL_ELICITATION_REQUIRED};
pub use handler::McpHandler;
pub use http::{HttpConfig, HttpLimits, http_router, serve_http};
pub use protect::{
    InvalidToken, METADATA_PATH, Principal, ProtectedResource, RequiredScopes, TokenValidator,
};
/// Seals the 2026-07-28 request state naming a held call (see [`HttpConfig::request_state`]).
pub use rmcp::model::{RequestStateCodec, SealOptions};
pub use stdio::{MAX_LINE_BYTES, MAX_REQUESTS_IN_FLIGHT, serve_lines, serve_stdio};

/// Why serving stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The MCP session could not start or ended in error (stdio).
    #[error("the MCP session failed")]
    Session(#[source] Box<dyn std::error::Error + Send + Sync>),
}
