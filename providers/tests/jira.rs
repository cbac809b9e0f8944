//! Every `jira` tool against a Jira Cloud stand-in on loopback (wiremock: the gateway's
//! accessible-resources lookup and the site's REST API v3), with payloads shaped like Jira's
//! documented responses: each test checks the request Jira would receive and snapshots what the
//! model reads.

mod support;

use mcp_runtime::{CallToolResult, McpServer, ToolContext};
use providers::jira::{Jira, Site};
use providers::kit::Remote as _;
use serde_json::{Value, json};
use support::error_kind;
use wiremock::matchers::{
    body_json, body_partial_json, body_string_contains, header, header_exists, method, path,
    query_param,
};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

const TOKEN: &str = "jira_test_token";
const SITE: &str = "acme.atlassian.net";
/// The API of `SITE` behind the gateway: its cloud id is in `resources.json`.
const API: &str = "/ex/jira/11223344-a1b2-3b33-c444-def123456789/rest/api/3";

fn fixture(name: &str) -> Value {
    support::fixture("jira", name)
}

fn ok(name: &str) -> ResponseTemplate {
    support::ok("jira", name)
}

/// A Jira Cloud stand-in whose gateway knows `SITE`, and the server pointed at it.
async fn jira() -> (MockServer, Jira) {
    let upstream = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/oauth/token/accessible-resources"))
        .and(support::bearer(TOKEN))
        .respond_with(ok("resources.json"))
        .mount(&upstream)
        .await;
    let jira = Jira::cloud(&upstream.uri(), Some(SITE.to_owned()), None)
        .with_retry(support::quick_retries());
    (upstream, jira)
}

fn ctx() -> ToolContext {
    ToolContext::new().with_token(TOKEN)
}

async fn call(jira: &Jira, tool: &str, arguments: Value) -> CallToolResult {
    support::call(jira, tool, arguments, ctx()).await
}

async fn text(jira: &Jira, tool: &str, arguments: Value) -> String {
    support::text(jira, tool, arguments, ctx()).await
}

/// A request to `route` under the site's API, with the token.
fn api(verb: &str, route: &str) -> MockBuilder {
    Mock::given(method(verb))
        .and(path(format!("{API}{route}")))
        .and(support::bearer(TOKEN))
}

#[tokio::test]
async fn get_issue_renders_fields_links_description_and_comments() {
    let (upstream, jira) = jira().await;
    api("GET", "/issue/PROJ-42")
        .and(query_param(
            "fields",
            "summary,issuetype,status,priority,assignee,reporter,project,parent,labels,created,updated,issuelinks,description,comment,customfield_10016",
        ))
        .respond_with(ok("issue.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &jira,
        "get_issue",
        json!({"issueKey": "PROJ-42", "fields": ["customfield_10016"]}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn the_cloud_id_is_looked_up_once_per_site() {
    let (upstream, jira) = jira().await;
    api("GET", "/issueLinkType")
        .respond_with(ok("link_types.json"))
        .mount(&upstream)
        .await;
    for _ in 0..3 {
        text(&jira, "get_issue_link_types", json!({})).await;
    }
    let lookups = upstream
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|request| request.url.path() == "/oauth/token/accessible-resources")
        .count();
    assert_eq!(lookups, 1);
}

#[tokio::test]
async fn a_site_the_token_cannot_reach_is_named_with_those_it_can() {
    let (_upstream, jira) = jira().await;
    let result = jira
        .call_tool(
            "get_issue_link_types",
            json!({}),
            ctx().with_extension(Site("https://elsewhere.atlassian.net/".to_owned())),
        )
        .await
        .unwrap();
    assert_eq!(error_kind(&result), "not_found");
    insta::assert_snapshot!(result.text(), @"the Jira token cannot reach the site `elsewhere.atlassian.net`; it reaches other.atlassian.net, acme.atlassian.net");
}

#[tokio::test]
async fn an_api_token_goes_to_the_site_itself_with_basic_authentication() {
    // The site is given as a URL (here the stand-in's); no gateway, no cloud-id lookup.
    let site = MockServer::start().await;
    let basic = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("ana@example.com:{TOKEN}"),
    );
    Mock::given(method("GET"))
        .and(path("/rest/api/3/myself"))
        .and(header("authorization", format!("Basic {basic}").as_str()))
        .respond_with(ok("myself.json"))
        .expect(1)
        .mount(&site)
        .await;
    let jira = Jira::with_api_token(
        "http://127.0.0.1:9",
        format!("{}/", site.uri()),
        "ana@example.com".into(),
        TOKEN.into(),
    );
    let text = support::text(&jira, "get_connection_info", json!({}), ToolContext::new()).await;
    assert!(text.starts_with("Connected to http://127.0.0.1"), "{text}");
}

#[tokio::test]
async fn settings_choose_the_api_token_or_the_gateway() {
    let site = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/rest/api/3/myself"))
        .and(header_exists("authorization"))
        .respond_with(ok("myself.json"))
        .expect(1)
        .mount(&site)
        .await;
    let jira = Jira::from_settings(providers::jira::Settings {
        site: Some(site.uri()),
        email: Some("ana@example.com".into()),
        token: Some(TOKEN.into()),
        gateway_url: None,
    })
    .unwrap();
    support::text(&jira, "get_connection_info", json!({}), ToolContext::new()).await;
}

#[tokio::test]
async fn get_issue_read_fields_lists_custom_fields_by_id() {
    let (upstream, jira) = jira().await;
    api("GET", "/field")
        .respond_with(ok("fields.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(text(&jira, "get_issue_read_fields", json!({})).await, @r"
    4 fields; pass custom ones by id to `get_issue` or `get_issues_using_jql`.

    - **Images** `thumbnail` (unknown)
    - **Labels** `labels` (array of string)
    - **Summary** `summary` (string)
    - **Story point estimate** `customfield_10016` (number, custom)
    ");
}

#[tokio::test]
async fn get_projects_searches_and_pages() {
    let (upstream, jira) = jira().await;
    api("GET", "/project/search")
        .and(query_param("query", "plat"))
        .and(query_param("startAt", "0"))
        .and(query_param("maxResults", "50"))
        .respond_with(ok("projects.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(text(&jira, "get_projects", json!({"query": "plat"})).await, @r"
    2 projects of 52.

    - **PROJ** Platform (software, id 10000)
    - **OPS** Operations (service_desk, id 10001)

    More on the next page: call again with `startAt: 2`.
    ");
}

#[tokio::test]
async fn get_project_shows_lead_and_issue_types() {
    let (upstream, jira) = jira().await;
    api("GET", "/project/PROJ")
        .respond_with(ok("project.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(text(&jira, "get_project", json!({"projectKey": "PROJ"})).await, @r"
    # PROJ: Platform

    **Id:** 10000
    **Type:** software
    **Lead:** Bo Chen
    **Issue types:** Task (10001), Bug (10004), Sub-task (10005)

    The platform team's work.
    ");
}

#[tokio::test]
async fn get_project_versions_shows_release_state() {
    let (upstream, jira) = jira().await;
    api("GET", "/project/PROJ/versions")
        .respond_with(ok("versions.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(text(&jira, "get_project_versions", json!({"projectKey": "PROJ"})).await, @r"
    3 versions of PROJ.

    - **1.0** (id 10010, released, release date 2026-06-01)
    - **1.1** (id 10011, unreleased, release date 2026-12-01)
    - **0.9** (id 10009, archived)
    ");
}

#[tokio::test]
async fn get_transitions_lists_ids_and_targets() {
    let (upstream, jira) = jira().await;
    api("GET", "/issue/PROJ-42/transitions")
        .respond_with(ok("transitions.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(text(&jira, "get_transitions", json!({"issueKey": "PROJ-42"})).await, @r"
    PROJ-42 can take 2 transitions now.

    - **Start review** (id 21) → In Review
    - **Done** (id 31) → Done
    ");
}

#[tokio::test]
async fn get_issues_turns_filters_into_quoted_jql() {
    let (upstream, jira) = jira().await;
    api("POST", "/search/jql")
        .and(body_json(json!({
            "jql": "project = \"PROJ\" AND status != \"Done\" AND assignee = currentUser() ORDER BY priority DESC",
            "maxResults": 2,
            "fields": ["summary", "issuetype", "status", "priority", "assignee", "updated"],
        })))
        .respond_with(ok("search.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &jira,
        "get_issues",
        json!({
            "filters": [
                {"field": "project", "value": "PROJ"},
                {"field": "status", "value": "Done", "comparison": "not_equals"},
                {"field": "assignee", "value": "currentUser()"}
            ],
            "sortBy": {"field": "priority", "direction": "DESC"},
            "maxResults": 2
        }),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn get_issues_using_jql_passes_the_page_token_and_fields() {
    let (upstream, jira) = jira().await;
    api("POST", "/search/jql")
        .and(body_json(json!({
            "jql": "project = PROJ",
            "maxResults": 50,
            "fields": ["summary", "issuetype", "status", "priority", "assignee", "updated", "customfield_10016"],
            "nextPageToken": "CAEaAggC",
        })))
        .respond_with(ok("search.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &jira,
        "get_issues_using_jql",
        json!({"jql": "project = PROJ", "fields": ["customfield_10016"], "nextPageToken": "CAEaAggC"}),
    )
    .await;
    assert!(
        text.contains("call again with `nextPageToken: \"CAEaAggD\"`"),
        "{text}"
    );
}

#[tokio::test]
async fn get_issue_types_lists_the_project_scoped_ids() {
    let (upstream, jira) = jira().await;
    api("GET", "/issue/createmeta/PROJ/issuetypes")
        .respond_with(ok("issuetypes.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(text(&jira, "get_issue_types", json!({"projectKey": "PROJ"})).await, @r"
    3 issue types in PROJ.

    - **Task** (id 10001)
    - **Bug** (id 10004)
    - **Sub-task** (id 10005), a sub-task type
    ");
}

#[tokio::test]
async fn get_issue_create_fields_puts_required_fields_first_with_allowed_values() {
    let (upstream, jira) = jira().await;
    api("GET", "/issue/createmeta/PROJ/issuetypes/10004")
        .respond_with(ok("create_fields.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(text(&jira, "get_issue_create_fields", json!({"projectKey": "PROJ", "issueTypeId": "10004"})).await, @r"
    4 fields on the create screen; required ones first.

    - **Summary** `summary` (string, required)
    - **Team** `customfield_10020` (option, required): Platform, Growth
    - **Issue Type** `issuetype` (issuetype, required)
    - **Priority** `priority` (priority): Highest, High, Medium
    ");
}

#[tokio::test]
async fn get_connection_info_names_the_site_and_the_user() {
    let (upstream, jira) = jira().await;
    api("GET", "/myself")
        .respond_with(ok("myself.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(text(&jira, "get_connection_info", json!({})).await, @"Connected to acme.atlassian.net as Ana Lima <ana@acme.example> (account id `5b10a2844c20165700ede21g`).");
}

#[tokio::test]
async fn get_issue_link_types_shows_both_directions() {
    let (upstream, jira) = jira().await;
    api("GET", "/issueLinkType")
        .respond_with(ok("link_types.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(text(&jira, "get_issue_link_types", json!({})).await, @r#"
    2 issue link types.

    - **Blocks** (id 10000): outward "blocks", inward "is blocked by"
    - **Duplicate** (id 10001): outward "duplicates", inward "is duplicated by"
    "#);
}

#[tokio::test]
async fn get_users_by_email_keeps_the_exact_match_only() {
    let (upstream, jira) = jira().await;
    api("GET", "/user/search")
        .and(query_param("query", "ANA@acme.example"))
        .respond_with(ok("users.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(text(&jira, "get_users", json!({"emailAddress": "ANA@acme.example"})).await, @r"
    1 user.

    - **Ana Lima** <ana@acme.example>, account id `5b10a2844c20165700ede21g`
    ");
}

#[tokio::test]
async fn get_users_by_name_lists_every_match() {
    let (upstream, jira) = jira().await;
    api("GET", "/user/search")
        .and(query_param("query", "ana"))
        .and(query_param("maxResults", "2"))
        .respond_with(ok("users.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(text(&jira, "get_users", json!({"name": "ana", "maxResults": 2})).await, @r"
    2 users.

    - **Ana Lima** <ana@acme.example>, account id `5b10a2844c20165700ede21g`
    - **Ana Maria** <ana.maria@acme.example>, account id `5b10a2844c20165700ede22h` (inactive)

    There may be more: call again with `startAt: 2`.
    ");
}

#[tokio::test]
async fn get_attachments_lists_names_ids_and_sizes() {
    let (upstream, jira) = jira().await;
    api("GET", "/issue/PROJ-42")
        .and(query_param("fields", "attachment"))
        .respond_with(ok("issue_attachments.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(text(&jira, "get_attachments", json!({"issueKey": "PROJ-42"})).await, @r"
    PROJ-42 has 2 attachments.

    - **trace.log** (id 10200, text/plain, 2.0 KiB) by Bo Chen, 2026-10-02
    - **screen.png** (id 10201, image/png, 1.5 MiB) by Bo Chen, 2026-10-02
    ");
}

#[tokio::test]
async fn read_attachment_returns_text_content() {
    let (upstream, jira) = jira().await;
    api("GET", "/attachment/10200")
        .respond_with(ok("attachment.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("GET", "/attachment/content/10200")
        .respond_with(
            ResponseTemplate::new(200).set_body_string("ERROR callback: missing email claim"),
        )
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(text(&jira, "read_attachment", json!({"attachmentId": "10200"})).await, @r"
    trace.log (text/plain, 37 B)

    ERROR callback: missing email claim
    ");
}

#[tokio::test]
async fn create_comment_writes_markdown_as_adf_with_visibility() {
    let (upstream, jira) = jira().await;
    api("POST", "/issue/PROJ-42/comment")
        .and(body_json(json!({
            "body": {"type": "doc", "version": 1, "content": [
                {"type": "paragraph", "content": [
                    {"type": "text", "text": "Fixed in "},
                    {"type": "text", "text": "main", "marks": [{"type": "code"}]}
                ]}
            ]},
            "visibility": {"type": "role", "value": "Developers"},
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(fixture("comment_created.json")))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &jira,
        "create_comment",
        json!({"issueKey": "PROJ-42", "body": "Fixed in `main`", "visibility": {"type": "role", "value": "Developers"}}),
    )
    .await;
    insta::assert_snapshot!(text, @"Commented on PROJ-42 (comment 10101).");
}

#[tokio::test]
async fn transition_issue_posts_the_transition_id() {
    let (upstream, jira) = jira().await;
    api("POST", "/issue/PROJ-42/transitions")
        .and(body_json(json!({"transition": {"id": "31"}})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(text(&jira, "transition_issue", json!({"issueKey": "PROJ-42", "transitionId": "31"})).await, @"Transitioned PROJ-42 with transition 31.");
}

#[tokio::test]
async fn create_issue_resolves_the_issue_type_by_name_in_its_project() {
    let (upstream, jira) = jira().await;
    api("GET", "/issue/createmeta/PROJ/issuetypes")
        .respond_with(ok("issuetypes.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("POST", "/issue")
        .and(body_json(json!({"fields": {
            "project": {"key": "PROJ"},
            "issuetype": {"id": "10004"},
            "summary": "Login loops",
            "description": {"type": "doc", "version": 1, "content": [
                {"type": "paragraph", "content": [{"type": "text", "text": "Seen on "}, {"type": "text", "text": "staging", "marks": [{"type": "strong"}]}]}
            ]},
            "priority": {"name": "High"},
            "labels": ["sso"],
            "parent": {"key": "PROJ-1"},
            "customfield_10020": {"id": "10100"},
        }})))
        .respond_with(ResponseTemplate::new(201).set_body_json(fixture("created_issue.json")))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &jira,
        "create_issue",
        json!({"issueData": {
            "projectKey": "PROJ", "issueType": "bug", "summary": "Login loops",
            "description": "Seen on **staging**", "priority": "High", "labels": ["sso"], "parentKey": "PROJ-1",
            "fields": {"customfield_10020": {"id": "10100"}}
        }}),
    )
    .await;
    insta::assert_snapshot!(text, @"Created PROJ-44: Login loops");
}

#[tokio::test]
async fn create_issue_with_an_unknown_issue_type_names_the_known_ones() {
    let (upstream, jira) = jira().await;
    api("GET", "/issue/createmeta/PROJ/issuetypes")
        .respond_with(ok("issuetypes.json"))
        .mount(&upstream)
        .await;
    let result = call(
        &jira,
        "create_issue",
        json!({"issueData": {"projectKey": "PROJ", "issueType": "Story", "summary": "x"}}),
    )
    .await;
    assert_eq!(error_kind(&result), "invalid_arguments");
    insta::assert_snapshot!(result.text(), @"PROJ has no issue type `Story`; it has Task, Bug, Sub-task");
}

#[tokio::test]
async fn update_issue_puts_only_the_given_fields() {
    let (upstream, jira) = jira().await;
    api("PUT", "/issue/PROJ-42")
        .and(body_json(json!({"fields": {"summary": "Login loops on SSO", "assignee": {"accountId": "5b10a2844c20165700ede21g"}}})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &jira,
        "update_issue",
        json!({"issueKey": "PROJ-42", "summary": "Login loops on SSO", "assigneeAccountId": "5b10a2844c20165700ede21g"}),
    )
    .await;
    insta::assert_snapshot!(text, @"Updated PROJ-42: assignee, summary.");
}

#[tokio::test]
async fn create_issue_link_posts_both_sides() {
    // Atlassian documents `outwardIssue` as the "from" issue of the link: PROJ-42 blocks
    // PROJ-43 is outward PROJ-42, inward PROJ-43.
    let (upstream, jira) = jira().await;
    api("POST", "/issueLink")
        .and(body_json(json!({"type": {"name": "Blocks"}, "inwardIssue": {"key": "PROJ-43"}, "outwardIssue": {"key": "PROJ-42"}})))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &jira,
        "create_issue_link",
        json!({"linkType": "Blocks", "inwardIssueKey": "PROJ-43", "outwardIssueKey": "PROJ-42"}),
    )
    .await;
    insta::assert_snapshot!(text, @"Linked from PROJ-42 to PROJ-43 as `Blocks` (PROJ-42 is the outward issue: for `Blocks`, it blocks PROJ-43).");
}

#[tokio::test]
async fn an_unbounded_search_is_refused_before_jira_refuses_it() {
    let (upstream, jira) = jira().await;
    for (tool, arguments) in [
        ("get_issues", json!({"filters": []})),
        (
            "get_issues_using_jql",
            json!({"jql": "ORDER BY created DESC"}),
        ),
    ] {
        let result = call(&jira, tool, arguments).await;
        assert_eq!(error_kind(&result), "invalid_arguments", "{tool}");
        assert!(
            result
                .text()
                .contains("Jira Cloud refuses unbounded searches"),
            "{}",
            result.text()
        );
    }
    assert!(upstream.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn delete_issue_link_deletes_by_id() {
    let (upstream, jira) = jira().await;
    api("DELETE", "/issueLink/10305")
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(text(&jira, "delete_issue_link", json!({"linkId": "10305"})).await, @"Deleted link 10305.");
}

#[tokio::test]
async fn upload_attachment_sends_a_multipart_file_with_the_xsrf_header() {
    let (upstream, jira) = jira().await;
    api("POST", "/issue/PROJ-42/attachments")
        .and(header("x-atlassian-token", "no-check"))
        .and(body_string_contains("filename=\"notes.txt\""))
        .and(body_string_contains("hello world"))
        .respond_with(ok("attached.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &jira,
        "upload_attachment",
        json!({"issueKey": "PROJ-42", "filename": "notes.txt", "contentBase64": "aGVsbG8gd29ybGQ=", "mimeType": "text/plain"}),
    )
    .await;
    insta::assert_snapshot!(text, @"Attached notes.txt (11 B) to PROJ-42 (attachment 10202).");
}

#[tokio::test]
async fn keys_that_would_change_the_url_path_are_refused() {
    let (upstream, jira) = jira().await;
    let result = call(&jira, "get_issue", json!({"issueKey": "../../admin"})).await;
    assert_eq!(error_kind(&result), "invalid_arguments");
    assert!(upstream.received_requests().await.unwrap().is_empty());
}

// Failure paths of the client.

#[tokio::test]
async fn without_a_token_the_error_says_how_to_connect() {
    let (_upstream, jira) = jira().await;
    let result = jira
        .call_tool("get_projects", json!({}), ToolContext::new())
        .await
        .unwrap();
    assert_eq!(error_kind(&result), "personal_authentication_required");
    assert!(
        result
            .text()
            .contains("not connected to Jira: set `JIRA_SITE` (e.g. `your-team.atlassian.net`) with `JIRA_EMAIL` and `JIRA_TOKEN`"),
        "{}",
        result.text()
    );
}

#[tokio::test]
async fn unauthorized_asks_for_personal_authentication() {
    let (upstream, jira) = jira().await;
    api("GET", "/myself")
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(&jira, "get_connection_info", json!({})).await;
    assert_eq!(error_kind(&result), "personal_authentication_required");
}

#[tokio::test]
async fn not_found_quotes_jira() {
    let (upstream, jira) = jira().await;
    api("GET", "/issue/PROJ-999")
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"errorMessages": ["Issue does not exist or you do not have permission to see it."], "errors": {}})))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(&jira, "get_issue", json!({"issueKey": "PROJ-999"})).await;
    assert_eq!(error_kind(&result), "not_found");
    assert!(
        result
            .text()
            .contains("Issue does not exist or you do not have permission to see it."),
        "{}",
        result.text()
    );
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retried_for_reads() {
    let (upstream, jira) = jira().await;
    api("GET", "/project/PROJ")
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&upstream)
        .await;
    api("GET", "/project/PROJ")
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .expect(1)
        .mount(&upstream)
        .await;
    api("GET", "/project/PROJ")
        .respond_with(ok("project.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    text(&jira, "get_project", json!({"projectKey": "PROJ"})).await;
}

#[tokio::test]
async fn validation_errors_quote_the_fields() {
    let (upstream, jira) = jira().await;
    api("PUT", "/issue/PROJ-42")
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"errorMessages": [], "errors": {"priority": "Priority name 'Urgent' is not valid"}})))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(
        &jira,
        "update_issue",
        json!({"issueKey": "PROJ-42", "priority": "Urgent"}),
    )
    .await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text(), @"Jira refused `PUT /issue/PROJ-42` as invalid: priority: Priority name 'Urgent' is not valid");
}

#[tokio::test]
async fn a_malformed_body_names_the_endpoint_and_the_field() {
    let (upstream, jira) = jira().await;
    api("GET", "/issue/PROJ-42/transitions")
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"transitions": [{"id": "21", "name": "Start"}]})),
        )
        .mount(&upstream)
        .await;
    let result = call(&jira, "get_transitions", json!({"issueKey": "PROJ-42"})).await;
    assert_eq!(error_kind(&result), "provider");
    assert!(
        result.text().contains("transitions[0]: missing field `to`"),
        "{}",
        result.text()
    );
}

#[tokio::test]
async fn the_search_body_is_json() {
    // The new search endpoint takes a JSON body, never query parameters.
    let (upstream, jira) = jira().await;
    api("POST", "/search/jql")
        .and(header("content-type", "application/json"))
        .and(body_partial_json(
            json!({"jql": "text ~ \"sso\" ORDER BY updated DESC"}),
        ))
        .respond_with(ok("search.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    text(
        &jira,
        "get_issues",
        json!({"filters": [{"field": "text", "value": "sso", "comparison": "contains"}]}),
    )
    .await;
}

/// `path` of a JSON value where it holds a `null`, if anywhere.
fn null_at(value: &Value, path: &str) -> Option<String> {
    match value {
        Value::Null => Some(path.to_owned()),
        Value::Object(members) => members
            .iter()
            .find_map(|(key, member)| null_at(member, &format!("{path}/{key}"))),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(index, item)| null_at(item, &format!("{path}/{index}"))),
        _ => None,
    }
}

#[tokio::test]
async fn write_tools_leave_out_what_was_not_given() {
    let (upstream, jira) = jira().await;
    api("GET", "/issue/createmeta/PROJ/issuetypes")
        .respond_with(ok("issuetypes.json"))
        .mount(&upstream)
        .await;
    api("POST", "/issue")
        .respond_with(ResponseTemplate::new(201).set_body_json(fixture("created_issue.json")))
        .mount(&upstream)
        .await;
    api("POST", "/issue/PROJ-42/comment")
        .respond_with(ResponseTemplate::new(201).set_body_json(fixture("comment_created.json")))
        .mount(&upstream)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .with_priority(10)
        .mount(&upstream)
        .await;
    // Each write tool with only its required arguments.
    for (tool, arguments) in [
        (
            "create_comment",
            json!({"issueKey": "PROJ-42", "body": "Seen"}),
        ),
        (
            "transition_issue",
            json!({"issueKey": "PROJ-42", "transitionId": "31"}),
        ),
        (
            "create_issue",
            json!({"issueData": {"projectKey": "PROJ", "issueType": "Task", "summary": "x"}}),
        ),
        (
            "update_issue",
            json!({"issueKey": "PROJ-42", "summary": "Renamed"}),
        ),
        (
            "create_issue_link",
            json!({"linkType": "Blocks", "inwardIssueKey": "PROJ-43", "outwardIssueKey": "PROJ-42"}),
        ),
    ] {
        let result = call(&jira, tool, arguments).await;
        assert!(!result.is_error, "{tool}: {}", result.text());
    }
    for request in upstream.received_requests().await.unwrap() {
        if request.body.is_empty() {
            continue;
        }
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(
            null_at(&body, ""),
            None,
            "{} {} sends null: {body}",
            request.method,
            request.url.path()
        );
    }
}

#[tokio::test]
async fn issue_fields_are_typed_and_accept_nulls_epoch_dates_and_custom_fields() {
    let (upstream, jira) = jira().await;
    api("GET", "/issue/PROJ-7")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "key": "PROJ-7",
            "fields": {
                "summary": "Epoch dates",
                "issuetype": {"name": "Bug"},
                "status": {"name": "Open"},
                "priority": null,
                "assignee": null,
                "labels": null,
                "created": 1714564800000_i64,
                "updated": "2024-05-02T09:00:00.000+0000",
                "issuelinks": [],
                "description": null,
                "customfield_10016": 5,
            }
        })))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &jira,
        "get_issue",
        json!({"issueKey": "PROJ-7", "fields": ["customfield_10016"]}),
    )
    .await;
    assert!(text.starts_with("# PROJ-7: Epoch dates"), "{text}");
    assert!(text.contains("**Created:** 2024-05-01"), "{text}");
    assert!(text.contains("**Updated:** 2024-05-02"), "{text}");
    assert!(text.contains("**customfield_10016:** 5"), "{text}");
    assert!(text.contains("(No description.)"), "{text}");
}

#[tokio::test]
async fn a_standard_field_of_another_shape_is_an_error_naming_it() {
    let (upstream, jira) = jira().await;
    api("GET", "/issue/PROJ-8")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "key": "PROJ-8",
            "fields": {"status": "Open"}
        })))
        .mount(&upstream)
        .await;
    let result = call(&jira, "get_issue", json!({"issueKey": "PROJ-8"})).await;
    assert_eq!(error_kind(&result), "provider");
    assert!(result.text().contains("fields.status"), "{}", result.text());
}

#[tokio::test]
async fn prompts_name_the_issue_and_the_project() {
    let jira = Jira::cloud("http://127.0.0.1:9", None, None);
    let arguments = |value: serde_json::Value| value.as_object().cloned().unwrap();
    let summary = jira
        .get_prompt(
            "summarize_issue",
            &arguments(json!({"key": "PROJ-7"})),
            ToolContext::new(),
        )
        .await
        .unwrap();
    let report = jira
        .get_prompt(
            "status_report",
            &arguments(json!({"project": "PROJ"})),
            ToolContext::new(),
        )
        .await
        .unwrap();
    let text = |output: &mcp_runtime::PromptOutput| {
        serde_json::to_value(output).unwrap()["messages"][0]["content"]["text"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(text(&summary).starts_with("Summarize Jira issue PROJ-7 "));
    assert!(
        text(&report).contains("`project = PROJ AND updated >= -7d ORDER BY updated DESC`"),
        "a week unless told otherwise: {}",
        text(&report)
    );
}
