//! A host's tool filter: a tool it does not serve is neither listed nor callable, and never
//! suggested for a misspelt name.

use std::sync::Arc;

use mcp_runtime::host::serve::{HttpConfig, http_router};
use mcp_runtime::host::{CallOptions, SharedServer};
use mcp_runtime::{CallError, McpServer, Stake, ToolContext};
use serde_json::json;
use tests::desk::Desk;

mod support;
use support::http::{post, send};

/// Only what never asks.
fn reads_only() -> CallOptions {
    CallOptions::new().with_tool_filter(Arc::new(|_, tool| tool.stake == Stake::NeverAsk))
}

#[tokio::test]
async fn a_tool_left_out_is_unknown_and_never_suggested() {
    let options = reads_only();
    let ran = Desk
        .call_tool_with("read_notes", json!({}), ToolContext::new(), &options)
        .await
        .unwrap();
    assert_eq!(ran.text(), "ran read_notes");
    let hidden = Desk
        .call_tool_with(
            "add_note",
            json!({"text": "x"}),
            ToolContext::new(),
            &options,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&hidden, CallError::UnknownTool { name, suggestion, .. } if name == "add_note" && *suggestion != Some("add_note")),
        "{hidden:?}"
    );
    let misspelt = Desk
        .call_tool_with("delete_note", json!({}), ToolContext::new(), &options)
        .await
        .unwrap_err();
    assert!(
        matches!(&misspelt, CallError::UnknownTool { suggestion, .. } if *suggestion != Some("delete_notes")),
        "`delete_notes` is not served, so not suggested: {misspelt:?}"
    );
}

#[tokio::test]
async fn a_tool_left_out_is_not_listed() {
    let router = http_router(
        &[SharedServer::new(Desk)],
        &HttpConfig {
            calls: reads_only(),
            ..HttpConfig::default()
        },
    );
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {}
    }}});
    let headers = [
        ("mcp-protocol-version", "2026-07-28"),
        ("mcp-method", "tools/list"),
    ];
    let listed = send(&router, post(&headers, body.to_string()))
        .await
        .message();
    let names: Vec<&str> = listed["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|tool| tool["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["read_notes", "whoami"], "{listed}");
}
