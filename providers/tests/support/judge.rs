//! What the contract tests share: calling every tool against a stand-in, gathering what a
//! published description (or a reference client) finds wrong with the requests, and failing
//! with every problem at once.

use mcp_runtime::{McpServer, ToolContext};
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond};

/// A stand-in on loopback answering every request as `answer` says.
pub async fn stand_in(answer: impl Respond + 'static) -> MockServer {
    let upstream = MockServer::start().await;
    Mock::given(any())
        .respond_with(answer)
        .mount(&upstream)
        .await;
    upstream
}

/// Calls each tool with its arguments and context; each call that failed, as
/// `{tool} {arguments}: {message}`.
pub async fn failed_calls<S: McpServer>(
    server: &S,
    calls: impl IntoIterator<Item = (&str, Value, ToolContext)>,
) -> Vec<String> {
    let mut failures = Vec::new();
    for (tool, arguments, ctx) in calls {
        let result = server
            .call_tool(tool, arguments.clone(), ctx)
            .await
            .expect("a known tool");
        if result.is_error {
            failures.push(format!("{tool} {arguments}: {}", result.text()));
        }
    }
    failures
}

/// Each call in a context of its own with nothing in it (the server's configured token).
pub fn in_new_contexts(
    calls: Vec<(&str, Value)>,
) -> impl Iterator<Item = (&str, Value, ToolContext)> {
    calls
        .into_iter()
        .map(|(tool, arguments)| (tool, arguments, ToolContext::new()))
}

/// What `judge` finds wrong with each request `upstream` received.
pub async fn request_problems(
    upstream: &MockServer,
    judge: impl Fn(&Request) -> Vec<String>,
) -> Vec<String> {
    upstream
        .received_requests()
        .await
        .unwrap()
        .iter()
        .flat_map(judge)
        .collect()
}

/// Fails the test with every problem, counted, if there is any.
pub fn assert_no_problems(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Fails the test naming a tool of `S` that is not among `checked`.
pub fn assert_every_tool_checked<S: McpServer>(checked: &[&str]) {
    for tool in S::METADATA.tools {
        assert!(checked.contains(&tool.name), "{} is not checked", tool.name);
    }
}
