//! The HTTP/1 connections under the router, bounded: a connection must deliver a request's
//! headers within the header timeout (counted from when it opened or its last response ended,
//! so it is also the idle timeout), and at most `max_connections` are open. A new connection
//! past the cap makes room by closing the connection idle the longest (one not serving a
//! request); when every connection is serving one, it waits in the listener's backlog.

use std::collections::HashMap;
use std::io;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use http_body_util::BodyExt as _;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// How long the accept loop waits for a closed connection before closing another one.
const MAKE_ROOM_PAUSE: Duration = Duration::from_millis(100);

/// Serves `router` on every connection `listener` accepts until `shutdown` is cancelled, then
/// asks each connection to finish its request and waits until all have closed.
pub(super) async fn serve_connections(
    listener: TcpListener,
    router: Router,
    max_connections: usize,
    header_timeout: Duration,
    shutdown: CancellationToken,
) {
    let open = Arc::new(Open::default());
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let max_connections = max_connections.max(1);
    // Under a flood of new connections, closing one idle connection per new one would make
    // each wait for a close; a few at a time keep the accept loop moving.
    let room = (max_connections / 16).max(1);
    loop {
        while open.count() >= max_connections {
            open.close_idlest(room);
            let closed = open.closed.notified();
            tokio::select! {
                () = closed => {}
                () = tokio::time::sleep(MAKE_ROOM_PAUSE) => {}
                () = shutdown.cancelled() => return open.drain().await,
            }
        }
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    on_accept_error(&open, &error).await;
                    continue;
                }
            },
            () = shutdown.cancelled() => return open.drain().await,
        };
        // Without TCP_NODELAY every response waits for the peer's delayed ACK (~40 ms on
        // loopback).
        let _ = stream.set_nodelay(true);
        let connection = open.insert(shutdown.child_token());
        let service = TowerToHyperService::new(router.clone());
        let serve = {
            let connection = connection.clone();
            hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
                let busy = Busy::enter(connection.clone());
                let response = hyper::service::Service::call(&service, request);
                async move {
                    let response = response.await?;
                    // The connection stays busy until its response body has been sent (or
                    // dropped): an SSE stream is a request being served.
                    Ok::<_, std::convert::Infallible>(response.map(|body| {
                        Body::new(body.map_frame(move |frame| {
                            let _busy = &busy;
                            frame
                        }))
                    }))
                }
            })
        };
        let conn = http.serve_connection(TokioIo::new(stream), serve);
        let open = open.clone();
        tokio::spawn(async move {
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                () = connection.close.cancelled() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
            open.remove(connection.id);
        });
    }
}

/// A connection as the accept loop sees it.
struct Connection {
    id: u64,
    /// Requests being served (HTTP/1 serves one at a time; pipelined ones wait).
    busy: AtomicUsize,
    /// When it last finished serving a request (or opened).
    idle_since: Mutex<Instant>,
    /// Asks it to close once its request (if any) is served.
    close: CancellationToken,
}

/// Marks its connection busy while it lives.
struct Busy(Arc<Connection>);

impl Busy {
    fn enter(connection: Arc<Connection>) -> Self {
        connection.busy.fetch_add(1, Ordering::AcqRel);
        Busy(connection)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        *lock(&self.0.idle_since) = Instant::now();
        self.0.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The open connections.
#[derive(Default)]
struct Open {
    connections: Mutex<HashMap<u64, Arc<Connection>>>,
    next_id: AtomicU64,
    /// Woken when a connection closes.
    closed: Notify,
}

impl Open {
    fn insert(&self, close: CancellationToken) -> Arc<Connection> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let connection = Arc::new(Connection {
            id,
            busy: AtomicUsize::new(0),
            idle_since: Mutex::new(Instant::now()),
            close,
        });
        lock(&self.connections).insert(id, connection.clone());
        connection
    }

    fn remove(&self, id: u64) {
        lock(&self.connections).remove(&id);
        self.closed.notify_waiters();
    }

    fn count(&self) -> usize {
        lock(&self.connections).len()
    }

    /// Asks the connections idle the longest to close, until `count` are closing.
    fn close_idlest(&self, count: usize) {
        let connections = lock(&self.connections);
        let closing = connections
            .values()
            .filter(|connection| connection.close.is_cancelled())
            .count();
        let mut idle: Vec<(Instant, &Arc<Connection>)> = connections
            .values()
            .filter(|connection| {
                connection.busy.load(Ordering::Acquire) == 0 && !connection.close.is_cancelled()
            })
            .map(|connection| (*lock(&connection.idle_since), connection))
            .collect();
        idle.sort_unstable_by_key(|(idle_since, _)| *idle_since);
        for (_, connection) in idle.into_iter().take(count.saturating_sub(closing)) {
            connection.close.cancel();
        }
    }

    /// Asks every connection to close after its request and waits until all have.
    async fn drain(&self) {
        loop {
            let closed = self.closed.notified();
            {
                let connections = lock(&self.connections);
                if connections.is_empty() {
                    return;
                }
                for connection in connections.values() {
                    connection.close.cancel();
                }
            }
            tokio::select! {
                () = closed => {}
                () = tokio::time::sleep(MAKE_ROOM_PAUSE) => {}
            }
        }
    }
}

/// A failed accept: a peer that left before it was accepted is nothing; out of descriptors (or
/// another resource), an idle connection is closed and the loop pauses rather than spin.
async fn on_accept_error(open: &Open, error: &io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        error.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::warn!(%error, open = open.count(), "cannot accept a connection");
    open.close_idlest(1);
    tokio::time::sleep(MAKE_ROOM_PAUSE).await;
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
