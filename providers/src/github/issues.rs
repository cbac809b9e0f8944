//! Issues and their comments.

use mcp_runtime::prelude::*;
use serde_json::json;

use super::*;
use crate::kit::present;

/// The most comments `get_issue` shows: the latest.
const COMMENTS: u64 = 50;

#[mcp_tools]
impl Github {
    /// Create an issue in a repository.
    #[tool(stake = "low", running = "Creating issue", done = "Create issue")]
    async fn create_issue(&self, ctx: &ToolContext, args: CreateIssue) -> ToolResult {
        let issue: types::Issue = self
            .rest()
            .post(format!("{}/issues", repository(&args.owner, &args.repo)))
            .json(&present(json!({
                "title": args.title,
                "body": args.body,
                "assignees": args.assignees,
                "labels": args.labels,
            })))
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::changed_issue(
            "Created", &issue,
        )))
    }

    /// Update an issue: title, body, state, assignees, labels or milestone. Fields left out are
    /// not changed.
    #[tool(stake = "low", running = "Updating issue", done = "Update issue")]
    async fn update_issue(&self, ctx: &ToolContext, args: UpdateIssue) -> ToolResult {
        let changes = present(json!({
            "title": args.title,
            "body": args.body,
            "state": args.state,
            "state_reason": args.state_reason,
            "assignees": args.assignees,
            "labels": args.labels,
            "milestone": args.milestone,
        }));
        if changes.as_object().is_some_and(serde_json::Map::is_empty) {
            return Err(McpError::invalid_arguments(
                "nothing to change: give at least one of `title`, `body`, `state`, `stateReason`, `assignees`, `labels`, `milestone`",
            ));
        }
        let issue: types::Issue = self
            .rest()
            .patch(format!(
                "{}/issues/{}",
                repository(&args.owner, &args.repo),
                args.issue_number
            ))
            .json(&changes)
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::changed_issue(
            "Updated", &issue,
        )))
    }

    /// Comment on an issue or on a pull request's conversation.
    #[tool(stake = "low", running = "Commenting", done = "Comment")]
    async fn comment_on_issue(&self, ctx: &ToolContext, args: CommentOnIssue) -> ToolResult {
        let comment: types::Comment = self
            .rest()
            .post(format!(
                "{}/issues/{}/comments",
                repository(&args.owner, &args.repo),
                args.issue_number
            ))
            .json(&json!({"body": args.body}))
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(format!(
            "Commented on #{}: {}",
            args.issue_number, comment.html_url
        )))
    }

    /// Get an issue with its labels, assignees and latest comments.
    #[tool(
        stake = "never_ask",
        running = "Retrieving issue",
        done = "Retrieve issue"
    )]
    async fn get_issue(&self, ctx: &ToolContext, args: IssueRef) -> ToolResult {
        let issue = self
            .issue(ctx, &args.owner, &args.repo, args.issue_number)
            .await?;
        let path = format!(
            "{}/issues/{}/comments",
            repository(&args.owner, &args.repo),
            args.issue_number
        );
        // GitHub lists comments oldest first: the latest are on the last pages.
        let last_page = issue.comments.div_ceil(COMMENTS).max(1);
        let page = |page: u64| {
            self.rest()
                .get(path.clone())
                .query("per_page", COMMENTS)
                .query("page", page)
                .send::<Vec<types::Comment>>(ctx)
        };
        let mut comments = page(last_page).await?;
        if (comments.len() as u64) < COMMENTS && last_page > 1 {
            let mut earlier = page(last_page - 1).await?;
            earlier.append(&mut comments);
            let keep = earlier.len().saturating_sub(COMMENTS as usize);
            comments = earlier.split_off(keep);
        }
        Ok(ToolOutput::markdown(render::issue(&issue, &comments)))
    }

    /// List a repository's issues (pull requests left out), newest first unless sorted otherwise.
    #[tool(stake = "never_ask", running = "Listing issues", done = "List issues")]
    async fn list_issues(&self, ctx: &ToolContext, args: ListIssues) -> ToolResult {
        let paging = Paging::of(args.per_page, args.page)?;
        let (issues, next): (Vec<types::Issue>, _) = paging
            .fetch(
                self.rest()
                    .get(format!("{}/issues", repository(&args.owner, &args.repo)))
                    .query_opt("state", args.state.map(wire))
                    .query_opt("sort", args.sort.map(wire))
                    .query_opt("direction", args.direction.map(wire)),
                ctx,
            )
            .await?;
        let issues: Vec<_> = issues
            .into_iter()
            .filter(|issue| issue.pull_request.is_none())
            .collect();
        Ok(ToolOutput::markdown(render::issue_list(
            &args.owner,
            &args.repo,
            &issues,
            paging.page,
            next,
        )))
    }
}
