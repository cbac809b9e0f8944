//! An answer given before its request's body was read ends the connection, and says so. The
//! early answers (a missing token's `401`, an unknown path's `404`, a body too large's `413`)
//! leave the body unread in the connection, where it would be taken for the next request: hyper
//! closes the connection after such an answer. Without `Connection: close` a client that keeps
//! connections alive sends its next request on it and races the close ("server disconnected");
//! with it, the client opens another.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderValue, header};
use http_body::{Body as _, Frame, SizeHint};

/// A request body that notes when it was read to its end.
struct Tracked {
    inner: Body,
    read: Arc<AtomicBool>,
}

impl http_body::Body for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_frame(cx);
        if let Poll::Ready(None) = polled {
            this.read.store(true, Ordering::Relaxed);
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Answers `request`, saying `Connection: close` when its body was left unread.
pub(super) async fn close_when_unread(request: Request, next: Next) -> Response {
    // No body (a `GET`, an empty `POST`): nothing can be left in the connection.
    if request.body().is_end_stream() {
        return next.run(request).await;
    }
    let read = Arc::new(AtomicBool::new(false));
    let tracked = read.clone();
    let request = request.map(|inner| {
        Body::new(Tracked {
            inner,
            read: tracked,
        })
    });
    let mut response = next.run(request).await;
    if !read.load(Ordering::Relaxed) {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

#[cfg(test)]
mod tests {
    use http_body_util::BodyExt as _;

    use super::*;

    fn tracked(body: Body) -> (Tracked, Arc<AtomicBool>) {
        let read = Arc::new(AtomicBool::new(false));
        (
            Tracked {
                inner: body,
                read: read.clone(),
            },
            read,
        )
    }

    /// What readers ask of a body (its length, whether it is over) is the inner body's, and it
    /// is read once its end is reached.
    #[tokio::test]
    async fn a_tracked_body_is_its_inner_body_and_notes_its_end() {
        let (body, read) = tracked(Body::from("abc"));
        assert_eq!(body.size_hint().exact(), Some(3));
        assert!(!body.is_end_stream());
        let collected = body.collect().await.unwrap().to_bytes();
        assert_eq!(&collected[..], b"abc");
        assert!(read.load(Ordering::Relaxed));

        let (empty, read) = tracked(Body::empty());
        assert!(empty.is_end_stream());
        assert_eq!(empty.size_hint().exact(), Some(0));
        assert!(!read.load(Ordering::Relaxed), "nothing was read yet");
    }
}
