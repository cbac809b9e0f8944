//! `mcp-providers serve`: the registry over MCP.

use std::net::SocketAddr;
use std::process::ExitCode;

use mcp_runtime::serve::{HttpConfig, serve_http, serve_stdio};
use mcp_runtime::{DynServer, Registry};

/// Where `serve` listens when no transport is named.
const DEFAULT_ADDR: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 8080);

pub(super) fn run(
    registry: &'static Registry,
    stdio: bool,
    http: Option<SocketAddr>,
    server: Option<&str>,
) -> Result<ExitCode, String> {
    // stdout carries the protocol on stdio: every log line goes to stderr.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let servers: Vec<&'static dyn DynServer> = match server {
        Some(name) => vec![
            registry
                .require(name)
                .map_err(|error| error.to_string())?
                .server(),
        ],
        None => registry.iter().map(|entry| entry.server()).collect(),
    };
    for server in &servers {
        if let Some(error) = server.catalog().errors().first() {
            return Err(format!(
                "cannot serve `{}`: {error}",
                server.metadata().name
            ));
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the runtime: {error}"))?;
    // Without a transport named, serve HTTP on loopback: the README's main command.
    match (stdio, http.unwrap_or(DEFAULT_ADDR)) {
        (true, _) => {
            let [server] = servers.as_slice() else {
                let names: Vec<&str> = registry.iter().map(|entry| entry.metadata().name).collect();
                return Err(format!(
                    "stdio serves one server; choose one with `--server`: {}",
                    names.join(", ")
                ));
            };
            runtime
                .block_on(serve_stdio(*server))
                .map_err(|error| error.to_string())?;
        }
        (false, addr) => {
            let config = HttpConfig::default();
            let shutdown = config.shutdown.clone();
            runtime.spawn(async move {
                let _ = tokio::signal::ctrl_c().await;
                shutdown.cancel();
            });
            let paths: Vec<String> = match servers.as_slice() {
                [_] => vec!["/mcp".to_owned()],
                many => many
                    .iter()
                    .map(|server| format!("/servers/{}/mcp", server.metadata().name))
                    .collect(),
            };
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
                serve_http(listener, &servers, config)
                    .await
                    .map_err(|error| error.to_string())
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
