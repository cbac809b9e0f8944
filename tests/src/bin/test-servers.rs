//! Serves the test servers (`jira`, `echo`, and `desk` with one tool per stake) over MCP, for
//! the tests with real clients: `test-servers --stdio NAME` or `test-servers --http` (each at
//! `/servers/{name}/mcp`; the bound address is printed on stderr). Stakes are enforced by an
//! approval gate with an in-memory store. `--http --protected` requires bearer tokens: `good`
//! speaks for the user `ana`, anything else is refused.

use std::sync::Arc;

use mcp_runtime::approval::{ApprovalGate, MemoryStore};
use mcp_runtime::serve::{
    HttpConfig, InvalidToken, McpHandler, Principal, ProtectedResource, TokenValidator, serve_http,
    serve_stdio,
};
use mcp_runtime::{BoxFuture, DynServer, Registry, ServerEntry};
use tests::desk::Desk;
use tests::registry::SERVERS;

static DESK: ServerEntry = ServerEntry::of::<Desk>();

/// Accepts the token `good`, for the user `ana`.
struct OneToken;

impl TokenValidator for OneToken {
    fn validate<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<Principal, InvalidToken>> {
        Box::pin(async move {
            match token {
                "good" => Ok(Principal {
                    user_id: "ana".to_owned(),
                    scopes: vec!["mcp".to_owned()],
                }),
                _ => Err(InvalidToken("the token is not known".to_owned())),
            }
        })
    }
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(tracing_subscriber::EnvFilter::new("info"))
        .init();
    let registry: &'static Registry = &SERVERS;
    let mut servers: Vec<&'static dyn DynServer> =
        registry.iter().map(|entry| entry.server()).collect();
    servers.push(DESK.server());
    let gate = Arc::new(ApprovalGate::new(MemoryStore::default()));
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["--stdio", name] => {
            let server = *servers
                .iter()
                .find(|server| server.metadata().name == *name)
                .expect("a test server");
            serve_stdio(McpHandler::new(server).with_gate(gate)).await
        }
        ["--http", flags @ ..] => {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("loopback");
            let base = format!("http://{}", listener.local_addr().expect("bound"));
            eprintln!("serving MCP on {base}");
            let config = HttpConfig {
                gate: Some(gate),
                protected: (flags == ["--protected"]).then(|| ProtectedResource {
                    resource: base,
                    authorization_servers: vec!["https://auth.example.com".to_owned()],
                    scopes_supported: vec!["mcp".to_owned()],
                    validator: Arc::new(OneToken),
                }),
                ..HttpConfig::default()
            };
            serve_http(listener, &servers, config).await
        }
        _ => {
            eprintln!("usage: test-servers --stdio NAME | --http [--protected]");
            std::process::exit(2);
        }
    };
    if let Err(error) = result {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
