//! The 50-tool server of `wide_server`, written with our macros, served over stdio, or with
//! `--http` on Streamable HTTP at `127.0.0.1:0/mcp`.

use mcp_runtime::host::SharedServer;
use mcp_runtime::host::serve::{HttpConfig, McpHandler, serve_http, serve_stdio};
use wide_server::Wide;

#[tokio::main]
async fn main() {
    let server = SharedServer::new(Wide);
    let served = if std::env::args().any(|arg| arg == "--http") {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("loopback");
        eprintln!(
            "serving MCP on http://{}/mcp",
            listener.local_addr().expect("bound")
        );
        serve_http(listener, &[server], HttpConfig::default()).await
    } else {
        serve_stdio(McpHandler::new(server)).await
    };
    if let Err(error) = served {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
