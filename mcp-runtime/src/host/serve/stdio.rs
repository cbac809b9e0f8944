//! MCP over stdio: newline-delimited JSON-RPC on stdin and stdout; logs belong on stderr.
//!
//! The line transport is ours, not rmcp's, because rmcp drops a line that is not a message
//! without a word: here a line that is not JSON gets a `-32700` parse error, one that is JSON
//! but not a JSON-RPC message a `-32600`, and a line over [`MAX_LINE_BYTES`] a `-32600` (it is
//! skipped without being buffered whole). The server goes on after each. Messages are parsed
//! once, straight into rmcp's types, and written by whoever holds the output lock, whole lines
//! each.

use std::io;
use std::sync::Arc;

use rmcp::RoleServer;
use rmcp::ServiceExt as _;
use rmcp::service::{RxJsonRpcMessage, TxJsonRpcMessage};
use rmcp::transport::Transport;
use serde::de::IgnoredAny;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::Mutex;

use super::{McpHandler, ServeError};

/// The longest request line accepted (16 MiB); longer ones get an error and are skipped.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// Serves `handler` (e.g. `McpHandler::new(server)`) on stdin and stdout until the client
/// closes stdin.
///
/// When both are pipes (as MCP hosts launch servers) they are driven by tokio's non-blocking
/// pipe reactor (rmcp's `stdio_pipes`), not a blocking thread hand-off per read and write.
pub async fn serve_stdio(handler: McpHandler) -> Result<(), ServeError> {
    let (input, output) = rmcp::transport::stdio_pipes();
    serve_lines(handler, input, output).await
}

/// Serves `handler` on any line-based byte streams (stdio, or pipes in tests).
pub async fn serve_lines(
    handler: McpHandler,
    input: impl AsyncRead + Unpin + Send + 'static,
    output: impl AsyncWrite + Unpin + Send + 'static,
) -> Result<(), ServeError> {
    let transport = LineTransport {
        input: BufReader::new(input),
        output: Arc::new(Mutex::new(output)),
        line: Vec::new(),
    };
    let running = match handler.serve(transport).await {
        Ok(running) => running,
        // A client that leaves before initializing ends the session; it is not a failure.
        Err(rmcp::service::ServerInitializeError::ConnectionClosed(_)) => return Ok(()),
        Err(error) => return Err(ServeError::Session(error.into())),
    };
    running
        .waiting()
        .await
        .map_err(|error| ServeError::Session(error.into()))?;
    Ok(())
}

/// Newline-delimited JSON-RPC over a pair of byte streams.
struct LineTransport<R, W> {
    input: BufReader<R>,
    output: Arc<Mutex<W>>,
    line: Vec<u8>,
}

/// What one input line turned out to be.
enum Line {
    Message(Box<RxJsonRpcMessage<RoleServer>>),
    /// A request answered here, with this error.
    Answered(serde_json::Value),
    Blank,
    Invalid {
        code: i64,
        message: &'static str,
    },
    End,
}

impl<R: AsyncRead + Unpin + Send, W: AsyncWrite + Unpin + Send + 'static> LineTransport<R, W> {
    async fn read_line(&mut self) -> io::Result<Line> {
        self.line.clear();
        // Read at most one byte past the limit, so an endless line cannot exhaust memory.
        let read = (&mut self.input)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut self.line)
            .await?;
        if read == 0 {
            return Ok(Line::End);
        }
        if self.line.len() > MAX_LINE_BYTES && self.line.last() != Some(&b'\n') {
            skip_rest_of_line(&mut self.input).await?;
            return Ok(Line::Invalid {
                code: -32600,
                message: "request too large: a line may hold at most 16 MiB",
            });
        }
        let text = self.line.trim_ascii();
        if text.is_empty() {
            return Ok(Line::Blank);
        }
        Ok(match serde_json::from_slice(text) {
            Ok(message) => match super::malformed::invalid_params(&message) {
                Some(error) => Line::Answered(error),
                None => Line::Message(Box::new(message)),
            },
            Err(_) if serde_json::from_slice::<IgnoredAny>(text).is_ok() => Line::Invalid {
                code: -32600,
                message: "invalid request: not a JSON-RPC 2.0 message",
            },
            Err(_) => Line::Invalid {
                code: -32700,
                message: "parse error: each line must be one JSON-RPC message",
            },
        })
    }
}

async fn write_line(output: &Mutex<impl AsyncWrite + Unpin>, line: &[u8]) -> io::Result<()> {
    let mut output = output.lock().await;
    output.write_all(line).await?;
    output.flush().await
}

async fn skip_rest_of_line(input: &mut (impl AsyncBufReadExt + Unpin)) -> io::Result<()> {
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

impl<R, W> Transport<RoleServer> for LineTransport<R, W>
where
    R: AsyncRead + Unpin + Send,
    W: AsyncWrite + Unpin + Send + 'static,
{
    type Error = io::Error;

    fn send(
        &mut self,
        item: TxJsonRpcMessage<RoleServer>,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send + 'static {
        let output = Arc::clone(&self.output);
        async move {
            let mut line = serde_json::to_vec(&item)?;
            line.push(b'\n');
            write_line(&output, &line).await
        }
    }

    async fn receive(&mut self) -> Option<RxJsonRpcMessage<RoleServer>> {
        loop {
            match self.read_line().await {
                Ok(Line::Message(message)) => return Some(*message),
                Ok(Line::Blank) => {}
                Ok(Line::Answered(error)) => {
                    let line = format!("{error}\n");
                    if write_line(&self.output, line.as_bytes()).await.is_err() {
                        return None;
                    }
                }
                Ok(Line::Invalid { code, message }) => {
                    // The request's id could not be read, so the error has none (JSON-RPC 2.0).
                    let error = json!({ "jsonrpc": "2.0", "id": null, "error": { "code": code, "message": message } });
                    let line = format!("{error}\n");
                    if write_line(&self.output, line.as_bytes()).await.is_err() {
                        return None;
                    }
                }
                Ok(Line::End) | Err(_) => return None,
            }
        }
    }

    async fn close(&mut self) -> Result<(), Self::Error> {
        self.output.lock().await.flush().await
    }
}
