//! The arguments of the Jira tools, named on the wire as the reference integration names them.

use mcp_runtime::prelude::*;

use crate::kit::{Segment, SegmentRule};

/// A Jira key or id (`PROJ-42`, `10001`), safe in a URL path.
pub type Key = Segment<JiraKey>;

/// The rule of Jira keys and ids: letters, digits, `-` and `_`.
#[derive(Debug)]
pub enum JiraKey {}

impl SegmentRule for JiraKey {
    const PATTERN: &'static str = r"^[A-Za-z0-9_-]+$";
    const EXPECTED: &'static str = "a Jira key or id such as `PROJ-42` or `10001`";

    fn accepts(value: &str) -> bool {
        !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
    }
}
use serde_json::{Map, Value};

/// An issue.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssueKey {
    /// The issue's key, e.g. `PROJ-42`.
    pub issue_key: Key,
}

/// Arguments of `get_issue`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetIssue {
    /// The issue's key, e.g. `PROJ-42`.
    pub issue_key: Key,
    /// Field ids to read besides the usual ones (see `get_issue_read_fields`), e.g.
    /// `["customfield_10016"]`.
    #[serde(default)]
    pub fields: Option<Vec<String>>,
}

/// A project.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProjectKey {
    /// The project's key, e.g. `PROJ`.
    pub project_key: Key,
}

/// Arguments of `get_projects`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetProjects {
    /// Only projects whose key or name contains this text.
    #[serde(default)]
    pub query: Option<String>,
    /// How many projects to skip, for the next page.
    #[serde(default)]
    pub start_at: Option<u32>,
}

/// How a filter compares.
#[derive(Debug, Clone, Copy, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// The field equals the value (the default).
    #[default]
    Equals,
    /// The field's text contains the value (`~`).
    Contains,
    /// The field does not equal the value.
    NotEquals,
}

/// One condition of `get_issues`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct Filter {
    /// A field: `project`, `status`, `assignee`, `reporter`, `issuetype`, `priority`,
    /// `labels`, `summary`, `text`, `parent`, `sprint`, `created`, `updated`, or a custom field id.
    pub field: String,
    /// The value, e.g. `In Progress`; for `assignee` and `reporter` an account id or
    /// `currentUser()`; for dates `-7d` or `2026-01-31`.
    pub value: String,
    /// How to compare (default equals; dates are compared as "on or after").
    #[serde(default)]
    pub comparison: Comparison,
}

/// Sort direction.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Direction {
    /// Oldest or smallest first.
    Asc,
    /// Newest or largest first.
    Desc,
}

/// A sort order.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SortBy {
    /// The field, e.g. `updated`, `created`, `priority`.
    pub field: String,
    /// The direction.
    pub direction: Direction,
}

/// Arguments of `get_issues`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetIssues {
    /// Conditions the issues all meet.
    pub filters: Vec<Filter>,
    /// Sort order (default most recently updated first).
    #[serde(default)]
    pub sort_by: Option<SortBy>,
    /// Issues per page, 1 to 100 (default 50).
    #[serde(default)]
    pub max_results: Option<u32>,
    /// The token printed at the end of the previous page.
    #[serde(default)]
    pub next_page_token: Option<String>,
}

/// Arguments of `get_issues_using_jql`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetIssuesUsingJql {
    /// A JQL query, e.g. `project = PROJ AND status = "In Progress" ORDER BY updated DESC`.
    pub jql: String,
    /// Issues per page, 1 to 100 (default 50).
    #[serde(default)]
    pub max_results: Option<u32>,
    /// Field ids to read besides the usual ones.
    #[serde(default)]
    pub fields: Option<Vec<String>>,
    /// The token printed at the end of the previous page.
    #[serde(default)]
    pub next_page_token: Option<String>,
}

/// Arguments of `get_issue_create_fields`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetIssueCreateFields {
    /// The project's key, e.g. `PROJ`.
    pub project_key: Key,
    /// The issue type's id, from `get_issue_types`.
    pub issue_type_id: Key,
}

/// Arguments of `get_users`: an exact email address, or part of a name.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetUsers {
    /// Find the user with exactly this email address.
    #[serde(default)]
    pub email_address: Option<String>,
    /// Find users whose name contains this text.
    #[serde(default)]
    pub name: Option<String>,
    /// Users per page, 1 to 100 (default 50).
    #[serde(default)]
    pub max_results: Option<u32>,
    /// How many users to skip, for the next page.
    #[serde(default)]
    pub start_at: Option<u32>,
}

/// Arguments of `read_attachment`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReadAttachment {
    /// The attachment's id, from `get_attachments`.
    pub attachment_id: Key,
}

/// Who may see a comment.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
pub struct Visibility {
    /// `group` or `role`.
    #[serde(rename = "type")]
    pub kind: VisibilityKind,
    /// The group's or role's name, e.g. `Developers`.
    pub value: String,
}

/// What restricts a comment's visibility.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VisibilityKind {
    /// Members of a group.
    Group,
    /// Holders of a project role.
    Role,
}

/// Arguments of `create_comment`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateComment {
    /// The issue's key, e.g. `PROJ-42`.
    pub issue_key: Key,
    /// The comment, in markdown.
    pub body: String,
    /// Restrict the comment to a group or a role.
    #[serde(default)]
    pub visibility: Option<Visibility>,
}

/// Arguments of `transition_issue`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TransitionIssue {
    /// The issue's key, e.g. `PROJ-42`.
    pub issue_key: Key,
    /// The transition's id, from `get_transitions`.
    pub transition_id: String,
}

/// The fields of a new issue.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssueData {
    /// The project's key, e.g. `PROJ`.
    pub project_key: Key,
    /// The issue type's name (e.g. `Bug`, `Task`) or id.
    pub issue_type: String,
    /// A one-line summary.
    pub summary: String,
    /// The description, in markdown.
    #[serde(default)]
    pub description: Option<String>,
    /// The priority's name, e.g. `High`.
    #[serde(default)]
    pub priority: Option<String>,
    /// The assignee's account id, from `get_users`.
    #[serde(default)]
    pub assignee_account_id: Option<String>,
    /// Labels.
    #[serde(default)]
    pub labels: Option<Vec<String>>,
    /// The parent issue's key, for sub-tasks and issues under an epic.
    #[serde(default)]
    pub parent_key: Option<String>,
    /// Other fields by id, as Jira's REST API takes them (see `get_issue_create_fields`).
    #[serde(default)]
    pub fields: Option<Map<String, Value>>,
}

/// Arguments of `create_issue`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateIssue {
    /// The new issue.
    pub issue_data: IssueData,
}

/// Arguments of `update_issue`; fields left out are not changed.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateIssue {
    /// The issue's key, e.g. `PROJ-42`.
    pub issue_key: Key,
    /// A new summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// A new description, in markdown.
    #[serde(default)]
    pub description: Option<String>,
    /// The priority's name, e.g. `High`.
    #[serde(default)]
    pub priority: Option<String>,
    /// The assignee's account id, from `get_users`.
    #[serde(default)]
    pub assignee_account_id: Option<String>,
    /// Labels, replacing the current ones.
    #[serde(default)]
    pub labels: Option<Vec<String>>,
    /// Other fields by id, as Jira's REST API takes them.
    #[serde(default)]
    pub fields: Option<Map<String, Value>>,
}

/// Arguments of `create_issue_link`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateIssueLink {
    /// The link type's name, from `get_issue_link_types`, e.g. `Blocks`.
    pub link_type: String,
    /// The "to" (inward) issue: for `Blocks`, the one that is blocked.
    pub inward_issue_key: String,
    /// The "from" (outward) issue, as Atlassian's documentation calls it: for `Blocks`, the one
    /// that blocks the inward issue.
    pub outward_issue_key: String,
}

/// Arguments of `delete_issue_link`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeleteIssueLink {
    /// The link's id, as `get_issue` shows it.
    pub link_id: Key,
}

/// Arguments of `upload_attachment`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UploadAttachment {
    /// The issue's key, e.g. `PROJ-42`.
    pub issue_key: Key,
    /// The file's name, e.g. `trace.log`.
    pub filename: String,
    /// The file's content, base64-encoded.
    pub content_base64: String,
    /// The media type (default `application/octet-stream`).
    #[serde(default)]
    pub mime_type: Option<String>,
}
