//! GitHub's responses, as far as the tools read them. Unknown fields are ignored; a missing
//! field the tools need is an error naming the endpoint.

use serde::Deserialize;

/// A user or organization reference.
#[derive(Debug, Deserialize)]
pub struct User {
    pub login: String,
}

/// A label on an issue or pull request.
#[derive(Debug, Deserialize)]
pub struct Label {
    pub name: String,
}

/// A milestone.
#[derive(Debug, Deserialize)]
pub struct Milestone {
    pub title: String,
}

/// An issue (or, in issue listings and searches, a pull request: `pull_request` is set).
#[derive(Debug, Deserialize)]
pub struct Issue {
    pub number: u64,
    pub title: String,
    pub state: String,
    pub state_reason: Option<String>,
    pub html_url: String,
    pub node_id: String,
    pub body: Option<String>,
    pub user: Option<User>,
    #[serde(default)]
    pub labels: Vec<Label>,
    #[serde(default)]
    pub assignees: Vec<User>,
    pub milestone: Option<Milestone>,
    pub comments: u64,
    pub created_at: String,
    pub updated_at: String,
    pub pull_request: Option<serde_json::Value>,
}

/// A comment on an issue or pull request conversation.
#[derive(Debug, Deserialize)]
pub struct Comment {
    pub html_url: String,
    pub body: Option<String>,
    pub user: Option<User>,
    pub created_at: String,
}

/// A branch reference of a pull request.
#[derive(Debug, Deserialize)]
pub struct Branch {
    #[serde(rename = "ref")]
    pub name: String,
}

/// A pull request.
#[derive(Debug, Deserialize)]
pub struct PullRequest {
    pub number: u64,
    pub title: String,
    pub state: String,
    pub html_url: String,
    pub body: Option<String>,
    pub user: Option<User>,
    pub draft: Option<bool>,
    pub merged: Option<bool>,
    pub head: Branch,
    pub base: Branch,
    pub created_at: String,
    pub updated_at: String,
    pub additions: Option<u64>,
    pub deletions: Option<u64>,
    pub changed_files: Option<u64>,
}

/// A file a pull request changes.
#[derive(Debug, Deserialize)]
pub struct PullFile {
    pub filename: String,
    pub status: String,
    pub additions: u64,
    pub deletions: u64,
}

/// A commit of a pull request.
#[derive(Debug, Deserialize)]
pub struct PullCommit {
    pub sha: String,
    pub commit: CommitDetail,
}

/// The git side of a commit.
#[derive(Debug, Deserialize)]
pub struct CommitDetail {
    pub message: String,
    pub author: Option<GitAuthor>,
}

/// A commit's author as git records it.
#[derive(Debug, Deserialize)]
pub struct GitAuthor {
    pub name: String,
    pub date: Option<String>,
}

/// What `GET /repos/{owner}/{repo}/contents/{path}` answers: a directory's entries or a file.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Contents {
    Directory(Vec<ContentEntry>),
    File(FileContent),
}

/// An entry of a directory listing.
#[derive(Debug, Deserialize)]
pub struct ContentEntry {
    #[serde(rename = "type")]
    pub kind: String,
    pub path: String,
    pub size: u64,
}

/// A file, its content base64-encoded (empty, with encoding `none`, above 1 MB).
#[derive(Debug, Deserialize)]
pub struct FileContent {
    pub path: String,
    pub size: u64,
    pub html_url: Option<String>,
    pub encoding: Option<String>,
    #[serde(default)]
    pub content: String,
}

/// A pull request review.
#[derive(Debug, Deserialize)]
pub struct Review {
    pub state: String,
    pub body: Option<String>,
    pub user: Option<User>,
    pub html_url: String,
}

/// The result of an issue search.
#[derive(Debug, Deserialize)]
pub struct SearchResults {
    pub total_count: u64,
    pub incomplete_results: bool,
    pub items: Vec<SearchItem>,
}

/// An issue or pull request found by a search.
#[derive(Debug, Deserialize)]
pub struct SearchItem {
    pub number: u64,
    pub title: String,
    pub state: String,
    pub repository_url: String,
    pub user: Option<User>,
    pub updated_at: String,
    pub pull_request: Option<serde_json::Value>,
}
