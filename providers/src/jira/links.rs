//! Links between issues.

use mcp_runtime::prelude::*;
use serde_json::json;

use super::*;

#[mcp_tools]
impl Jira {
    /// List the kinds of links between issues (blocks, duplicates, relates to, ...).
    #[tool(
        stake = "never_ask",
        running = "Listing link types",
        done = "List link types"
    )]
    async fn get_issue_link_types(&self, ctx: &ToolContext) -> ToolResult {
        let types: types::LinkTypes = self.client.get("/issueLinkType").send(ctx).await?;
        Ok(ToolOutput::markdown(render::link_types(
            &types.issue_link_types,
        )))
    }

    /// Link two issues with a link type from `get_issue_link_types`.
    #[tool(stake = "low", running = "Linking issues", done = "Link issues")]
    async fn create_issue_link(&self, ctx: &ToolContext, args: CreateIssueLink) -> ToolResult {
        self.client
            .post("/issueLink")
            .json(&json!({
                "type": {"name": args.link_type},
                "inwardIssue": {"key": args.inward_issue_key},
                "outwardIssue": {"key": args.outward_issue_key},
            }))
            .empty(ctx)
            .await?;
        Ok(ToolOutput::markdown(format!(
            "Linked from {} to {} as `{}` ({} is the outward issue: for `Blocks`, it blocks {}).",
            args.outward_issue_key,
            args.inward_issue_key,
            args.link_type,
            args.outward_issue_key,
            args.inward_issue_key
        )))
    }

    /// Remove a link between two issues, by the link id `get_issue` shows.
    #[tool(stake = "low", running = "Unlinking issues", done = "Unlink issues")]
    async fn delete_issue_link(&self, ctx: &ToolContext, args: DeleteIssueLink) -> ToolResult {
        self.client
            .delete(format!("/issueLink/{}", &args.link_id))
            .empty(ctx)
            .await?;
        Ok(ToolOutput::markdown(format!(
            "Deleted link {}.",
            args.link_id
        )))
    }
}
