//! The audit log in the store: every decision of the approval gate, appended by a task of its
//! own so that a call never waits for the database. Events wait in a queue of at most
//! [`QUEUE`]; past it (the database is down or slow), new events are dropped and counted in a
//! warning rather than held in memory without bound. Each event also goes to `tracing`.
//!
//! An event keeps the time it was recorded, and the log is ordered by it: replicas write their
//! events each in their own time, so the order of writing is not the order of the decisions.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use mcp_runtime::host::approval::{AuditEvent, AuditSink, TracingAudit};
use tokio::sync::{mpsc, oneshot};

use mcp_runtime::BoxFuture;
use mcp_runtime::host::StoreError;

/// Events waiting to be written, at most.
pub const QUEUE: usize = 10_000;

/// Events written in one transaction, at most.
const BATCH: usize = 256;

/// Where the audit log is written.
pub trait AppendAudit: Send + Sync {
    /// Appends `events` to the audit log, in one transaction.
    fn append_audit<'a>(&'a self, events: &'a [Recorded]) -> BoxFuture<'a, Result<(), StoreError>>;
}

/// An event with the time the gate recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub at: SystemTime,
    pub event: AuditEvent,
}

enum Message {
    Event(Recorded),
    /// Answered once every event before it is written.
    Flush(oneshot::Sender<()>),
}

/// An audit sink writing to the store's audit log.
#[derive(Debug)]
pub struct StoredAudit {
    queue: mpsc::Sender<Message>,
    dropped: AtomicU64,
}

impl StoredAudit {
    /// Starts the task appending to `log`.
    pub fn start(log: Arc<dyn AppendAudit>) -> Self {
        let (queue, mut receiver) = mpsc::channel(QUEUE);
        tokio::spawn(async move {
            let mut messages = Vec::with_capacity(BATCH);
            loop {
                // None: every sender is gone, the host is stopping.
                if receiver.recv_many(&mut messages, BATCH).await == 0 {
                    break;
                }
                let mut events = Vec::with_capacity(messages.len());
                let mut flushes = Vec::new();
                for message in messages.drain(..) {
                    match message {
                        Message::Event(event) => events.push(event),
                        Message::Flush(done) => flushes.push(done),
                    }
                }
                if !events.is_empty()
                    && let Err(error) = log.append_audit(&events).await
                {
                    tracing::error!(%error, lost = events.len(), "audit events could not be stored");
                }
                for done in flushes {
                    let _ = done.send(());
                }
            }
        });
        StoredAudit {
            queue,
            dropped: AtomicU64::new(0),
        }
    }

    /// Waits until every event recorded before is written (or could not be).
    pub async fn flush(&self) {
        let (done, written) = oneshot::channel();
        if self.queue.send(Message::Flush(done)).await.is_ok() {
            let _ = written.await;
        }
    }
}

impl AuditSink for StoredAudit {
    fn record(&self, event: &AuditEvent) {
        TracingAudit.record(event);
        let recorded = Recorded {
            at: SystemTime::now(),
            event: event.clone(),
        };
        if self.queue.try_send(Message::Event(recorded)).is_err() {
            let dropped = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            if dropped.is_power_of_two() {
                tracing::error!(
                    dropped,
                    "the audit queue is full: audit events are being dropped"
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use mcp_runtime::Stake;
    use mcp_runtime::host::approval::AuditOutcome;

    use super::*;
    use crate::test_logs::Logs;

    /// A database that never finishes writing the audit log.
    struct Stuck;

    impl AppendAudit for Stuck {
        fn append_audit<'a>(&'a self, _: &'a [Recorded]) -> BoxFuture<'a, Result<(), StoreError>> {
            Box::pin(std::future::pending())
        }
    }

    #[tokio::test]
    async fn past_the_queue_events_are_dropped_and_said_so_ever_more_rarely() {
        let audit = StoredAudit::start(Arc::new(Stuck));
        let event = AuditEvent {
            outcome: AuditOutcome::AllowedImplicitly,
            server: "sqlite".to_owned(),
            tool: "query".to_owned(),
            stake: Stake::NeverAsk,
            user_id: "ana".to_owned(),
            approval_id: None,
        };
        // The writer takes its first batch and is stuck with it; the queue fills behind it.
        audit.record(&event);
        tokio::task::yield_now().await;
        for _ in 0..QUEUE {
            audit.record(&event);
        }
        let logs = Logs::capture();
        let said = || {
            logs.text()
                .lines()
                .filter_map(|line| line.split("dropped=").nth(1).map(str::to_owned))
                .collect::<Vec<_>>()
        };
        audit.record(&event);
        assert_eq!(said(), ["1"], "the first drop is said at once");
        for _ in 0..4 {
            audit.record(&event);
        }
        assert_eq!(audit.dropped.load(Ordering::Relaxed), 5);
        assert_eq!(said(), ["1", "2", "4"]);
    }
}
