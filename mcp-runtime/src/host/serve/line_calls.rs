//! `tools/call` and `tools/list` answered by the line transport itself, once the session is up.
//!
//! rmcp hands each request from its transport to its serve loop, which spawns the handler and
//! sends the answer back to the transport through channels: on stdio, most of what a call
//! costs. A 2025-11-25 session's calls and listings are answered here instead. The call is
//! spawned straight from the line read; it runs with the session's peer, so that its questions
//! to the client and its notifications still go through rmcp (which matches the client's
//! answers to its questions); its answer is written by the transport, after its notifications.
//! Every other message, and every request before the session is up, goes to rmcp.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use rmcp::RoleServer;
use rmcp::model::{
    CallToolRequestParams, ClientRequest, GetMeta, JsonRpcMessage, ProgressToken, ProtocolVersion,
    RequestId,
};
use rmcp::service::{Peer, RxJsonRpcMessage};
use tokio::io::AsyncWrite;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::McpHandler;
use super::call_request::{CallRequest, INLINE_VERSION, legacy_answer};
use super::line_writer::LineWriter;
use crate::ToolContext;
use crate::host::approval::LOCAL_USER;
use crate::host::lock;

/// How long calls running when the client closes its input get to answer (as rmcp gives its).
const GRACE: Duration = Duration::from_secs(5);

/// The calls and listings of one line session.
pub(super) struct LineCalls<W> {
    handler: McpHandler,
    output: Arc<LineWriter<W>>,
    /// The transport's requests in flight; an answer written here frees its id.
    in_flight: Arc<Mutex<HashSet<RequestId>>>,
    /// The session's peer, once it is up, if it speaks 2025-11-25.
    peer: OnceLock<Peer<RoleServer>>,
    /// The calls running here, by request: the client may cancel them.
    running: Mutex<HashMap<RequestId, CancellationToken>>,
    tracker: TaskTracker,
    /// When the calls still running after the client closed its input are cancelled.
    deadline: OnceLock<Instant>,
}

impl<W: AsyncWrite + Unpin + Send + 'static> LineCalls<W> {
    pub(super) fn new(
        handler: McpHandler,
        output: Arc<LineWriter<W>>,
        in_flight: Arc<Mutex<HashSet<RequestId>>>,
    ) -> Self {
        LineCalls {
            handler,
            output,
            in_flight,
            peer: OnceLock::new(),
            running: Mutex::default(),
            tracker: TaskTracker::new(),
            deadline: OnceLock::new(),
        }
    }

    /// The session is up: from now on its calls are answered here, if it speaks 2025-11-25
    /// (rmcp negotiates every `initialize` down to it; the revision is fixed from now on).
    pub(super) fn session_up(&self, peer: Peer<RoleServer>) {
        let legacy = peer
            .peer_info()
            .is_some_and(|info| info.protocol_version < ProtocolVersion::V_2026_07_28);
        if legacy {
            let _ = self.peer.set(peer);
        }
    }

    /// `line` as a call to answer here, if it is one: a `tools/call`, in a session that is up.
    /// It is read straight into its parameters; rmcp reads each line through untagged enums,
    /// which buffer it whole first.
    pub(super) fn read_call(&self, line: &[u8]) -> Option<CallRequest> {
        self.peer.get()?;
        let call: CallRequest = serde_json::from_slice(line).ok()?;
        (!call.speaks_own_revision()).then_some(call)
    }

    /// Answers `message` here if it is a listing of a session that is up (its calls are read by
    /// `read_call`); gives it back otherwise, for rmcp.
    pub(super) async fn take(
        &self,
        message: RxJsonRpcMessage<RoleServer>,
    ) -> Result<(), RxJsonRpcMessage<RoleServer>> {
        let JsonRpcMessage::Request(request) = &message else {
            return Err(message);
        };
        if self.peer.get().is_none()
            || request.request.get_meta().contains_key(INLINE_VERSION)
            || !matches!(request.request, ClientRequest::ListToolsRequest(_))
        {
            return Err(message);
        }
        let mut line = self.handler.listing_answer(&request.id, false);
        line.push(b'\n');
        self.answer(&request.id, line).await;
        Ok(())
    }

    /// Runs the call `id` with `params` in the background, and answers it.
    pub(super) fn call(
        self: &Arc<Self>,
        id: RequestId,
        params: CallToolRequestParams,
        progress_token: Option<ProgressToken>,
    ) {
        let Some(peer) = self.peer.get().cloned() else {
            unreachable!("calls are read here only once the session is up");
        };
        let cancellation = CancellationToken::new();
        lock(&self.running).insert(id.clone(), cancellation.clone());
        let this = Arc::clone(self);
        let fut = async move {
            let ctx = ToolContext::new().with_cancellation(cancellation.clone());
            let answer = this
                .handler
                .call_on_session(params, ctx, progress_token, &peer, LOCAL_USER)
                .await;
            lock(&this.running).remove(&id);
            // A cancelled call saw its cancellation (the runtime stops it and says so in its
            // log) and goes unanswered, as rmcp leaves its.
            if cancellation.is_cancelled() {
                return;
            }
            let mut line = legacy_answer(answer, id.clone());
            line.push(b'\n');
            this.answer(&id, line).await;
        };
        self.tracker.spawn(Box::pin(fut));
    }

    /// The client cancelled request `id`; if it is a call running here, it stops.
    pub(super) fn cancel(&self, id: &RequestId) {
        if let Some(cancellation) = lock(&self.running).remove(id) {
            cancellation.cancel();
        }
    }

    /// The client closed its input: the calls running here get [`GRACE`] to answer, counted
    /// from the first time this is called, and are cancelled after.
    pub(super) async fn settle(&self) {
        self.tracker.close();
        let deadline = *self.deadline.get_or_init(|| Instant::now() + GRACE);
        if tokio::time::timeout_at(deadline, self.tracker.wait())
            .await
            .is_err()
        {
            for (_, cancellation) in lock(&self.running).drain() {
                cancellation.cancel();
            }
        }
    }

    /// Writes the line answering request `id` and frees its id.
    async fn answer(&self, id: &RequestId, line: Vec<u8>) {
        // A client that went away is not answered; its input's end ends the session.
        let _ = self.output.write(line).await;
        lock(&self.in_flight).remove(id);
    }
}
