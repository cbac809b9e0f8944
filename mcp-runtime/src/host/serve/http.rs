//! MCP over Streamable HTTP, through axum: one server at `/mcp`, or each server of a registry
//! at `/servers/{name}/mcp`.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use rmcp::model::RequestStateCodec;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::connect::ConnectLinks;
use super::direct::Direct;
use super::protect::{Principal, ProtectedResource, protect};
use super::sessions::{Sessions, end_idle_sessions};
use super::{McpHandler, ServeError};
use super::{ask, connections, protocol, unread};
use crate::ServerMetadata;
use crate::host::{Audience, CallOptions, SharedServer};

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
    /// What a client can make the server hold.
    pub limits: HttpLimits,
    /// Seals the 2026-07-28 request state naming a held call; replicas behind one load
    /// balancer share its keys. `None`: a key of the process's own.
    pub request_state: Option<RequestStateCodec>,
    /// Where users not connected to a platform are sent (in band, as a URL elicitation).
    pub connect: Option<Arc<dyn ConnectLinks>>,
    /// The host's own routes beside the MCP endpoints (a connect flow, pages), served as they
    /// are: a bearer token is not required for them.
    pub routes: Router,
    /// Who the servers are for: a `restricted` server refused a request's principal answers
    /// it as an unknown path would (`404`), so it does not exist for them.
    pub audience: Arc<Audience>,
}

/// What a client can make the HTTP transport hold. The defaults are for a server a team
/// shares; a single user never meets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpLimits {
    /// Connections open at once (keep it under the process's open-file limit). Past it, the
    /// connection idle the longest is closed for a new one; when all are serving a request,
    /// new ones wait.
    pub max_connections: usize,
    /// Time for a connection to deliver a request's headers, counted from when it opened or
    /// its last response ended: the header-read and the keep-alive idle timeout.
    pub header_timeout: Duration,
    /// Time to receive a request's body once its headers have come.
    pub body_timeout: Duration,
    /// The largest request body read; a larger one is answered `413`.
    pub max_body_bytes: usize,
    /// Sessions (2025-11-25) a server keeps; past it, the idlest is ended for a new one. Each
    /// holds tens of kilobytes.
    pub max_sessions: usize,
    /// A session with no request in flight and none received for this long is ended (its
    /// client must initialize again).
    pub session_idle_timeout: Duration,
    /// Requests one session may have in flight at once; past it, a request is refused with
    /// `429` and a JSON-RPC error.
    pub max_requests_per_session: usize,
    /// Once shutdown begins, the time calls running get to finish before their sessions are
    /// ended and they are cancelled.
    pub shutdown_grace: Duration,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            max_connections: 512,
            header_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            max_body_bytes: 4 * 1024 * 1024,
            max_sessions: 1024,
            session_idle_timeout: Duration::from_secs(300),
            max_requests_per_session: 64,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

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
            limits: HttpLimits::default(),
            request_state: None,
            connect: None,
            routes: Router::new(),
            audience: Arc::default(),
        }
    }
}

/// The router serving `servers`: a single server at `/mcp`, several at `/servers/{name}/mcp`.
///
/// # Panics
///
/// Outside a Tokio runtime: each server gets a task that ends its idle sessions.
pub fn http_router(servers: &[SharedServer], config: &HttpConfig) -> Router {
    let service = |server: &SharedServer| {
        let mut http_config = StreamableHttpServerConfig::default();
        http_config.allowed_hosts = config.allowed_hosts.clone();
        http_config.allowed_origins = config.allowed_origins.clone();
        http_config.cancellation_token = config.shutdown.child_token();
        let mut handler = McpHandler::new(server.clone()).with_options(config.calls.clone());
        if let Some(codec) = &config.request_state {
            handler = handler.with_request_state(codec.clone());
        }
        if let Some(links) = &config.connect {
            handler = handler.with_connect_links(links.clone());
        }
        let mut manager = LocalSessionManager::default();
        // Idle sessions are ended by `Sessions`, which sees every request (see sessions.rs).
        manager.session_config.keep_alive = None;
        let manager = Arc::new(manager);
        let deadline = Duration::from_millis(server.metadata().timeout_ms);
        // A gated call may first wait for its user's answer.
        let asking = match config.calls.gate() {
            Some(_) => ask::ELICITATION_TIMEOUT,
            None => Duration::ZERO,
        };
        let answer_deadline = config.calls.timeout(deadline) + asking;
        let sessions = Arc::new(Sessions::new(
            manager.clone(),
            config.limits,
            answer_deadline,
        ));
        let direct = Arc::new(Direct::new(
            handler.clone(),
            &config.allowed_hosts,
            http_config.cancellation_token.clone(),
        ));
        tokio::spawn(end_idle_sessions(
            Arc::downgrade(&sessions),
            http_config.cancellation_token.clone(),
        ));
        let handler = handler.with_sessions(&sessions);
        let service =
            StreamableHttpService::new(move || Ok(handler.for_session()), manager, http_config);
        // Step-up: calls needing scopes are checked against the token's before they run.
        let scopes = config
            .protected
            .clone()
            .filter(|resource| !resource.required_scopes.is_empty())
            .map(|resource| {
                Arc::new(protocol::ScopeCheck {
                    resource,
                    server: server.metadata().name,
                })
            });
        let router = Router::new()
            .fallback_service(service)
            .layer(axum::middleware::from_fn(move |request, next| {
                protocol::answer_as_the_protocol_says(
                    sessions.clone(),
                    scopes.clone(),
                    direct.clone(),
                    request,
                    next,
                )
            }));
        match server.metadata().restricted {
            Some(_) => {
                let (metadata, audience) = (server.metadata(), config.audience.clone());
                router.layer(axum::middleware::from_fn(move |request, next| {
                    only_for_its_audience(metadata, audience.clone(), request, next)
                }))
            }
            None => router,
        }
    };
    let router = match servers {
        [only] => Router::new().nest("/mcp", service(only)),
        _ => servers.iter().fold(Router::new(), |router, server| {
            let path = format!("/servers/{}/mcp", server.metadata().name);
            router.nest(&path, service(server))
        }),
    };
    let router = match &config.protected {
        Some(resource) => protect(router, resource.clone()),
        None => router,
    };
    router
        .merge(config.routes.clone())
        .layer(axum::middleware::from_fn(unread::close_when_unread))
}

/// Passes `request` on when `server` exists for its principal; else answers as a path nothing
/// is served at does, and logs nothing above debug: the principal is not at fault.
async fn only_for_its_audience(
    server: &'static ServerMetadata,
    audience: Arc<Audience>,
    request: Request,
    next: Next,
) -> Response {
    let claims = request
        .extensions()
        .get::<Principal>()
        .map(|principal| &principal.claims);
    if audience.admits(server, claims) {
        return next.run(request).await;
    }
    tracing::debug!(
        server = server.name,
        "the server is restricted for this principal"
    );
    StatusCode::NOT_FOUND.into_response()
}

/// Serves `servers` on `listener` until `config.shutdown` is cancelled. Then it stops
/// accepting, gives the calls running the grace period of `config.limits` to finish, ends the
/// sessions (cancelling the calls still running, which it names in a warning) and returns once
/// the sessions have ended and every connection has closed (or a second after).
pub async fn serve_http(
    listener: TcpListener,
    servers: &[SharedServer],
    config: HttpConfig,
) -> Result<(), ServeError> {
    let shutdown = config.shutdown.clone();
    let limits = config.limits;
    // The sessions outlive the signal by the grace period: they have their own token.
    let sessions = CancellationToken::new();
    let running = config.calls.running().cloned().unwrap_or_default();
    let config = HttpConfig {
        shutdown: sessions.clone(),
        calls: config.calls.with_running(running.clone()),
        ..config
    };
    let router = http_router(servers, &config);
    let end_sessions = async {
        shutdown.cancelled().await;
        let abandoned = running.settle(limits.shutdown_grace).await;
        if !abandoned.is_empty() {
            let calls: Vec<String> = abandoned.iter().map(ToString::to_string).collect();
            tracing::warn!(
                grace_s = limits.shutdown_grace.as_secs_f32(),
                "stopping {} call(s) still running after the grace period: {}",
                calls.len(),
                calls.join(", ")
            );
        }
        sessions.cancel();
    };
    let serve = connections::serve_connections(
        listener,
        router,
        limits.max_connections,
        limits.header_timeout,
        shutdown.clone(),
    );
    tokio::pin!(serve, end_sessions);
    tokio::select! {
        // Every connection closed: a session's calls may outlive their connections, so they
        // still get the grace period.
        () = &mut serve => end_sessions.await,
        () = &mut end_sessions => {
            // The sessions have ended; a connection still open is not waited for past a moment.
            let _ = tokio::time::timeout(Duration::from_secs(1), serve).await;
        }
    }
    Ok(())
}
