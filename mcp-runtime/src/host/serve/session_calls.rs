//! 2025-11-25 session calls answered by this transport rather than rmcp's session layer.
//!
//! rmcp hands each request of a session to the session's worker, which opens an SSE stream for
//! it (a priming event, then the answer, each its own write): that costs the server more than
//! most calls, and the client more still. Here a well-formed `tools/call` of a session whose
//! handler has registered starts in the request's own future and moves to a task of its own
//! once its response becomes a stream or its client hangs up (as with rmcp, hanging up does not
//! cancel a call; `notifications/cancelled` does). It is answered in the POST's own response:
//! - with one JSON body when the call sends nothing before its result, which is most calls;
//! - as an SSE stream, begun with the call's first notification or question when it sends one,
//!   or after a second when it runs longer (so that the client sees its response begin). Its
//!   log messages go there too; rmcp sends them on the session's `GET` stream, which many
//!   clients never open.
//!
//! A question to the client (an approval, or a tool's elicitation, sampling or roots) goes out
//! on that stream under an id of this layer's own, and the client's answer, which comes as a
//! POST of its own, is taken here and never reaches rmcp.
//!
//! Sampling and logging are deprecated by 2026-07-28 but part of 2025-11-25; rmcp marks them
//! deprecated, hence the `allow`.
#![allow(deprecated)]

use std::collections::HashMap;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rmcp::model::{
    ClientCapabilities, CreateMessageRequestParams, CreateMessageResult, ElicitRequestParams,
    ElicitResult, ListRootsResult, ProgressToken, RequestId,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use super::McpHandler;
use super::call_request::{CallRequest, legacy_answer};
use super::client::{decode, encode};
use super::direct::json_response;
use super::handler::{user_of, with_caller};
use super::notify::{log_param, progress_param};
use crate::host::{ClientRequests, Notifier, lock};
use crate::{BoxFuture, LogLevel, McpError, ToolContext};

/// The prefix of the ids this layer gives its questions, so that the client's answers can be
/// told from answers to rmcp's.
const QUESTION_ID_PREFIX: &str = "mcp-runtime-question-";

/// How long a call may run before its response begins as a stream rather than waiting to be
/// one JSON body.
const STREAM_AFTER: Duration = Duration::from_secs(1);

/// The longest a call's stream stays silent: then it carries a comment.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// A registered session: what its direct calls need of it.
pub(super) struct SessionCalls {
    /// The session's own handler (its log level).
    handler: McpHandler,
    /// What the client declared when it initialized.
    capabilities: Option<ClientCapabilities>,
    /// Questions waiting for the client's answer, by id.
    questions: Mutex<HashMap<String, oneshot::Sender<AnswerToQuestion>>>,
    next_question: AtomicU64,
    /// The direct calls running, by request id (as JSON text), for `notifications/cancelled`.
    running: Mutex<HashMap<Box<str>, CancellationToken>>,
}

/// The client's answer to a question: its result, or its error.
type AnswerToQuestion = Result<Value, Value>;

/// What a direct call sends on its response, in order.
enum Outgoing {
    /// A notification or question, serialized.
    Message(Vec<u8>),
    /// The answer, serialized; nothing follows it.
    Answer(Vec<u8>),
}

impl SessionCalls {
    pub(super) fn new(handler: McpHandler, capabilities: Option<ClientCapabilities>) -> Self {
        SessionCalls {
            handler,
            capabilities,
            questions: Mutex::default(),
            next_question: AtomicU64::new(0),
            running: Mutex::default(),
        }
    }

    /// Runs `call`, made by the HTTP request `parts`, and answers it. `shutdown` cancels it
    /// when the server stops.
    pub(super) async fn answer(
        self: &Arc<Self>,
        parts: Parts,
        call: CallRequest,
        shutdown: &CancellationToken,
    ) -> Response {
        let (sender, mut outgoing) = mpsc::unbounded_channel();
        let cancellation = shutdown.child_token();
        let key = id_text(&call.id);
        lock(&self.running).insert(key.clone(), cancellation.clone());
        let this = Arc::clone(self);
        let fut = async move {
            let progress_token = call
                .params
                .meta
                .as_ref()
                .and_then(|meta| meta.get_progress_token());
            let notifier = Arc::new(StreamNotifier {
                sender: sender.clone(),
                progress_token,
                min_level: Arc::clone(this.handler.log_level()),
            });
            let client = Arc::new(StreamClient {
                calls: Arc::clone(&this),
                sender: sender.clone(),
            });
            let ctx = with_caller(
                ToolContext::new().with_cancellation(cancellation.clone()),
                Some(&parts),
            )
            .with_notifier(notifier);
            let answer = this
                .handler
                .call_with_client(
                    call.params,
                    ctx,
                    client,
                    this.capabilities.as_ref(),
                    user_of(Some(&parts)),
                )
                .await;
            lock(&this.running).remove(&key);
            // A cancelled call goes unanswered, as rmcp leaves its.
            if !cancellation.is_cancelled() {
                let _ = sender.send(Outgoing::Answer(legacy_answer(answer, call.id)));
            }
        };
        // The call starts in the request's own future, which answers most calls without a
        // task of their own. A call still running when the response becomes a stream gets a
        // task, as rmcp runs its calls; and if the client hangs up first, the call moves to one
        // rather than stopping (see `Detached`).
        let mut call = Detached(Some(Box::pin(fut)));
        let running = call.0.as_mut().expect("the call is here");
        let first = tokio::select! {
            biased;
            () = running => {
                call.0 = None;
                // The call ended: its answer, unless it was cancelled, is waiting.
                match outgoing.try_recv() {
                    Ok(Outgoing::Answer(body)) => return json_response(StatusCode::OK, body),
                    Ok(message) => Some(message),
                    Err(_) => None,
                }
            }
            first = outgoing.recv() => first,
            // A call still running after a moment is answered on a stream begun now, so that
            // the client (and any proxy between) sees its response start.
            () = tokio::time::sleep(STREAM_AFTER) => None,
        };
        call.detach();
        event_stream(first, outgoing)
    }

    /// Takes the client's answer to one of this layer's questions (a JSON-RPC response or
    /// error); `false` if `message` answers none of them.
    pub(super) fn take_answer(&self, message: &Value) -> bool {
        let Some(id) = message["id"]
            .as_str()
            .filter(|id| id.starts_with(QUESTION_ID_PREFIX))
        else {
            return false;
        };
        let answer = match (message.get("result"), message.get("error")) {
            (Some(result), None) => Ok(result.clone()),
            (None, Some(error)) => Err(error.clone()),
            _ => return false,
        };
        match lock(&self.questions).remove(id) {
            Some(waiting) => {
                let _ = waiting.send(answer);
                true
            }
            None => false,
        }
    }

    /// The client cancelled request `request_id` (JSON text): a direct call by that id stops.
    pub(super) fn cancel(&self, request_id: &str) {
        if let Some(cancellation) = lock(&self.running).remove(request_id) {
            cancellation.cancel();
        }
    }

    /// The session ended: its direct calls stop.
    pub(super) fn end(&self) {
        for (_, cancellation) in lock(&self.running).drain() {
            cancellation.cancel();
        }
    }

    /// Puts `method` with `params` to the client on `sender` and waits for its answer.
    async fn ask(
        &self,
        sender: &mpsc::UnboundedSender<Outgoing>,
        method: &str,
        params: Value,
    ) -> Result<Value, McpError> {
        let number = self.next_question.fetch_add(1, Ordering::Relaxed);
        let id = format!("{QUESTION_ID_PREFIX}{number}");
        let (answered, answer) = oneshot::channel();
        lock(&self.questions).insert(id.clone(), answered);
        // Asked or given up, the question is not kept.
        let _forget = Forget {
            questions: &self.questions,
            id: &id,
        };
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        let gone = || McpError::new(format!("the client did not answer `{method}`: it is gone"));
        sender
            .send(Outgoing::Message(message.to_string().into_bytes()))
            .map_err(|_| gone())?;
        match answer.await.map_err(|_| gone())? {
            Ok(result) => Ok(result),
            Err(error) => Err(McpError::new(format!(
                "the client did not answer `{method}`: {}",
                error["message"]
                    .as_str()
                    .unwrap_or("it answered with an error")
            ))),
        }
    }
}

/// A call begun in its request's future. Dropped before it ends (its response became a stream,
/// or the client hung up), it goes on in a task of its own.
struct Detached(Option<Pin<Box<dyn Future<Output = ()> + Send>>>);

impl Detached {
    /// Moves the call, if it is still running, to a task of its own.
    fn detach(&mut self) {
        // Without a runtime (it is shutting down), there is nothing to run the call on.
        if let Some(call) = self.0.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(call);
        }
    }
}

impl Drop for Detached {
    fn drop(&mut self) {
        self.detach();
    }
}

/// Removes a question when its asker stops waiting.
struct Forget<'a> {
    questions: &'a Mutex<HashMap<String, oneshot::Sender<AnswerToQuestion>>>,
    id: &'a str,
}

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        lock(self.questions).remove(self.id);
    }
}

/// A request id as JSON text, so that `1` and `"1"` differ.
fn id_text(id: &RequestId) -> Box<str> {
    serde_json::to_string(id)
        .unwrap_or_default()
        .into_boxed_str()
}

/// The SSE response carrying `first` and what follows it, up to and with the answer; a
/// comment keeps it alive through silences.
fn event_stream(first: Option<Outgoing>, outgoing: mpsc::UnboundedReceiver<Outgoing>) -> Response {
    let events = futures_util::stream::unfold(
        (first, outgoing, false),
        |(next, mut outgoing, done)| async move {
            if done {
                return None;
            }
            let next = match next {
                Some(next) => next,
                None => match tokio::time::timeout(KEEP_ALIVE, outgoing.recv()).await {
                    Ok(next) => next?,
                    Err(_) => {
                        let comment = Bytes::from_static(b":\n\n");
                        return Some((Ok(comment), (None, outgoing, false)));
                    }
                },
            };
            let (data, done) = match next {
                Outgoing::Message(data) => (data, false),
                Outgoing::Answer(data) => (data, true),
            };
            let mut event = Vec::with_capacity(data.len() + 8);
            event.extend_from_slice(b"data: ");
            event.extend_from_slice(&data);
            event.extend_from_slice(b"\n\n");
            Some((
                Ok::<_, Infallible>(Bytes::from(event)),
                (None, outgoing, done),
            ))
        },
    );
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(events),
    )
        .into_response()
}

/// Progress and log messages of a direct call, on its response.
struct StreamNotifier {
    sender: mpsc::UnboundedSender<Outgoing>,
    progress_token: Option<ProgressToken>,
    /// The session's `logging/setLevel`.
    min_level: Arc<AtomicU8>,
}

impl StreamNotifier {
    fn send(&self, method: &str, params: impl Serialize) {
        let message = json!({"jsonrpc": "2.0", "method": method, "params": params});
        let _ = self
            .sender
            .send(Outgoing::Message(message.to_string().into_bytes()));
    }
}

impl Notifier for StreamNotifier {
    fn progress(&self, progress: f64, total: Option<f64>, message: Option<&str>) {
        if let Some(param) = progress_param(self.progress_token.as_ref(), progress, total, message)
        {
            self.send("notifications/progress", param);
        }
    }

    fn log(&self, level: LogLevel, message: &str) {
        if let Some(param) = log_param(&self.min_level, level, message) {
            self.send("notifications/message", param);
        }
    }
}

/// A direct call's questions to the client, on its response.
struct StreamClient {
    calls: Arc<SessionCalls>,
    sender: mpsc::UnboundedSender<Outgoing>,
}

/// `params` read as `P` and written back, so that what goes out is what rmcp would send.
fn checked<P: DeserializeOwned + Serialize>(
    method: &str,
    params: Value,
) -> Result<Value, McpError> {
    encode(decode::<P>(method, params)?)
}

/// The client's `result`, as the type rmcp reads it as.
fn read<R: DeserializeOwned + Serialize>(method: &str, result: Value) -> Result<Value, McpError> {
    let result: R = serde_json::from_value(result)
        .map_err(|error| McpError::new(format!("the client did not answer `{method}`: {error}")))?;
    encode(result)
}

impl ClientRequests for StreamClient {
    fn request<'a>(
        &'a self,
        // A session sends every request as it comes: there is nothing to name.
        _key: Option<&'a str>,
        method: &'a str,
        params: Value,
    ) -> BoxFuture<'a, Result<Value, McpError>> {
        Box::pin(async move {
            match method {
                "sampling/createMessage" => {
                    let params = checked::<CreateMessageRequestParams>(method, params)?;
                    let result = self.calls.ask(&self.sender, method, params).await?;
                    read::<CreateMessageResult>(method, result)
                }
                "elicitation/create" => {
                    let params = checked::<ElicitRequestParams>(method, params)?;
                    let result = self.calls.ask(&self.sender, method, params).await?;
                    read::<ElicitResult>(method, result)
                }
                "roots/list" => {
                    let result = self.calls.ask(&self.sender, method, json!({})).await?;
                    read::<ListRootsResult>(method, result)
                }
                other => Err(McpError::new(format!(
                    "requests of `{other}` to the client are not supported"
                ))),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_given_up_is_not_kept() {
        let questions = Mutex::new(HashMap::from([(
            "mcp-runtime-question-0".to_owned(),
            oneshot::channel().0,
        )]));
        drop(Forget {
            questions: &questions,
            id: "mcp-runtime-question-0",
        });
        assert!(lock(&questions).is_empty());
    }
}
