//! An answer given before its request's body was read says `Connection: close`: the unread body
//! is in the connection, which hyper then closes, and a client that kept it alive would race
//! the close with its next request. Answers to requests whose body was read, or that had none,
//! leave the connection open.

use axum::Router;
use axum::body::Body;
use http::{Request, StatusCode};
use mcp_runtime::host::SharedServer;
use mcp_runtime::host::serve::{HttpConfig, HttpLimits, http_router};
use tests::desk::Desk;

mod support;
use support::http::{Answer, VERSION, initialize, post, send};

fn router(limits: HttpLimits) -> Router {
    http_router(
        &[SharedServer::new(Desk)],
        &HttpConfig {
            protected: Some(support::users::protected()),
            limits,
            ..HttpConfig::default()
        },
    )
}

fn closes(answer: &Answer) -> bool {
    answer.header("connection") == "close"
}

#[tokio::test]
async fn early_answers_end_their_connection_and_say_so() {
    let router = router(HttpLimits::default());
    // No token: refused before the body is read.
    let refused = send(&router, post(&[], initialize(VERSION))).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(closes(&refused), "{:?}", refused.headers);
    // A path nothing is served at.
    let nowhere = Request::post("/nowhere")
        .header("host", "localhost")
        .body(Body::from("{\"jsonrpc\": \"2.0\"}"))
        .unwrap();
    let nowhere = send(&router, nowhere).await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    assert!(closes(&nowhere), "{:?}", nowhere.headers);
    // A body over the limit is read only up to it.
    let mut limits = HttpLimits::default();
    limits.max_body_bytes = 64;
    let authorized = [("authorization", "Bearer bo")];
    let large = send(
        &self::router(limits),
        post(&authorized, initialize(VERSION)),
    )
    .await;
    assert_eq!(large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(closes(&large), "{:?}", large.headers);
}

#[tokio::test]
async fn answers_to_bodies_read_or_absent_keep_their_connection() {
    let router = router(HttpLimits::default());
    let authorized = [("authorization", "Bearer bo")];
    let initialized = send(&router, post(&authorized, initialize(VERSION))).await;
    assert_eq!(initialized.status, StatusCode::OK);
    assert!(!closes(&initialized), "{:?}", initialized.headers);
    // Read whole, then refused: the connection is clean.
    let not_json = send(&router, post(&authorized, "{not json")).await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    assert!(!closes(&not_json), "{:?}", not_json.headers);
    // No body at all.
    let get = Request::get("/nowhere")
        .header("host", "localhost")
        .body(Body::empty())
        .unwrap();
    let nowhere = send(&router, get).await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    assert!(!closes(&nowhere), "{:?}", nowhere.headers);
}
