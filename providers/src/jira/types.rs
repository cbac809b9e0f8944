//! Jira's responses, as far as the tools read them. An issue's fields stay JSON: which fields an
//! issue has depends on the site's configuration (custom fields), and the renderer picks the
//! ones it knows.

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
    pub fields: Map<String, Value>,
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

/// Anything with a name (a status, a priority).
#[derive(Debug, Deserialize)]
pub struct Named {
    pub name: String,
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
