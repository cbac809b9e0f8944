//! The GraphQL queries for what only GraphQL offers (projects v2, discussions), with the shapes
//! of their answers.

use serde::Deserialize;

use super::types::User;

/// One page of a connection.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

/// `{ totalCount }`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Count {
    pub total_count: u64,
}

/// `{ nodes: [...] }`. GitHub's connections list their nodes as nullable (a node the token may
/// not see is `null`): those are left out.
#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Nodes<T> {
    #[serde(deserialize_with = "present_nodes")]
    pub nodes: Vec<T>,
}

fn present_nodes<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    let nodes: Option<Vec<Option<T>>> = Option::deserialize(deserializer)?;
    Ok(nodes.unwrap_or_default().into_iter().flatten().collect())
}

/// `{ repository: ... }`; GitHub answers `null` for a repository it cannot see.
#[derive(Debug, Deserialize)]
pub struct InRepository<T> {
    pub repository: Option<T>,
}

pub const ISSUE_PROJECT_FIELDS: &str = r#"
query($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) {
    issue(number: $number) {
      title
      projectItems(first: 20) {
        nodes {
          project { id title number }
          fieldValues(first: 50) {
            nodes {
              __typename
              ... on ProjectV2ItemFieldTextValue { text field { ... on ProjectV2FieldCommon { name } } }
              ... on ProjectV2ItemFieldNumberValue { number field { ... on ProjectV2FieldCommon { name } } }
              ... on ProjectV2ItemFieldDateValue { date field { ... on ProjectV2FieldCommon { name } } }
              ... on ProjectV2ItemFieldSingleSelectValue { name field { ... on ProjectV2FieldCommon { name } } }
              ... on ProjectV2ItemFieldIterationValue { title field { ... on ProjectV2FieldCommon { name } } }
            }
          }
        }
      }
    }
  }
}"#;

#[derive(Debug, Deserialize)]
pub struct IssueWithProjects {
    pub issue: Option<IssueProjects>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssueProjects {
    pub title: String,
    pub project_items: Nodes<ProjectItem>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectItem {
    pub project: ProjectRef,
    pub field_values: Nodes<FieldValue>,
}

#[derive(Debug, Deserialize)]
pub struct ProjectRef {
    pub id: String,
    pub title: String,
    pub number: u64,
}

/// A field's value on a project item; which of the value keys is set depends on the field's type.
#[derive(Debug, Deserialize)]
pub struct FieldValue {
    pub field: Option<FieldName>,
    pub text: Option<String>,
    pub number: Option<f64>,
    pub date: Option<String>,
    pub name: Option<String>,
    pub title: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct FieldName {
    pub name: Option<String>,
}

pub const ORGANIZATION_PROJECTS: &str = r#"
query($owner: String!) {
  organization(login: $owner) {
    projectsV2(first: 50, orderBy: {field: UPDATED_AT, direction: DESC}) {
      totalCount
      nodes {
        id number title shortDescription closed url
        fields(first: 30) {
          nodes {
            __typename
            ... on ProjectV2FieldCommon { id name }
            ... on ProjectV2SingleSelectField { options { id name } }
          }
        }
      }
    }
  }
}"#;

#[derive(Debug, Deserialize)]
pub struct OrganizationProjects {
    pub organization: Option<Organization>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    pub projects_v2: ProjectConnection,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectConnection {
    pub total_count: u64,
    #[serde(deserialize_with = "present_nodes")]
    pub nodes: Vec<Project>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    pub id: String,
    pub number: u64,
    pub title: String,
    pub short_description: Option<String>,
    pub closed: bool,
    pub url: String,
    pub fields: Nodes<ProjectField>,
}

#[derive(Debug, Deserialize)]
pub struct ProjectField {
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub options: Vec<FieldOption>,
}

#[derive(Debug, Deserialize)]
pub struct FieldOption {
    pub id: String,
    pub name: String,
}

pub const ADD_TO_PROJECT: &str = r#"
mutation($projectId: ID!, $contentId: ID!) {
  addProjectV2ItemById(input: {projectId: $projectId, contentId: $contentId}) { item { id } }
}"#;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddedToProject {
    pub add_project_v2_item_by_id: AddedItem,
}

#[derive(Debug, Deserialize)]
pub struct AddedItem {
    pub item: ItemId,
}

#[derive(Debug, Deserialize)]
pub struct ItemId {
    pub id: String,
}

pub const SET_SINGLE_SELECT_FIELD: &str = r#"
mutation($projectId: ID!, $itemId: ID!, $fieldId: ID!, $optionId: String!) {
  updateProjectV2ItemFieldValue(input: {projectId: $projectId, itemId: $itemId, fieldId: $fieldId, value: {singleSelectOptionId: $optionId}}) {
    projectV2Item { id }
  }
}"#;

pub const DISCUSSION_CATEGORIES: &str = r#"
query($owner: String!, $repo: String!) {
  repository(owner: $owner, name: $repo) {
    discussionCategories(first: 50) { nodes { id name description isAnswerable } }
  }
}"#;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Categories {
    pub discussion_categories: Nodes<Category>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Category {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub is_answerable: bool,
}

pub const DISCUSSIONS: &str = r#"
query($owner: String!, $repo: String!, $first: Int!, $after: String, $categoryId: ID) {
  repository(owner: $owner, name: $repo) {
    discussions(first: $first, after: $after, categoryId: $categoryId, orderBy: {field: UPDATED_AT, direction: DESC}) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { number title updatedAt author { login } category { name } comments { totalCount } answer { id } }
    }
  }
}"#;

#[derive(Debug, Deserialize)]
pub struct DiscussionList {
    pub discussions: DiscussionConnection,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscussionConnection {
    pub total_count: u64,
    pub page_info: PageInfo,
    #[serde(deserialize_with = "present_nodes")]
    pub nodes: Vec<DiscussionSummary>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscussionSummary {
    pub number: u64,
    pub title: String,
    pub updated_at: String,
    pub author: Option<User>,
    pub category: CategoryName,
    pub comments: Count,
    pub answer: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
pub struct CategoryName {
    pub name: String,
}

pub const DISCUSSION: &str = r#"
query($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) {
    discussion(number: $number) {
      id number title body url createdAt closed
      author { login } category { name } comments { totalCount }
      answer { author { login } body }
    }
  }
}"#;

#[derive(Debug, Deserialize)]
pub struct OneDiscussion {
    pub discussion: Option<Discussion>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Discussion {
    pub id: String,
    pub number: u64,
    pub title: String,
    pub body: String,
    pub url: String,
    pub created_at: String,
    pub closed: bool,
    pub author: Option<User>,
    pub category: CategoryName,
    pub comments: Count,
    pub answer: Option<Answer>,
}

#[derive(Debug, Deserialize)]
pub struct Answer {
    pub author: Option<User>,
    pub body: String,
}

pub const DISCUSSION_COMMENTS: &str = r#"
query($owner: String!, $repo: String!, $number: Int!, $first: Int!, $after: String) {
  repository(owner: $owner, name: $repo) {
    discussion(number: $number) {
      title
      comments(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes {
          id body createdAt isAnswer author { login }
          replies(first: 20) { totalCount nodes { id body createdAt author { login } } }
        }
      }
    }
  }
}"#;

#[derive(Debug, Deserialize)]
pub struct DiscussionWithComments {
    pub discussion: Option<CommentedDiscussion>,
}

#[derive(Debug, Deserialize)]
pub struct CommentedDiscussion {
    pub title: String,
    pub comments: CommentConnection,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommentConnection {
    pub total_count: u64,
    pub page_info: PageInfo,
    #[serde(deserialize_with = "present_nodes")]
    pub nodes: Vec<DiscussionComment>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscussionComment {
    pub id: String,
    pub body: String,
    pub created_at: String,
    #[serde(default)]
    pub is_answer: bool,
    pub author: Option<User>,
    pub replies: Option<Replies>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Replies {
    pub total_count: u64,
    #[serde(deserialize_with = "present_nodes")]
    pub nodes: Vec<DiscussionComment>,
}

pub const REPOSITORY_ID: &str = r#"
query($owner: String!, $repo: String!) { repository(owner: $owner, name: $repo) { id } }"#;

pub const DISCUSSION_ID: &str = r#"
query($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) { discussion(number: $number) { id } }
}"#;

#[derive(Debug, Deserialize)]
pub struct NodeId {
    pub id: String,
}

#[derive(Debug, Deserialize)]
pub struct DiscussionId {
    pub discussion: Option<NodeId>,
}

pub const CREATE_DISCUSSION: &str = r#"
mutation($repositoryId: ID!, $categoryId: ID!, $title: String!, $body: String!) {
  createDiscussion(input: {repositoryId: $repositoryId, categoryId: $categoryId, title: $title, body: $body}) {
    discussion { number url }
  }
}"#;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedDiscussion {
    pub create_discussion: CreatedDiscussionPayload,
}

#[derive(Debug, Deserialize)]
pub struct CreatedDiscussionPayload {
    pub discussion: NumberAndUrl,
}

#[derive(Debug, Deserialize)]
pub struct NumberAndUrl {
    pub number: u64,
    pub url: String,
}

pub const COMMENT_ON_DISCUSSION: &str = r#"
mutation($discussionId: ID!, $body: String!, $replyToId: ID) {
  addDiscussionComment(input: {discussionId: $discussionId, body: $body, replyToId: $replyToId}) {
    comment { id url }
  }
}"#;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddedComment {
    pub add_discussion_comment: AddedCommentPayload,
}

#[derive(Debug, Deserialize)]
pub struct AddedCommentPayload {
    pub comment: CommentRef,
}

#[derive(Debug, Deserialize)]
pub struct CommentRef {
    pub id: String,
    pub url: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_nodes_and_a_null_list_are_left_out() {
        let nodes: Nodes<Count> = serde_json::from_value(serde_json::json!({
            "nodes": [{"totalCount": 1}, null, {"totalCount": 3}]
        }))
        .unwrap();
        let counts: Vec<u64> = nodes.nodes.iter().map(|count| count.total_count).collect();
        assert_eq!(counts, [1, 3]);
        let none: Nodes<Count> =
            serde_json::from_value(serde_json::json!({"nodes": null})).unwrap();
        assert!(none.nodes.is_empty());
    }
}
