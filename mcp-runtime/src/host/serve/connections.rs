//! The HTTP/1 connections under the router, bounded: a connection must deliver a request's
//! headers within the header timeout (counted from when it opened or its last response ended,
//! so it is also the idle timeout), and at most `max_connections` are open. A new connection
//! past the cap makes room by closing the connection idle the longest (serving no request, or
//! sending its headers); then, the oldest event stream (a `GET`, which its client reopens);
//! when every connection is serving a request, new ones wait in the listener's backlog.

use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use hyper::Method;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::host::lock;

/// How long the accept loop waits for a closed connection before closing another one.
const MAKE_ROOM_PAUSE: Duration = Duration::from_millis(100);

/// How long a connection asked to close at shutdown, and serving no request, has to close on
/// its own (it may be sending its headers, or holding an event stream) before it is dropped.
const CLOSE_PAUSE: Duration = Duration::from_secs(1);

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
                // A GET is an event stream: it holds the connection without serving a request.
                let busy = Busy::enter(connection.clone(), request.method() == Method::GET);
                let response = hyper::service::Service::call(&service, request);
                async move {
                    let response = response.await?;
                    // The connection stays busy until its response body has been sent (or
                    // dropped): an SSE stream is a request being served.
                    Ok::<_, std::convert::Infallible>(
                        response.map(|body| Body::new(BusyBody { body, _busy: busy })),
                    )
                }
            })
        };
        let conn = http.serve_connection(TokioIo::new(stream), serve);
        let id = connection.id;
        let registered = Registered(open.clone(), id);
        tokio::spawn(async move {
            let _registered = registered;
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => return,
                () = connection.close.cancelled() => {
                    // Closed to make room and serving no request: at once.
                    if connection.evicted.load(Ordering::Acquire)
                        && connection.busy.load(Ordering::Acquire) == 0
                    {
                        return;
                    }
                    conn.as_mut().graceful_shutdown();
                }
            }
            // It finishes the request it is serving; serving none, it is dropped (closed)
            // unless it closes on its own within a moment.
            loop {
                tokio::select! {
                    _ = conn.as_mut() => return,
                    () = tokio::time::sleep(CLOSE_PAUSE) => {
                        if connection.busy.load(Ordering::Acquire) == 0 {
                            return;
                        }
                    }
                }
            }
        });
        // Past the cap, room is made before another connection is accepted, never by closing
        // the one just accepted (it has not had the time to send its request).
        while open.count() > max_connections {
            open.close_idlest(room, id);
            let closed = open.closed.notified();
            tokio::select! {
                () = closed => {}
                () = tokio::time::sleep(MAKE_ROOM_PAUSE) => {}
                () = shutdown.cancelled() => return open.drain().await,
            }
        }
    }
}

/// Keeps its connection in the open set until dropped (however its task ends).
struct Registered(Arc<Open>, u64);

impl Drop for Registered {
    fn drop(&mut self) {
        self.0.remove(self.1);
    }
}

/// A connection as the accept loop sees it.
struct Connection {
    id: u64,
    /// Requests being served (HTTP/1 serves one at a time; pipelined ones wait).
    busy: AtomicUsize,
    /// Event streams (GET) being sent.
    streams: AtomicUsize,
    /// When it last finished serving a request (or opened).
    idle_since: Mutex<Instant>,
    /// Asks it to close once its request (if any) is served.
    close: CancellationToken,
    /// Whether it is closed to make room (rather than for shutdown).
    evicted: AtomicBool,
}

/// Marks its connection busy (or streaming) while it lives.
/// A response body that keeps its connection busy until it has been sent or dropped. Its size is
/// the inner body's, so that a sized answer goes out with its `Content-Length`.
struct BusyBody {
    body: Body,
    _busy: Busy,
}

impl http_body::Body for BusyBody {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

struct Busy {
    connection: Arc<Connection>,
    stream: bool,
}

impl Busy {
    fn enter(connection: Arc<Connection>, stream: bool) -> Self {
        let busy = Busy { connection, stream };
        busy.counter().fetch_add(1, Ordering::AcqRel);
        busy
    }

    fn counter(&self) -> &AtomicUsize {
        if self.stream {
            &self.connection.streams
        } else {
            &self.connection.busy
        }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        *lock(&self.connection.idle_since) = Instant::now();
        self.counter().fetch_sub(1, Ordering::AcqRel);
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
            streams: AtomicUsize::new(0),
            idle_since: Mutex::new(Instant::now()),
            close,
            evicted: AtomicBool::new(false),
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

    /// Asks the connections idle the longest (then those streaming events the longest), but
    /// `spared`, to close, until `count` are closing.
    fn close_idlest(&self, count: usize, spared: u64) {
        let connections = lock(&self.connections);
        let closing = connections
            .values()
            .filter(|connection| connection.close.is_cancelled())
            .count();
        let mut idle: Vec<(bool, Instant, &Arc<Connection>)> = connections
            .values()
            .filter(|connection| {
                connection.id != spared
                    && connection.busy.load(Ordering::Acquire) == 0
                    && !connection.close.is_cancelled()
            })
            .map(|connection| {
                let streaming = connection.streams.load(Ordering::Acquire) > 0;
                (streaming, *lock(&connection.idle_since), connection)
            })
            .collect();
        idle.sort_unstable_by_key(|(streaming, idle_since, _)| (*streaming, *idle_since));
        for (_, _, connection) in idle.into_iter().take(count.saturating_sub(closing)) {
            connection.evicted.store(true, Ordering::Release);
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
    open.close_idlest(1, u64::MAX);
    tokio::time::sleep(MAKE_ROOM_PAUSE).await;
}
