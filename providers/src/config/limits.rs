//! What a client can make the host hold, and how long it takes to stop: one set of limits,
//! given as `serve` flags or as the `[limits]` table of a configuration file. Every default is
//! the framework's (`HttpLimits`), stated once there.

use std::num::{NonZeroU32, NonZeroU64};
use std::time::Duration;

use mcp_runtime::host::serve::HttpLimits;
use serde::Deserialize;

/// The limits `serve` takes (see ARCHITECTURE.md, "Limits").
#[derive(Debug, Clone, clap::Args, Deserialize)]
#[command(next_help_heading = "Limits")]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Stop any call after this many seconds (a tool's own, shorter timeout still applies).
    #[arg(long, value_name = "SECS")]
    pub call_timeout: Option<NonZeroU64>,
    /// On Ctrl-C or SIGTERM, give running calls this many seconds to finish; then stop them
    /// and name them. (When a stdio client closes its input, its calls get 5 s.)
    #[arg(long, value_name = "SECS", default_value_t = Limits::default().shutdown_grace)]
    pub shutdown_grace: u64,
    /// HTTP connections open at once (past it, the idlest is closed for a new one).
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_connections)]
    pub max_connections: usize,
    /// Seconds an HTTP connection has to send a request's headers, from when it opened or its
    /// last response ended.
    #[arg(long, value_name = "SECS", default_value_t = Limits::default().header_timeout)]
    pub header_timeout: NonZeroU64,
    /// HTTP sessions (2025-11-25) kept per server (past it, the idlest is ended).
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_sessions)]
    pub max_sessions: usize,
    /// Seconds an HTTP session may sit idle (no request in flight, none received) before it
    /// is ended.
    #[arg(long, value_name = "SECS", default_value_t = Limits::default().session_idle_timeout)]
    pub session_idle_timeout: NonZeroU64,
    /// Requests one HTTP session may have in flight.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_requests_per_session)]
    pub max_requests_per_session: usize,
    /// Refuse a user's calls beyond this many a minute (an error result says when to try
    /// again); unlimited by default.
    #[arg(long, value_name = "CALLS")]
    pub rate_limit: Option<NonZeroU32>,
}

impl Default for Limits {
    fn default() -> Self {
        let http = HttpLimits::default();
        Limits {
            call_timeout: None,
            shutdown_grace: http.shutdown_grace.as_secs(),
            max_connections: http.max_connections,
            header_timeout: NonZeroU64::new(http.header_timeout.as_secs())
                .expect("a header timeout of at least a second"),
            max_sessions: http.max_sessions,
            session_idle_timeout: NonZeroU64::new(http.session_idle_timeout.as_secs())
                .expect("a session idle timeout of at least a second"),
            max_requests_per_session: http.max_requests_per_session,
            rate_limit: None,
        }
    }
}

impl Limits {
    /// The limits of the HTTP transport.
    pub fn http(&self) -> HttpLimits {
        let mut limits = HttpLimits::default();
        limits.max_connections = self.max_connections;
        limits.header_timeout = Duration::from_secs(self.header_timeout.get());
        limits.max_sessions = self.max_sessions;
        limits.session_idle_timeout = Duration::from_secs(self.session_idle_timeout.get());
        limits.max_requests_per_session = self.max_requests_per_session;
        limits.shutdown_grace = self.shutdown_grace();
        limits
    }

    /// The grace period running calls get at shutdown.
    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_secs(self.shutdown_grace)
    }
}
