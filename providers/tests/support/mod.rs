//! What the provider tests share: fixtures, quick retries, a user's call, what a stand-in should
//! have received, reading a call's outcome, and reading an authorization URL.

// Each test crate that includes this module uses only part of it.
#![allow(dead_code)]

pub mod contracts;
pub mod discovery;
pub mod host;
pub mod judge;
pub mod logs;
pub mod openapi;
pub mod postgres;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use mcp_runtime::host::{CallOptions, ERROR_META_KEY};
use mcp_runtime::{CallToolResult, McpServer, RunIds, ToolContext};
use providers::connect::{ConnectionStore as _, MemoryConnections, Tokens};
use providers::kit::RetrySettings;
use serde_json::Value;
use wiremock::matchers::{HeaderExactMatcher, header};
use wiremock::{MockServer, ResponseTemplate};

/// The text of `tests/fixtures/{provider}/{name}`.
pub fn fixture_text(provider: &str, name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/{provider}/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// A JSON fixture.
pub fn fixture(provider: &str, name: &str) -> Value {
    serde_json::from_str(&fixture_text(provider, name)).expect("fixtures are JSON")
}

/// `200 OK` with a JSON fixture as the body.
pub fn ok(provider: &str, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(fixture(provider, name))
}

/// A call made for `user`, carrying no token: their connection's is used.
pub fn as_user(user: &str) -> ToolContext {
    ToolContext::new().with_ids(RunIds {
        user_id: Some(user.to_owned()),
        ..RunIds::default()
    })
}

/// A connection store holding `user`'s connection to `provider`, with `tokens`.
pub async fn connected(user: &str, provider: &str, tokens: &Tokens) -> Arc<MemoryConnections> {
    let connections = Arc::new(MemoryConnections::default());
    connections.put(user, provider, tokens).await.unwrap();
    connections
}

/// Matches a request carrying `token` as its bearer token.
pub fn bearer(token: &str) -> HeaderExactMatcher {
    header("authorization", format!("Bearer {token}").as_str())
}

/// Fails the test if `upstream` received any request.
pub async fn assert_no_requests(upstream: &MockServer) {
    assert!(upstream.received_requests().await.unwrap().is_empty());
}

/// Retries that keep the tests quick: the backoff is 10 ms, `Retry-After` up to 5 s is waited.
pub fn quick_retries() -> RetrySettings {
    RetrySettings {
        attempts: 3,
        first_backoff: Duration::from_millis(10),
        longest_wait: Duration::from_secs(5),
    }
}

/// Calls `tool` through the generated call path, stopped after 10 s: a call that waits for
/// what never comes (a retry that should not be made) fails the test instead of hanging it.
pub async fn call<S: McpServer>(
    server: &S,
    tool: &str,
    arguments: Value,
    ctx: ToolContext,
) -> CallToolResult {
    let options = CallOptions::new().with_timeout_cap(Duration::from_secs(10));
    server
        .call_tool_with(tool, arguments, ctx, &options)
        .await
        .expect("a known tool")
}

/// The text of a call that must succeed.
pub async fn text<S: McpServer>(
    server: &S,
    tool: &str,
    arguments: Value,
    ctx: ToolContext,
) -> String {
    let result = call(server, tool, arguments, ctx).await;
    assert!(!result.is_error, "{}", result.text());
    result.text()
}

/// The kind of a failed call (`not_found`, `provider`, ...).
pub fn error_kind(result: &CallToolResult) -> &str {
    result.meta.as_ref().expect("errors carry meta")[ERROR_META_KEY]["kind"]
        .as_str()
        .expect("a kind")
}

/// An authorization URL's address (what comes before the `?`) and its query's parameters.
pub fn address_and_query(url: &str) -> (String, HashMap<String, String>) {
    let url = reqwest::Url::parse(url).unwrap();
    let address = url
        .as_str()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_owned();
    (address, url.query_pairs().into_owned().collect())
}
