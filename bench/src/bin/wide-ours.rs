//! The 50-tool server of `tests::wide`, written with our macros, served over stdio.

use mcp_runtime::serve::serve_stdio;
use mcp_runtime::{DynServer, Registry, mcp_registry};
use tests::wide::Wide;

mcp_registry!(SERVERS = [Wide]);

#[tokio::main]
async fn main() {
    let registry: &'static Registry = &SERVERS;
    let server: &'static dyn DynServer = registry.iter().next().expect("one server").server();
    if let Err(error) = serve_stdio(server).await {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
