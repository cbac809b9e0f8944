//! The HTTP transport as an OAuth protected resource (RFC 9728), request by request through the
//! router: the metadata is open to all; a request without a bearer token, or with one the
//! validator refuses, gets `401` and the challenge pointing at the metadata; a valid token's
//! principal is the user calls run for. (The Python client covers the same over a socket.)

use std::sync::Arc;

use axum::body::Body;
use http::{Request, StatusCode};
use http_body_util::BodyExt as _;
use mcp_runtime::BoxFuture;
use mcp_runtime::host::SharedServer;
use mcp_runtime::host::serve::{
    HttpConfig, InvalidToken, Principal, ProtectedResource, TokenValidator, http_router,
};
use serde_json::{Value, json};
use tests::desk::Desk;
use tower::ServiceExt as _;

/// Accepts `good` (as ana) and refuses anything else, quoting itself.
struct OneToken;

impl TokenValidator for OneToken {
    fn validate<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<Principal, InvalidToken>> {
        Box::pin(async move {
            match token {
                "good" => Ok(Principal {
                    user_id: "ana".to_owned(),
                    scopes: vec!["mcp".to_owned()],
                }),
                _ => Err(InvalidToken("the token is not \"good\"".to_owned())),
            }
        })
    }
}

fn resource() -> ProtectedResource {
    ProtectedResource {
        // The trailing slash is not doubled in the metadata's URL.
        resource: "http://localhost:8080/".to_owned(),
        authorization_servers: vec!["https://auth.example.com".to_owned()],
        scopes_supported: vec!["mcp".to_owned()],
        validator: Arc::new(OneToken),
    }
}

fn router() -> axum::Router {
    http_router(
        &[SharedServer::new(Desk)],
        &HttpConfig {
            protected: Some(resource()),
            ..HttpConfig::default()
        },
    )
}

const CHALLENGE: &str =
    "Bearer resource_metadata=\"http://localhost:8080/.well-known/oauth-protected-resource\"";

/// A JSON-RPC request to the MCP endpoint, with `authorization` if given.
fn post(authorization: Option<&str>, session: Option<&str>, message: Value) -> Request<Body> {
    let mut request = Request::post("/mcp")
        .header("host", "localhost")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream");
    if let Some(authorization) = authorization {
        request = request.header("authorization", authorization);
    }
    if let Some(session) = session {
        request = request
            .header("mcp-session-id", session)
            .header("mcp-protocol-version", "2025-11-25");
    }
    request.body(Body::from(message.to_string())).unwrap()
}

/// Status, `WWW-Authenticate` and body of `request`'s response.
async fn send(router: &axum::Router, request: Request<Body>) -> (StatusCode, String, String) {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, challenge, String::from_utf8(body.to_vec()).unwrap())
}

fn initialize() -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {},
        "clientInfo": {"name": "t", "version": "1"}}})
}

#[tokio::test]
async fn the_metadata_is_open_to_all() {
    let response = router()
        .oneshot(
            Request::get("/.well-known/oauth-protected-resource")
                .header("host", "localhost")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap(),
        json!({
            "resource": "http://localhost:8080/",
            "authorization_servers": ["https://auth.example.com"],
            "scopes_supported": ["mcp"],
            "bearer_methods_supported": ["header"],
        })
    );
}

#[tokio::test]
async fn no_bearer_token_gets_the_challenge() {
    let router = router();
    for authorization in [None, Some("Basic YW5hOnB3"), Some("good")] {
        let (status, challenge, body) =
            send(&router, post(authorization, None, initialize())).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{authorization:?}");
        assert_eq!(challenge, CHALLENGE);
        assert_eq!(
            serde_json::from_str::<Value>(&body).unwrap(),
            json!({"error": "unauthorized", "error_description": "a bearer token is required"})
        );
    }
}

#[tokio::test]
async fn a_refused_token_gets_the_reason_and_is_not_echoed() {
    let (status, challenge, body) = send(
        &router(),
        post(Some("Bearer s3cret-guess"), None, initialize()),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Quotes in the reason cannot end the header's quoted string.
    assert_eq!(
        challenge,
        format!(
            "{CHALLENGE}, error=\"invalid_token\", error_description=\"the token is not 'good'\""
        )
    );
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"error": "invalid_token", "error_description": "the token is not 'good'"})
    );
    assert!(!body.contains("s3cret-guess") && !challenge.contains("s3cret-guess"));
}

#[tokio::test]
async fn a_valid_token_names_the_user_calls_run_for() {
    let router = router();
    // The scheme is case-insensitive.
    let response = router
        .clone()
        .oneshot(post(Some("bearer good"), None, initialize()))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let session = response.headers()["mcp-session-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let (status, ..) = send(
        &router,
        post(Some("Bearer good"), Some(&session), initialized),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let call = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": {"name": "whoami", "arguments": {}}});
    let (status, _, body) = send(&router, post(Some("Bearer good"), Some(&session), call)).await;
    assert_eq!(status, StatusCode::OK);
    // The answer is a server-sent event (after an empty one that primes the stream).
    let answer: Value = body
        .lines()
        .filter_map(|line| line.strip_prefix("data: "))
        .find_map(|data| serde_json::from_str(data).ok())
        .unwrap_or_else(|| panic!("no answer in {body}"));
    assert_eq!(
        answer["result"]["content"][0]["text"],
        "user ana, platform token: none"
    );
}

#[test]
fn the_debug_output_leaves_the_validator_out() {
    assert_eq!(
        format!("{:?}", resource()),
        "ProtectedResource { resource: \"http://localhost:8080/\", authorization_servers: \
         [\"https://auth.example.com\"], scopes_supported: [\"mcp\"], .. }"
    );
}
