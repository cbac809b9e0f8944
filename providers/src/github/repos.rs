//! Files, commits and search in repositories.

use mcp_runtime::prelude::*;

use super::*;

#[mcp_tools]
impl Github {
    /// Read a file of a repository (or list a directory) at a branch, tag or commit.
    #[tool(stake = "never_ask", running = "Reading file", done = "Read file")]
    async fn get_file_contents(&self, ctx: &ToolContext, args: GetFileContents) -> ToolResult {
        let contents: types::Contents = self
            .rest()
            .get(format!(
                "{}/contents/{}",
                repository(&args.owner, &args.repo),
                repository_path(&args.path)?
            ))
            .query_opt("ref", args.reference.as_deref())
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::contents(
            &contents,
            args.reference.as_deref(),
        )))
    }

    /// List a repository's commits, newest first, optionally on a branch or touching a path.
    #[tool(
        stake = "never_ask",
        running = "Listing commits",
        done = "List commits"
    )]
    async fn list_commits(&self, ctx: &ToolContext, args: ListCommits) -> ToolResult {
        let paging = Paging::of(args.per_page, args.page)?;
        let (commits, next): (Vec<types::PullCommit>, _) = paging
            .fetch(
                self.rest()
                    .get(format!("{}/commits", repository(&args.owner, &args.repo)))
                    .query_opt("sha", args.sha.as_deref())
                    .query_opt("path", args.path.as_deref()),
                ctx,
            )
            .await?;
        Ok(ToolOutput::markdown(render::commits(
            &args.owner,
            &args.repo,
            &commits,
            paging.page,
            next,
        )))
    }

    /// Search issues and pull requests across GitHub with its search syntax
    /// (`repo:`, `org:`, `is:`, `label:`, `author:`, `assignee:`, dates, free text). GitHub
    /// requires `is:issue` or `is:pr` in the query; without either, issues are searched.
    #[tool(stake = "never_ask", running = "Searching", done = "Search")]
    async fn search_advanced(&self, ctx: &ToolContext, args: SearchAdvanced) -> ToolResult {
        let paging = Paging::of(args.per_page, args.page)?;
        let scoped = is_scoped(&args.query);
        let query = if scoped {
            args.query.clone()
        } else {
            format!("{} is:issue", args.query)
        };
        let (results, next): (types::SearchResults, _) = paging
            .fetch(self.rest().get("/search/issues").query("q", &query), ctx)
            .await?;
        let mut text = render::search(&query, &results, paging.page, next);
        if !scoped {
            text.push_str(
                "\nThe query named neither `is:issue` nor `is:pr`, one of which GitHub requires, \
                 so issues were searched; add `is:pr` to search pull requests.\n",
            );
        }
        Ok(ToolOutput::markdown(text))
    }
}

/// Whether `query` says whether it searches issues or pull requests, as GitHub requires.
fn is_scoped(query: &str) -> bool {
    query.split_whitespace().any(|term| {
        let term = term.to_ascii_lowercase();
        [
            "is:issue",
            "is:pr",
            "is:pull-request",
            "type:issue",
            "type:pr",
        ]
        .contains(&term.as_str())
    })
}
