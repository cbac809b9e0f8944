//! The HTTP transport as an OAuth protected resource (RFC 9728), request by request through the
//! router: the metadata is open to all; a request without a bearer token, or with one the
//! validator refuses, gets `401` and the challenge pointing at the metadata; a valid token's
//! principal is the user calls run for. (The Python client covers the same over a socket.)

use std::sync::Arc;

use axum::body::Body;
use http::{Request, StatusCode};
use mcp_runtime::host::SharedServer;
use mcp_runtime::host::serve::{HttpConfig, ProtectedResource, RequiredScopes, http_router};
use serde_json::{Value, json};
use tests::desk::Desk;
use tests::tokens::OneToken;

mod support;
use support::http::{VERSION, call, in_session, initialize, open_session, post, send};

fn resource() -> ProtectedResource {
    ProtectedResource {
        // The trailing slash is not doubled in the metadata's URL.
        resource: "http://localhost:8080/".to_owned(),
        authorization_servers: vec!["https://auth.example.com".to_owned()],
        scopes_supported: vec!["mcp".to_owned()],
        validator: Arc::new(OneToken),
        required_scopes: RequiredScopes::new(),
    }
}

fn router() -> axum::Router {
    router_with(resource())
}

fn router_with(resource: ProtectedResource) -> axum::Router {
    http_router(
        &[SharedServer::new(Desk)],
        &HttpConfig {
            protected: Some(resource),
            ..HttpConfig::default()
        },
    )
}

const CHALLENGE: &str =
    "Bearer resource_metadata=\"http://localhost:8080/.well-known/oauth-protected-resource\"";

#[tokio::test]
async fn the_metadata_is_open_to_all() {
    let answer = send(
        &router(),
        Request::get("/.well-known/oauth-protected-resource")
            .header("host", "localhost")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header("content-type"), "application/json");
    assert_eq!(
        answer.message(),
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
    for authorization in [
        &[][..],
        &[("authorization", "Basic YW5hOnB3")],
        &[("authorization", "good")],
    ] {
        let answer = send(&router, post(authorization, initialize(VERSION))).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{authorization:?}");
        assert_eq!(answer.header("www-authenticate"), CHALLENGE);
        assert_eq!(
            answer.message(),
            json!({"error": "unauthorized", "error_description": "a bearer token is required"})
        );
    }
}

#[tokio::test]
async fn a_refused_token_gets_the_reason_and_is_not_echoed() {
    let answer = send(
        &router(),
        post(
            &[("authorization", "Bearer s3cret-guess")],
            initialize(VERSION),
        ),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    // Quotes in the reason cannot end the header's quoted string.
    assert_eq!(
        answer.header("www-authenticate"),
        format!(
            "{CHALLENGE}, error=\"invalid_token\", error_description=\"the token is not 'good'\""
        )
    );
    assert_eq!(
        answer.message(),
        json!({"error": "invalid_token", "error_description": "the token is not 'good'"})
    );
    assert!(!answer.body.contains("s3cret-guess"));
    assert!(!answer.header("www-authenticate").contains("s3cret-guess"));
}

#[tokio::test]
async fn a_valid_token_names_the_user_calls_run_for() {
    let router = router();
    // The scheme is case-insensitive.
    let session = open_session(&router, &[("authorization", "bearer good")], VERSION).await;
    let headers = [
        &[("authorization", "Bearer good")][..],
        &in_session(&session),
    ]
    .concat();
    let answer = send(&router, post(&headers, call(2, "whoami", json!({})))).await;
    assert_eq!(answer.status, StatusCode::OK);
    let message: Value = answer.message();
    assert_eq!(
        message["result"]["content"][0]["text"],
        "user ana, platform token: none"
    );
}

#[tokio::test]
async fn a_call_needing_a_scope_the_token_lacks_gets_the_step_up_challenge() {
    let required = RequiredScopes::new()
        .server("desk", ["mcp"])
        .tool("desk", "delete_notes", ["notes:delete"])
        .tool("other", "whoami", ["elsewhere"]);
    let router = router_with(ProtectedResource {
        required_scopes: required,
        ..resource()
    });
    let session = open_session(&router, &[("authorization", "Bearer good")], VERSION).await;
    let headers = [
        &[("authorization", "Bearer good")][..],
        &in_session(&session),
    ]
    .concat();
    // `mcp`, which the server needs, the token has.
    let answer = send(&router, post(&headers, call(2, "whoami", json!({})))).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let answer = send(&router, post(&headers, call(3, "delete_notes", json!({})))).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let description = "`delete_notes` of `desk` needs the scope(s) notes:delete";
    assert_eq!(
        answer.header("www-authenticate"),
        format!(
            "Bearer error=\"insufficient_scope\", scope=\"mcp notes:delete\", \
             resource_metadata=\"http://localhost:8080/.well-known/oauth-protected-resource\", \
             error_description=\"{description}\""
        )
    );
    assert_eq!(
        answer.message(),
        json!({"error": "insufficient_scope", "error_description": description,
               "scope": "mcp notes:delete"})
    );
    // The refused call never ran: the session goes on, and the same id is free.
    let answer = send(&router, post(&headers, call(3, "whoami", json!({})))).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

#[tokio::test]
async fn a_batch_cannot_carry_a_call_past_the_scope_check() {
    let router = router_with(ProtectedResource {
        required_scopes: RequiredScopes::new().tool("desk", "delete_notes", ["notes:delete"]),
        ..resource()
    });
    let session = open_session(&router, &[("authorization", "Bearer good")], VERSION).await;
    let headers = [
        &[("authorization", "Bearer good")][..],
        &in_session(&session),
    ]
    .concat();
    let batch = format!("[{}]", call(3, "delete_notes", json!({})));
    let answer = send(&router, post(&headers, batch)).await;
    // Batches are not part of the protocol any more: refused whole, nothing runs.
    assert!(!answer.body.contains("ran delete_notes"), "{}", answer.body);
    assert!(answer.status.is_client_error(), "{}", answer.body);
}

#[test]
fn the_scopes_a_call_needs_are_its_servers_and_its_tools() {
    let required = RequiredScopes::new().server("desk", ["mcp", "desk"]).tool(
        "desk",
        "delete_notes",
        ["notes:delete", "mcp"],
    );
    assert_eq!(
        required
            .of("desk", "delete_notes")
            .into_iter()
            .collect::<Vec<_>>(),
        ["desk", "mcp", "notes:delete"]
    );
    assert_eq!(required.of("desk", "whoami").len(), 2);
    assert!(required.of("jira", "delete_notes").is_empty());
    assert!(RequiredScopes::new().is_empty());
    assert!(!RequiredScopes::new().server("desk", ["mcp"]).is_empty());
    assert!(
        !RequiredScopes::new()
            .tool("desk", "whoami", ["mcp"])
            .is_empty()
    );
}

#[test]
fn the_debug_output_leaves_the_validator_out() {
    assert_eq!(
        format!("{:?}", resource()),
        "ProtectedResource { resource: \"http://localhost:8080/\", authorization_servers: \
         [\"https://auth.example.com\"], scopes_supported: [\"mcp\"], required_scopes: \
         RequiredScopes { by_server: {}, by_tool: {} }, .. }"
    );
}
