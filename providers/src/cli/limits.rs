//! `serve`'s limits: what a client can make the host hold, and how long it takes to stop.
//! Every default is the framework's (`HttpLimits`), stated once there.

use std::time::Duration;

use mcp_runtime::host::serve::HttpLimits;

/// The limits `serve` takes (see ARCHITECTURE.md, "Limits").
#[derive(Debug, clap::Args)]
#[command(next_help_heading = "Limits")]
pub(super) struct Limits {
    /// Stop any call after this many seconds (a tool's own, shorter timeout still applies).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub call_timeout: Option<u64>,
    /// On Ctrl-C or SIGTERM, give running calls this many seconds to finish; then stop them
    /// and name them. (When a stdio client closes its input, its calls get 5 s.)
    #[arg(long, value_name = "SECS", default_value_t = HttpLimits::default().shutdown_grace.as_secs())]
    pub shutdown_grace: u64,
    /// HTTP connections open at once (past it, the idlest is closed for a new one).
    #[arg(long, value_name = "N", default_value_t = HttpLimits::default().max_connections)]
    pub max_connections: usize,
    /// Seconds an HTTP connection has to send a request's headers, from when it opened or its
    /// last response ended.
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..), default_value_t = HttpLimits::default().header_timeout.as_secs())]
    pub header_timeout: u64,
    /// HTTP sessions (2025-11-25) kept per server (past it, the idlest is ended).
    #[arg(long, value_name = "N", default_value_t = HttpLimits::default().max_sessions)]
    pub max_sessions: usize,
    /// Requests one HTTP session may have in flight.
    #[arg(long, value_name = "N", default_value_t = HttpLimits::default().max_requests_per_session)]
    pub max_requests_per_session: usize,
}

impl Limits {
    pub(super) fn http(&self) -> HttpLimits {
        let mut limits = HttpLimits::default();
        limits.max_connections = self.max_connections;
        limits.header_timeout = Duration::from_secs(self.header_timeout);
        limits.max_sessions = self.max_sessions;
        limits.max_requests_per_session = self.max_requests_per_session;
        limits.shutdown_grace = Duration::from_secs(self.shutdown_grace);
        limits
    }
}

/// Resolves on Ctrl-C or (on Unix) SIGTERM.
pub(super) async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
