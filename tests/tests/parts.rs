//! A server whose tools are split across files (`tests::tracker`): one server, one tool enum, one
//! catalog, every part's tools dispatched.

use mcp_runtime::host::CallOptions;
use mcp_runtime::host::approval::{ApprovalGate, MemoryStore};
use mcp_runtime::{CallError, McpServer, Stake, ToolContext};
use serde_json::json;
use tests::tracker::{Tracker, TrackerTool};

#[test]
fn the_parts_make_one_server() {
    let names: Vec<&str> = Tracker::METADATA
        .tools
        .iter()
        .map(|tool| tool.name)
        .collect();
    assert_eq!(
        names,
        [
            "count_issues",
            "get_issue",
            "create_issue",
            "assign_issue",
            "post_comment"
        ]
    );
    assert_eq!(
        TrackerTool::ALL,
        [
            TrackerTool::CountIssues,
            TrackerTool::GetIssue,
            TrackerTool::CreateIssue,
            TrackerTool::AssignIssue,
            TrackerTool::PostComment,
        ]
    );
    assert_eq!(TrackerTool::PostComment.metadata().stake, Stake::Medium);
    assert_eq!(
        TrackerTool::PostComment.metadata().approval_args,
        ["number"]
    );
    assert_eq!(
        TrackerTool::GetIssue.metadata().description,
        "Get an issue by its number."
    );
    assert_eq!(
        "create_issue".parse::<TrackerTool>(),
        Ok(TrackerTool::CreateIssue)
    );
}

#[test]
fn every_part_has_its_schemas_in_the_catalog() {
    let catalog = Tracker::catalog();
    assert!(catalog.errors().is_empty(), "{:?}", catalog.errors());
    let listing = catalog.listing();
    assert_eq!(listing.len(), 5);
    assert_eq!(listing[0]["inputSchema"]["properties"], json!({}));
    assert_eq!(listing[1]["inputSchema"]["required"], json!(["number"]));
    assert_eq!(
        listing[4]["inputSchema"]["properties"]["body"]["description"],
        "The comment, in markdown."
    );
}

#[tokio::test]
async fn calls_reach_the_handler_in_each_part() {
    let tracker = Tracker::default();
    let created = tracker
        .call(
            TrackerTool::CreateIssue,
            json!({"title": "Flaky"}),
            ToolContext::new(),
        )
        .await
        .unwrap();
    assert_eq!(created.text(), "created #1");
    let issue = tracker
        .call_tool("get_issue", json!({"number": 1}), ToolContext::new())
        .await
        .unwrap();
    assert_eq!(issue.text(), "#1: Flaky");
    let comment = tracker
        .call_tool(
            "post_comment",
            json!({"number": 1, "body": "seen"}),
            ToolContext::new(),
        )
        .await
        .unwrap();
    assert_eq!(comment.text(), "commented on #1");
    let count = tracker
        .call_tool("count_issues", json!({}), ToolContext::new())
        .await
        .unwrap();
    assert_eq!(count.text(), "1");
    let invalid = tracker
        .call_tool("get_issue", json!({"number": "one"}), ToolContext::new())
        .await
        .unwrap();
    assert!(invalid.is_error);
    assert!(invalid.text().contains("number"), "{}", invalid.text());
}

#[tokio::test]
async fn stakes_of_part_tools_are_enforced() {
    let gate = std::sync::Arc::new(ApprovalGate::new(MemoryStore::default()));
    let options = CallOptions::new().with_gate(gate);
    let held = Tracker::default()
        .call_tool_with(
            "create_issue",
            json!({"title": "x"}),
            ToolContext::new(),
            &options,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&held, CallError::ApprovalRequired(request) if request.stake == Stake::Low),
        "{held:?}"
    );
}

#[tokio::test]
async fn approval_args_are_read_by_their_wire_names() {
    assert_eq!(
        TrackerTool::AssignIssue.metadata().approval_args,
        ["assigneeLogin"]
    );
    let gate = std::sync::Arc::new(ApprovalGate::new(MemoryStore::default()));
    let options = CallOptions::new().with_gate(gate.clone());
    let ctx = || {
        ToolContext::new().with_ids(mcp_runtime::RunIds {
            user_id: Some("ana".into()),
            agent_id: Some("helper".into()),
            run_id: None,
        })
    };
    let tracker = Tracker::default();
    let assign = |login: &str| json!({"issueNumber": 1, "assigneeLogin": login});
    let Err(CallError::ApprovalRequired(held)) = tracker
        .call_tool_with("assign_issue", assign("bo"), ctx(), &options)
        .await
    else {
        panic!("a medium call is held");
    };
    assert_eq!(held.label, "assign issue (assigneeLogin: bo)");
    gate.resolve(
        &held.id,
        "ana",
        mcp_runtime::host::approval::Decision::Always,
    )
    .await
    .unwrap();
    let ran = tracker
        .call_tool_with("assign_issue", assign("bo"), ctx(), &options)
        .await
        .unwrap();
    assert_eq!(ran.text(), "assigned #1 to bo");
    // "Always" covered `bo` only: another assignee is asked for again.
    let other = tracker
        .call_tool_with("assign_issue", assign("cy"), ctx(), &options)
        .await;
    assert!(
        matches!(other, Err(CallError::ApprovalRequired(_))),
        "{other:?}"
    );
}
