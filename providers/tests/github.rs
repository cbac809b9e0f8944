//! Every `github` tool against a GitHub stand-in on loopback (wiremock) serving payloads shaped
//! like GitHub's documented responses: each test checks the request GitHub would receive and
//! snapshots what the model reads.

use std::time::{Duration, Instant};

mod support;

use mcp_runtime::{CallToolResult, McpServer, ResourceContents, ToolContext};
use providers::github::Github;
use providers::kit::Remote as _;
use serde_json::{Value, json};
use support::error_kind;
use wiremock::matchers::{
    body_json, body_partial_json, body_string_contains, header, method, path, query_param,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "ghp_test_token";

fn fixture(name: &str) -> String {
    support::fixture_text("github", name)
}

fn json_fixture(name: &str) -> Value {
    support::fixture("github", name)
}

fn ok(name: &str) -> ResponseTemplate {
    support::ok("github", name)
}

/// A GitHub stand-in and the server pointed at it, with quick retries.
async fn github() -> (MockServer, Github) {
    let upstream = MockServer::start().await;
    let github = Github::new(&upstream.uri(), None).with_retry(support::quick_retries());
    (upstream, github)
}

async fn call(github: &Github, tool: &str, arguments: Value) -> CallToolResult {
    support::call(
        github,
        tool,
        arguments,
        ToolContext::new().with_token(TOKEN),
    )
    .await
}

async fn text(github: &Github, tool: &str, arguments: Value) -> String {
    support::text(
        github,
        tool,
        arguments,
        ToolContext::new().with_token(TOKEN),
    )
    .await
}

fn get(route: &str) -> wiremock::MockBuilder {
    Mock::given(method("GET"))
        .and(path(route))
        .and(support::bearer(TOKEN))
}

fn graphql(query_contains: &str) -> wiremock::MockBuilder {
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .and(support::bearer(TOKEN))
        .and(body_string_contains(query_contains))
}

#[tokio::test]
async fn get_issue_renders_fields_body_and_comments() {
    let (upstream, github) = github().await;
    get("/repos/octo-org/hello-world/issues/7")
        .respond_with(ok("issue.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    get("/repos/octo-org/hello-world/issues/7/comments")
        .and(query_param("per_page", "50"))
        .and(query_param("page", "1"))
        .respond_with(ok("issue_comments.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &github,
        "get_issue",
        json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn get_issue_shows_the_latest_comments_and_says_so() {
    let (upstream, github) = github().await;
    let mut issue = json_fixture("issue.json");
    issue["comments"] = json!(120);
    get("/repos/octo-org/hello-world/issues/7")
        .respond_with(ResponseTemplate::new(200).set_body_json(issue))
        .mount(&upstream)
        .await;
    let comments = |from: u64, to: u64| {
        let template = &json_fixture("issue_comments.json")[0];
        let comments: Vec<Value> = (from..=to)
            .map(|n| {
                let mut comment = template.clone();
                comment["id"] = json!(n);
                comment["body"] = json!(format!("comment {n}"));
                comment
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(comments)
    };
    // 120 comments, 50 a page: page 3 holds 101..=120, page 2 51..=100.
    get("/repos/octo-org/hello-world/issues/7/comments")
        .and(query_param("page", "3"))
        .respond_with(comments(101, 120))
        .expect(1)
        .mount(&upstream)
        .await;
    get("/repos/octo-org/hello-world/issues/7/comments")
        .and(query_param("page", "2"))
        .respond_with(comments(51, 100))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &github,
        "get_issue",
        json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7}),
    )
    .await;
    assert!(
        text.contains("## Comments (the latest 50 of 120, oldest first)"),
        "{text}"
    );
    assert!(
        text.contains("comment 71\n") && text.contains("comment 120\n"),
        "{text}"
    );
    assert!(!text.contains("comment 70\n"), "{text}");
}

#[tokio::test]
async fn create_issue_posts_title_body_labels_and_assignees() {
    let (upstream, github) = github().await;
    Mock::given(method("POST"))
        .and(path("/repos/octo-org/hello-world/issues"))
        .and(support::bearer(TOKEN))
        .and(body_json(json!({
            "title": "Login fails with SSO enabled",
            "body": "Steps to reproduce",
            "assignees": ["hubot"],
            "labels": ["bug"],
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json_fixture("issue.json")))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &github,
        "create_issue",
        json!({"owner": "octo-org", "repo": "hello-world", "title": "Login fails with SSO enabled",
               "body": "Steps to reproduce", "assignees": ["hubot"], "labels": ["bug"]}),
    )
    .await;
    insta::assert_snapshot!(text, @r"
    Created issue #7 (open): Login fails with SSO enabled
    https://github.com/octo-org/hello-world/issues/7
    ");
}

#[tokio::test]
async fn update_issue_sends_only_the_given_fields() {
    let (upstream, github) = github().await;
    let mut closed = json_fixture("issue.json");
    closed["state"] = json!("closed");
    closed["state_reason"] = json!("completed");
    Mock::given(method("PATCH"))
        .and(path("/repos/octo-org/hello-world/issues/7"))
        .and(body_json(
            json!({"state": "closed", "state_reason": "completed"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(closed))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &github,
        "update_issue",
        json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7, "state": "closed", "stateReason": "completed"}),
    )
    .await;
    insta::assert_snapshot!(text, @r"
    Updated issue #7 (closed): Login fails with SSO enabled
    https://github.com/octo-org/hello-world/issues/7
    ");
}

#[tokio::test]
async fn update_issue_without_changes_is_refused_before_any_request() {
    let (upstream, github) = github().await;
    let result = call(
        &github,
        "update_issue",
        json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7}),
    )
    .await;
    assert!(result.is_error);
    assert_eq!(error_kind(&result), "invalid_arguments");
    assert!(
        result.text().contains("nothing to change"),
        "{}",
        result.text()
    );
    assert!(upstream.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn comment_on_issue_posts_the_body() {
    let (upstream, github) = github().await;
    Mock::given(method("POST"))
        .and(path("/repos/octo-org/hello-world/issues/7/comments"))
        .and(body_json(json!({"body": "On it."})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json_fixture("comment.json")))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &github,
        "comment_on_issue",
        json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7, "body": "On it."}),
    )
    .await;
    insta::assert_snapshot!(text, @"Commented on #7: https://github.com/octo-org/hello-world/issues/7#issuecomment-1003");
}

#[tokio::test]
async fn list_issues_leaves_out_pull_requests_and_passes_the_filters() {
    let (upstream, github) = github().await;
    get("/repos/octo-org/hello-world/issues")
        .and(query_param("state", "all"))
        .and(query_param("sort", "updated"))
        .and(query_param("direction", "asc"))
        .and(query_param("per_page", "2"))
        .and(query_param("page", "1"))
        .respond_with(ok("issues.json").insert_header(
            "link",
            r#"<https://api.github.com/repositories/1/issues?state=all&per_page=2&page=2>; rel="next", <https://api.github.com/repositories/1/issues?state=all&per_page=2&page=4>; rel="last""#,
        ))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &github,
        "list_issues",
        json!({"owner": "octo-org", "repo": "hello-world", "state": "all", "sort": "updated", "direction": "asc", "perPage": 2}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn list_pull_requests_shows_branches_and_drafts() {
    let (upstream, github) = github().await;
    get("/repos/octo-org/hello-world/pulls")
        .and(query_param("sort", "long-running"))
        .and(query_param("per_page", "30"))
        .and(query_param("page", "2"))
        .respond_with(ok("pulls.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &github,
        "list_pull_requests",
        json!({"owner": "octo-org", "repo": "hello-world", "sort": "long-running", "page": 2}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn page_sizes_are_bounded() {
    let (_upstream, github) = github().await;
    let result = call(
        &github,
        "list_issues",
        json!({"owner": "octo-org", "repo": "hello-world", "perPage": 500}),
    )
    .await;
    assert_eq!(error_kind(&result), "invalid_arguments");
    assert!(
        result
            .text()
            .contains("`perPage` must be between 1 and 100, not 500"),
        "{}",
        result.text()
    );
}

#[tokio::test]
async fn names_that_would_change_the_url_path_are_refused() {
    let (upstream, github) = github().await;
    let result = call(
        &github,
        "get_issue",
        json!({"owner": "octo-org/../admin", "repo": "hello-world", "issueNumber": 7}),
    )
    .await;
    assert_eq!(error_kind(&result), "invalid_arguments");
    // Refused while the arguments are read, naming the field; the rule is in the schema too.
    insta::assert_snapshot!(result.text(), @"invalid arguments for `get_issue`: `owner`: expected a GitHub name such as `octocat` or `hello-world`, not `octo-org/../admin`");
    assert!(upstream.received_requests().await.unwrap().is_empty());
    let schema = &Github::catalog().tools()[0].input_schema;
    assert_eq!(
        schema["properties"]["owner"]["pattern"],
        r"^(?!\.{1,2}$)[A-Za-z0-9._-]+$"
    );
}

#[tokio::test]
async fn search_advanced_passes_the_query_and_says_how_to_page() {
    let (upstream, github) = github().await;
    get("/search/issues")
        .and(query_param("q", "repo:octo-org/hello-world is:pr sso"))
        .and(query_param("per_page", "2"))
        .respond_with(ok("search.json").insert_header(
            "link",
            r#"<https://api.github.com/search/issues?q=sso&per_page=2&page=2>; rel="next""#,
        ))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &github,
        "search_advanced",
        json!({"query": "repo:octo-org/hello-world is:pr sso", "perPage": 2}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn search_advanced_scopes_an_unscoped_query_to_issues_as_github_requires() {
    let (upstream, github) = github().await;
    get("/search/issues")
        .and(query_param("q", "repo:octo-org/hello-world sso is:issue"))
        .respond_with(ok("search.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &github,
        "search_advanced",
        json!({"query": "repo:octo-org/hello-world sso"}),
    )
    .await;
    assert!(
        text.ends_with("so issues were searched; add `is:pr` to search pull requests.\n"),
        "{text}"
    );
}

#[tokio::test]
async fn get_pull_request_shows_commits_reviews_and_a_diff_with_positions() {
    let (upstream, github) = github().await;
    get("/repos/octo-org/hello-world/pulls/8")
        .and(header("accept", "application/vnd.github.diff"))
        .respond_with(ResponseTemplate::new(200).set_body_string(fixture("pull.diff")))
        .expect(1)
        .mount(&upstream)
        .await;
    get("/repos/octo-org/hello-world/pulls/8")
        .and(header("accept", "application/json"))
        .respond_with(ok("pull.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    get("/repos/octo-org/hello-world/pulls/8/commits")
        .respond_with(ok("pull_commits.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    get("/repos/octo-org/hello-world/pulls/8/reviews")
        .respond_with(ok("pull_reviews.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &github,
        "get_pull_request",
        json!({"owner": "octo-org", "repo": "hello-world", "pullNumber": 8}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn a_diff_too_large_for_github_lists_the_changed_files() {
    let (upstream, github) = github().await;
    // GitHub answers 406 to a diff request past 300 files or 20 000 lines.
    get("/repos/octo-org/hello-world/pulls/8")
        .and(header("accept", "application/vnd.github.diff"))
        .respond_with(ResponseTemplate::new(406).set_body_json(json!({
            "message": "Sorry, the diff exceeded the maximum number of files (300).",
            "errors": [{"resource": "PullRequest", "field": "diff", "code": "too_large"}]
        })))
        .expect(1)
        .mount(&upstream)
        .await;
    get("/repos/octo-org/hello-world/pulls/8")
        .and(header("accept", "application/json"))
        .respond_with(ok("pull.json"))
        .mount(&upstream)
        .await;
    get("/repos/octo-org/hello-world/pulls/8/commits")
        .respond_with(ok("pull_commits.json"))
        .mount(&upstream)
        .await;
    get("/repos/octo-org/hello-world/pulls/8/reviews")
        .respond_with(ok("pull_reviews.json"))
        .mount(&upstream)
        .await;
    // The files as GitHub's own description shows them.
    let spec = support::openapi::OpenApi::new(support::contracts::json(
        "@octokit/openapi/generated/api.github.com.json",
    ));
    let operation = spec
        .operation("GET", "/repos/o/r/pulls/8/files")
        .expect("the files operation");
    let (_, files) = spec.example(&operation).expect("an example");
    get("/repos/octo-org/hello-world/pulls/8/files")
        .and(query_param("per_page", "100"))
        .respond_with(ResponseTemplate::new(200).set_body_json(files))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &github,
        "get_pull_request",
        json!({"owner": "octo-org", "repo": "hello-world", "pullNumber": 8}),
    )
    .await;
    assert!(
        text.contains("## Files (1)\n\nThe diff is too large for GitHub to return"),
        "{text}"
    );
    assert!(text.contains("- `file1.txt` added (+103 −21)"), "{text}");
}

#[tokio::test]
async fn create_pull_request_review_posts_the_event_and_line_comments() {
    let (upstream, github) = github().await;
    Mock::given(method("POST"))
        .and(path("/repos/octo-org/hello-world/pulls/8/reviews"))
        .and(body_json(json!({
            "body": "Ship it",
            "event": "APPROVE",
            "comments": [{"path": "src/auth.rs", "position": 4, "body": "Nice."}],
        })))
        .respond_with(ok("review.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &github,
        "create_pull_request_review",
        json!({"owner": "octo-org", "repo": "hello-world", "pullNumber": 8, "body": "Ship it", "event": "APPROVE",
               "comments": [{"path": "src/auth.rs", "position": 4, "body": "Nice."}]}),
    )
    .await;
    insta::assert_snapshot!(text, @"Reviewed #8 (APPROVED): https://github.com/octo-org/hello-world/pull/8#pullrequestreview-81");
}

#[tokio::test]
async fn get_issue_custom_fields_reads_every_field_type() {
    let (upstream, github) = github().await;
    graphql("projectItems")
        .and(body_partial_json(
            json!({"variables": {"owner": "octo-org", "repo": "hello-world", "number": 7}}),
        ))
        .respond_with(ok("graphql_issue_fields.json"))
        .expect(2)
        .mount(&upstream)
        .await;
    let arguments = json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7});
    insta::assert_snapshot!(text(&github, "get_issue_custom_fields", arguments).await);
    let one_project = json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7, "projectId": "PVT_kwDOEFGH"});
    insta::assert_snapshot!(text(&github, "get_issue_custom_fields", one_project).await, @r"
    #7 (Login fails with SSO enabled) is in 1 project.

    ## Bugs (project 5, id `PVT_kwDOEFGH`)

    **Status:** Triaged
    ");
}

#[tokio::test]
async fn list_organization_projects_shows_field_and_option_ids() {
    let (upstream, github) = github().await;
    graphql("projectsV2")
        .and(body_partial_json(
            json!({"variables": {"owner": "octo-org"}}),
        ))
        .respond_with(ok("graphql_projects.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(
        text(
            &github,
            "list_organization_projects",
            json!({"owner": "octo-org"})
        )
        .await
    );
}

#[tokio::test]
async fn a_graphql_answer_in_part_shows_what_came_and_what_github_reported() {
    let (upstream, github) = github().await;
    let mut answer = json_fixture("graphql_projects.json");
    answer["errors"] = json!([{
        "type": "FORBIDDEN",
        "path": ["organization", "projectsV2", "nodes", 1],
        "message": "Resource not accessible by integration"
    }]);
    graphql("projectsV2")
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &github,
        "list_organization_projects",
        json!({"owner": "octo-org"}),
    )
    .await;
    assert!(text.contains("Roadmap"), "{text}");
    assert!(
        text.ends_with(
            "GitHub answered only in part; it also reported: Resource not accessible by integration\n"
        ),
        "{text}"
    );
}

#[tokio::test]
async fn add_issue_to_project_adds_the_issue_node_and_sets_the_field() {
    let (upstream, github) = github().await;
    get("/repos/octo-org/hello-world/issues/7")
        .respond_with(ok("issue.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    graphql("addProjectV2ItemById")
        .and(body_partial_json(
            json!({"variables": {"projectId": "PVT_kwDOABCD", "contentId": "I_kwDOABCD5M5abc"}}),
        ))
        .respond_with(ok("graphql_add_item.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    graphql("updateProjectV2ItemFieldValue")
        .and(body_partial_json(json!({"variables": {
            "projectId": "PVT_kwDOABCD", "itemId": "PVTI_lADOABCD", "fieldId": "PVTSSF_status", "optionId": "47fc9ee4"
        }})))
        .respond_with(ok("graphql_set_field.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &github,
        "add_issue_to_project",
        json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7, "projectId": "PVT_kwDOABCD",
               "field": {"fieldId": "PVTSSF_status", "optionId": "47fc9ee4"}}),
    )
    .await;
    insta::assert_snapshot!(text, @"Added #7 to the project (item `PVTI_lADOABCD`) and set its field.");
}

#[tokio::test]
async fn list_discussion_categories_shows_ids_and_q_and_a() {
    let (upstream, github) = github().await;
    graphql("discussionCategories")
        .respond_with(ok("graphql_categories.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(text(&github, "list_discussion_categories", json!({"owner": "octo-org", "repo": "hello-world"})).await, @r"
    3 discussion categories in octo-org/hello-world.

    - **Announcements** `DIC_kwDOAnnounce`: Updates from maintainers
    - **Q&A** `DIC_kwDOQandA` (Q&A): Ask the community for help
    - **Ideas** `DIC_kwDOIdeas`
    ");
}

#[tokio::test]
async fn list_discussions_pages_by_cursor() {
    let (upstream, github) = github().await;
    graphql("discussions(first: $first")
        .and(body_partial_json(json!({"variables": {"first": 2, "after": "Y3Vyc29yOnYyOpK4", "categoryId": "DIC_kwDOQandA"}})))
        .respond_with(ok("graphql_discussions.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &github,
        "list_discussions",
        json!({"owner": "octo-org", "repo": "hello-world", "first": 2, "after": "Y3Vyc29yOnYyOpK4", "categoryId": "DIC_kwDOQandA"}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn get_discussion_shows_the_accepted_answer() {
    let (upstream, github) = github().await;
    graphql("discussion(number: $number)")
        .and(body_partial_json(json!({"variables": {"number": 12}})))
        .respond_with(ok("graphql_discussion.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(
        text(
            &github,
            "get_discussion",
            json!({"owner": "octo-org", "repo": "hello-world", "discussionNumber": 12})
        )
        .await
    );
}

#[tokio::test]
async fn get_discussion_comments_shows_threads_and_the_next_cursor() {
    let (upstream, github) = github().await;
    graphql("replies(first: 20)")
        .and(body_partial_json(
            json!({"variables": {"number": 12, "first": 20}}),
        ))
        .respond_with(ok("graphql_discussion_comments.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(
        text(
            &github,
            "get_discussion_comments",
            json!({"owner": "octo-org", "repo": "hello-world", "discussionNumber": 12})
        )
        .await
    );
}

#[tokio::test]
async fn create_discussion_resolves_the_repository_id_first() {
    let (upstream, github) = github().await;
    graphql("repository(owner: $owner, name: $repo) { id }")
        .respond_with(ok("graphql_repository_id.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    graphql("createDiscussion")
        .and(body_partial_json(json!({"variables": {
            "repositoryId": "R_kgDOrepo", "categoryId": "DIC_kwDOIdeas", "title": "Dark mode", "body": "Please."
        }})))
        .respond_with(ok("graphql_create_discussion.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &github,
        "create_discussion",
        json!({"owner": "octo-org", "repo": "hello-world", "categoryId": "DIC_kwDOIdeas", "title": "Dark mode", "body": "Please."}),
    )
    .await;
    insta::assert_snapshot!(text, @"Created discussion #13: https://github.com/octo-org/hello-world/discussions/13");
}

#[tokio::test]
async fn comment_on_discussion_replies_in_a_thread() {
    let (upstream, github) = github().await;
    graphql("discussion(number: $number) { id }")
        .respond_with(ok("graphql_discussion_id.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    graphql("addDiscussionComment")
        .and(body_partial_json(json!({"variables": {
            "discussionId": "D_kwDOdisc12", "body": "Thanks!", "replyToId": "DC_kwDOanswer"
        }})))
        .respond_with(ok("graphql_add_comment.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &github,
        "comment_on_discussion",
        json!({"owner": "octo-org", "repo": "hello-world", "discussionNumber": 12, "body": "Thanks!", "replyToId": "DC_kwDOanswer"}),
    )
    .await;
    insta::assert_snapshot!(text, @"Commented on discussion #12 (comment `DC_kwDOnew`): https://github.com/octo-org/hello-world/discussions/12#discussioncomment-99");
}

#[tokio::test]
async fn graphql_not_found_is_a_not_found_error() {
    let (upstream, github) = github().await;
    graphql("discussionCategories")
        .respond_with(ok("graphql_not_found.json"))
        .mount(&upstream)
        .await;
    let result = call(
        &github,
        "list_discussion_categories",
        json!({"owner": "octo-org", "repo": "nope"}),
    )
    .await;
    assert_eq!(error_kind(&result), "not_found");
    assert!(
        result.text().contains("Could not resolve to a Repository"),
        "{}",
        result.text()
    );
}

// Failure paths of the client, through real tools.

#[tokio::test]
async fn without_a_token_the_error_says_how_to_connect() {
    let (upstream, github) = github().await;
    let result = github
        .call_tool(
            "get_issue",
            json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7}),
            ToolContext::new(),
        )
        .await
        .unwrap();
    assert_eq!(error_kind(&result), "personal_authentication_required");
    assert!(
        result
            .text()
            .contains("not connected to GitHub: set `GITHUB_TOKEN`"),
        "{}",
        result.text()
    );
    assert!(
        result.text().contains("Authorization: Bearer"),
        "{}",
        result.text()
    );
    assert!(upstream.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn unauthorized_asks_for_personal_authentication() {
    let (upstream, github) = github().await;
    get("/repos/octo-org/hello-world/issues/7")
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"message": "Bad credentials"})),
        )
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(
        &github,
        "get_issue",
        json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7}),
    )
    .await;
    assert_eq!(error_kind(&result), "personal_authentication_required");
    assert!(
        result.text().contains("connect your github account"),
        "{}",
        result.text()
    );
}

#[tokio::test]
async fn forbidden_is_a_permission_refusal_not_a_reason_to_reconnect() {
    let (upstream, github) = github().await;
    get("/repos/octo-org/hello-world/issues/7")
        .respond_with(
            ResponseTemplate::new(403).set_body_json(
                json!({"message": "Resource not accessible by personal access token"}),
            ),
        )
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(
        &github,
        "get_issue",
        json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7}),
    )
    .await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text(), @"GitHub denied `GET /repos/octo-org/hello-world/issues/7`: the connected account may not do this: Resource not accessible by personal access token");
}

#[tokio::test]
async fn a_secondary_rate_limit_403_is_throttling() {
    let (upstream, github) = github().await;
    get("/repos/octo-org/hello-world/issues/7")
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("retry-after", "3600")
                .set_body_json(json!({"message": "You have exceeded a secondary rate limit."})),
        )
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(
        &github,
        "get_issue",
        json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7}),
    )
    .await;
    assert_eq!(error_kind(&result), "provider");
    assert!(
        result
            .text()
            .starts_with("GitHub is rate limiting requests; try again in "),
        "{}",
        result.text()
    );
}

#[tokio::test]
async fn not_found_names_the_endpoint() {
    let (upstream, github) = github().await;
    get("/repos/octo-org/hello-world/issues/999")
        .respond_with(ResponseTemplate::new(404).set_body_json(
            json!({"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}),
        ))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(
        &github,
        "get_issue",
        json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 999}),
    )
    .await;
    assert_eq!(error_kind(&result), "not_found");
    insta::assert_snapshot!(result.text(), @"GitHub has nothing at `GET /repos/octo-org/hello-world/issues/999`: Not Found; check the names and numbers in the arguments");
}

#[tokio::test]
async fn rate_limits_are_waited_out_as_retry_after_says() {
    let (upstream, github) = github().await;
    get("/repos/octo-org/hello-world/issues")
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&upstream)
        .await;
    get("/repos/octo-org/hello-world/issues")
        .respond_with(ok("issues.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let started = Instant::now();
    text(
        &github,
        "list_issues",
        json!({"owner": "octo-org", "repo": "hello-world"}),
    )
    .await;
    // A lower bound only: the retry waited at least what the platform asked for.
    assert!(started.elapsed() >= Duration::from_secs(1));
}

#[tokio::test]
async fn a_retry_after_longer_than_a_call_fails_at_once_saying_when() {
    let (upstream, github) = github().await;
    get("/repos/octo-org/hello-world/issues")
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(
        &github,
        "list_issues",
        json!({"owner": "octo-org", "repo": "hello-world"}),
    )
    .await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text(), @"GitHub is rate limiting requests; try again in 3600 s");
}

#[tokio::test]
async fn server_errors_are_retried_for_reads() {
    let (upstream, github) = github().await;
    get("/repos/octo-org/hello-world/issues")
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad gateway</html>"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&upstream)
        .await;
    get("/repos/octo-org/hello-world/issues")
        .respond_with(ok("issues.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    text(
        &github,
        "list_issues",
        json!({"owner": "octo-org", "repo": "hello-world"}),
    )
    .await;
}

#[tokio::test]
async fn writes_are_never_retried() {
    let (upstream, github) = github().await;
    Mock::given(method("POST"))
        .and(path("/repos/octo-org/hello-world/issues"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"message": "Server Error"})))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(
        &github,
        "create_issue",
        json!({"owner": "octo-org", "repo": "hello-world", "title": "x"}),
    )
    .await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text(), @"GitHub failed with HTTP 500 on `POST /repos/octo-org/hello-world/issues`: Server Error");
}

#[tokio::test]
async fn persistent_server_errors_say_how_many_attempts() {
    let (upstream, github) = github().await;
    get("/repos/octo-org/hello-world/issues")
        .respond_with(ResponseTemplate::new(503))
        .expect(3)
        .mount(&upstream)
        .await;
    let result = call(
        &github,
        "list_issues",
        json!({"owner": "octo-org", "repo": "hello-world"}),
    )
    .await;
    insta::assert_snapshot!(result.text(), @"GitHub failed with HTTP 503 on `GET /repos/octo-org/hello-world/issues` after 3 attempts");
}

#[tokio::test]
async fn a_malformed_body_names_the_endpoint_and_the_field() {
    let (upstream, github) = github().await;
    let mut issue = json_fixture("issue.json");
    issue.as_object_mut().unwrap().remove("title");
    get("/repos/octo-org/hello-world/issues/7")
        .respond_with(ResponseTemplate::new(200).set_body_json(issue))
        .mount(&upstream)
        .await;
    let result = call(
        &github,
        "get_issue",
        json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7}),
    )
    .await;
    assert_eq!(error_kind(&result), "provider");
    let message = result.text();
    assert!(
        message.starts_with(
            "unexpected response from GitHub to `GET /repos/octo-org/hello-world/issues/7`"
        ),
        "{message}"
    );
    assert!(message.contains("missing field `title`"), "{message}");
}

#[tokio::test]
async fn enterprise_server_urls_put_graphql_beside_the_rest_api() {
    let upstream = MockServer::start().await;
    let github = Github::new(&format!("{}/api/v3", upstream.uri()), None);
    Mock::given(method("POST"))
        .and(path("/api/graphql"))
        .respond_with(ok("graphql_categories.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    text(
        &github,
        "list_discussion_categories",
        json!({"owner": "octo-org", "repo": "hello-world"}),
    )
    .await;
}

#[tokio::test]
async fn get_file_contents_decodes_a_file_at_a_ref() {
    let (upstream, github) = github().await;
    get("/repos/octo-org/hello-world/contents/src/main.rs")
        .and(query_param("ref", "main"))
        .respond_with(ok("file_contents.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &github,
        "get_file_contents",
        json!({"owner": "octo-org", "repo": "hello-world", "path": "src/main.rs", "ref": "main"}),
    )
    .await;
    insta::assert_snapshot!(text, @r#"
    `src/main.rs` at `main`, 45 bytes

    ````
    fn main() {
        println!("Hello, world!");
    }
    ````
    "#);
}

#[tokio::test]
async fn get_file_contents_lists_a_directory_and_encodes_paths() {
    let (upstream, github) = github().await;
    get("/repos/octo-org/hello-world/contents/docs/release%20notes")
        .respond_with(ok("directory_contents.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &github,
        "get_file_contents",
        json!({"owner": "octo-org", "repo": "hello-world", "path": "docs/release notes"}),
    )
    .await;
    insta::assert_snapshot!(text, @r"
    3 entries.

    - `src/`
    - `Cargo.toml` (213 bytes)
    - `docs`
    ");
    let result = call(
        &github,
        "get_file_contents",
        json!({"owner": "octo-org", "repo": "hello-world", "path": "src/../../secrets"}),
    )
    .await;
    assert_eq!(error_kind(&result), "invalid_arguments");
}

#[tokio::test]
async fn list_commits_filters_by_branch_and_path() {
    let (upstream, github) = github().await;
    get("/repos/octo-org/hello-world/commits")
        .and(query_param("sha", "fix-sso"))
        .and(query_param("path", "src/auth.rs"))
        .and(query_param("per_page", "30"))
        .respond_with(ok("commits.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(&github, "list_commits", json!({"owner": "octo-org", "repo": "hello-world", "sha": "fix-sso", "path": "src/auth.rs"})).await;
    insta::assert_snapshot!(text, @r"
    2 commits in octo-org/hello-world (page 1).

    - `6dcb09b` Handle a missing email claim (Hubot, 2026-10-03)
    - `b7f0c51` Release 1.0 (The Octocat, 2026-09-30)
    ");
}

#[tokio::test]
async fn files_are_resources_of_a_template() {
    let (upstream, github) = github().await;
    get("/repos/octo-org/hello-world/contents/src/main.rs")
        .respond_with(ok("file_contents.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    get("/repos/octo-org/hello-world/contents/docs/release%20notes")
        .respond_with(ok("directory_contents.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    get("/repos/octo-org/hello-world/contents/logo.png")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "type": "file", "path": "logo.png", "size": 2, "encoding": "base64",
            "content": "AP8=\n", "html_url": null
        })))
        .mount(&upstream)
        .await;
    get("/repos/octo-org/hello-world/contents/big.bin")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "type": "file", "path": "big.bin", "size": 2_000_000, "encoding": "none",
            "content": "", "html_url": "https://github.com/octo-org/hello-world/blob/main/big.bin"
        })))
        .mount(&upstream)
        .await;
    let read = |path: &str| {
        let uri = format!("github://repos/octo-org/hello-world/contents/{path}");
        let github = &github;
        async move {
            let ctx = ToolContext::new().with_token(TOKEN);
            github.read_resource(&uri, ctx).await
        }
    };

    let file = read("src/main.rs").await.unwrap();
    assert_eq!(
        file,
        ResourceContents::text(
            "github://repos/octo-org/hello-world/contents/src/main.rs",
            "text/plain",
            "fn main() {\n    println!(\"Hello, world!\");\n}\n"
        )
    );
    let directory = read("docs/release%20notes").await.unwrap();
    assert!(
        matches!(&directory, ResourceContents::Text { mime_type: Some(mime), text, .. } if mime == "text/markdown" && text.starts_with("3 entries.")),
        "{directory:?}"
    );
    let binary = read("logo.png").await.unwrap();
    assert_eq!(
        binary,
        ResourceContents::blob(
            "github://repos/octo-org/hello-world/contents/logo.png",
            "application/octet-stream",
            &[0x00, 0xff]
        )
    );
    let too_large = read("big.bin").await.unwrap_err();
    assert_eq!(
        too_large.to_string(),
        "`big.bin` is 2000000 bytes, over what GitHub sends through this API (1 MB); see \
         https://github.com/octo-org/hello-world/blob/main/big.bin"
    );
}
