//! A call failing because its user has not connected an account sends them, in band, to the
//! host's connect link, where the client opens URLs: an input-required URL elicitation on
//! 2026-07-28, the `-32042` error on 2025-11-25; else the link in the error's text.

use std::sync::Arc;

use axum::Router;
use http::StatusCode;
use mcp_runtime::host::SharedServer;
use mcp_runtime::host::serve::{ConnectLinks, HttpConfig, http_router};
use serde_json::{Value, json};
use tests::jira::Jira;

mod support;
use support::http::{VERSION, call, in_session, post, send};

/// Links to connect Jira only.
#[derive(Debug)]
struct JiraOnly;

impl ConnectLinks for JiraOnly {
    fn link(&self, user_id: &str, provider: &str) -> Option<String> {
        (provider == "jira").then(|| format!("https://host.example/connect/jira?for={user_id}"))
    }
}

fn router(links: Option<Arc<dyn ConnectLinks>>) -> Router {
    http_router(
        &[SharedServer::new(Jira)],
        &HttpConfig {
            connect: links,
            ..HttpConfig::default()
        },
    )
}

/// `whoami` (not connected without a token), stateless, from a client declaring
/// `capabilities`.
async fn whoami_2026(router: &Router, capabilities: Value) -> Value {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {
    "name": "whoami", "arguments": {},
    "_meta": {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": capabilities,
        "io.modelcontextprotocol/clientInfo": {"name": "links", "version": "1"}
    }}});
    let headers = [
        ("mcp-protocol-version", "2026-07-28"),
        ("mcp-method", "tools/call"),
        ("mcp-name", "whoami"),
    ];
    let answer = send(router, post(&headers, body.to_string())).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.message()
}

/// `whoami` in a 2025-11-25 session of a client with `capabilities`.
async fn whoami_2025(router: &Router, capabilities: Value) -> Value {
    let initialize = json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": VERSION, "capabilities": capabilities,
        "clientInfo": {"name": "links", "version": "1"}}});
    let answer = send(router, post(&[], initialize.to_string())).await;
    let session = answer.header("mcp-session-id").to_owned();
    let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    send(router, post(&in_session(&session), initialized.to_string())).await;
    let answer = send(
        router,
        post(&in_session(&session), call(1, "whoami", json!({}))),
    )
    .await;
    answer.message()
}

#[tokio::test]
async fn on_2026_07_28_the_user_is_sent_to_the_link_by_an_input_required_result() {
    let answer = whoami_2026(
        &router(Some(Arc::new(JiraOnly))),
        json!({"elicitation": {"url": {}}}),
    )
    .await;
    let elicitation = &answer["result"]["inputRequests"]["connect"];
    assert_eq!(elicitation["method"], "elicitation/create", "{answer}");
    assert_eq!(elicitation["params"]["mode"], "url");
    assert_eq!(
        elicitation["params"]["url"],
        "https://host.example/connect/jira?for=local"
    );
    assert_eq!(
        elicitation["params"]["message"],
        "Connect your jira account, then try again."
    );
    assert_eq!(
        elicitation["params"]["elicitationId"]
            .as_str()
            .unwrap()
            .len(),
        32
    );
}

/// A client that cannot open links would fail the call on an elicitation it cannot answer: it
/// gets the link in the result's text.
#[tokio::test]
async fn on_2026_07_28_a_client_that_cannot_open_urls_gets_the_link_in_the_text() {
    for capabilities in [json!({}), json!({"elicitation": {"form": {}}})] {
        let answer = whoami_2026(&router(Some(Arc::new(JiraOnly))), capabilities).await;
        let result = &answer["result"];
        assert_eq!(result["isError"], true, "{answer}");
        assert!(result.get("inputRequests").is_none(), "{answer}");
        let texts: Vec<&str> = result["content"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|content| content["text"].as_str())
            .collect();
        assert_eq!(
            texts.last(),
            Some(&"Connect at https://host.example/connect/jira?for=local, then call again."),
            "{answer}"
        );
    }
}

#[tokio::test]
async fn on_2025_11_25_a_client_that_opens_urls_gets_the_url_elicitation_error() {
    let answer = whoami_2025(
        &router(Some(Arc::new(JiraOnly))),
        json!({"elicitation": {"url": {}}}),
    )
    .await;
    assert_eq!(answer["error"]["code"], -32042, "{answer}");
    assert_eq!(
        answer["error"]["data"]["elicitations"][0]["url"],
        "https://host.example/connect/jira?for=local"
    );
    // A client that can only fill forms reads the link in the error.
    let answer = whoami_2025(
        &router(Some(Arc::new(JiraOnly))),
        json!({"elicitation": {}}),
    )
    .await;
    assert_eq!(answer["result"]["isError"], true, "{answer}");
    assert_eq!(
        answer["result"]["content"][1]["text"],
        "Connect at https://host.example/connect/jira?for=local, then call again."
    );
}

#[tokio::test]
async fn without_a_link_the_error_is_the_tools_own() {
    for router in [router(None), {
        #[derive(Debug)]
        struct GithubOnly;
        impl ConnectLinks for GithubOnly {
            fn link(&self, _: &str, provider: &str) -> Option<String> {
                (provider == "github").then(|| "https://host.example/connect/github".to_owned())
            }
        }
        router(Some(Arc::new(GithubOnly)))
    }] {
        let answer = whoami_2026(&router, json!({"elicitation": {"url": {}}})).await;
        assert_eq!(answer["result"]["isError"], true, "{answer}");
        assert_eq!(answer["result"]["content"].as_array().unwrap().len(), 1);
        assert_eq!(
            answer["result"]["_meta"]["mcp-runtime/error"]["kind"],
            "personal_authentication_required"
        );
    }
}
