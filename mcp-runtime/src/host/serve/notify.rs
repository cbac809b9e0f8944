//! Progress and log notifications from a handler to the client, in order.
//!
//! The handler's context notifies synchronously; sending is async. One forwarding task per call,
//! fed by a channel, keeps notifications in the order the handler made them (progress must
//! increase), and is only started by the first notification. The call's answer waits until
//! they have been sent ([`PeerNotifier::flush`]): they come before it.
//!
//! Logging is deprecated by the 2026-07-28 revision (SEP-2577) but part of 2025-11-25, which
//! clients still speak; rmcp marks it deprecated, hence the `allow`.
#![allow(deprecated)]

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};

use rmcp::model::{
    LoggingLevel, LoggingMessageNotificationParam, ProgressNotificationParam, ProgressToken,
};
use rmcp::service::{Peer, RoleServer};
use tokio::sync::{mpsc, oneshot};

use crate::LogLevel;
use crate::host::Notifier;

enum Message {
    Progress(ProgressNotificationParam),
    Log(LoggingMessageNotificationParam),
    /// Every message before this one has been sent.
    Flushed(oneshot::Sender<()>),
}

/// A [`Notifier`] sending to the client that made the call.
pub(super) struct PeerNotifier {
    peer: Peer<RoleServer>,
    progress_token: Option<ProgressToken>,
    /// The session's `logging/setLevel`, as a [`rank`]: messages below it are not sent.
    min_level: Arc<AtomicU8>,
    sender: OnceLock<mpsc::UnboundedSender<Message>>,
}

/// Above every level: no message is sent.
pub(super) const SILENT: u8 = u8::MAX;

/// The severity order of MCP's (syslog's) levels, from 0 (debug) up.
pub(super) fn rank(level: LoggingLevel) -> u8 {
    match level {
        LoggingLevel::Debug => 0,
        LoggingLevel::Info => 1,
        LoggingLevel::Notice => 2,
        LoggingLevel::Warning => 3,
        LoggingLevel::Error => 4,
        LoggingLevel::Critical => 5,
        LoggingLevel::Alert => 6,
        LoggingLevel::Emergency => 7,
    }
}

impl PeerNotifier {
    pub(super) fn new(
        peer: Peer<RoleServer>,
        progress_token: Option<ProgressToken>,
        min_level: Arc<AtomicU8>,
    ) -> Arc<Self> {
        Arc::new(PeerNotifier {
            peer,
            progress_token,
            min_level,
            sender: OnceLock::new(),
        })
    }

    fn send(&self, message: Message) {
        let sender = self.sender.get_or_init(|| {
            let (sender, mut receiver) = mpsc::unbounded_channel();
            let peer = self.peer.clone();
            tokio::spawn(async move {
                while let Some(message) = receiver.recv().await {
                    // A client that went away cannot be told; the call goes on regardless.
                    let _ = match message {
                        Message::Progress(param) => peer.notify_progress(param).await,
                        Message::Log(param) => peer.notify_logging_message(param).await,
                        Message::Flushed(done) => {
                            let _ = done.send(());
                            Ok(())
                        }
                    };
                }
            });
            sender
        });
        let _ = sender.send(message);
    }

    /// Waits until the notifications made so far have been sent (at once if there were none).
    pub(super) async fn flush(&self) {
        let Some(sender) = self.sender.get() else {
            return;
        };
        let (done, flushed) = oneshot::channel();
        if sender.send(Message::Flushed(done)).is_ok() {
            let _ = flushed.await;
        }
    }
}

impl Notifier for PeerNotifier {
    fn progress(&self, progress: f64, total: Option<f64>, message: Option<&str>) {
        if let Some(param) = progress_param(self.progress_token.as_ref(), progress, total, message)
        {
            self.send(Message::Progress(param));
        }
    }

    fn log(&self, level: LogLevel, message: &str) {
        if let Some(param) = log_param(&self.min_level, level, message) {
            self.send(Message::Log(param));
        }
    }
}

/// The progress notification to send, if the client asked for progress (with `token`).
pub(super) fn progress_param(
    token: Option<&ProgressToken>,
    progress: f64,
    total: Option<f64>,
    message: Option<&str>,
) -> Option<ProgressNotificationParam> {
    let mut param = ProgressNotificationParam::new(token?.clone(), progress);
    param.total = total;
    param.message = message.map(str::to_owned);
    Some(param)
}

/// The log message to send, if `level` is at least the session's `min_level`.
pub(super) fn log_param(
    min_level: &AtomicU8,
    level: LogLevel,
    message: &str,
) -> Option<LoggingMessageNotificationParam> {
    let level = match level {
        LogLevel::Debug => LoggingLevel::Debug,
        LogLevel::Info => LoggingLevel::Info,
        LogLevel::Warning => LoggingLevel::Warning,
        LogLevel::Error => LoggingLevel::Error,
    };
    if rank(level) < min_level.load(Ordering::Relaxed) {
        return None;
    }
    let mut param = LoggingMessageNotificationParam::new(level, message.into());
    param.logger = None;
    Some(param)
}
