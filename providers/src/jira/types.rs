//! Jira's responses, as far as the tools read them. An issue's standard fields are typed; the
//! others (custom fields, which depend on the site) are kept beside them as JSON.

use serde::Deserialize;
use serde_json::{Map, Value};

/// A user as Jira references one.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub account_id: String,
    pub display_name: String,
    pub email_address: Option<String>,
    #[serde(default = "active")]
    pub active: bool,
}

fn active() -> bool {
    true
}

/// An issue with the fields asked for.
#[derive(Debug, Deserialize)]
pub struct Issue {
    pub key: String,
    #[serde(default)]
    pub fields: IssueFields,
}

/// An issue's fields: those the tools show, typed (each absent or `null` when not asked for or
/// not set), and any other asked for by id, as Jira sent it.
#[derive(Debug, Default, Deserialize)]
pub struct IssueFields {
    pub summary: Option<String>,
    pub issuetype: Option<Named>,
    pub status: Option<Named>,
    pub priority: Option<Named>,
    pub assignee: Option<Person>,
    pub reporter: Option<Person>,
    pub project: Option<ProjectRef>,
    pub parent: Option<IssueRef>,
    pub labels: Option<Vec<String>>,
    pub created: Option<Timestamp>,
    pub updated: Option<Timestamp>,
    pub issuelinks: Option<Vec<IssueLink>>,
    /// ADF on Cloud.
    pub description: Option<Value>,
    pub comment: Option<Comments>,
    pub attachment: Option<Vec<Attachment>>,
    /// Custom fields and any other field asked for by id.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// Something Jira names: an issue type, a status, a priority.
#[derive(Debug, Deserialize)]
pub struct Named {
    pub name: String,
}

/// A user as an issue field shows one.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub display_name: String,
}

/// The project of an issue.
#[derive(Debug, Deserialize)]
pub struct ProjectRef {
    pub key: String,
    pub name: String,
}

/// Another issue, by key.
#[derive(Debug, Deserialize)]
pub struct IssueRef {
    pub key: String,
}

/// A time Jira gives as an ISO 8601 text or, in some answers, as epoch milliseconds.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Timestamp {
    Text(String),
    EpochMillis(i64),
}

impl Timestamp {
    /// The time as ISO 8601 text (UTC for epoch milliseconds).
    pub fn text(&self) -> String {
        match self {
            Timestamp::Text(text) => text.clone(),
            Timestamp::EpochMillis(millis) => chrono::DateTime::from_timestamp_millis(*millis)
                .map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_default(),
        }
    }
}

/// A link from an issue to another: which side the other is on, and the link type's verbs.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssueLink {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: LinkVerbs,
    pub outward_issue: Option<IssueRef>,
    pub inward_issue: Option<IssueRef>,
}

/// How a link type reads each way: `blocks` / `is blocked by`.
#[derive(Debug, Deserialize)]
pub struct LinkVerbs {
    pub inward: String,
    pub outward: String,
}

/// An issue's comments, as `fields=comment` gives them.
#[derive(Debug, Deserialize)]
pub struct Comments {
    #[serde(default)]
    pub comments: Vec<IssueComment>,
}

/// One comment of an issue.
#[derive(Debug, Deserialize)]
pub struct IssueComment {
    pub author: Option<Person>,
    pub created: Option<Timestamp>,
    /// ADF on Cloud.
    pub body: Option<Value>,
}

/// A page of `POST /search/jql`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchPage {
    pub issues: Vec<Issue>,
    pub next_page_token: Option<String>,
}

/// A field of the site.
#[derive(Debug, Deserialize)]
pub struct Field {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub custom: bool,
    pub schema: Option<FieldSchema>,
}

/// A field's type.
#[derive(Debug, Deserialize)]
pub struct FieldSchema {
    #[serde(rename = "type")]
    pub kind: String,
    pub items: Option<String>,
}

/// A page of `GET /project/search`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectPage {
    pub values: Vec<Project>,
    pub total: Option<u64>,
    #[serde(default)]
    pub is_last: bool,
}

/// A project.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    pub id: String,
    pub key: String,
    pub name: String,
    pub project_type_key: Option<String>,
    pub description: Option<String>,
    pub lead: Option<User>,
    #[serde(default)]
    pub issue_types: Vec<IssueType>,
}

/// A version of a project.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Version {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub released: bool,
    #[serde(default)]
    pub archived: bool,
    pub release_date: Option<String>,
}

/// `GET /issue/{key}/transitions`.
#[derive(Debug, Deserialize)]
pub struct Transitions {
    pub transitions: Vec<Transition>,
}

/// A transition an issue can take now.
#[derive(Debug, Deserialize)]
pub struct Transition {
    pub id: String,
    pub name: String,
    pub to: Named,
}

/// The issue types of a project, from the create metadata.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssueTypes {
    #[serde(alias = "values")]
    pub issue_types: Vec<IssueType>,
}

/// An issue type.
#[derive(Debug, Deserialize)]
pub struct IssueType {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub subtask: bool,
}

/// The fields of the create screen of one issue type.
#[derive(Debug, Deserialize)]
pub struct CreateFields {
    #[serde(alias = "values")]
    pub fields: Vec<CreateField>,
}

/// A field of a create screen.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateField {
    pub field_id: String,
    pub name: String,
    #[serde(default)]
    pub required: bool,
    pub schema: Option<FieldSchema>,
    pub allowed_values: Option<Vec<Value>>,
}

/// `GET /issueLinkType`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkTypes {
    pub issue_link_types: Vec<LinkType>,
}

/// A kind of link between issues.
#[derive(Debug, Deserialize)]
pub struct LinkType {
    pub id: String,
    pub name: String,
    pub inward: String,
    pub outward: String,
}

/// An attachment's metadata.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub id: Value,
    pub filename: String,
    pub size: u64,
    pub mime_type: String,
    pub created: Option<String>,
    pub author: Option<User>,
}

impl Attachment {
    /// The id, which Jira sends as a string in some endpoints and a number in others.
    pub fn id(&self) -> String {
        match &self.id {
            Value::String(id) => id.clone(),
            other => other.to_string(),
        }
    }
}

/// `POST /issue`.
#[derive(Debug, Deserialize)]
pub struct Created {
    pub key: String,
}
