//! Every REST request the GitHub tools send is checked against GitHub's published OpenAPI
//! description (npm `@octokit/openapi`), and answered with that description's own example of
//! the operation's response: what the tools send is what GitHub declares, and what they read is
//! what GitHub says it sends.

mod support;

use std::sync::OnceLock;

use mcp_runtime::McpServer;
use providers::github::Github;
use serde_json::{Value, json};
use support::judge::{
    assert_every_tool_checked, assert_no_problems, failed_calls, in_new_contexts, request_problems,
    stand_in,
};
use support::openapi::{Examples, OpenApi};
use wiremock::matchers::header;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn description() -> OpenApi {
    static SPEC: OnceLock<OpenApi> = OnceLock::new();
    SPEC.get_or_init(|| {
        OpenApi::new(support::contracts::json(
            "@octokit/openapi/generated/api.github.com.json",
        ))
    })
    .clone()
}

/// Each REST tool, called with only its required arguments and with all of them.
fn calls() -> Vec<(&'static str, Value)> {
    let repo = json!({"owner": "octocat", "repo": "Hello-World"});
    let with = |extra: Value| {
        let mut arguments = repo.clone();
        arguments
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        arguments
    };
    vec![
        ("create_issue", with(json!({"title": "Found a bug"}))),
        (
            "create_issue",
            with(
                json!({"title": "Found a bug", "body": "It breaks.", "assignees": ["octocat"], "labels": ["bug"]}),
            ),
        ),
        (
            "update_issue",
            with(json!({"issueNumber": 1347, "title": "Renamed"})),
        ),
        (
            "update_issue",
            with(
                json!({"issueNumber": 1347, "title": "Renamed", "body": "More.", "state": "closed",
                "stateReason": "not_planned", "assignees": [], "labels": ["wontfix"], "milestone": 1}),
            ),
        ),
        (
            "comment_on_issue",
            with(json!({"issueNumber": 1347, "body": "Me too"})),
        ),
        ("get_issue", with(json!({"issueNumber": 1347}))),
        ("list_issues", repo.clone()),
        (
            "list_issues",
            with(
                json!({"state": "all", "sort": "updated", "direction": "asc", "perPage": 10, "page": 2}),
            ),
        ),
        ("list_pull_requests", repo.clone()),
        (
            "list_pull_requests",
            with(
                json!({"state": "closed", "sort": "popularity", "direction": "desc", "perPage": 5, "page": 1}),
            ),
        ),
        ("get_pull_request", with(json!({"pullNumber": 1347}))),
        (
            "create_pull_request_review",
            with(json!({"pullNumber": 1347, "body": "Looks good", "event": "APPROVE"})),
        ),
        (
            "create_pull_request_review",
            with(
                json!({"pullNumber": 1347, "body": "Fix these", "event": "REQUEST_CHANGES",
                "comments": [{"path": "README.md", "position": 2, "body": "Typo"}]}),
            ),
        ),
        ("get_file_contents", with(json!({"path": "README.md"}))),
        (
            "get_file_contents",
            with(json!({"path": "docs/guide.md", "ref": "main"})),
        ),
        ("list_commits", repo.clone()),
        (
            "list_commits",
            with(json!({"sha": "main", "path": "src", "perPage": 20})),
        ),
        (
            "search_advanced",
            json!({"query": "repo:octocat/Hello-World is:open"}),
        ),
        (
            "search_advanced",
            json!({"query": "is:pr author:octocat", "perPage": 5, "page": 2}),
        ),
    ]
}

/// A diff, for the requests that ask for one (the description's examples are JSON).
const DIFF: &str = "diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n@@ -1 +1,2 @@\n Hello\n+World\n";

#[tokio::test]
async fn every_rest_tool_sends_what_github_declares_and_reads_what_it_sends() {
    let spec = description();
    let upstream = stand_in(Examples(spec.clone())).await;
    Mock::given(header("accept", "application/vnd.github.diff"))
        .respond_with(ResponseTemplate::new(200).set_body_string(DIFF))
        .with_priority(1)
        .mount(&upstream)
        .await;
    let github = Github::new(&upstream.uri(), Some("test-token".into()));

    let mut failures = failed_calls(&github, in_new_contexts(calls())).await;
    failures.extend(request_problems(&upstream, |request| spec.problems(request)).await);
    assert_no_problems(&failures);

    // Every REST tool was called.
    let rest_tools: Vec<&str> = calls().iter().map(|(tool, _)| *tool).collect();
    for tool in Github::METADATA.tools {
        let graphql = [
            "get_issue_custom_fields",
            "list_organization_projects",
            "add_issue_to_project",
        ];
        if !tool.name.contains("discussion") && !graphql.contains(&tool.name) {
            assert!(
                rest_tools.contains(&tool.name),
                "{} is not checked",
                tool.name
            );
        }
    }
}

#[tokio::test]
async fn the_description_catches_what_github_would_refuse() {
    let spec = description();
    let upstream = stand_in(Examples(spec.clone())).await;
    let http = providers::kit::http_client(reqwest::Client::builder());
    let base = upstream.uri();
    http.post(format!("{base}/repos/octocat/Hello-World/issues"))
        .header("content-type", "application/json")
        .body(json!({"title": "t", "labels": null}).to_string())
        .send()
        .await
        .unwrap();
    http.get(format!(
        "{base}/repos/octocat/Hello-World/issues?per_page=many&colour=red"
    ))
    .send()
    .await
    .unwrap();
    http.get(format!("{base}/repos/octocat/Hello-World/nothing-here"))
        .send()
        .await
        .unwrap();
    let problems = request_problems(&upstream, |request| spec.problems(request)).await;
    assert_eq!(
        problems,
        [
            "POST /repos/octocat/Hello-World/issues (post /repos/{owner}/{repo}/issues): body: null is not of type \"array\" at `/labels`",
            "GET /repos/octocat/Hello-World/issues (get /repos/{owner}/{repo}/issues): query `per_page`: \"many\" is not of type \"integer\" at ``",
            "GET /repos/octocat/Hello-World/issues (get /repos/{owner}/{repo}/issues): undeclared query parameter `colour`",
            "GET /repos/octocat/Hello-World/nothing-here: no such operation",
        ]
    );
}

/// GitHub's published GraphQL schema (npm `@octokit/graphql-schema`).
fn graphql_schema() -> apollo_compiler::validation::Valid<apollo_compiler::Schema> {
    let path = support::contracts::path("@octokit/graphql-schema/schema.graphql");
    let sdl = std::fs::read_to_string(&path).unwrap();
    // The published schema itself repeats two fields of `EnterpriseOwnerInfo` (which strict
    // validation refuses); it is read as GitHub serves it, each name's first definition kept.
    let schema = match apollo_compiler::Schema::parse(sdl, "schema.graphql") {
        Ok(schema) => schema,
        Err(with_errors) => with_errors.partial,
    };
    assert!(
        schema.types.contains_key("Repository") && schema.types.contains_key("ProjectV2"),
        "GitHub's schema was read"
    );
    apollo_compiler::validation::Valid::assume_valid(schema)
}

/// Each GraphQL tool, and the fixture answering each of its documents (by a word of it).
fn graphql_calls() -> Vec<(&'static str, Value)> {
    let repo = json!({"owner": "octo-org", "repo": "hello-world"});
    let with = |extra: Value| {
        let mut arguments = repo.clone();
        arguments
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        arguments
    };
    vec![
        ("get_issue_custom_fields", with(json!({"issueNumber": 7}))),
        ("list_organization_projects", json!({"owner": "octo-org"})),
        (
            "add_issue_to_project",
            with(json!({"issueNumber": 7, "projectId": "PVT_1",
                "field": {"fieldId": "PVTSSF_1", "optionId": "47fc9ee4"}})),
        ),
        ("list_discussion_categories", repo.clone()),
        (
            "list_discussions",
            with(json!({"categoryId": "DIC_1", "first": 5})),
        ),
        ("get_discussion", with(json!({"discussionNumber": 3}))),
        (
            "get_discussion_comments",
            with(json!({"discussionNumber": 3, "after": "Y3Vyc29y"})),
        ),
        (
            "create_discussion",
            with(json!({"categoryId": "DIC_1", "title": "Idea", "body": "What if"})),
        ),
        (
            "comment_on_discussion",
            with(json!({"discussionNumber": 3, "body": "Agreed", "replyToId": "DC_1"})),
        ),
    ]
}

#[tokio::test]
async fn every_graphql_document_validates_against_githubs_schema() {
    let schema = graphql_schema();
    let upstream = MockServer::start().await;
    // Answers by what the document asks for, with the fixtures of the tool tests.
    for (word, fixture) in [
        ("projectItems", "graphql_issue_fields.json"),
        ("projectsV2", "graphql_projects.json"),
        ("addProjectV2ItemById", "graphql_add_item.json"),
        ("updateProjectV2ItemFieldValue", "graphql_set_field.json"),
        ("discussionCategories", "graphql_categories.json"),
        ("discussions(first: $first", "graphql_discussions.json"),
        ("replies(first: 20)", "graphql_discussion_comments.json"),
        (
            "discussion(number: $number) { id }",
            "graphql_discussion_id.json",
        ),
        ("discussion(number: $number)", "graphql_discussion.json"),
        (
            "repository(owner: $owner, name: $repo) { id }",
            "graphql_repository_id.json",
        ),
        ("createDiscussion", "graphql_create_discussion.json"),
        ("addDiscussionComment", "graphql_add_comment.json"),
    ] {
        Mock::given(wiremock::matchers::body_string_contains(word))
            .respond_with(support::ok("github", fixture))
            .mount(&upstream)
            .await;
    }
    // `add_issue_to_project` reads the node id over REST first.
    Mock::given(wiremock::matchers::path(
        "/repos/octo-org/hello-world/issues/7",
    ))
    .respond_with(support::ok("github", "issue.json"))
    .mount(&upstream)
    .await;
    let github = Github::new(&upstream.uri(), Some("test-token".into()));
    let mut failures = failed_calls(&github, in_new_contexts(graphql_calls())).await;
    let requests = upstream.received_requests().await.unwrap();
    assert!(!requests.is_empty());
    // The REST requests among them (an issue's node id) are the other test's.
    for request in requests
        .iter()
        .filter(|request| request.url.path() == "/graphql")
    {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let document = body["query"].as_str().expect("a GraphQL document");
        if let Err(errors) = apollo_compiler::ExecutableDocument::parse_and_validate(
            &schema,
            document,
            "document.graphql",
        ) {
            failures.push(format!("{document}\n{errors}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    // Every GraphQL tool was checked.
    let checked: Vec<&str> = [calls(), graphql_calls()]
        .iter()
        .flatten()
        .map(|(tool, _)| *tool)
        .collect();
    assert_every_tool_checked::<Github>(&checked);
}

#[test]
fn the_graphql_judge_refuses_what_github_would() {
    let schema = graphql_schema();
    let wrong =
        "query($owner: String!) { organization(login: $owner) { projectsV3 { nodes { id } } } }";
    let errors =
        apollo_compiler::ExecutableDocument::parse_and_validate(&schema, wrong, "wrong.graphql")
            .unwrap_err()
            .to_string();
    assert!(errors.contains("projectsV3"), "{errors}");
}
