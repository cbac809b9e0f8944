//! Database work off the async threads, bounded: a cap on concurrent work (beyond it, a "busy"
//! error at once), and the call's cancellation (its deadline, the client's cancel, or the
//! runtime shutting down) interrupting the statement, so that work never outlives its call.

use std::sync::Arc;

use mcp_runtime::{McpError, ToolContext};
use rusqlite::{Connection, InterruptHandle};
use tokio::sync::{Semaphore, oneshot};

use super::Database;

/// The most database calls running at once by default.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// Runs blocking database work for calls, at most `permits` at a time.
#[derive(Debug, Clone)]
pub struct Workers {
    permits: Arc<Semaphore>,
    limit: usize,
}

impl Workers {
    pub fn new(limit: usize) -> Self {
        Workers {
            permits: Arc::new(Semaphore::new(limit.max(1))),
            limit: limit.max(1),
        }
    }

    /// Runs `work` on a fresh connection to `database`; `prepare` runs first (creating the
    /// sample). Cancelling `ctx` interrupts the running statement.
    pub async fn run<T: Send + 'static>(
        &self,
        ctx: &ToolContext,
        database: Database,
        prepare: impl FnOnce() -> Result<(), McpError> + Send + 'static,
        work: impl FnOnce(&Connection) -> Result<T, McpError> + Send + 'static,
    ) -> Result<T, McpError> {
        let permit = self.permits.clone().try_acquire_owned().map_err(|_| {
            McpError::new(format!(
                "the database is busy with {} queries; try again in a moment",
                self.limit
            ))
            .untracked()
        })?;
        let (handle_sender, handle) = oneshot::channel::<InterruptHandle>();
        let (done_sender, done) = oneshot::channel::<()>();
        let task = tokio::task::spawn_blocking(move || {
            // The permit is released when the work ends, not when its caller stops waiting;
            // `done` resolves then too.
            let _permit = permit;
            let _done = done_sender;
            prepare()?;
            let connection = database.connect()?;
            let _ = handle_sender.send(connection.get_interrupt_handle());
            work(&connection)
        });
        // Interrupts the statement when the call is cancelled or times out, and when this
        // watcher is dropped unfinished (the runtime shutting down).
        let cancellation = ctx.cancellation().clone();
        tokio::spawn(async move {
            let Ok(handle) = handle.await else {
                return;
            };
            let mut guard = InterruptOnDrop(Some(handle));
            tokio::select! {
                () = cancellation.cancelled() => drop(guard),
                _ = done => {
                    guard.0 = None;
                }
            }
        });
        match task.await {
            Ok(result) => result.map_err(|error| {
                if ctx.is_cancelled() {
                    McpError::new("the query was stopped: the call was cancelled or timed out")
                        .untracked()
                } else {
                    error
                }
            }),
            Err(error) => Err(McpError::new(format!("the database task failed: {error}"))),
        }
    }
}

/// Interrupts the connection's statement when dropped, unless disarmed.
struct InterruptOnDrop(Option<InterruptHandle>);

impl Drop for InterruptOnDrop {
    fn drop(&mut self) {
        if let Some(handle) = self.0.take() {
            handle.interrupt();
        }
    }
}
