//! MCP over stdio: newline-delimited JSON-RPC on stdin and stdout; logs belong on stderr.
//!
//! rmcp drops a line that is not JSON without a word, so a filter stands in front of it: lines
//! that do not parse, or are longer than [`MAX_LINE_BYTES`], get a JSON-RPC error (`-32700`
//! parse error, `-32600` for an oversized request) and never reach rmcp; everything else passes
//! through. One writer task owns stdout, so error lines never interleave with rmcp's output.

use rmcp::ServiceExt as _;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

use super::{McpHandler, ServeError};
use crate::DynServer;

/// The longest request line accepted (16 MiB); longer ones get an error and are skipped.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// How much the in-process pipes between the filter, rmcp and stdout buffer.
const PIPE_BYTES: usize = 64 * 1024;

/// Serves `server` on stdin and stdout until the client closes stdin.
pub async fn serve_stdio(server: &'static dyn DynServer) -> Result<(), ServeError> {
    serve_lines(server, tokio::io::stdin(), tokio::io::stdout()).await
}

/// Serves `server` on any line-based byte streams (stdio, or pipes in tests).
pub async fn serve_lines(
    server: &'static dyn DynServer,
    input: impl AsyncRead + Unpin + Send + 'static,
    output: impl AsyncWrite + Unpin + Send + 'static,
) -> Result<(), ServeError> {
    let (to_rmcp, rmcp_input) = tokio::io::duplex(PIPE_BYTES);
    let (rmcp_output, from_rmcp) = tokio::io::duplex(PIPE_BYTES);
    let (errors, error_lines) = mpsc::unbounded_channel();
    let filter = tokio::spawn(filter_input(input, to_rmcp, errors));
    let writer = tokio::spawn(write_output(from_rmcp, error_lines, output));

    let running = McpHandler::new(server)
        .serve((rmcp_input, rmcp_output))
        .await
        .map_err(|error| ServeError::Transport(error.to_string()))?;
    let outcome = running.waiting().await;
    filter.abort();
    let _ = writer.await;
    outcome.map_err(|error| ServeError::Transport(error.to_string()))?;
    Ok(())
}

/// Passes well-formed lines to rmcp and turns the others into error responses.
async fn filter_input(
    input: impl AsyncRead + Unpin,
    mut to_rmcp: tokio::io::DuplexStream,
    errors: mpsc::UnboundedSender<String>,
) -> std::io::Result<()> {
    let mut input = BufReader::new(input);
    let mut line = Vec::new();
    loop {
        line.clear();
        // Read at most one byte past the limit, so an endless line cannot exhaust memory.
        let read = (&mut input)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut line)
            .await?;
        if read == 0 {
            return to_rmcp.shutdown().await;
        }
        if line.len() > MAX_LINE_BYTES && line.last() != Some(&b'\n') {
            skip_rest_of_line(&mut input).await?;
            let _ = errors.send(error_line(
                -32600,
                "request too large: a line may hold at most 16 MiB",
            ));
            continue;
        }
        let text = line.trim_ascii();
        if text.is_empty() {
            continue;
        }
        match serde_json::from_slice::<Value>(text) {
            Ok(Value::Object(_) | Value::Array(_)) => {
                to_rmcp.write_all(text).await?;
                to_rmcp.write_all(b"\n").await?;
            }
            Ok(_) | Err(_) => {
                let _ = errors.send(error_line(
                    -32700,
                    "parse error: each line must be one JSON-RPC message",
                ));
            }
        }
    }
}

async fn skip_rest_of_line(input: &mut (impl AsyncBufReadExt + Unpin)) -> std::io::Result<()> {
    loop {
        let buffer = input.fill_buf().await?;
        if buffer.is_empty() {
            return Ok(());
        }
        match buffer.iter().position(|&byte| byte == b'\n') {
            Some(end) => {
                input.consume(end + 1);
                return Ok(());
            }
            None => {
                let len = buffer.len();
                input.consume(len);
            }
        }
    }
}

/// A JSON-RPC error response without an id (the request's id could not be read).
fn error_line(code: i64, message: &str) -> String {
    let response =
        json!({ "jsonrpc": "2.0", "id": null, "error": { "code": code, "message": message } });
    format!("{response}\n")
}

/// The only writer of the output: rmcp's lines and the filter's error lines, whole lines each.
async fn write_output(
    from_rmcp: tokio::io::DuplexStream,
    mut error_lines: mpsc::UnboundedReceiver<String>,
    mut output: impl AsyncWrite + Unpin,
) -> std::io::Result<()> {
    let mut from_rmcp = BufReader::new(from_rmcp);
    let mut line = Vec::new();
    let mut errors_open = true;
    loop {
        line.clear();
        tokio::select! {
            read = from_rmcp.read_until(b'\n', &mut line) => {
                if read? == 0 {
                    break;
                }
                output.write_all(&line).await?;
            }
            error = error_lines.recv(), if errors_open => match error {
                Some(error) => output.write_all(error.as_bytes()).await?,
                None => errors_open = false,
            },
        }
        output.flush().await?;
    }
    output.flush().await
}
