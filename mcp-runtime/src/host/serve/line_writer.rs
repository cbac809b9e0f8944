//! The client's output on a line transport: whole lines, in the order they are given, written in
//! batches.
//!
//! A line given is queued, and a flush is scheduled unless one already is. The flush first lets
//! the tasks ready to run go (calls finishing side by side queue their answers meanwhile), then
//! writes everything queued with one system call. Past [`MAX_QUEUED_BYTES`] queued, a writer
//! waits for the output itself, so a client that stops reading holds the server back rather than
//! making it buffer without end.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::Mutex;

use crate::host::lock;

/// Bytes queued past which writers wait for the output.
pub(super) const MAX_QUEUED_BYTES: usize = 1 << 20;

pub(super) struct LineWriter<W> {
    output: Mutex<W>,
    queue: std::sync::Mutex<Queue>,
    /// Set once a write failed: the client is gone, and later writes fail too.
    broken: AtomicBool,
}

#[derive(Default)]
struct Queue {
    lines: Vec<u8>,
    /// Whether a flush is scheduled that has not taken the lines yet.
    flush_scheduled: bool,
}

impl<W: AsyncWrite + Unpin + Send + 'static> LineWriter<W> {
    pub(super) fn new(output: W) -> Self {
        LineWriter {
            output: Mutex::new(output),
            queue: std::sync::Mutex::default(),
            broken: AtomicBool::new(false),
        }
    }

    /// Queues `line` (ending in a newline) to be written after the lines given before it.
    pub(super) async fn write(self: &Arc<Self>, line: Vec<u8>) -> io::Result<()> {
        if self.broken.load(Ordering::Relaxed) {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        let (schedule, queued) = {
            let mut queue = lock(&self.queue);
            // The first line of a batch becomes the batch: most batches are one line.
            if queue.lines.is_empty() {
                queue.lines = line;
            } else {
                queue.lines.extend_from_slice(&line);
            }
            let schedule = !std::mem::replace(&mut queue.flush_scheduled, true);
            (schedule, queue.lines.len())
        };
        if schedule {
            let this = Arc::clone(self);
            tokio::spawn(async move {
                // The calls ready to finish queue their lines first.
                tokio::task::yield_now().await;
                this.flush().await;
            });
        }
        if queued > MAX_QUEUED_BYTES {
            self.flush().await;
        }
        Ok(())
    }

    /// Writes what is queued. The output is taken before the lines, so batches go out in order.
    pub(super) async fn flush(&self) {
        let mut output = self.output.lock().await;
        let batch = {
            let mut queue = lock(&self.queue);
            queue.flush_scheduled = false;
            std::mem::take(&mut queue.lines)
        };
        if batch.is_empty() {
            return;
        }
        let written = match output.write_all(&batch).await {
            Ok(()) => output.flush().await,
            Err(error) => Err(error),
        };
        if written.is_err() {
            self.broken.store(true, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// A client that never reads: its pipe holds 64 KiB.
    fn stalled() -> (
        Arc<LineWriter<tokio::io::DuplexStream>>,
        tokio::io::DuplexStream,
    ) {
        let (server, client) = tokio::io::duplex(64 * 1024);
        (Arc::new(LineWriter::new(server)), client)
    }

    #[tokio::test]
    async fn writes_return_at_once_until_the_queue_is_full_then_wait_for_the_client() {
        let (writer, _client) = stalled();
        let line = [b'x'; 1023]
            .iter()
            .copied()
            .chain([b'\n'])
            .collect::<Vec<u8>>();
        let at_once = Duration::from_millis(100);
        // The queue fills (on this one thread, no flush runs meanwhile); each write returns at
        // once.
        for _ in 0..MAX_QUEUED_BYTES / line.len() {
            tokio::time::timeout(at_once, writer.write(line.clone()))
                .await
                .expect("a write returns at once while the queue has room")
                .unwrap();
        }
        // Past the bound, a writer writes what is queued itself, and waits for the client.
        let waited = tokio::time::timeout(at_once, writer.write(line.clone())).await;
        assert!(waited.is_err(), "the queue grows past its bound");
    }
}
