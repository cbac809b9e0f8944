//! MCP over stdio: newline-delimited JSON-RPC on stdin and stdout; logs belong on stderr.
//!
//! The line transport is ours, not rmcp's, because rmcp drops a line that is not a message
//! without a word: here a line that is not JSON gets a `-32700` parse error, one that is JSON
//! but not a JSON-RPC message a `-32600`, and a line over [`MAX_LINE_BYTES`] a `-32600` (it is
//! skipped without being buffered whole). A request whose id is already in flight, or one
//! past [`MAX_REQUESTS_IN_FLIGHT`], is refused at once. The server goes on after each. Messages
//! are parsed once, straight into rmcp's types, and written whole lines at a time by whoever
//! holds the output (see `line_writer`). Once the session is up, its tool calls and listings are answered by the
//! transport itself (see `line_calls`).

use std::collections::HashSet;
use std::io;
use std::sync::Arc;

use rmcp::RoleServer;
use rmcp::ServiceExt as _;
use rmcp::model::{ClientNotification, JsonRpcMessage, RequestId};
use rmcp::service::{RxJsonRpcMessage, TxJsonRpcMessage};
use rmcp::transport::Transport;
use serde::de::IgnoredAny;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, BufReader};

use super::call_request::CallRequest;
use super::line_calls::LineCalls;
use super::line_writer::LineWriter;
use super::{McpHandler, ServeError};
use crate::host::{RunningCalls, lock};

/// The longest request line accepted (16 MiB); longer ones get an error and are skipped.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// Requests the client may have in flight at once; past it, a request gets an error at once.
pub const MAX_REQUESTS_IN_FLIGHT: usize = 64;

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
    let output = Arc::new(LineWriter::new(output));
    let in_flight = Arc::default();
    let calls = Arc::new(LineCalls::new(
        handler.clone(),
        Arc::clone(&output),
        Arc::clone(&in_flight),
    ));
    let transport = LineTransport {
        input: BufReader::new(input),
        output: Arc::clone(&output),
        line: Vec::new(),
        skipping: false,
        in_flight,
        running: handler.options().running().cloned(),
        calls: Arc::clone(&calls),
    };
    let running = match handler.serve(transport).await {
        Ok(running) => running,
        // A client that leaves before initializing ends the session; it is not a failure.
        Err(rmcp::service::ServerInitializeError::ConnectionClosed(_)) => {
            output.flush().await;
            return Ok(());
        }
        Err(error) => return Err(ServeError::Session(error.into())),
    };
    calls.session_up(running.peer().clone());
    let ended = running.waiting().await;
    // The last answers may still be queued.
    output.flush().await;
    ended.map_err(|error| ServeError::Session(error.into()))?;
    Ok(())
}

/// Newline-delimited JSON-RPC over a pair of byte streams.
struct LineTransport<R, W> {
    input: BufReader<R>,
    output: Arc<LineWriter<W>>,
    /// The line being read: what has come of it so far.
    line: Vec<u8>,
    /// Whether the rest of a line over the limit is being skipped.
    skipping: bool,
    /// The ids of the client's requests not yet answered.
    in_flight: Arc<std::sync::Mutex<HashSet<RequestId>>>,
    /// The calls running, named when the client closes its input before they end.
    running: Option<Arc<RunningCalls>>,
    /// The calls and listings answered here.
    calls: Arc<LineCalls<W>>,
}

/// What one input line turned out to be.
enum Line {
    /// A call answered by the transport itself.
    Call(Box<CallRequest>),
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
    /// The next line the client sent, and what it is.
    ///
    /// Cancel-safe: rmcp drops this future whenever another branch of its loop wins, and the
    /// bytes of a line read so far stay in `self.line` (a line being skipped, in
    /// `self.skipping`) for the next call, which goes on where this one stopped.
    async fn read_line(&mut self) -> io::Result<Line> {
        if !self.skipping {
            // At most one byte past the limit, over all the reads of one line, so an endless
            // line cannot exhaust memory.
            let room = (MAX_LINE_BYTES + 1).saturating_sub(self.line.len());
            (&mut self.input)
                .take(room as u64)
                .read_until(b'\n', &mut self.line)
                .await?;
            if self.line.is_empty() {
                return Ok(Line::End);
            }
            if self.line.len() > MAX_LINE_BYTES && self.line.last() != Some(&b'\n') {
                self.line.clear();
                self.skipping = true;
            }
        }
        if self.skipping {
            // Reads and drops what it reads as it goes: cancelled, it resumes with the rest.
            skip_rest_of_line(&mut self.input).await?;
            self.skipping = false;
            return Ok(Line::Invalid {
                code: -32600,
                message: "request too large: a line may hold at most 16 MiB",
            });
        }
        let line = self.parse_line();
        self.line.clear();
        Ok(line)
    }

    /// What the complete line read is.
    fn parse_line(&self) -> Line {
        let text = self.line.trim_ascii();
        if text.is_empty() {
            return Line::Blank;
        }
        if let Some(call) = self.calls.read_call(text) {
            return Line::Call(Box::new(call));
        }
        match serde_json::from_slice(text) {
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
        }
    }
}

impl<R, W: AsyncWrite + Unpin + Send + 'static> LineTransport<R, W> {
    /// Notes a request in flight; or the error line refusing it, when another request with its
    /// id is in flight (the error has no id: the client would take it for the other's answer)
    /// or too many are.
    fn admit(&self, message: &RxJsonRpcMessage<RoleServer>) -> Option<String> {
        let id = match message {
            JsonRpcMessage::Request(request) => &request.id,
            // rmcp sends no answer to a cancelled request: its id is free again.
            JsonRpcMessage::Notification(notification) => {
                if let ClientNotification::CancelledNotification(cancelled) =
                    &notification.notification
                    && let Some(id) = &cancelled.params.request_id
                {
                    lock(&self.in_flight).remove(id);
                    self.calls.cancel(id);
                }
                return None;
            }
            _ => return None,
        };
        self.admit_request(id)
    }

    /// Notes request `id` in flight, or refuses it (see `admit`).
    fn admit_request(&self, id: &RequestId) -> Option<String> {
        let mut in_flight = lock(&self.in_flight);
        let (id, code, text) = if in_flight.contains(id) {
            (
                serde_json::Value::Null,
                -32600,
                format!(
                    "invalid request: a request with id {id} is already in flight; ids must be \
                     unique among requests in flight"
                ),
            )
        } else if in_flight.len() >= MAX_REQUESTS_IN_FLIGHT {
            (
                json!(id),
                -32000,
                format!(
                    "{MAX_REQUESTS_IN_FLIGHT} requests are in flight, the most there may be; send \
                     this one when one of them has been answered"
                ),
            )
        } else {
            in_flight.insert(id.clone());
            return None;
        };
        let error = json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": text}});
        Some(format!("{error}\n"))
    }

    fn warn_of_running_calls(&self) {
        let Some(running) = &self.running else { return };
        let calls: Vec<String> = running.snapshot().iter().map(ToString::to_string).collect();
        if !calls.is_empty() {
            // rmcp gives them 5 s to answer, then cancels them.
            tracing::warn!(
                "the client closed its input with {} call(s) running; they are cancelled unless \
                 they end within 5 s: {}",
                calls.len(),
                calls.join(", ")
            );
        }
    }
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
        let answered = match &item {
            JsonRpcMessage::Response(response) => Some(&response.id),
            JsonRpcMessage::Error(error) => error.id.as_ref(),
            _ => None,
        };
        if let Some(id) = answered {
            lock(&self.in_flight).remove(id);
        }
        async move {
            let mut line = Vec::with_capacity(super::call_request::ANSWER_CAPACITY);
            serde_json::to_writer(&mut line, &item)?;
            line.push(b'\n');
            output.write(line).await
        }
    }

    async fn receive(&mut self) -> Option<RxJsonRpcMessage<RoleServer>> {
        loop {
            match self.read_line().await {
                Ok(Line::Call(call)) => match self.admit_request(&call.id) {
                    None => {
                        let progress_token = call
                            .params
                            .meta
                            .as_ref()
                            .and_then(|meta| meta.get_progress_token());
                        self.calls.call(call.id, call.params, progress_token);
                    }
                    Some(refusal) => {
                        if self.output.write(refusal.into_bytes()).await.is_err() {
                            return None;
                        }
                    }
                },
                Ok(Line::Message(message)) => match self.admit(&message) {
                    None => match self.calls.take(*message).await {
                        Ok(()) => {}
                        Err(message) => return Some(message),
                    },
                    Some(refusal) => {
                        if self.output.write(refusal.into_bytes()).await.is_err() {
                            return None;
                        }
                    }
                },
                Ok(Line::Blank) => {}
                Ok(Line::Answered(error)) => {
                    let line = format!("{error}\n");
                    if self.output.write(line.into_bytes()).await.is_err() {
                        return None;
                    }
                }
                Ok(Line::Invalid { code, message }) => {
                    // The request's id could not be read, so the error has none (JSON-RPC 2.0).
                    let error = json!({ "jsonrpc": "2.0", "id": null, "error": { "code": code, "message": message } });
                    let line = format!("{error}\n");
                    if self.output.write(line.into_bytes()).await.is_err() {
                        return None;
                    }
                }
                Ok(Line::End) | Err(_) => {
                    self.warn_of_running_calls();
                    self.calls.settle().await;
                    return None;
                }
            }
        }
    }

    async fn close(&mut self) -> Result<(), Self::Error> {
        // Nothing is buffered: every line is flushed as it is written.
        Ok(())
    }
}
