//! `mcp-providers serve`: the registry over MCP.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use mcp_runtime::Stake;
use mcp_runtime::host::approval::ApprovalGate;
use mcp_runtime::host::serve::{
    HttpConfig, McpHandler, RequestStateCodec, serve_http, serve_stdio,
};
use mcp_runtime::host::{
    Audience, CallOptions, Registry, RunningCalls, SharedServer, Turned, served,
};

use super::signal::stop_signal;
use crate::config::{Config, Limits, Selection};
use crate::connect_flow::{ConnectFlow, GiveConnections, oauth_apps};
use crate::console::Console;
use crate::store::{Backend, Stores, TokenCipher};
use mcp_runtime::host::approval::ApprovalPages;
use providers::connect::UserConnections;

/// Where `serve` listens when no transport is named.
const DEFAULT_ADDR: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 8080);

/// What `serve` was asked for.
pub(super) struct Options {
    pub stdio: bool,
    pub http: Option<SocketAddr>,
    pub server: Option<String>,
    /// Where approvals, connections and the audit log are kept.
    pub store: Backend,
    /// The keys connections' tokens are sealed with.
    pub cipher: Option<TokenCipher>,
    /// Seals held calls' request state (keys the replicas share); `None`: the process's own.
    pub request_state: Option<RequestStateCodec>,
    pub allow: Vec<String>,
    pub limits: Limits,
    pub tools: Selection,
    /// The servers a configuration file built; `None`: those of the registry served by their
    /// availability (or the one `server` names), from the environment.
    pub servers: Option<Vec<SharedServer>>,
    /// Who the servers are for (from a configuration file's `[workspace]`).
    pub audience: Audience,
    /// How HTTP clients are authenticated (from a configuration file); `None`: not at all.
    pub auth: Option<crate::config::Auth>,
    /// The URL clients reach the host at.
    pub public_url: Option<reqwest::Url>,
    /// The OAuth apps users connect their accounts through.
    pub connect: Vec<crate::config::ConnectApp>,
    /// The web console, if the configuration sets one up.
    pub console: Option<crate::config::ConsoleConfig>,
}

impl Options {
    /// What `config` asks for, on stdio or over HTTP, for every server it names or `server`.
    pub(super) fn from_config(config: Config, stdio: bool, server: Option<String>) -> Self {
        Options {
            stdio,
            http: config.listen,
            server,
            store: config.store,
            cipher: config.cipher,
            request_state: config.request_state,
            allow: config.allow,
            limits: config.limits,
            tools: config.tools,
            servers: Some(config.servers),
            audience: config.audience,
            auth: config.auth,
            public_url: config.public_url,
            connect: config.connect,
            console: config.console,
        }
    }

    /// Where held calls are put to their users: the console's pages, when served over HTTP
    /// with a console configured.
    fn approval_pages(&self, stores: &Stores) -> Option<Arc<dyn ApprovalPages>> {
        let (false, Some(_), Some(public_url), Some(cipher)) = (
            self.stdio,
            &self.console,
            &self.public_url,
            stores.token_cipher(),
        ) else {
            return None;
        };
        Some(crate::console::pages(public_url, stores.clone(), cipher))
    }

    /// The connect flow of the OAuth apps configured, if any.
    fn connect_flow(&self, stores: &Stores) -> Option<Arc<ConnectFlow>> {
        let (Some(public_url), Some(cipher)) = (&self.public_url, stores.token_cipher()) else {
            return None;
        };
        if self.connect.is_empty() {
            return None;
        }
        let tickets = self.request_state.clone().unwrap_or_else(|| {
            let mut key = [0u8; 32];
            getrandom::fill(&mut key).expect("the system's random source");
            RequestStateCodec::try_new(key).expect("a 32-byte key")
        });
        Some(Arc::new(ConnectFlow::new(
            public_url,
            oauth_apps(&self.connect, public_url),
            tickets,
            cipher,
            stores.clone(),
        )))
    }

    /// The gate every call goes through: stakes enforced, allowed tools run without asking,
    /// "always" approvals remembered and decisions audited in `stores`. A configuration file's
    /// `allow` was checked when the file was read, against every server it serves: here an
    /// entry for a server this process leaves out (`--server`, or restricted on stdio) has
    /// nothing to apply to. A `--allow` must name a tool served.
    fn gate(
        &self,
        served: &[SharedServer],
        configured: bool,
        stores: &Stores,
        pages: Option<Arc<dyn ApprovalPages>>,
    ) -> Result<ApprovalGate, String> {
        let mut gate = ApprovalGate::new(stores.clone()).with_audit(stores.audit());
        // Calls whose clients cannot ask their users are decided on the console's pages.
        if let Some(pages) = pages {
            gate = gate.with_pages(pages);
        }
        // Replicas share the calls they hold: a client's answer may reach any of them.
        if matches!(self.store, Backend::Postgres(_)) {
            gate = gate.with_held_store(Arc::new(stores.clone()));
        }
        let served: Vec<_> = served.iter().map(|server| server.metadata()).collect();
        for allowed in &self.allow {
            let (server, tool) = match crate::config::check_allowed(allowed, &served) {
                Ok(allowed) => allowed,
                Err(_) if configured => continue,
                Err(message) => return Err(format!("`--allow` {message}")),
            };
            gate = gate.with_override(server, tool, Stake::NeverAsk);
        }
        Ok(gate)
    }

    /// Serves the registry until the client leaves (stdio), Ctrl-C or SIGTERM; then gives the
    /// running calls the grace period and stops, naming the calls it abandons.
    pub(super) fn run(mut self, registry: &'static Registry) -> Result<ExitCode, String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|error| format!("cannot start the runtime: {error}"))?;
        let stores = runtime
            .block_on(Stores::open(&self.store, self.cipher.take()))
            .map_err(|error| format!("cannot open the store: {}", super::chain(&error)))?;
        let flow = self.connect_flow(&stores);
        let (stdio, http, server) = (self.stdio, self.http, self.server.as_deref());
        // stdout carries the protocol on stdio: every log line goes to stderr.
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env()
                    .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
            )
            .init();
        let configured = self.servers.is_some();
        let servers = match self.servers.take() {
            // Built from the configuration file: `--server` picks one of them.
            Some(servers) => match server {
                Some(name) => {
                    let chosen: Vec<SharedServer> = servers
                        .iter()
                        .filter(|built| built.metadata().name == name)
                        .cloned()
                        .collect();
                    if chosen.is_empty() {
                        let names: Vec<&str> =
                            servers.iter().map(|built| built.metadata().name).collect();
                        return Err(format!(
                            "`--server {name}`: the configuration serves {}",
                            names.join(", ")
                        ));
                    }
                    chosen
                }
                None => servers,
            },
            // Each server is built from its settings in the environment (`GITHUB_TOKEN`, ...):
            // the one named, else those their availability serves.
            None => {
                let entries = match server {
                    Some(name) => {
                        let entry = registry.require(name).map_err(|error| error.to_string())?;
                        served(entry.metadata(), Turned::On, false)
                            .map_err(|why| format!("`--server {name}`: {why}"))?;
                        vec![entry]
                    }
                    None => registry
                        .iter()
                        .filter(|entry| {
                            served(entry.metadata(), Turned::ByAvailability, false).is_ok()
                        })
                        .collect(),
                };
                entries
                    .into_iter()
                    .map(|entry| entry.build_from_env())
                    .collect::<Result<Vec<SharedServer>, _>>()
                    .map_err(|error| super::chain(&error))?
            }
        };
        // Without client authentication (stdio, or HTTP without `[auth]`) no caller has claims:
        // a restricted server the workspace refuses exists for no one.
        let servers = if stdio || self.auth.is_none() {
            let (admitted, refused): (Vec<_>, Vec<_>) = servers
                .into_iter()
                .partition(|server| self.audience.admits(server.metadata(), None));
            if let (Some(name), Some(refused)) = (server, refused.first()) {
                return Err(format!(
                    "`--server {name}`: `{}` is restricted for this workspace; set the plan or \
                     feature flag its documentation names in a configuration file's \
                     `[workspace]`",
                    refused.metadata().name
                ));
            }
            admitted
        } else {
            servers
        };
        let pages = self.approval_pages(&stores);
        let gate = Arc::new(self.gate(&servers, configured, &stores, pages)?);
        let running = Arc::new(RunningCalls::default());
        let mut calls = CallOptions::new()
            .with_gate(gate)
            .with_running(running.clone());
        // Users connect their own accounts: each call gets their connections, and a user not
        // connected is sent to the connect flow.
        if let Some(flow) = &flow {
            calls = calls.with_layer(GiveConnections(UserConnections {
                store: Arc::new(stores.clone()),
                apps: flow.apps().clone(),
            }));
        }
        let served: Vec<_> = servers.iter().map(|server| server.metadata()).collect();
        match self.tools.filter(&served) {
            Ok(Some(filter)) => calls = calls.with_tool_filter(filter),
            Ok(None) => {}
            Err(problems) => return Err(problems.join("\n")),
        }
        if let Some(seconds) = self.limits.call_timeout {
            calls = calls.with_timeout_cap(Duration::from_secs(seconds.get()));
        }
        if let Some(per_minute) = self.limits.rate_limit {
            calls = calls.with_layer(super::rate_limit::RateLimit::per_minute(per_minute));
        }
        let audience = Arc::new(std::mem::take(&mut self.audience));
        let console = match (self.console.take(), &self.public_url, stores.token_cipher()) {
            (Some(config), Some(public_url), Some(cipher)) if !stdio => {
                Some(Arc::new(Console::new(
                    config,
                    public_url,
                    cipher,
                    stores.clone(),
                    crate::console::Served {
                        servers: servers.iter().map(|server| server.metadata()).collect(),
                        calls: calls.clone(),
                        audience: audience.clone(),
                    },
                    flow.clone(),
                )))
            }
            _ => None,
        };
        for server in &servers {
            if let Some(error) = server.catalog().errors().first() {
                return Err(format!(
                    "cannot serve `{}`: {error}",
                    server.metadata().name
                ));
            }
        }
        let grace = self.limits.shutdown_grace();
        // Without a transport named, serve HTTP on loopback: the README's main command.
        let served = match (stdio, http.unwrap_or(DEFAULT_ADDR)) {
            (true, _) => {
                let [server] = servers.as_slice() else {
                    let names: Vec<&str> =
                        registry.iter().map(|entry| entry.metadata().name).collect();
                    return Err(format!(
                        "stdio serves one server; choose one with `--server`: {}",
                        names.join(", ")
                    ));
                };
                let mut handler = McpHandler::new(server.clone()).with_options(calls);
                if let Some(codec) = self.request_state {
                    handler = handler.with_request_state(codec);
                }
                runtime.block_on(async {
                    // On a signal the session goes on serving through the grace period, so the
                    // calls running can still answer.
                    let mut serving = tokio::spawn(serve_stdio(handler));
                    let served = tokio::select! {
                        served = &mut serving => match served {
                            Ok(served) => served.map_err(|error| super::chain(&error)),
                            Err(error) => Err(format!("the stdio session failed: {error}")),
                        },
                        () = stop_signal() => Ok(()),
                    };
                    settle(&running, grace).await;
                    served
                })
            }
            (false, addr) => {
                // Calls carry platform tokens and run tools for whoever connects: without client
                // authentication only this machine may connect.
                if !addr.ip().is_loopback() && self.auth.is_none() {
                    return Err(format!(
                        "refusing to serve on {addr} without client authentication: only \
                         loopback addresses are served unprotected; use 127.0.0.1, or \
                         authenticate clients with `[auth]` in a configuration file (`serve \
                         --config FILE`)"
                    ));
                }
                let paths: Vec<String> = match servers.as_slice() {
                    [_] => vec!["/mcp".to_owned()],
                    many => many
                        .iter()
                        .map(|server| format!("/servers/{}/mcp", server.metadata().name))
                        .collect(),
                };
                let mut config = HttpConfig {
                    audience,
                    calls,
                    limits: self.limits.http(),
                    request_state: self.request_state,
                    ..HttpConfig::default()
                };
                if let Some(flow) = flow {
                    config.connect = Some(flow.clone());
                    config.routes = flow.routes();
                }
                if let Some(console) = console {
                    config.routes = config.routes.merge(console.routes());
                }
                if let Some(auth) = self.auth {
                    // Clients reach the host by its public name too.
                    if let Some(host) = auth.public_url.host_str() {
                        config.allowed_hosts.push(host.to_owned());
                    }
                    config
                        .allowed_origins
                        .push(auth.public_url.origin().ascii_serialization());
                    config.protected = Some(crate::auth::protect(auth, &paths));
                }
                let shutdown = config.shutdown.clone();
                runtime.block_on(async {
                    let listener = tokio::net::TcpListener::bind(addr)
                        .await
                        .map_err(|error| format!("cannot listen on {addr}: {error}"))?;
                    // The bound address (the port, when 0 was asked for) is what clients need.
                    let addr = listener.local_addr().map_err(|error| error.to_string())?;
                    let urls: Vec<String> = paths
                        .iter()
                        .map(|path| format!("http://{addr}{path}"))
                        .collect();
                    eprintln!("serving MCP on {}", urls.join(" "));
                    tokio::spawn(async move {
                        stop_signal().await;
                        shutdown.cancel();
                    });
                    // Returns once the calls running at the signal had the grace period.
                    serve_http(listener, &servers, config)
                        .await
                        .map_err(|error| super::chain(&error))
                })
            }
        };
        // The audit log gets what was recorded (a moment at most); whatever still runs (a
        // blocking statement) is not waited for: its work is stopped as its task is dropped.
        runtime.block_on(async {
            let _ = tokio::time::timeout(Duration::from_secs(2), stores.flush()).await;
        });
        runtime.shutdown_timeout(Duration::from_millis(500));
        served?;
        Ok(ExitCode::SUCCESS)
    }
}

/// Gives the calls running the grace period, then names those abandoned.
async fn settle(running: &RunningCalls, grace: Duration) {
    let abandoned = running.settle(grace).await;
    if !abandoned.is_empty() {
        let calls: Vec<String> = abandoned.iter().map(ToString::to_string).collect();
        tracing::warn!(
            "stopping {} call(s) still running after the {} s grace period: {}",
            calls.len(),
            grace.as_secs(),
            calls.join(", ")
        );
    }
}
