//! What a test logged on its own thread, as the host prints it (no time, no colour).
//!
//! Shared by every test binary (by `#[path]`). One global subscriber writes each thread's events
//! into that thread's capture, if it has one, and is asked for every event whether this thread
//! captures. A subscriber per test (`set_default`) is not enough: `tracing` caches each call
//! site's interest process-wide, and a call site first hit on another test's thread while this one
//! installs its subscriber can stay cached as "never", silently dropping the line a test looks for.

use std::cell::RefCell;
use std::io::Write;
use std::sync::{Arc, Mutex, Once};

use tracing::subscriber::Interest;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::DynFilterFn;
use tracing_subscriber::layer::SubscriberExt;

type Buffer = Arc<Mutex<Vec<u8>>>;

thread_local! {
    static CAPTURE: RefCell<Option<Buffer>> = const { RefCell::new(None) };
}

/// Captures everything logged on this thread, at every level, until dropped.
pub struct Logs {
    buffer: Buffer,
}

impl Logs {
    /// Starts capturing.
    pub fn capture() -> Self {
        static INSTALL: Once = Once::new();
        INSTALL.call_once(|| {
            let layer = tracing_subscriber::fmt::layer()
                .with_writer(|| ThreadWriter)
                .with_ansi(false)
                .without_time()
                .with_filter(
                    DynFilterFn::new(|_, _| CAPTURE.with(|capture| capture.borrow().is_some()))
                        // Asked again for every event: which thread logs decides, not the call site.
                        .with_callsite_filter(|_| Interest::sometimes()),
                );
            tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer))
                .expect("no other global subscriber in tests");
        });
        // A call site another thread was registering while the subscriber was installed may have
        // cached the interest it computed without it.
        tracing::callsite::rebuild_interest_cache();
        let buffer = Buffer::default();
        CAPTURE.with(|capture| *capture.borrow_mut() = Some(buffer.clone()));
        Logs { buffer }
    }

    /// What was said so far.
    pub fn text(&self) -> String {
        String::from_utf8(self.buffer.lock().unwrap().clone()).unwrap()
    }
}

impl Drop for Logs {
    fn drop(&mut self) {
        CAPTURE.with(|capture| capture.borrow_mut().take());
    }
}

/// Writes into the capture of the thread that logs.
struct ThreadWriter;

impl Write for ThreadWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        CAPTURE.with(|capture| {
            if let Some(buffer) = capture.borrow().as_ref() {
                buffer.lock().unwrap().extend_from_slice(bytes);
            }
        });
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
