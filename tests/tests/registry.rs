//! Lookup by name and id, iteration, and calls through the registry.

use mcp_runtime::{CallError, ToolContext};
use serde_json::json;
use tests::registry::SERVERS;

#[test]
fn lookup_by_name_and_id() {
    assert_eq!(SERVERS.len(), 2);
    assert_eq!(SERVERS.get("jira").unwrap().metadata().id, 22);
    assert_eq!(SERVERS.by_id(7).unwrap().metadata().name, "echo");
    assert!(SERVERS.get("nope").is_none());
    assert!(SERVERS.by_id(4).is_none());
    let names: Vec<&str> = SERVERS.iter().map(|entry| entry.metadata().name).collect();
    assert_eq!(names, ["jira", "echo"]);
}

#[test]
fn listing_needs_no_instance() {
    let entry = SERVERS.get("echo").unwrap();
    assert_eq!(entry.catalog().listing()[0]["name"], "echo");
}

#[tokio::test]
async fn calls_go_through_the_registry() {
    let result = SERVERS
        .call_tool("echo", "echo", json!({"text": "hi"}), ToolContext::new())
        .await
        .unwrap();
    assert_eq!(result.text(), "hi");
    let err = SERVERS
        .call_tool("jria", "get_issue", json!({}), ToolContext::new())
        .await
        .unwrap_err();
    assert_eq!(
        err,
        CallError::UnknownServer {
            name: "jria".into(),
            suggestion: Some("jira")
        }
    );
    assert_eq!(
        err.to_string(),
        "unknown server `jria`; did you mean `jira`?"
    );
}
