//! MCP over Streamable HTTP, through axum: one server at `/mcp`, or each server of a registry
//! at `/servers/{name}/mcp`.

use std::sync::Arc;

use axum::Router;
use axum::serve::ListenerExt as _;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::protect::{ProtectedResource, protect};
use super::protocol;
use super::{McpHandler, ServeError};
use crate::host::{CallOptions, SharedServer};

/// How the HTTP transport accepts requests.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// `Host` values accepted (DNS-rebinding protection); loopback names by default.
    pub allowed_hosts: Vec<String>,
    /// `Origin` values accepted from browsers; loopback origins by default.
    pub allowed_origins: Vec<String>,
    /// Stops the server and its sessions when cancelled.
    pub shutdown: CancellationToken,
    /// The gate (stakes enforced on every call, asking the client's user where it can) and the
    /// layers every call runs through.
    pub calls: CallOptions,
    /// Requires bearer tokens a validator accepts (an OAuth protected resource).
    pub protected: Option<ProtectedResource>,
    /// The most sessions (2025-11-25) a server keeps; past it, the idlest is ended for a new
    /// one. Each holds tens of kilobytes.
    pub max_sessions: usize,
}

/// The default cap on sessions per server.
pub const DEFAULT_MAX_SESSIONS: usize = 1024;

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            allowed_hosts: ["localhost", "127.0.0.1", "[::1]"]
                .map(String::from)
                .to_vec(),
            allowed_origins: ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"]
                .map(String::from)
                .to_vec(),
            shutdown: CancellationToken::new(),
            calls: CallOptions::new(),
            protected: None,
            max_sessions: DEFAULT_MAX_SESSIONS,
        }
    }
}

/// The router serving `servers`: a single server at `/mcp`, several at `/servers/{name}/mcp`.
pub fn http_router(servers: &[SharedServer], config: &HttpConfig) -> Router {
    let service = |server: &SharedServer| {
        let mut http_config = StreamableHttpServerConfig::default();
        http_config.allowed_hosts = config.allowed_hosts.clone();
        http_config.allowed_origins = config.allowed_origins.clone();
        http_config.cancellation_token = config.shutdown.child_token();
        let handler = McpHandler::new(server.clone()).with_options(config.calls.clone());
        let manager = Arc::new(LocalSessionManager::default());
        let sessions = Arc::new(protocol::Sessions::new(
            manager.clone(),
            config.max_sessions,
        ));
        let service =
            StreamableHttpService::new(move || Ok(handler.for_session()), manager, http_config);
        Router::new()
            .fallback_service(service)
            .layer(axum::middleware::from_fn(move |request, next| {
                protocol::answer_as_the_protocol_says(sessions.clone(), request, next)
            }))
    };
    let router = match servers {
        [only] => Router::new().nest("/mcp", service(only)),
        _ => servers.iter().fold(Router::new(), |router, server| {
            let path = format!("/servers/{}/mcp", server.metadata().name);
            router.nest(&path, service(server))
        }),
    };
    match &config.protected {
        Some(resource) => protect(router, resource.clone()),
        None => router,
    }
}

/// Serves `servers` on `listener` until `config.shutdown` is cancelled.
pub async fn serve_http(
    listener: TcpListener,
    servers: &[SharedServer],
    config: HttpConfig,
) -> Result<(), ServeError> {
    // Without TCP_NODELAY every response waits for the peer's delayed ACK (~40 ms on loopback).
    let listener = listener.tap_io(|stream| {
        let _ = stream.set_nodelay(true);
    });
    let router = http_router(servers, &config);
    let shutdown = config.shutdown.clone();
    axum::serve(listener, router)
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await
        .map_err(ServeError::Http)
}
