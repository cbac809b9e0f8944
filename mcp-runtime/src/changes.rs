//! Telling the clients that subscribe to a resource that it changed.
//!
//! A server that can see its resources change holds a [`ResourceChanges`] and names it in
//! `#[mcp_server(changes = "field")]`; the host then offers subscriptions (`resources/subscribe`
//! on 2025-11-25, `subscriptions/listen` on 2026-07-28) and sends
//! `notifications/resources/updated` to each subscriber of a URI the server says changed.
//!
//! A server that cannot be told of changes and looks for them itself (polling a file, an API)
//! gives a watcher, which runs only while some client subscribes.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

use crate::BoxFuture;

/// Looks for changes and announces them, until nothing is watched.
type Watcher = Box<dyn Fn(ResourceChanges) -> BoxFuture<'static, ()> + Send + Sync>;

/// Changes announced but not yet taken by every subscriber's session: a session that falls
/// further behind is told that all its resources changed.
const BACKLOG: usize = 256;

/// Where a server announces that its resources changed.
///
/// Clones share one announcer. Announcing a URI nobody subscribes to costs a map lookup.
#[derive(Clone)]
pub struct ResourceChanges(Arc<Inner>);

struct Inner {
    sender: broadcast::Sender<Arc<str>>,
    state: Mutex<State>,
    watcher: Option<Watcher>,
}

#[derive(Default)]
struct State {
    /// URIs subscribed to, each with its number of subscriptions.
    watched: HashMap<String, usize>,
    /// Whether the watcher runs.
    watching: bool,
}

impl Default for ResourceChanges {
    fn default() -> Self {
        Self::new()
    }
}

impl ResourceChanges {
    /// An announcer nobody listens to yet.
    pub fn new() -> Self {
        Self::with(None)
    }

    /// An announcer that runs `watcher` while some client subscribes: spawned when the first
    /// subscription comes, it looks for changes (polling a file, an API), announces them with
    /// [`updated`](Self::updated), and returns once [`watched`](Self::watched) is empty (it is
    /// started again at the next subscription).
    pub fn with_watcher<F, W>(watcher: W) -> Self
    where
        W: Fn(ResourceChanges) -> F + Send + Sync + 'static,
        F: Future<Output = ()> + Send + 'static,
    {
        Self::with(Some(Box::new(move |changes| Box::pin(watcher(changes)))))
    }

    fn with(watcher: Option<Watcher>) -> Self {
        ResourceChanges(Arc::new(Inner {
            sender: broadcast::Sender::new(BACKLOG),
            state: Mutex::default(),
            watcher,
        }))
    }

    /// Tells the subscribers of `uri` that it changed: they read it again.
    pub fn updated(&self, uri: &str) {
        if crate::host::lock(&self.0.state).watched.contains_key(uri) {
            // No receiver means no subscriber left: nothing to tell.
            let _ = self.0.sender.send(uri.into());
        }
    }

    /// The URIs some client subscribes to now.
    pub fn watched(&self) -> Vec<String> {
        crate::host::lock(&self.0.state)
            .watched
            .keys()
            .cloned()
            .collect()
    }

    /// Counts a subscription to `uri` until the returned guard drops; the first starts the
    /// watcher, on the runtime serving it.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))] // the host's; only serving subscribes
    pub(crate) fn watch(&self, uri: &str) -> Watch {
        let mut state = crate::host::lock(&self.0.state);
        *state.watched.entry(uri.to_owned()).or_default() += 1;
        if self.0.watcher.is_some() && !state.watching {
            state.watching = true;
            tokio::spawn(self.clone().run_watcher());
        }
        Watch {
            changes: self.clone(),
            uri: uri.to_owned(),
        }
    }

    /// Runs the watcher until nothing is watched when it returns.
    async fn run_watcher(self) {
        let Some(watcher) = &self.0.watcher else {
            return;
        };
        loop {
            watcher(self.clone()).await;
            let mut state = crate::host::lock(&self.0.state);
            if state.watched.is_empty() {
                state.watching = false;
                return;
            }
        }
    }

    /// The URIs announced from now on.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    pub(crate) fn listen(&self) -> broadcast::Receiver<Arc<str>> {
        self.0.sender.subscribe()
    }
}

impl fmt::Debug for ResourceChanges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResourceChanges")
            .field("watched", &crate::host::lock(&self.0.state).watched.len())
            .finish()
    }
}

/// One subscription to a URI, counted while it lives.
#[cfg_attr(not(feature = "serve"), allow(dead_code))]
pub(crate) struct Watch {
    changes: ResourceChanges,
    uri: String,
}

impl Drop for Watch {
    fn drop(&mut self) {
        let watched = &mut crate::host::lock(&self.changes.0.state).watched;
        if let Some(count) = watched.get_mut(&self.uri) {
            *count -= 1;
            if *count == 0 {
                watched.remove(&self.uri);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The next URI announced, failing the test if none comes within 5 s.
    async fn next(listening: &mut broadcast::Receiver<Arc<str>>) -> String {
        let received = tokio::time::timeout(std::time::Duration::from_secs(5), listening.recv());
        received
            .await
            .expect("announced within 5 s")
            .unwrap()
            .to_string()
    }

    #[tokio::test]
    async fn only_watched_uris_are_announced_and_counted_per_subscription() {
        let changes = ResourceChanges::new();
        let mut listening = changes.listen();
        changes.updated("test://a");
        let first = changes.watch("test://a");
        let second = changes.watch("test://a");
        changes.updated("test://a");
        assert_eq!(next(&mut listening).await, "test://a");
        assert!(
            listening.try_recv().is_err(),
            "the unwatched change was not sent"
        );
        drop(first);
        assert_eq!(changes.watched(), ["test://a"], "one subscription is left");
        drop(second);
        assert!(changes.watched().is_empty());
        assert_eq!(
            format!("{changes:?}"),
            "ResourceChanges { watched: 0 }",
            "counts what is watched, never names it"
        );
        changes.updated("test://a");
        assert!(listening.try_recv().is_err());
    }

    #[tokio::test]
    async fn the_watcher_runs_while_something_is_watched() {
        let runs = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let changes = ResourceChanges::with_watcher({
            let runs = runs.clone();
            move |changes: ResourceChanges| {
                runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                async move {
                    while !changes.watched().is_empty() {
                        changes.updated("test://a");
                        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                    }
                }
            }
        });
        let mut listening = changes.listen();
        tokio::task::yield_now().await;
        assert_eq!(
            runs.load(std::sync::atomic::Ordering::SeqCst),
            0,
            "nothing watched"
        );
        let watch = changes.watch("test://a");
        let second = changes.watch("test://b");
        assert_eq!(next(&mut listening).await, "test://a");
        let once = runs.load(std::sync::atomic::Ordering::SeqCst);
        assert_eq!(once, 1, "one watcher for every subscription");
        drop(watch);
        drop(second);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        // What the first watcher announced is not what the next one does.
        let mut listening = changes.listen();
        let again = changes.watch("test://a");
        assert_eq!(next(&mut listening).await, "test://a");
        assert_eq!(
            runs.load(std::sync::atomic::Ordering::SeqCst),
            2,
            "started anew"
        );
        drop(again);
    }
}
