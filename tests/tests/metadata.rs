//! What the macros generate: server and tool metadata, annotations, `_meta`, the tool enum,
//! and a 50-tool server's listing.

use mcp_runtime::host::TOOL_META_KEY;
use mcp_runtime::{Availability, Cost, McpServer, RetryPolicy, Stake, ToolName, UseCase};
use serde_json::json;
use tests::jira::{Jira, JiraTool};
use tests::wide::{Wide, WideTool};

#[test]
fn server_metadata() {
    let metadata = Jira::METADATA;
    assert_eq!(metadata.id, 22);
    assert_eq!(metadata.name, "jira");
    assert_eq!(metadata.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(
        metadata.description,
        "Issues, projects and comments in Jira."
    );
    assert_eq!(metadata.availability, Availability::Manual);
    let authorization = metadata.authorization.unwrap();
    assert_eq!(authorization.provider, "jira");
    assert_eq!(
        authorization.use_cases,
        [UseCase::PersonalActions, UseCase::PlatformActions]
    );
    assert_eq!(metadata.icon, Some("JiraLogo"));
    assert!(metadata.allow_multiple_instances);
    assert!(!metadata.preview);
    assert_eq!(metadata.timeout_ms, 500);
    assert_eq!(Wide::METADATA.timeout_ms, 180_000);
}

#[test]
fn tool_metadata() {
    let get = JiraTool::GetIssue.metadata();
    assert_eq!(get.name, "get_issue");
    assert_eq!(get.description, "Get an issue by its key.");
    assert_eq!(get.stake, Stake::NeverAsk);
    assert_eq!(
        (get.running, get.done),
        (Some("Retrieving issue"), Some("Retrieve issue"))
    );
    assert!(
        get.annotations.read_only && get.annotations.idempotent && !get.annotations.destructive
    );

    let post = JiraTool::PostComment.metadata();
    assert_eq!(post.stake, Stake::Medium);
    assert_eq!(post.approval_args, ["key"]);
    assert_eq!(post.title, Some("Post a comment"));

    let search = JiraTool::Search.metadata();
    assert_eq!(
        (search.retry, search.cost, search.eager),
        (RetryPolicy::OnInterrupt, Cost::Advanced, true)
    );

    let delete = JiraTool::DeleteIssue.metadata();
    assert!(delete.annotations.destructive && !delete.annotations.read_only);
}

#[test]
fn the_retry_policy_defaults_from_the_stake() {
    // Reads may run again after an interruption; a tool that asks first never runs twice.
    assert_eq!(
        JiraTool::GetIssue.metadata().retry,
        RetryPolicy::OnInterrupt
    );
    assert_eq!(JiraTool::PostComment.metadata().retry, RetryPolicy::Never);
    assert_eq!(JiraTool::DeleteIssue.metadata().retry, RetryPolicy::Never);
    // An explicit key wins.
    assert_eq!(JiraTool::Sleep.metadata().retry, RetryPolicy::Never);
}

#[test]
fn the_tool_enum_names_every_tool() {
    let names: Vec<&str> = JiraTool::ALL.iter().map(|tool| tool.name()).collect();
    assert_eq!(
        names,
        [
            "get_issue",
            "post_comment",
            "search",
            "issue-summary",
            "whoami",
            "delete_issue",
            "sleep",
            "explode"
        ]
    );
    assert_eq!("issue-summary".parse::<JiraTool>(), Ok(JiraTool::Summary));
    assert!("summary".parse::<JiraTool>().is_err());
    assert_eq!(JiraTool::Summary.to_string(), "issue-summary");
    for (index, tool) in JiraTool::ALL.iter().enumerate() {
        assert_eq!(tool.index(), index);
        assert_eq!(tool.metadata().name, tool.name());
    }
}

#[test]
fn listing_entries_carry_schema_annotations_and_meta() {
    let listing = Jira::catalog().listing();
    assert_eq!(listing.len(), JiraTool::ALL.len());
    assert_eq!(
        listing[1],
        json!({
            "name": "post_comment",
            "title": "Post a comment",
            "description": "Comment on an issue.",
            "inputSchema": {
                "type": "object",
                "properties": {
                    "key": { "type": "string", "description": "Issue key, e.g. `PROJ-42`." },
                    "body": { "type": "string", "description": "Comment body, in markdown." },
                },
                "required": ["key", "body"],
            },
            "annotations": {
                "title": "Post a comment",
                "readOnlyHint": false,
                "destructiveHint": false,
                "idempotentHint": false,
                "openWorldHint": true,
            },
            "_meta": {
                TOOL_META_KEY: { "stake": "medium", "retry": "never", "cost": "basic", "eager": false, "approvalArgs": ["key"] },
            },
        })
    );
    let whoami = &listing[4];
    assert_eq!(
        whoami["inputSchema"],
        json!({ "type": "object", "properties": {}, "additionalProperties": false })
    );
    let summary = &listing[3];
    assert_eq!(
        summary["outputSchema"]["properties"]["open"],
        json!({ "type": "boolean", "description": "Whether it is open." })
    );
}

#[test]
fn a_50_tool_server_lists_every_tool_with_a_valid_schema() {
    let listing = Wide::catalog().listing();
    assert_eq!(listing.len(), 50);
    assert_eq!(WideTool::ALL.len(), 50);
    for tool in listing {
        jsonschema::draft202012::meta::validate(&tool["inputSchema"]).unwrap();
        assert!(
            tool["description"]
                .as_str()
                .is_some_and(|text| !text.is_empty())
        );
    }
    assert_eq!(WideTool::CountSprint.metadata().name, "count_sprint");
    assert!(
        listing
            .iter()
            .filter(|tool| tool.get("outputSchema").is_some())
            .count()
            == 10
    );
}
