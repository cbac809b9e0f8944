//! Pull requests, their diffs and reviews.

use mcp_runtime::ErrorKind;
use mcp_runtime::prelude::*;
use serde_json::json;

use super::*;

#[mcp_tools]
impl Github {
    /// List a repository's pull requests.
    #[tool(
        stake = "never_ask",
        running = "Listing pull requests",
        done = "List pull requests"
    )]
    async fn list_pull_requests(&self, ctx: &ToolContext, args: ListPullRequests) -> ToolResult {
        let paging = Paging::of(args.per_page, args.page)?;
        let (pulls, next): (Vec<types::PullRequest>, _) = paging
            .fetch(
                self.rest()
                    .get(format!("{}/pulls", repository(&args.owner, &args.repo)))
                    .query_opt("state", args.state.map(wire))
                    .query_opt("sort", args.sort.map(wire))
                    .query_opt("direction", args.direction.map(wire)),
                ctx,
            )
            .await?;
        Ok(ToolOutput::markdown(render::pull_list(
            &args.owner,
            &args.repo,
            &pulls,
            paging.page,
            next,
        )))
    }

    /// Get a pull request: its description, commits, reviews and diff. Each diff line carries
    /// its position, which `create_pull_request_review` comments refer to.
    #[tool(
        stake = "never_ask",
        running = "Retrieving pull request",
        done = "Retrieve pull request"
    )]
    async fn get_pull_request(&self, ctx: &ToolContext, args: PullRequestRef) -> ToolResult {
        let path = format!(
            "{}/pulls/{}",
            repository(&args.owner, &args.repo),
            args.pull_number
        );
        let pull: types::PullRequest = self.rest().get(path.clone()).send(ctx).await?;
        let commits: Vec<types::PullCommit> = self
            .rest()
            .get(format!("{path}/commits"))
            .query("per_page", 32)
            .send(ctx)
            .await?;
        let reviews: Vec<types::Review> = self
            .rest()
            .get(format!("{path}/reviews"))
            .query("per_page", 50)
            .send(ctx)
            .await?;
        let diff = self
            .rest()
            .get(path.clone())
            .accept("application/vnd.github.diff")
            .text(ctx)
            .await;
        let text = match diff {
            Ok(diff) => render::pull_request(
                &pull,
                &commits,
                &reviews,
                render::Changes::Diff(&diff::with_positions(&diff)),
            ),
            // 406: GitHub does not make diffs of over 300 files or 20 000 lines.
            Err(error) if matches!(error.kind(), ErrorKind::Provider { status: Some(406) }) => {
                let files: Vec<types::PullFile> = self
                    .rest()
                    .get(format!("{path}/files"))
                    .query("per_page", 100)
                    .send(ctx)
                    .await?;
                render::pull_request(&pull, &commits, &reviews, render::Changes::TooLarge(&files))
            }
            Err(error) => return Err(error),
        };
        Ok(ToolOutput::markdown(text))
    }

    /// Review a pull request: approve it, request changes, or comment, with optional comments on
    /// lines of its diff (by the positions `get_pull_request` shows).
    #[tool(
        stake = "high",
        running = "Reviewing pull request",
        done = "Review pull request"
    )]
    async fn create_pull_request_review(
        &self,
        ctx: &ToolContext,
        args: CreateReview,
    ) -> ToolResult {
        let review: types::Review = self
            .rest()
            .post(format!(
                "{}/pulls/{}/reviews",
                repository(&args.owner, &args.repo),
                args.pull_number
            ))
            .json(&json!({
                "body": args.body,
                "event": args.event,
                "comments": args.comments.unwrap_or_default(),
            }))
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(format!(
            "Reviewed #{} ({}): {}",
            args.pull_number, review.state, review.html_url
        )))
    }
}
