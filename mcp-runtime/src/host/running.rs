//! The calls running now, so that a host stopping can say what it abandoned.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

// Tokio's clock, so that tests can run a grace period without waiting for it.
use tokio::time::Instant;

/// The calls running through the [`CallOptions`](super::CallOptions) that hold this register.
#[derive(Default)]
pub struct RunningCalls {
    calls: Mutex<HashMap<u64, RunningCall>>,
    next_id: AtomicU64,
}

/// One call running.
#[derive(Debug, Clone)]
pub struct RunningCall {
    /// The server's name.
    pub server: &'static str,
    /// The tool's name.
    pub tool: &'static str,
    /// When it started.
    pub started: Instant,
}

impl fmt::Display for RunningCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let running = self.started.elapsed().as_secs_f32();
        write!(f, "{}/{} (running {running:.1} s)", self.server, self.tool)
    }
}

/// Removes its call from the register when the call ends, however it ends.
pub(crate) struct Registered {
    register: Arc<RunningCalls>,
    id: u64,
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.register.calls().remove(&self.id);
    }
}

impl RunningCalls {
    fn calls(&self) -> MutexGuard<'_, HashMap<u64, RunningCall>> {
        crate::host::lock(&self.calls)
    }

    pub(crate) fn enter(self: &Arc<Self>, server: &'static str, tool: &'static str) -> Registered {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let call = RunningCall {
            server,
            tool,
            started: Instant::now(),
        };
        self.calls().insert(id, call);
        Registered {
            register: self.clone(),
            id,
        }
    }

    /// The calls running now, the longest-running first.
    pub fn snapshot(&self) -> Vec<RunningCall> {
        let mut calls: Vec<RunningCall> = self.calls().values().cloned().collect();
        calls.sort_by_key(|call| call.started);
        calls
    }

    /// Waits until no call is running or `grace` has passed; returns the calls still running.
    pub async fn settle(&self, grace: Duration) -> Vec<RunningCall> {
        let deadline = Instant::now() + grace;
        loop {
            let running = self.snapshot();
            if running.is_empty() || Instant::now() >= deadline {
                return running;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl fmt::Debug for RunningCalls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunningCalls")
            .field("running", &self.calls().len())
            .finish()
    }
}
