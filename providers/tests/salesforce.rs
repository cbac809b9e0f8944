//! Every `salesforce` tool against a Salesforce instance stand-in on loopback (wiremock: the REST
//! API under `/services/data/v{API_VERSION}`), with payloads shaped like Salesforce's documented
//! responses (the describe fixtures pass jsforce's `ApiSchemas` in salesforce_contract.rs): each
//! test checks the request Salesforce would receive and snapshots what the model reads; then
//! every failure path, and where the instance comes from.

mod support;

use std::sync::Arc;

use mcp_runtime::{CallToolResult, Content, McpServer, ToolContext};
use providers::connect::{ConnectionStore, OAuthApp, Tokens};
use providers::kit::Remote as _;
use providers::salesforce::{API_VERSION, InstanceUrl, Salesforce, Settings};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use support::{assert_no_requests, error_kind};
use wiremock::matchers::{body_json, body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

const TOKEN: &str = "00Dxx0000001gPL!session_token_do_not_log";
const RECORD: &str = "001000000000001AAA";

/// `200 OK` with a fixture as it is written: Salesforce lists a record's fields in the order
/// of the query's `SELECT`, which a JSON value would sort.
fn ok(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(
        support::fixture_text("salesforce", name),
        "application/json",
    )
}

/// The REST API's path of `route`.
fn rest(route: &str) -> String {
    format!("/services/data/v{API_VERSION}{route}")
}

/// A Salesforce instance stand-in, and the server pointed at it.
async fn salesforce() -> (MockServer, Salesforce) {
    let upstream = MockServer::start().await;
    let salesforce = Salesforce::new(&upstream.uri(), None).with_retry(support::quick_retries());
    (upstream, salesforce)
}

fn ctx() -> ToolContext {
    ToolContext::new().with_token(TOKEN)
}

async fn call(salesforce: &Salesforce, tool: &str, arguments: Value) -> CallToolResult {
    support::call(salesforce, tool, arguments, ctx()).await
}

async fn text(salesforce: &Salesforce, tool: &str, arguments: Value) -> String {
    support::text(salesforce, tool, arguments, ctx()).await
}

/// A request to `route` of the REST API, with the token.
fn api(verb: &str, route: &str) -> MockBuilder {
    Mock::given(method(verb))
        .and(path(rest(route)))
        .and(support::bearer(TOKEN))
}

/// The SOQL query `soql`.
fn soql(soql: &str) -> MockBuilder {
    api("GET", "/query").and(query_param("q", soql))
}

const ATTACHMENTS_SOQL: &str = "SELECT Id, Name, ContentType, BodyLength, CreatedDate, CreatedBy.Name FROM Attachment WHERE ParentId = '001000000000001AAA' ORDER BY CreatedDate DESC";
const LINKS_SOQL: &str =
    "SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = '001000000000001AAA'";
const VERSIONS_SOQL: &str = "SELECT Id, Title, FileType, ContentSize, CreatedDate, CreatedBy.Name FROM ContentVersion WHERE ContentDocumentId IN ('069000000000001AAA') AND IsLatest = true ORDER BY CreatedDate DESC";

/// The record's attachment (`notes.txt`) and file (`Q3 pipeline`, a CSV).
async fn attached(upstream: &MockServer) {
    soql(ATTACHMENTS_SOQL)
        .respond_with(ok("attachments.json"))
        .mount(upstream)
        .await;
    soql(LINKS_SOQL)
        .respond_with(ok("document_links.json"))
        .mount(upstream)
        .await;
    soql(VERSIONS_SOQL)
        .respond_with(ok("content_versions.json"))
        .mount(upstream)
        .await;
}

/// A failure `status` with Salesforce's error body: an array of `{message, errorCode}`.
fn salesforce_error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!([{"message": message, "errorCode": code}]))
}

#[tokio::test]
async fn execute_read_query_shows_the_first_batch_with_parent_fields_and_child_counts() {
    let (upstream, salesforce) = salesforce().await;
    let query = "SELECT Id, Name, Owner.Name, AnnualRevenue, (SELECT LastName FROM Contacts) FROM Account WHERE Industry = 'Banking'";
    soql(query)
        .respond_with(ok("query_accounts.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(&salesforce, "execute_read_query", json!({"query": query})).await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn execute_read_query_says_when_nothing_matched() {
    let (upstream, salesforce) = salesforce().await;
    soql("SELECT Id FROM Account WHERE Name = 'Nobody'")
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"totalSize": 0, "done": true, "records": []})),
        )
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &salesforce,
        "execute_read_query",
        json!({"query": "  SELECT Id FROM Account WHERE Name = 'Nobody'  "}),
    )
    .await;
    assert_eq!(text, "Query returned 0 records.");
}

#[tokio::test]
async fn a_batch_longer_than_the_table_shows_200_rows_and_says_so() {
    let (upstream, salesforce) = salesforce().await;
    let records: Vec<Value> = (0..250)
        .map(|n| json!({"attributes": {"type": "Contact"}, "Id": format!("003{n:015}"), "LastName": format!("Name {n}")}))
        .collect();
    soql("SELECT Id, LastName FROM Contact")
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"totalSize": 250, "done": true, "records": records})),
        )
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &salesforce,
        "execute_read_query",
        json!({"query": "SELECT Id, LastName FROM Contact"}),
    )
    .await;
    assert!(
        text.starts_with(
            "Query returned 250 records. More records are available: showing the first 200 of 250;"
        ),
        "{text}"
    );
    assert!(text.contains("| 003000000000000199 | Name 199 |"), "{text}");
    assert!(!text.contains("Name 200"), "{text}");
}

#[tokio::test]
async fn an_empty_query_is_refused_before_any_request() {
    let (upstream, salesforce) = salesforce().await;
    let result = call(&salesforce, "execute_read_query", json!({"query": "  "})).await;
    assert_eq!(error_kind(&result), "invalid_arguments");
    assert_no_requests(&upstream).await;
}

#[tokio::test]
async fn list_objects_lists_api_names_and_labels_by_kind() {
    let (upstream, salesforce) = salesforce().await;
    api("GET", "/sobjects")
        .respond_with(ok("sobjects.json"))
        .expect(3)
        .mount(&upstream)
        .await;
    let all = text(&salesforce, "list_objects", json!({})).await;
    insta::assert_snapshot!(all);
    let custom = text(&salesforce, "list_objects", json!({"filter": "custom"})).await;
    insta::assert_snapshot!(custom, @r#"
    Found 2 custom objects.

    - Invoice__c (display_name="Invoice")
    - Project_Milestone__c (display_name="Project Milestone")
    "#);
    let standard = text(&salesforce, "list_objects", json!({"filter": "standard"})).await;
    assert!(
        standard.starts_with("Found 3 standard objects.") && !standard.contains("__c"),
        "{standard}"
    );
}

#[tokio::test]
async fn describe_object_shows_fields_references_picklists_and_children() {
    let (upstream, salesforce) = salesforce().await;
    api("GET", "/sobjects/Account/describe")
        .respond_with(ok("describe_account.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &salesforce,
        "describe_object",
        json!({"objectName": "Account"}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn names_and_ids_that_would_change_the_path_or_the_query_are_refused() {
    let (upstream, salesforce) = salesforce().await;
    for (tool, arguments) in [
        ("describe_object", json!({"objectName": "../limits"})),
        ("describe_object", json!({"objectName": "Account/describe"})),
        ("describe_object", json!({"objectName": "_Account"})),
        (
            "create_object",
            json!({"objectName": "Account?x=1", "records": [{"Name": "Acme"}]}),
        ),
        (
            "list_attachments",
            json!({"recordId": "001000000000001' OR Name != '"}),
        ),
        ("list_attachments", json!({"recordId": "001000000000"})),
        (
            "read_attachment",
            json!({"recordId": RECORD, "attachmentId": "00P0000000000001AAAA"}),
        ),
        (
            "update_object",
            json!({"objectName": "Account", "records": [{"Id": "001'--", "Name": "x"}]}),
        ),
        (
            "update_object",
            json!({"objectName": "Account", "records": [{"Name": "no id"}]}),
        ),
    ] {
        let result = call(&salesforce, tool, arguments.clone()).await;
        assert_eq!(error_kind(&result), "invalid_arguments", "{arguments}");
    }
    assert_no_requests(&upstream).await;
}

#[tokio::test]
async fn create_object_sends_one_collection_and_reports_each_record() {
    let (upstream, salesforce) = salesforce().await;
    api("POST", "/composite/sobjects")
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "allOrNone": false,
            "records": [
                {"attributes": {"type": "Account"}, "Name": "Initech", "AnnualRevenue": 5000000, "ParentId": null},
                {"attributes": {"type": "Account"}, "Industry": "Banking"}
            ]
        })))
        .respond_with(ok("created.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &salesforce,
        "create_object",
        json!({"objectName": "Account", "records": [
            {"Name": "Initech", "AnnualRevenue": 5000000, "ParentId": null},
            {"Industry": "Banking"}
        ]}),
    )
    .await;
    insta::assert_snapshot!(text, @r"
    Create of 2 Account completed: 1 successful, 1 failed.

    1. OK: 001000000000003AAA
    2. Failed: REQUIRED_FIELD_MISSING: Required fields are missing: [Name] (fields: Name)
    ");
}

#[tokio::test]
async fn writes_take_1_to_200_records_checked_before_any_request() {
    let (upstream, salesforce) = salesforce().await;
    let many: Vec<Value> = (0..201)
        .map(|n| json!({"Name": format!("Account {n}")}))
        .collect();
    for (tool, records) in [
        ("create_object", json!([])),
        ("create_object", json!(many)),
        ("update_object", json!([])),
        // Nothing to change.
        ("update_object", json!([{"Id": RECORD}])),
    ] {
        let result = call(
            &salesforce,
            tool,
            json!({"objectName": "Account", "records": records}),
        )
        .await;
        assert_eq!(error_kind(&result), "invalid_arguments", "{tool}");
        assert!(
            result.text().contains("records") || result.text().contains("no field to change"),
            "{}",
            result.text()
        );
    }
    assert_no_requests(&upstream).await;
}

#[tokio::test]
async fn update_object_sends_ids_as_salesforce_takes_them_and_reports_each_record() {
    let (upstream, salesforce) = salesforce().await;
    api("PATCH", "/composite/sobjects")
        .and(body_json(json!({
            "allOrNone": true,
            "records": [
                {"id": RECORD, "attributes": {"type": "Account"}, "Name": "Acme Corp"},
                {"id": "001000000000002AAA", "attributes": {"type": "Account"}, "Industry": "Retail"}
            ]
        })))
        .respond_with(ok("updated.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &salesforce,
        "update_object",
        json!({"objectName": "Account", "allOrNone": true, "records": [
            {"Id": RECORD, "Name": "Acme Corp"},
            {"Id": "001000000000002AAA", "Industry": "Retail"}
        ]}),
    )
    .await;
    insta::assert_snapshot!(text, @r"
    Update of 2 Account completed: 1 successful, 1 failed.

    1. OK: 001000000000001AAA
    2. Failed (001000000000002AAA): FIELD_CUSTOM_VALIDATION_EXCEPTION: Industry cannot be Retail for banking accounts
    ");
}

#[tokio::test]
async fn list_attachments_lists_attachments_and_files_newest_first() {
    let (upstream, salesforce) = salesforce().await;
    attached(&upstream).await;
    let text = text(&salesforce, "list_attachments", json!({"recordId": RECORD})).await;
    insta::assert_snapshot!(text, @r"
    Found 2 attachments for record 001000000000001AAA.

    - **Q3 pipeline** (id `068000000000001AAA`): file, text/csv, 1.5 KiB on 2026-10-05 by Bo Chen
    - **notes.txt** (id `00P000000000001AAA`): attachment, text/plain, 27 B on 2026-10-02 by Ana Lima
    ");
}

#[tokio::test]
async fn a_record_without_files_asks_for_no_versions() {
    let (upstream, salesforce) = salesforce().await;
    let none = json!({"totalSize": 0, "done": true, "records": []});
    soql(ATTACHMENTS_SOQL)
        .respond_with(ResponseTemplate::new(200).set_body_json(none.clone()))
        .expect(1)
        .mount(&upstream)
        .await;
    soql(LINKS_SOQL)
        .respond_with(ResponseTemplate::new(200).set_body_json(none))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(&salesforce, "list_attachments", json!({"recordId": RECORD})).await;
    assert_eq!(text, "Found 0 attachments for record 001000000000001AAA.");
    assert_eq!(upstream.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn read_attachment_reads_an_attachment_body_and_a_file_version() {
    let (upstream, salesforce) = salesforce().await;
    attached(&upstream).await;
    api("GET", "/sobjects/Attachment/00P000000000001AAA/Body")
        .and(header("accept", "*/*"))
        .respond_with(ResponseTemplate::new(200).set_body_string("Call back after the audit."))
        .expect(1)
        .mount(&upstream)
        .await;
    api(
        "GET",
        "/sobjects/ContentVersion/068000000000001AAA/VersionData",
    )
    .respond_with(ResponseTemplate::new(200).set_body_string("stage,amount\nClosed Won,1200\n"))
    .expect(1)
    .mount(&upstream)
    .await;
    let note = text(
        &salesforce,
        "read_attachment",
        json!({"recordId": RECORD, "attachmentId": "00P000000000001AAA"}),
    )
    .await;
    assert_eq!(
        note,
        "notes.txt (text/plain, 27 B)\n\nCall back after the audit."
    );
    // A 15-character id is the case-sensitive start of the 18-character one.
    let file = text(
        &salesforce,
        "read_attachment",
        json!({"recordId": RECORD, "attachmentId": "068000000000001"}),
    )
    .await;
    insta::assert_snapshot!(file, @r"
    Q3 pipeline (text/csv, 1.5 KiB)

    stage,amount
    Closed Won,1200
    ");
}

#[tokio::test]
async fn read_attachment_returns_images_as_images_and_describes_other_files() {
    let (upstream, salesforce) = salesforce().await;
    soql(ATTACHMENTS_SOQL)
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "totalSize": 2, "done": true, "records": [
                {"attributes": {"type": "Attachment"}, "Id": "00P000000000002AAA", "Name": "logo.png", "ContentType": "image/png", "BodyLength": 4, "CreatedDate": "2026-10-03T10:00:00.000+0000", "CreatedBy": null},
                {"attributes": {"type": "Attachment"}, "Id": "00P000000000003AAA", "Name": "contract.pdf", "ContentType": "application/pdf", "BodyLength": 48000, "CreatedDate": "2026-10-01T10:00:00.000+0000", "CreatedBy": {"Name": "Ana Lima"}}
            ]})))
        .mount(&upstream)
        .await;
    soql(LINKS_SOQL)
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"totalSize": 0, "done": true, "records": []})),
        )
        .mount(&upstream)
        .await;
    api("GET", "/sobjects/Attachment/00P000000000002AAA/Body")
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"\x89PNG".to_vec()))
        .expect(1)
        .mount(&upstream)
        .await;
    let image = call(
        &salesforce,
        "read_attachment",
        json!({"recordId": RECORD, "attachmentId": "00P000000000002AAA"}),
    )
    .await;
    assert!(!image.is_error, "{}", image.text());
    assert!(
        image.content.iter().any(
            |content| matches!(content, Content::Image { mime_type, .. } if mime_type == "image/png")
        ),
        "{:?}",
        image.content
    );
    let pdf = text(
        &salesforce,
        "read_attachment",
        json!({"recordId": RECORD, "attachmentId": "00P000000000003AAA"}),
    )
    .await;
    assert_eq!(
        pdf,
        "contract.pdf (application/pdf, 46.9 KiB) cannot be shown here: only text and images up to 5.0 MiB are read."
    );
}

#[tokio::test]
async fn read_attachment_of_another_record_is_not_found_without_reading_it() {
    let (upstream, salesforce) = salesforce().await;
    attached(&upstream).await;
    let result = call(
        &salesforce,
        "read_attachment",
        json!({"recordId": RECORD, "attachmentId": "00P000000000009AAA"}),
    )
    .await;
    assert_eq!(error_kind(&result), "not_found");
    assert_eq!(
        result.text(),
        "Attachment with ID 00P000000000009AAA not found on record 001000000000001AAA (see `list_attachments`)"
    );
    let bodies = upstream
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|request| request.url.path().contains("/sobjects/"))
        .count();
    assert_eq!(bodies, 0);
}

// Where the instance comes from.

/// The connected app, its token endpoint `upstream`'s.
fn oauth_app(upstream: &MockServer) -> OAuthApp {
    OAuthApp::new(
        &providers::salesforce::OAUTH,
        "3MVG9.consumer",
        None,
        "http://127.0.0.1:8080/cb",
    )
    .with_token_url(format!("{}/services/oauth2/token", upstream.uri()))
}

/// `GET /sobjects` answered at `upstream` for `token`.
async fn objects_for(token: &str, upstream: &MockServer) {
    Mock::given(method("GET"))
        .and(path(rest("/sobjects")))
        .and(support::bearer(token))
        .respond_with(ok("sobjects.json"))
        .expect(1)
        .mount(upstream)
        .await;
}

#[tokio::test]
async fn without_an_instance_or_a_token_the_error_says_what_to_set() {
    let salesforce = Salesforce::from_settings(Settings::default()).unwrap();
    for ctx in [ToolContext::new(), ctx()] {
        let result = salesforce
            .call_tool("list_objects", json!({}), ctx)
            .await
            .unwrap();
        assert_eq!(error_kind(&result), "personal_authentication_required");
        assert!(
            result.text().contains("not connected to Salesforce")
                && result.text().contains("`SALESFORCE_INSTANCE_URL`")
                && result.text().contains("`SALESFORCE_TOKEN`"),
            "{}",
            result.text()
        );
    }
}

#[tokio::test]
async fn the_connections_instance_wins_over_the_hosts_and_the_servers() {
    let upstream = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    objects_for("connected", &upstream).await;
    let tokens = Tokens {
        instance_url: Some(upstream.uri()),
        ..Tokens::fixed("connected")
    };
    let connections = support::connected("ana", "salesforce", &tokens).await;
    let salesforce = Salesforce::new(&elsewhere.uri(), None).with_connections(connections, None);
    let ctx = support::as_user("ana").with_extension(InstanceUrl(elsewhere.uri()));
    support::text(&salesforce, "list_objects", json!({}), ctx).await;
    assert_no_requests(&elsewhere).await;
}

#[tokio::test]
async fn a_connection_reaches_the_instance_its_token_response_named() {
    let upstream = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/services/oauth2/token"))
        .and(body_string_contains("grant_type=authorization_code"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "connected",
            "refresh_token": REFRESH_TOKEN,
            "instance_url": upstream.uri(),
            "id": "https://login.salesforce.com/id/00Dxx0000001gPL/005xx000001Sv6A",
            "token_type": "Bearer",
            "issued_at": "1764489600000",
            "signature": "c2lnbmF0dXJl"
        })))
        .expect(1)
        .mount(&upstream)
        .await;
    objects_for("connected", &upstream).await;
    let app = oauth_app(&upstream);
    let tokens = app
        .exchange_code("the-code", &SecretString::from("the-verifier"))
        .await
        .unwrap();
    let connections = support::connected("ana", "salesforce", &tokens).await;
    // The server knows no instance of its own.
    let salesforce = Salesforce::from_settings(Settings::default())
        .unwrap()
        .with_connections(connections, Some(Arc::new(app)));
    let text = support::text(
        &salesforce,
        "list_objects",
        json!({}),
        support::as_user("ana"),
    )
    .await;
    assert!(text.starts_with("Found 5 objects."), "{text}");
}

#[tokio::test]
async fn the_hosts_instance_wins_over_the_servers() {
    let upstream = MockServer::start().await;
    objects_for(TOKEN, &upstream).await;
    let salesforce = Salesforce::from_settings(Settings {
        instance_url: Some("http://127.0.0.1:9".to_owned()),
        token: None,
    })
    .unwrap();
    let ctx = ctx().with_extension(InstanceUrl(format!("{}/", upstream.uri())));
    support::text(&salesforce, "list_objects", json!({}), ctx).await;
}

#[tokio::test]
async fn the_configured_instance_and_token_serve_calls_without_either() {
    let upstream = MockServer::start().await;
    objects_for("configured", &upstream).await;
    let salesforce = Salesforce::from_settings(Settings {
        instance_url: Some(upstream.uri()),
        token: Some("configured".to_owned()),
    })
    .unwrap();
    support::text(&salesforce, "list_objects", json!({}), ToolContext::new()).await;
}

const REFRESH_TOKEN: &str = "5Aep_refresh_token_do_not_log";
const RENEWED: &str = "00Dxx0000001gPL!renewed_token_do_not_log";

#[tokio::test]
async fn an_invalid_session_is_renewed_once_and_the_instance_kept() {
    let upstream = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(rest("/sobjects")))
        .and(support::bearer(TOKEN))
        .respond_with(salesforce_error(
            401,
            "INVALID_SESSION_ID",
            "Session expired or invalid",
        ))
        .expect(1)
        .mount(&upstream)
        .await;
    // Salesforce's refresh answer; this one names no instance.
    Mock::given(method("POST"))
        .and(path("/services/oauth2/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": RENEWED,
            "signature": "c2lnbmF0dXJl",
            "scope": "refresh_token api",
            "id": "https://login.salesforce.com/id/00Dxx0000001gPL/005xx000001Sv6A",
            "token_type": "Bearer",
            "issued_at": "1764489600000"
        })))
        .expect(1)
        .mount(&upstream)
        .await;
    objects_for(RENEWED, &upstream).await;
    let tokens = Tokens {
        access: SecretString::from(TOKEN),
        refresh: Some(SecretString::from(REFRESH_TOKEN)),
        expires_at: None,
        instance_url: Some(upstream.uri()),
        scopes: Vec::new(),
    };
    let connections = support::connected("ana", "salesforce", &tokens).await;
    let app = oauth_app(&upstream);
    let salesforce = Salesforce::from_settings(Settings::default())
        .unwrap()
        .with_connections(connections.clone(), Some(Arc::new(app)));

    let captured = support::logs::Logs::capture();
    let text = support::text(
        &salesforce,
        "list_objects",
        json!({}),
        support::as_user("ana"),
    )
    .await;
    assert!(text.starts_with("Found 5 objects."), "{text}");
    let saved = connections.get("ana", "salesforce").await.unwrap().unwrap();
    assert_eq!(saved.access.expose_secret(), RENEWED);
    assert_eq!(
        saved.instance_url,
        Some(upstream.uri()),
        "the instance is kept"
    );
    let logs = captured.text();
    for secret in [TOKEN, RENEWED, REFRESH_TOKEN] {
        assert!(!logs.contains(secret), "a token reached the logs:\n{logs}");
    }
}

// Failure paths of the client.

#[tokio::test]
async fn an_invalid_session_without_renewal_asks_for_personal_authentication() {
    let (upstream, salesforce) = salesforce().await;
    api("GET", "/sobjects")
        .respond_with(salesforce_error(
            401,
            "INVALID_SESSION_ID",
            "Session expired or invalid",
        ))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(&salesforce, "list_objects", json!({})).await;
    assert_eq!(error_kind(&result), "personal_authentication_required");
}

#[tokio::test]
async fn the_daily_api_limit_is_a_denial_not_throttling() {
    let (upstream, salesforce) = salesforce().await;
    api("GET", "/sobjects")
        .respond_with(salesforce_error(
            403,
            "REQUEST_LIMIT_EXCEEDED",
            "TotalRequests Limit exceeded.",
        ))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(&salesforce, "list_objects", json!({})).await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text(), @"Salesforce denied `GET /sobjects`: the connected account may not do this: REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.");
}

#[tokio::test]
async fn an_unknown_object_is_not_found_naming_the_endpoint() {
    let (upstream, salesforce) = salesforce().await;
    api("GET", "/sobjects/Nope__c/describe")
        .respond_with(salesforce_error(
            404,
            "NOT_FOUND",
            "The requested resource does not exist",
        ))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(
        &salesforce,
        "describe_object",
        json!({"objectName": "Nope__c"}),
    )
    .await;
    assert_eq!(error_kind(&result), "not_found");
    insta::assert_snapshot!(result.text(), @"Salesforce has nothing at `GET /sobjects/Nope__c/describe`: NOT_FOUND: The requested resource does not exist; check the names and numbers in the arguments");
}

#[tokio::test]
async fn a_malformed_query_is_refused_in_salesforces_words() {
    let (upstream, salesforce) = salesforce().await;
    soql("SELECT Id, Foo FROM Account")
        .respond_with(ResponseTemplate::new(400).set_body_json(json!([{
            "message": "\nSELECT Id, Foo FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column 'Foo' on entity 'Account'.",
            "errorCode": "INVALID_FIELD"
        }])))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(
        &salesforce,
        "execute_read_query",
        json!({"query": "SELECT Id, Foo FROM Account"}),
    )
    .await;
    assert_eq!(error_kind(&result), "provider");
    assert!(
        result
            .text()
            .starts_with("Salesforce refused `GET /query` as invalid: INVALID_FIELD: ")
            && result
                .text()
                .contains("No such column 'Foo' on entity 'Account'."),
        "{}",
        result.text()
    );
}

#[tokio::test]
async fn throttling_and_server_errors_are_retried_for_reads() {
    let (upstream, salesforce) = salesforce().await;
    api("GET", "/sobjects")
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&upstream)
        .await;
    api("GET", "/sobjects")
        .respond_with(salesforce_error(
            503,
            "SERVER_UNAVAILABLE",
            "Server temporarily unavailable",
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&upstream)
        .await;
    api("GET", "/sobjects")
        .respond_with(ok("sobjects.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    text(&salesforce, "list_objects", json!({})).await;
}

#[tokio::test]
async fn lasting_throttling_says_when_to_try_again() {
    let (upstream, salesforce) = salesforce().await;
    api("GET", "/sobjects")
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .expect(3)
        .mount(&upstream)
        .await;
    let result = call(&salesforce, "list_objects", json!({})).await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text(), @"Salesforce is rate limiting requests after 3 attempts; try again in 1 s");
}

#[tokio::test]
async fn a_lasting_outage_fails_after_three_attempts_without_quoting_html() {
    let (upstream, salesforce) = salesforce().await;
    api("GET", "/sobjects/Account/describe")
        .respond_with(
            ResponseTemplate::new(502).set_body_string("<html><body>Bad Gateway</body></html>"),
        )
        .expect(3)
        .mount(&upstream)
        .await;
    let result = call(
        &salesforce,
        "describe_object",
        json!({"objectName": "Account"}),
    )
    .await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text(), @"Salesforce failed with HTTP 502 on `GET /sobjects/Account/describe` after 3 attempts");
}

#[tokio::test]
async fn writes_are_never_retried() {
    let (upstream, salesforce) = salesforce().await;
    api("POST", "/composite/sobjects")
        .respond_with(salesforce_error(
            500,
            "UNKNOWN_EXCEPTION",
            "An unexpected error occurred. Please include this ErrorId if you contact support: 1234-5678 (-1)",
        ))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(
        &salesforce,
        "create_object",
        json!({"objectName": "Account", "records": [{"Name": "Acme"}]}),
    )
    .await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text(), @"Salesforce failed with HTTP 500 on `POST /composite/sobjects`: UNKNOWN_EXCEPTION: An unexpected error occurred. Please include this ErrorId if you contact support: 1234-5678 (-1)");
}

#[tokio::test]
async fn a_malformed_body_names_the_endpoint_and_the_field() {
    let (upstream, salesforce) = salesforce().await;
    api("GET", "/sobjects")
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"sobjects": [{"name": "Account", "label": "Account"}]})),
        )
        .mount(&upstream)
        .await;
    let result = call(&salesforce, "list_objects", json!({})).await;
    assert_eq!(error_kind(&result), "provider");
    assert!(
        result
            .text()
            .contains("`GET /sobjects`: sobjects[0]: missing field `custom`"),
        "{}",
        result.text()
    );
}
