//! The arguments of the GitHub tools, named on the wire as the reference integration names them.

use mcp_runtime::prelude::*;

use crate::kit::{Segment, SegmentRule};

/// A GitHub account or repository name, safe in a URL path.
pub type Name = Segment<GithubName>;

/// The rule of GitHub account and repository names: letters, digits, `-`, `_` and `.`, and not
/// `.` or `..`.
#[derive(Debug)]
pub enum GithubName {}

impl SegmentRule for GithubName {
    const PATTERN: &'static str = r"^(?!\.{1,2}$)[A-Za-z0-9._-]+$";
    const EXPECTED: &'static str = "a GitHub name such as `octocat` or `hello-world`";

    fn accepts(value: &str) -> bool {
        !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && value != "."
            && value != ".."
    }
}

/// A repository.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct Repository {
    /// The account owning the repository, e.g. `rust-lang`.
    pub owner: Name,
    /// The repository's name, e.g. `rust`.
    pub repo: Name,
}

/// Arguments of `create_issue`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CreateIssue {
    /// The account owning the repository.
    pub owner: Name,
    /// The repository's name.
    pub repo: Name,
    /// The issue's title.
    pub title: String,
    /// The issue's body, in GitHub markdown.
    #[serde(default)]
    pub body: Option<String>,
    /// Logins to assign.
    #[serde(default)]
    pub assignees: Option<Vec<String>>,
    /// Label names to add.
    #[serde(default)]
    pub labels: Option<Vec<String>>,
}

/// An issue's state.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IssueState {
    /// Open.
    Open,
    /// Closed.
    Closed,
}

/// Why an issue changed state.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StateReason {
    /// Done.
    Completed,
    /// Will not be done.
    NotPlanned,
    /// Opened again.
    Reopened,
}

/// Arguments of `update_issue`; fields left out are not changed.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateIssue {
    /// The account owning the repository.
    pub owner: Name,
    /// The repository's name.
    pub repo: Name,
    /// The issue's number.
    pub issue_number: u64,
    /// A new title.
    #[serde(default)]
    pub title: Option<String>,
    /// A new body, in GitHub markdown.
    #[serde(default)]
    pub body: Option<String>,
    /// Open or close the issue.
    #[serde(default)]
    pub state: Option<IssueState>,
    /// Why it is closed or reopened.
    #[serde(default)]
    pub state_reason: Option<StateReason>,
    /// Logins to assign, replacing the current assignees.
    #[serde(default)]
    pub assignees: Option<Vec<String>>,
    /// Label names, replacing the current labels.
    #[serde(default)]
    pub labels: Option<Vec<String>>,
    /// The milestone's number.
    #[serde(default)]
    pub milestone: Option<u64>,
}

/// An issue (or pull request conversation).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssueRef {
    /// The account owning the repository.
    pub owner: Name,
    /// The repository's name.
    pub repo: Name,
    /// The issue's number.
    pub issue_number: u64,
}

/// Arguments of `comment_on_issue`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommentOnIssue {
    /// The account owning the repository.
    pub owner: Name,
    /// The repository's name.
    pub repo: Name,
    /// The issue's (or pull request's) number.
    pub issue_number: u64,
    /// The comment, in GitHub markdown.
    pub body: String,
}

/// Arguments of `get_issue_custom_fields`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssueCustomFields {
    /// The account owning the repository.
    pub owner: Name,
    /// The repository's name.
    pub repo: Name,
    /// The issue's number.
    pub issue_number: u64,
    /// Only this project's fields (its node id, from `list_organization_projects`).
    #[serde(default)]
    pub project_id: Option<String>,
}

/// Which items a listing shows.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListState {
    /// Open only (the default).
    Open,
    /// Closed only.
    Closed,
    /// Both.
    All,
}

/// Sort direction.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Oldest first.
    Asc,
    /// Newest first (the default).
    Desc,
}

/// How `list_issues` sorts.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IssueSort {
    /// By creation time (the default).
    Created,
    /// By last update.
    Updated,
    /// By number of comments.
    Comments,
}

/// Arguments of `list_issues`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListIssues {
    /// The account owning the repository.
    pub owner: Name,
    /// The repository's name.
    pub repo: Name,
    /// Open, closed or all issues (default open).
    #[serde(default)]
    pub state: Option<ListState>,
    /// Sort order (default created).
    #[serde(default)]
    pub sort: Option<IssueSort>,
    /// Direction (default desc).
    #[serde(default)]
    pub direction: Option<Direction>,
    /// Issues per page, 1 to 100 (default 30).
    #[serde(default)]
    pub per_page: Option<u32>,
    /// The page, from 1.
    #[serde(default)]
    pub page: Option<u32>,
}

/// How `list_pull_requests` sorts.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PullSort {
    /// By creation time (the default).
    Created,
    /// By last update.
    Updated,
    /// By comments and reactions.
    Popularity,
    /// By age, for pull requests open a long time.
    LongRunning,
}

/// Arguments of `list_pull_requests`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListPullRequests {
    /// The account owning the repository.
    pub owner: Name,
    /// The repository's name.
    pub repo: Name,
    /// Open, closed or all pull requests (default open).
    #[serde(default)]
    pub state: Option<ListState>,
    /// Sort order (default created).
    #[serde(default)]
    pub sort: Option<PullSort>,
    /// Direction (default desc).
    #[serde(default)]
    pub direction: Option<Direction>,
    /// Pull requests per page, 1 to 100 (default 30).
    #[serde(default)]
    pub per_page: Option<u32>,
    /// The page, from 1.
    #[serde(default)]
    pub page: Option<u32>,
}

/// Arguments of `search_advanced`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchAdvanced {
    /// GitHub search syntax, e.g. `repo:owner/name is:issue is:open label:bug author:octocat`.
    pub query: String,
    /// Results per page, 1 to 100 (default 30).
    #[serde(default)]
    pub per_page: Option<u32>,
    /// The page, from 1.
    #[serde(default)]
    pub page: Option<u32>,
}

/// A pull request.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PullRequestRef {
    /// The account owning the repository.
    pub owner: Name,
    /// The repository's name.
    pub repo: Name,
    /// The pull request's number.
    pub pull_number: u64,
}

/// The verdict of a review.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReviewEvent {
    /// Approve the changes.
    Approve,
    /// Ask for changes before merging.
    RequestChanges,
    /// Comment without a verdict.
    Comment,
}

/// A comment on one line of a pull request's diff.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct ReviewComment {
    /// The file's path, as `get_pull_request` shows it.
    pub path: String,
    /// The line's position in the file's diff, the number `get_pull_request` prints before it.
    pub position: u64,
    /// The comment, in GitHub markdown.
    pub body: String,
}

/// Arguments of `create_pull_request_review`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateReview {
    /// The account owning the repository.
    pub owner: Name,
    /// The repository's name.
    pub repo: Name,
    /// The pull request's number.
    pub pull_number: u64,
    /// The review's summary, in GitHub markdown.
    pub body: String,
    /// Approve, request changes, or comment.
    pub event: ReviewEvent,
    /// Comments on lines of the diff.
    #[serde(default)]
    pub comments: Option<Vec<ReviewComment>>,
}

/// Arguments of `list_organization_projects`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct OrganizationRef {
    /// The organization's login.
    pub owner: Name,
}

/// A single-select field value to set on the new project item.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProjectFieldValue {
    /// The field's node id, from `list_organization_projects`.
    pub field_id: String,
    /// The option's id, from `list_organization_projects`.
    pub option_id: String,
}

/// Arguments of `add_issue_to_project`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AddIssueToProject {
    /// The account owning the repository.
    pub owner: Name,
    /// The repository's name.
    pub repo: Name,
    /// The issue's number.
    pub issue_number: u64,
    /// The project's node id, from `list_organization_projects`.
    pub project_id: String,
    /// A single-select field to set on the item.
    #[serde(default)]
    pub field: Option<ProjectFieldValue>,
}

/// Arguments of `list_discussions`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListDiscussions {
    /// The account owning the repository.
    pub owner: Name,
    /// The repository's name.
    pub repo: Name,
    /// Only this category (its id, from `list_discussion_categories`).
    #[serde(default)]
    pub category_id: Option<String>,
    /// Discussions per page, 1 to 50 (default 20).
    #[serde(default)]
    pub first: Option<u32>,
    /// The cursor printed at the end of the previous page.
    #[serde(default)]
    pub after: Option<String>,
}

/// A discussion.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiscussionRef {
    /// The account owning the repository.
    pub owner: Name,
    /// The repository's name.
    pub repo: Name,
    /// The discussion's number.
    pub discussion_number: u64,
}

/// Arguments of `get_discussion_comments`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiscussionComments {
    /// The account owning the repository.
    pub owner: Name,
    /// The repository's name.
    pub repo: Name,
    /// The discussion's number.
    pub discussion_number: u64,
    /// Comments per page, 1 to 50 (default 20).
    #[serde(default)]
    pub first: Option<u32>,
    /// The cursor printed at the end of the previous page.
    #[serde(default)]
    pub after: Option<String>,
}

/// Arguments of `create_discussion`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateDiscussion {
    /// The account owning the repository.
    pub owner: Name,
    /// The repository's name.
    pub repo: Name,
    /// The category's id, from `list_discussion_categories`.
    pub category_id: String,
    /// The discussion's title.
    pub title: String,
    /// The discussion's body, in GitHub markdown.
    pub body: String,
}

/// Arguments of `comment_on_discussion`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommentOnDiscussion {
    /// The account owning the repository.
    pub owner: Name,
    /// The repository's name.
    pub repo: Name,
    /// The discussion's number.
    pub discussion_number: u64,
    /// The comment, in GitHub markdown.
    pub body: String,
    /// Reply in the thread of this comment (its id, from `get_discussion_comments`).
    #[serde(default)]
    pub reply_to_id: Option<String>,
}

/// Arguments of `get_file_contents`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetFileContents {
    /// The account owning the repository.
    pub owner: Name,
    /// The repository's name.
    pub repo: Name,
    /// The file's or directory's path in the repository, e.g. `src/main.rs` (empty for the root).
    #[serde(default)]
    pub path: String,
    /// A branch, tag or commit (default: the repository's default branch).
    #[serde(default, rename = "ref")]
    pub reference: Option<String>,
}

/// Arguments of `list_commits`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListCommits {
    /// The account owning the repository.
    pub owner: Name,
    /// The repository's name.
    pub repo: Name,
    /// A branch, tag or commit to list from (default: the default branch).
    #[serde(default)]
    pub sha: Option<String>,
    /// Only commits touching this path.
    #[serde(default)]
    pub path: Option<String>,
    /// Commits per page, 1 to 100 (default 30).
    #[serde(default)]
    pub per_page: Option<u32>,
    /// The page, from 1.
    #[serde(default)]
    pub page: Option<u32>,
}
