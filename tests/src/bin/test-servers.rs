//! Serves the test servers (`jira`, `echo`, and `desk` with one tool per stake) over MCP, for
//! the tests with real clients: `test-servers --stdio NAME` or `test-servers --http` (each at
//! `/servers/{name}/mcp`; the bound address is printed on stderr). Stakes are enforced by an
//! approval gate with an in-memory store. `--http --protected` requires bearer tokens: `good`
//! speaks for the user `ana`, anything else is refused; `--http --max-sessions N` caps sessions.

use std::sync::Arc;

use mcp_runtime::host::approval::{ApprovalGate, MemoryStore};
use mcp_runtime::host::serve::{
    HttpConfig, HttpLimits, McpHandler, ProtectedResource, RequiredScopes, serve_http, serve_stdio,
};
use mcp_runtime::host::{CallOptions, Registry, ServerEntry, Settings, SharedServer};
use tests::desk::Desk;
use tests::registry::SERVERS;
use tests::tokens::OneToken;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(tracing_subscriber::EnvFilter::new("info"))
        .init();
    let registry: &'static Registry = &SERVERS;
    let settings = |entry: &ServerEntry| match entry.metadata().name {
        "greeter" => Settings::new().with("greeting", "Hello"),
        _ => Settings::new(),
    };
    let mut servers: Vec<SharedServer> = registry.build(settings).expect("valid settings").to_vec();
    servers.push(SharedServer::new(Desk));
    let gate = Arc::new(ApprovalGate::new(MemoryStore::default()));
    let calls = CallOptions::new().with_gate(gate);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["--stdio", name] => {
            let server = servers
                .iter()
                .find(|server| server.metadata().name == *name)
                .expect("a test server");
            serve_stdio(McpHandler::new(server.clone()).with_options(calls)).await
        }
        ["--http", flags @ ..] => {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("loopback");
            let base = format!("http://{}", listener.local_addr().expect("bound"));
            eprintln!("serving MCP on {base}");
            let mut limits = HttpLimits::default();
            if let ["--max-sessions", cap] = flags {
                limits.max_sessions = cap.parse().expect("a number of sessions");
            }
            let config = HttpConfig {
                calls,
                limits,
                protected: (flags == ["--protected"]).then(|| ProtectedResource {
                    resource: base,
                    authorization_servers: vec!["https://auth.example.com".to_owned()],
                    scopes_supported: vec!["mcp".to_owned()],
                    validator: Arc::new(OneToken),
                    required_scopes: RequiredScopes::new(),
                }),
                ..HttpConfig::default()
            };
            serve_http(listener, &servers, config).await
        }
        _ => {
            eprintln!("usage: test-servers --stdio NAME | --http [--protected | --max-sessions N]");
            std::process::exit(2);
        }
    };
    if let Err(error) = result {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
