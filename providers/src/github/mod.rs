//! `github`: issues, pull requests and reviews, search, files and commits, organization projects
//! and discussions.
//! REST where GitHub offers it, GraphQL where it is the only way (projects v2, discussions).

pub mod args;
mod client;
mod diff;
mod graphql;
mod render;
mod types;

use mcp_runtime::prelude::*;
use serde_json::{Value, json};

pub use client::{Client, DEFAULT_URL, OAUTH};

use crate::kit::page_size;
use args::*;
use graphql::InRepository;

/// The default and the largest page of REST listings.
const PAGE: (u32, u32) = (30, 100);
/// The default and the largest page of GraphQL listings.
const GRAPHQL_PAGE: (u32, u32) = (20, 50);

/// The `github` server.
#[derive(Debug, Clone)]
pub struct Github {
    client: Client,
}

impl Github {
    /// The server reaching the REST API at `base`, with `token` when a call carries none.
    pub fn new(base: &str, token: Option<String>) -> Self {
        Github {
            client: Client::new(base, token),
        }
    }

    /// Takes each user's GitHub token from `connections` (OAuth tokens are renewed there).
    pub fn with_connections(
        mut self,
        connections: std::sync::Arc<dyn crate::connect::ConnectionStore>,
    ) -> Self {
        self.client = self.client.with_connections(connections);
        self
    }

    /// Replaces the retry settings of its upstream requests (tests shorten the backoff).
    pub fn with_retry(mut self, retry: crate::kit::RetrySettings) -> Self {
        self.client = self.client.with_retry(retry);
        self
    }

    fn rest(&self) -> &crate::kit::Api<client::GithubPlatform> {
        self.client.rest()
    }

    async fn issue(
        &self,
        ctx: &ToolContext,
        owner: &str,
        repo: &str,
        number: u64,
    ) -> Result<types::Issue, McpError> {
        self.rest()
            .get(format!("{}/issues/{number}", repository(owner, repo)?))
            .send(ctx)
            .await
    }

    /// A repository's GraphQL data, or a not-found error naming it.
    async fn in_repository<T: serde::de::DeserializeOwned>(
        &self,
        ctx: &ToolContext,
        query: &str,
        variables: Value,
    ) -> Result<T, McpError> {
        let owner = variables["owner"].as_str().unwrap_or_default().to_owned();
        let repo = variables["repo"].as_str().unwrap_or_default().to_owned();
        let found: InRepository<T> = self.client.graphql(ctx, query, variables).await?;
        found.repository.ok_or_else(|| {
            McpError::not_found(format!(
                "GitHub has no repository `{owner}/{repo}` this token can see"
            ))
        })
    }
}

/// The settings of the `github` server (in the environment: `GITHUB_API_URL`, `GITHUB_TOKEN`).
#[derive(Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The REST API's base URL: `https://HOST/api/v3` for GitHub Enterprise Server (default:
    /// `https://api.github.com`).
    pub api_url: Option<String>,
    /// The token used when neither the call nor the user's connection carries one.
    pub token: Option<String>,
}

impl Github {
    /// The server `settings` describe; what the registry builds.
    pub fn from_settings(settings: Settings) -> Result<Self, std::convert::Infallible> {
        let base = settings.api_url.as_deref().unwrap_or(DEFAULT_URL);
        Ok(Github::new(base, settings.token))
    }
}

/// Issues, pull requests and reviews, search, files and commits, organization projects and
/// discussions on GitHub.
#[mcp_server(
    id = 1001,
    availability = "manual",
    name = "github",
    authorization(provider = "github", use_cases(platform_actions, personal_actions)),
    documentation_url = "https://docs.github.com/en/rest",
    timeout_ms = 60_000
)]
impl Github {
    /// Create an issue in a repository.
    #[tool(stake = "low", running = "Creating issue", done = "Create issue")]
    async fn create_issue(&self, ctx: &ToolContext, args: CreateIssue) -> ToolResult {
        let issue: types::Issue = self
            .rest()
            .post(format!("{}/issues", repository(&args.owner, &args.repo)?))
            .json(&json!({
                "title": args.title,
                "body": args.body,
                "assignees": args.assignees,
                "labels": args.labels,
            }))
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
        let mut changes = serde_json::Map::new();
        let fields = [
            ("title", json!(args.title)),
            ("body", json!(args.body)),
            ("state", json!(args.state)),
            ("state_reason", json!(args.state_reason)),
            ("assignees", json!(args.assignees)),
            ("labels", json!(args.labels)),
            ("milestone", json!(args.milestone)),
        ];
        for (field, value) in fields {
            if !value.is_null() {
                changes.insert(field.to_owned(), value);
            }
        }
        if changes.is_empty() {
            return Err(McpError::invalid_arguments(
                "nothing to change: give at least one of `title`, `body`, `state`, `stateReason`, `assignees`, `labels`, `milestone`",
            ));
        }
        let issue: types::Issue = self
            .rest()
            .patch(format!(
                "{}/issues/{}",
                repository(&args.owner, &args.repo)?,
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
                repository(&args.owner, &args.repo)?,
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
        let comments: Vec<types::Comment> = self
            .rest()
            .get(format!(
                "{}/issues/{}/comments",
                repository(&args.owner, &args.repo)?,
                args.issue_number
            ))
            .query("per_page", 50)
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::issue(&issue, &comments)))
    }

    /// Get the project fields (status, priority, iteration, ...) of an issue in the GitHub
    /// projects it belongs to.
    #[tool(
        stake = "never_ask",
        running = "Retrieving project fields",
        done = "Retrieve project fields"
    )]
    async fn get_issue_custom_fields(
        &self,
        ctx: &ToolContext,
        args: IssueCustomFields,
    ) -> ToolResult {
        let found: graphql::IssueWithProjects = self
            .in_repository(
                ctx,
                graphql::ISSUE_PROJECT_FIELDS,
                json!({"owner": args.owner, "repo": args.repo, "number": args.issue_number}),
            )
            .await?;
        let issue = found.issue.ok_or_else(|| {
            McpError::not_found(format!(
                "`{}/{}` has no issue #{}",
                args.owner, args.repo, args.issue_number
            ))
        })?;
        Ok(ToolOutput::markdown(render::custom_fields(
            args.issue_number,
            &issue,
            args.project_id.as_deref(),
        )))
    }

    /// List a repository's issues (pull requests left out), newest first unless sorted otherwise.
    #[tool(stake = "never_ask", running = "Listing issues", done = "List issues")]
    async fn list_issues(&self, ctx: &ToolContext, args: ListIssues) -> ToolResult {
        let paging = Paging::of(args.per_page, args.page)?;
        let issues: Vec<types::Issue> = self
            .rest()
            .get(format!("{}/issues", repository(&args.owner, &args.repo)?))
            .query_opt("state", args.state.map(wire))
            .query_opt("sort", args.sort.map(wire))
            .query_opt("direction", args.direction.map(wire))
            .query("per_page", paging.per_page)
            .query("page", paging.page)
            .send(ctx)
            .await?;
        let more = paging.is_full(issues.len());
        let issues: Vec<_> = issues
            .into_iter()
            .filter(|issue| issue.pull_request.is_none())
            .collect();
        Ok(ToolOutput::markdown(render::issue_list(
            &args.owner,
            &args.repo,
            &issues,
            paging.page,
            more,
        )))
    }

    /// List a repository's pull requests.
    #[tool(
        stake = "never_ask",
        running = "Listing pull requests",
        done = "List pull requests"
    )]
    async fn list_pull_requests(&self, ctx: &ToolContext, args: ListPullRequests) -> ToolResult {
        let paging = Paging::of(args.per_page, args.page)?;
        let pulls: Vec<types::PullRequest> = self
            .rest()
            .get(format!("{}/pulls", repository(&args.owner, &args.repo)?))
            .query_opt("state", args.state.map(wire))
            .query_opt("sort", args.sort.map(wire))
            .query_opt("direction", args.direction.map(wire))
            .query("per_page", paging.per_page)
            .query("page", paging.page)
            .send(ctx)
            .await?;
        let more = paging.is_full(pulls.len());
        Ok(ToolOutput::markdown(render::pull_list(
            &args.owner,
            &args.repo,
            &pulls,
            paging.page,
            more,
        )))
    }

    /// Read a file of a repository (or list a directory) at a branch, tag or commit.
    #[tool(stake = "never_ask", running = "Reading file", done = "Read file")]
    async fn get_file_contents(&self, ctx: &ToolContext, args: GetFileContents) -> ToolResult {
        let contents: types::Contents = self
            .rest()
            .get(format!(
                "{}/contents/{}",
                repository(&args.owner, &args.repo)?,
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
        let commits: Vec<types::PullCommit> = self
            .rest()
            .get(format!("{}/commits", repository(&args.owner, &args.repo)?))
            .query_opt("sha", args.sha.as_deref())
            .query_opt("path", args.path.as_deref())
            .query("per_page", paging.per_page)
            .query("page", paging.page)
            .send(ctx)
            .await?;
        let more = paging.is_full(commits.len());
        Ok(ToolOutput::markdown(render::commits(
            &args.owner,
            &args.repo,
            &commits,
            paging.page,
            more,
        )))
    }

    /// Search issues and pull requests across GitHub with its search syntax
    /// (`repo:`, `org:`, `is:`, `label:`, `author:`, `assignee:`, dates, free text).
    #[tool(stake = "never_ask", running = "Searching", done = "Search")]
    async fn search_advanced(&self, ctx: &ToolContext, args: SearchAdvanced) -> ToolResult {
        let paging = Paging::of(args.per_page, args.page)?;
        let results: types::SearchResults = self
            .rest()
            .get("/search/issues")
            .query("q", &args.query)
            .query("per_page", paging.per_page)
            .query("page", paging.page)
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::search(
            &args.query,
            &results,
            paging.per_page,
            paging.page,
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
            repository(&args.owner, &args.repo)?,
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
            .get(path)
            .accept("application/vnd.github.diff")
            .text(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::pull_request(
            &pull,
            &commits,
            &reviews,
            &diff::with_positions(&diff),
        )))
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
                repository(&args.owner, &args.repo)?,
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

    /// List an organization's GitHub projects with their fields and the options of
    /// single-select fields (the ids `add_issue_to_project` takes).
    #[tool(
        stake = "never_ask",
        running = "Listing projects",
        done = "List projects"
    )]
    async fn list_organization_projects(
        &self,
        ctx: &ToolContext,
        args: OrganizationRef,
    ) -> ToolResult {
        let found: graphql::OrganizationProjects = self
            .client
            .graphql(
                ctx,
                graphql::ORGANIZATION_PROJECTS,
                json!({"owner": args.owner}),
            )
            .await?;
        let organization = found.organization.ok_or_else(|| {
            McpError::not_found(format!(
                "GitHub has no organization `{}` this token can see",
                args.owner
            ))
        })?;
        Ok(ToolOutput::markdown(render::projects(
            &args.owner,
            &organization.projects_v2,
        )))
    }

    /// Add an issue to a GitHub project, optionally setting a single-select field (such as its
    /// status) on the new item.
    #[tool(
        stake = "low",
        running = "Adding issue to project",
        done = "Add issue to project"
    )]
    async fn add_issue_to_project(&self, ctx: &ToolContext, args: AddIssueToProject) -> ToolResult {
        let issue = self
            .issue(ctx, &args.owner, &args.repo, args.issue_number)
            .await?;
        let added: graphql::AddedToProject = self
            .client
            .graphql(
                ctx,
                graphql::ADD_TO_PROJECT,
                json!({"projectId": args.project_id, "contentId": issue.node_id}),
            )
            .await?;
        let item = added.add_project_v2_item_by_id.item.id;
        if let Some(field) = &args.field {
            let _: serde::de::IgnoredAny = self
                .client
                .graphql(
                    ctx,
                    graphql::SET_SINGLE_SELECT_FIELD,
                    json!({"projectId": args.project_id, "itemId": item, "fieldId": field.field_id, "optionId": field.option_id}),
                )
                .await?;
        }
        let field_note = if args.field.is_some() {
            " and set its field"
        } else {
            ""
        };
        Ok(ToolOutput::markdown(format!(
            "Added #{} to the project (item `{item}`){field_note}.",
            args.issue_number
        )))
    }

    /// List a repository's discussion categories with their ids.
    #[tool(
        stake = "never_ask",
        running = "Listing discussion categories",
        done = "List discussion categories"
    )]
    async fn list_discussion_categories(&self, ctx: &ToolContext, args: Repository) -> ToolResult {
        let repository: graphql::Categories = self
            .in_repository(
                ctx,
                graphql::DISCUSSION_CATEGORIES,
                json!({"owner": args.owner, "repo": args.repo}),
            )
            .await?;
        Ok(ToolOutput::markdown(render::categories(
            &args.owner,
            &args.repo,
            &repository.discussion_categories.nodes,
        )))
    }

    /// Get a discussion: its body, category and accepted answer.
    #[tool(
        stake = "never_ask",
        running = "Retrieving discussion",
        done = "Retrieve discussion"
    )]
    async fn get_discussion(&self, ctx: &ToolContext, args: DiscussionRef) -> ToolResult {
        let repository: graphql::OneDiscussion = self
            .in_repository(
                ctx,
                graphql::DISCUSSION,
                json!({"owner": args.owner, "repo": args.repo, "number": args.discussion_number}),
            )
            .await?;
        let discussion = repository
            .discussion
            .ok_or_else(|| no_discussion(&args.owner, &args.repo, args.discussion_number))?;
        Ok(ToolOutput::markdown(render::discussion(&discussion)))
    }

    /// Get the comments of a discussion with their replies, a page at a time.
    #[tool(
        stake = "never_ask",
        running = "Retrieving discussion comments",
        done = "Retrieve discussion comments"
    )]
    async fn get_discussion_comments(
        &self,
        ctx: &ToolContext,
        args: DiscussionComments,
    ) -> ToolResult {
        let first = page_size("first", args.first, GRAPHQL_PAGE)?;
        let repository: graphql::DiscussionWithComments = self
            .in_repository(
                ctx,
                graphql::DISCUSSION_COMMENTS,
                json!({"owner": args.owner, "repo": args.repo, "number": args.discussion_number, "first": first, "after": args.after}),
            )
            .await?;
        let discussion = repository
            .discussion
            .ok_or_else(|| no_discussion(&args.owner, &args.repo, args.discussion_number))?;
        Ok(ToolOutput::markdown(render::discussion_comments(
            args.discussion_number,
            &discussion,
        )))
    }

    /// List a repository's discussions, most recently updated first, a page at a time.
    #[tool(
        stake = "never_ask",
        running = "Listing discussions",
        done = "List discussions"
    )]
    async fn list_discussions(&self, ctx: &ToolContext, args: ListDiscussions) -> ToolResult {
        let first = page_size("first", args.first, GRAPHQL_PAGE)?;
        let repository: graphql::DiscussionList = self
            .in_repository(
                ctx,
                graphql::DISCUSSIONS,
                json!({"owner": args.owner, "repo": args.repo, "first": first, "after": args.after, "categoryId": args.category_id}),
            )
            .await?;
        Ok(ToolOutput::markdown(render::discussions(
            &args.owner,
            &args.repo,
            &repository.discussions,
        )))
    }

    /// Start a discussion in a repository's category.
    #[tool(
        stake = "low",
        running = "Creating discussion",
        done = "Create discussion"
    )]
    async fn create_discussion(&self, ctx: &ToolContext, args: CreateDiscussion) -> ToolResult {
        let repository: graphql::NodeId = self
            .in_repository(
                ctx,
                graphql::REPOSITORY_ID,
                json!({"owner": args.owner, "repo": args.repo}),
            )
            .await?;
        let created: graphql::CreatedDiscussion = self
            .client
            .graphql(
                ctx,
                graphql::CREATE_DISCUSSION,
                json!({"repositoryId": repository.id, "categoryId": args.category_id, "title": args.title, "body": args.body}),
            )
            .await?;
        let discussion = created.create_discussion.discussion;
        Ok(ToolOutput::markdown(format!(
            "Created discussion #{}: {}",
            discussion.number, discussion.url
        )))
    }

    /// Comment on a discussion, or reply to one of its comments.
    #[tool(
        stake = "low",
        running = "Commenting on discussion",
        done = "Comment on discussion"
    )]
    async fn comment_on_discussion(
        &self,
        ctx: &ToolContext,
        args: CommentOnDiscussion,
    ) -> ToolResult {
        let repository: graphql::DiscussionId = self
            .in_repository(
                ctx,
                graphql::DISCUSSION_ID,
                json!({"owner": args.owner, "repo": args.repo, "number": args.discussion_number}),
            )
            .await?;
        let discussion = repository
            .discussion
            .ok_or_else(|| no_discussion(&args.owner, &args.repo, args.discussion_number))?;
        let added: graphql::AddedComment = self
            .client
            .graphql(
                ctx,
                graphql::COMMENT_ON_DISCUSSION,
                json!({"discussionId": discussion.id, "body": args.body, "replyToId": args.reply_to_id}),
            )
            .await?;
        let comment = added.add_discussion_comment.comment;
        Ok(ToolOutput::markdown(format!(
            "Commented on discussion #{} (comment `{}`): {}",
            args.discussion_number, comment.id, comment.url
        )))
    }
}

/// `/repos/{owner}/{repo}`, both names checked.
fn repository(owner: &str, repo: &str) -> Result<String, McpError> {
    Ok(format!(
        "/repos/{}/{}",
        segment("owner", owner)?,
        segment("repo", repo)?
    ))
}

/// A GitHub login or repository name, checked before it goes into a URL path.
fn segment<'a>(field: &str, value: &'a str) -> Result<&'a str, McpError> {
    let valid = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && value != "."
        && value != "..";
    if valid {
        Ok(value)
    } else {
        Err(McpError::invalid_arguments(format!(
            "`{field}` must be a GitHub name such as `octocat` or `hello-world`, not `{value}`"
        )))
    }
}

/// A path inside a repository, each segment percent-encoded; `..` and empty segments refused.
fn repository_path(path: &str) -> Result<String, McpError> {
    let path = path.trim_matches('/');
    if path.is_empty() {
        return Ok(String::new());
    }
    path.split('/')
        .map(|part| {
            if part.is_empty() || part == "." || part == ".." {
                return Err(McpError::invalid_arguments(format!(
                    "`path` must be a path inside the repository such as `src/main.rs`, not `{path}`"
                )));
            }
            Ok(part
                .bytes()
                .map(|byte| match byte {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                        char::from(byte).to_string()
                    }
                    _ => format!("%{byte:02X}"),
                })
                .collect::<String>())
        })
        .collect::<Result<Vec<_>, _>>()
        .map(|parts| parts.join("/"))
}

/// The page of a REST listing a call asked for, checked.
struct Paging {
    per_page: u32,
    page: u32,
}

impl Paging {
    fn of(per_page: Option<u32>, page: Option<u32>) -> Result<Self, McpError> {
        Ok(Paging {
            per_page: page_size("perPage", per_page, PAGE)?,
            page: page.unwrap_or(1).max(1),
        })
    }

    /// Whether a page of `len` items is full, so that another may follow.
    fn is_full(&self, len: usize) -> bool {
        len == self.per_page as usize
    }
}

/// An enum argument as GitHub spells it (its serde name).
fn wire(value: impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(text)) => text,
        _ => String::new(),
    }
}

fn no_discussion(owner: &str, repo: &str, number: u64) -> McpError {
    McpError::not_found(format!("`{owner}/{repo}` has no discussion #{number}"))
}
