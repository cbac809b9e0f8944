//! Split metadata: the trait's tool enum carries metadata without any handler; the server
//! dispatches to the trait impl.

use mcp_runtime::{McpServer, Stake, ToolContext, ToolName};
use serde_json::json;
use tests::split::{Wiki, WikiTool};

#[test]
fn metadata_is_usable_without_handlers() {
    let names: Vec<&str> = WikiTool::ALL.iter().map(|tool| tool.name()).collect();
    assert_eq!(names, ["get_page", "create_page"]);
    assert_eq!(WikiTool::CreatePage.metadata().stake, Stake::Medium);
    assert_eq!(WikiTool::CreatePage.metadata().approval_args, ["space"]);
    assert_eq!("get_page".parse::<WikiTool>(), Ok(WikiTool::GetPage));
}

#[test]
fn the_server_takes_its_tools_from_the_trait() {
    assert_eq!(Wiki::METADATA.name, "wiki");
    assert_eq!(Wiki::METADATA.tools.len(), 2);
    let listing = Wiki::catalog().listing();
    assert_eq!(listing[1]["name"], "create_page");
    assert_eq!(
        listing[1]["inputSchema"]["required"],
        json!(["space", "title"])
    );
}

#[tokio::test]
async fn calls_reach_the_trait_impl() {
    let result = Wiki
        .call_tool(
            "create_page",
            json!({"space": "ENG", "title": "Notes"}),
            ToolContext::new(),
        )
        .await
        .unwrap();
    assert_eq!(result.text(), "created Notes in ENG");
    let handle = tokio::spawn(async {
        Wiki.call_tool("get_page", json!({"id": 7}), ToolContext::new())
            .await
    });
    assert_eq!(handle.await.unwrap().unwrap().text(), "page 7");
}

#[test]
fn tool_index_matches_declaration_order() {
    assert_eq!(WikiTool::CreatePage.index(), 1);
}
