//! Serves the test servers (`jira`, `echo`) over MCP, for the tests with real clients:
//! `test-servers --stdio NAME` or `test-servers --http` (each at `/servers/{name}/mcp`; the
//! bound address is printed on stderr).

use mcp_runtime::serve::{HttpConfig, serve_http, serve_stdio};
use mcp_runtime::{DynServer, Registry};
use tests::registry::SERVERS;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(tracing_subscriber::EnvFilter::new("info"))
        .init();
    let registry: &'static Registry = &SERVERS;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["--stdio", name] => {
            let server = registry.require(name).expect("a test server").server();
            serve_stdio(server).await
        }
        ["--http"] => {
            let servers: Vec<&'static dyn DynServer> =
                registry.iter().map(|entry| entry.server()).collect();
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("loopback");
            eprintln!(
                "serving MCP on http://{}",
                listener.local_addr().expect("bound")
            );
            serve_http(listener, &servers, HttpConfig::default()).await
        }
        _ => {
            eprintln!("usage: test-servers --stdio NAME | --http");
            std::process::exit(2);
        }
    };
    if let Err(error) = result {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
