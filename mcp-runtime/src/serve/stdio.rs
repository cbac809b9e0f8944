//! MCP over stdio: newline-delimited JSON-RPC on stdin and stdout; logs belong on stderr.

use rmcp::ServiceExt as _;

use super::{McpHandler, ServeError};
use crate::DynServer;

/// Serves `server` on stdin and stdout until the client closes stdin.
pub async fn serve_stdio(server: &'static dyn DynServer) -> Result<(), ServeError> {
    let running = McpHandler::new(server)
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|error| ServeError::Transport(error.to_string()))?;
    running
        .waiting()
        .await
        .map_err(|error| ServeError::Transport(error.to_string()))?;
    Ok(())
}
