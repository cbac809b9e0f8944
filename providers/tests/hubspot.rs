//! Every `hubspot` tool against a HubSpot stand-in on loopback (wiremock), with payloads shaped
//! like HubSpot's documented responses: each test checks the request HubSpot would receive and
//! snapshots what the model reads; then every failure path, in HubSpot's own error body
//! (`{status, message, correlationId, category, errors[]}`).

mod support;

use std::sync::Arc;

use mcp_runtime::{CallToolResult, Content, McpServer, ResourceContents, ToolContext};
use providers::connect::{ConnectionStore, OAuthApp, Tokens};
use providers::hubspot::Hubspot;
use providers::kit::Remote as _;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use support::{assert_no_requests, error_kind};
use wiremock::matchers::{
    body_json, body_string_contains, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

/// A private app's token.
const TOKEN: &str = "pat-na1-11111111-2222-3333-4444-555555555555";
/// An OAuth access token (its characters `/`, `+`, `=` need escaping in a path).
const OAUTH_TOKEN: &str = "CJSP5qf1KRICAQEY/gDII+OBii1hQ==";

fn fixture(name: &str) -> Value {
    support::fixture("hubspot", name)
}

fn ok(name: &str) -> ResponseTemplate {
    support::ok("hubspot", name)
}

async fn hubspot() -> (MockServer, Hubspot) {
    let upstream = MockServer::start().await;
    let hubspot = Hubspot::new(&upstream.uri(), None).with_retry(support::quick_retries());
    (upstream, hubspot)
}

fn ctx() -> ToolContext {
    ToolContext::new().with_token(TOKEN)
}

async fn call(hubspot: &Hubspot, tool: &str, arguments: Value) -> CallToolResult {
    support::call(hubspot, tool, arguments, ctx()).await
}

async fn text(hubspot: &Hubspot, tool: &str, arguments: Value) -> String {
    support::text(hubspot, tool, arguments, ctx()).await
}

/// A request to `route` with the token.
fn api(verb: &str, route: &str) -> MockBuilder {
    Mock::given(method(verb))
        .and(path(route))
        .and(support::bearer(TOKEN))
}

/// The names of the properties in `properties.json`, which searches ask for when not told.
fn all_property_names() -> Value {
    json!([
        "firstname",
        "email",
        "lifecyclestage",
        "createdate",
        "hs_object_id",
        "hs_avatar_filemanager_key"
    ])
}

/// `status` with a JSON fixture as the body.
fn answer(status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(fixture(name))
}

/// An association to object `id` of HubSpot's type `type_id`, as a create request sends it.
fn association(id: &str, type_id: u32) -> Value {
    json!({"to": {"id": id}, "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}]})
}

/// HubSpot's one association type from `from` objects to `to` objects, read once.
async fn association_type(upstream: &MockServer, from: &str, to: &str, type_id: u32) {
    api("GET", &format!("/crm/v4/associations/{from}/{to}/labels"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"results": [{"category": "HUBSPOT_DEFINED", "typeId": type_id, "label": null}]}),
        ))
        .expect(1)
        .mount(upstream)
        .await;
}

// Objects.

#[tokio::test]
async fn get_object_properties_lists_the_creatable_ones_by_default() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/properties/contacts")
        .respond_with(ok("properties.json"))
        .expect(2)
        .mount(&upstream)
        .await;
    let creatable = text(
        &hubspot,
        "get_object_properties",
        json!({"objectType": "contacts"}),
    )
    .await;
    insta::assert_snapshot!("creatable_properties", creatable);
    let all = text(
        &hubspot,
        "get_object_properties",
        json!({"objectType": "contacts", "creatableOnly": false}),
    )
    .await;
    insta::assert_snapshot!("all_properties", all);
}

#[tokio::test]
async fn enumeration_options_are_cut_at_fifty() {
    let (upstream, hubspot) = hubspot().await;
    let options: Vec<Value> = (1..=60)
        .map(|n| json!({"label": format!("Stage {n}"), "value": format!("stage{n}"), "displayOrder": n, "hidden": false}))
        .collect();
    let mut properties = fixture("properties.json");
    properties["results"][2]["options"] = json!(options);
    api("GET", "/crm/v3/properties/deals")
        .respond_with(ResponseTemplate::new(200).set_body_json(properties))
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "get_object_properties",
        json!({"objectType": "deals"}),
    )
    .await;
    assert!(
        text.contains("stage50 (Stage 50) (displaying the first 50 options among 60)"),
        "{text}"
    );
    assert!(!text.contains("stage51"), "{text}");
}

#[tokio::test]
async fn get_object_by_email_searches_every_property_for_the_address() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/properties/contacts")
        .respond_with(ok("properties.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("POST", "/crm/v3/objects/contacts/search")
        .and(body_json(json!({
            "filterGroups": [{"filters": [{"propertyName": "email", "operator": "EQ", "value": "bh@hubspot.com"}]}],
            "sorts": ["-createdate"],
            "properties": all_property_names(),
            "limit": 1,
        })))
        .respond_with(ok("search_last_page.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "get_object_by_email",
        json!({"objectType": "contacts", "email": "BH@HubSpot.com"}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn get_object_by_email_finds_owners_by_their_own_endpoint() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/owners/")
        .and(query_param("email", "ana@biglytics.net"))
        .and(query_param("limit", "1"))
        .respond_with(ok("owners.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "get_object_by_email",
        json!({"objectType": "owners", "email": "ana@biglytics.net"}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn get_object_by_email_says_when_there_is_none() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/properties/companies")
        .respond_with(ok("properties.json"))
        .mount(&upstream)
        .await;
    api("POST", "/crm/v3/objects/companies/search")
        .respond_with(ok("search_empty.json"))
        .mount(&upstream)
        .await;
    let result = call(
        &hubspot,
        "get_object_by_email",
        json!({"objectType": "companies", "email": "nobody@example.com"}),
    )
    .await;
    assert_eq!(error_kind(&result), "not_found");
    insta::assert_snapshot!(result.text(), @"HubSpot has no company with the email `nobody@example.com`");
}

#[tokio::test]
async fn get_latest_objects_asks_for_the_newest_first() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/properties/contacts")
        .respond_with(ok("properties.json"))
        .mount(&upstream)
        .await;
    api("POST", "/crm/v3/objects/contacts/search")
        .and(body_json(json!({
            "filterGroups": [],
            "sorts": ["-createdate"],
            "properties": all_property_names(),
            "limit": 2,
        })))
        .respond_with(ok("search_contacts.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "get_latest_objects",
        json!({"objectType": "contacts", "limit": 2}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn page_sizes_out_of_range_are_refused_before_any_request() {
    let (upstream, hubspot) = hubspot().await;
    for (tool, arguments) in [
        (
            "get_latest_objects",
            json!({"objectType": "deals", "limit": 201}),
        ),
        (
            "search_crm_objects",
            json!({"objectType": "deals", "limit": 0}),
        ),
        (
            "export_crm_objects_csv",
            json!({"objectType": "deals", "propertiesToExport": ["dealname"], "maxRows": 2001}),
        ),
        ("list_marketing_emails", json!({"limit": 101})),
        ("list_email_events", json!({"limit": 1001})),
    ] {
        let result = call(&hubspot, tool, arguments).await;
        assert_eq!(error_kind(&result), "invalid_arguments", "{tool}");
    }
    assert_no_requests(&upstream).await;
}

#[tokio::test]
async fn get_contact_reads_hubspots_default_properties() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/objects/contacts/51")
        .and(query_param_is_missing("properties"))
        .respond_with(ok("contact.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(&hubspot, "get_contact", json!({"contactId": "51"})).await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn get_company_repeats_the_properties_parameter() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/objects/companies/9183")
        .respond_with(ok("company.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "get_company",
        json!({"companyId": "9183", "extraProperties": ["industry"]}),
    )
    .await;
    insta::assert_snapshot!(text);
    let requests = upstream.received_requests().await.unwrap();
    assert_eq!(
        requests[0].url.query(),
        Some(
            "properties=createdate&properties=domain&properties=name&properties=hubspot_owner_id&properties=industry"
        )
    );
}

#[tokio::test]
async fn get_deal_reads_the_deal_properties() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/objects/deals/3345")
        .and(query_param("properties", "dealstage"))
        .and(query_param("properties", "pipeline"))
        .and(query_param("properties", "hs_forecast_amount"))
        .respond_with(ok("deal.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "get_deal",
        json!({"dealId": "3345", "extraProperties": ["hs_forecast_amount"]}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn get_meeting_shows_its_notes_as_text() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/objects/meetings/7801")
        .and(query_param("properties", "hs_meeting_body"))
        .respond_with(ok("meeting.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(&hubspot, "get_meeting", json!({"meetingId": "7801"})).await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn get_file_public_url_falls_back_to_a_signed_url() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/files/v3/files/116125578413")
        .respond_with(ok("file.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("GET", "/files/v3/files/116125578414")
        .respond_with(ok("file_private.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("GET", "/files/v3/files/116125578414/signed-url")
        .respond_with(ok("signed_url.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let public = text(
        &hubspot,
        "get_file_public_url",
        json!({"fileId": "116125578413"}),
    )
    .await;
    insta::assert_snapshot!(public, @"File 116125578413: https://f.hubspotusercontent-na1.net/hubfs/62515/pricing.pdf");
    let private = text(
        &hubspot,
        "get_file_public_url",
        json!({"fileId": "116125578414"}),
    )
    .await;
    insta::assert_snapshot!(private, @"File 116125578414: https://f.hubspotusercontent-na1.net/hubfs/62515/contract.pdf?Expires=1770000000&Signature=abc");
}

#[tokio::test]
async fn a_file_without_any_url_is_not_found() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/files/v3/files/5")
        .respond_with(ok("file_private.json"))
        .mount(&upstream)
        .await;
    api("GET", "/files/v3/files/5/signed-url")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "contract"})))
        .mount(&upstream)
        .await;
    let result = call(&hubspot, "get_file_public_url", json!({"fileId": "5"})).await;
    assert_eq!(error_kind(&result), "not_found");
    insta::assert_snapshot!(result.text(), @"HubSpot has no public URL for file 5");
}

// Search.

#[tokio::test]
async fn count_objects_sends_the_filters_and_reads_the_total() {
    let (upstream, hubspot) = hubspot().await;
    // The types of the properties decide how values are compared.
    api("GET", "/crm/v3/properties/contacts")
        .respond_with(ok("properties.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("POST", "/crm/v3/objects/contacts/search")
        .and(body_json(json!({
            "filterGroups": [{"filters": [
                {"propertyName": "email", "operator": "CONTAINS_TOKEN", "value": "*@hubspot.com"},
                {"propertyName": "lifecyclestage", "operator": "IN", "values": ["Customer"]},
                {"propertyName": "createdate", "operator": "BETWEEN", "value": "1767225600000", "highValue": "1769904000000"},
            ]}],
            "sorts": ["-createdate"],
            "properties": ["id"],
            "limit": 1,
        })))
        .respond_with(ok("search_contacts.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "count_objects_by_properties",
        json!({"objectType": "contacts", "filters": [
            {"propertyName": "email", "operator": "CONTAINS_TOKEN", "value": "*@HubSpot.com"},
            {"propertyName": "lifecyclestage", "operator": "IN", "values": ["Customer"]},
            {"propertyName": "createdate", "operator": "BETWEEN", "value": "2026-01-01;2026-02-01"},
        ]}),
    )
    .await;
    insta::assert_snapshot!(text, @"214 contacts match the filters.");
}

#[tokio::test]
async fn counts_stop_at_ten_thousand() {
    let (upstream, hubspot) = hubspot().await;
    api("POST", "/crm/v3/objects/deals/search")
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total": 10000, "results": [{"id": "1", "properties": {}}]})),
        )
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "count_objects_by_properties",
        json!({"objectType": "deals", "filters": [{"propertyName": "amount", "operator": "GT", "value": "0"}]}),
    )
    .await;
    insta::assert_snapshot!(text, @"10,000 or more deals match the filters (HubSpot counts up to 10,000).");
}

#[tokio::test]
async fn search_crm_objects_reads_every_property_and_gives_the_next_cursor() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/properties/contacts")
        .respond_with(ok("properties.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("POST", "/crm/v3/objects/contacts/search")
        .and(body_json(json!({
            "filterGroups": [],
            "sorts": ["-createdate"],
            "properties": all_property_names(),
            "limit": 200,
            "query": "brian",
        })))
        .respond_with(ok("search_contacts.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "search_crm_objects",
        json!({"objectType": "contacts", "query": "brian"}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn search_crm_objects_with_chosen_properties_shows_just_those() {
    let (upstream, hubspot) = hubspot().await;
    // Ordering filters need no property types, and the properties are given: one request.
    api("POST", "/crm/v3/objects/deals/search")
        .and(body_json(json!({
            "filterGroups": [{"filters": [{"propertyName": "amount", "operator": "GTE", "value": "1000"}]}],
            "sorts": ["-createdate"],
            "properties": ["dealname", "hs_object_id"],
            "limit": 5,
            "after": "10",
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "total": 11,
            "results": [fixture("deal.json")],
        })))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "search_crm_objects",
        json!({"objectType": "deals", "filters": [{"propertyName": "amount", "operator": "GTE", "value": "1000"}],
            "propertiesToReturn": ["dealname", "hs_object_id"], "limit": 5, "after": "10"}),
    )
    .await;
    insta::assert_snapshot!(text, @r"
    Found 11 deals (1 on this page):

    1. Biglytics - Enterprise plan (ID: 3345)
       - dealname: Biglytics - Enterprise plan
       - hs_object_id: 3345
    ");
    assert_eq!(upstream.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_filter_without_its_value_is_refused_before_any_request() {
    let (upstream, hubspot) = hubspot().await;
    let result = call(
        &hubspot,
        "search_crm_objects",
        json!({"objectType": "tickets", "filters": [{"propertyName": "subject", "operator": "EQ"}]}),
    )
    .await;
    assert_eq!(error_kind(&result), "invalid_arguments");
    insta::assert_snapshot!(result.text(), @"`filters[0]` (subject EQ) needs `value`");
    let result = call(
        &hubspot,
        "search_crm_objects",
        json!({"objectType": "tickets", "filters": [{"propertyName": "subject", "operator": "LIKE", "value": "x"}]}),
    )
    .await;
    assert_eq!(error_kind(&result), "invalid_arguments");
    assert_no_requests(&upstream).await;
}

#[tokio::test]
async fn an_unreadable_date_range_is_refused_once_the_type_is_known() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/properties/contacts")
        .respond_with(ok("properties.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(
        &hubspot,
        "search_crm_objects",
        json!({"objectType": "contacts", "propertiesToReturn": ["email"],
            "filters": [{"propertyName": "createdate", "operator": "BETWEEN", "values": ["last week", "today"]}]}),
    )
    .await;
    assert_eq!(error_kind(&result), "invalid_arguments");
    insta::assert_snapshot!(result.text(), @"`filters[0]` (createdate BETWEEN): `last week` is not an ISO 8601 date or milliseconds since the epoch");
}

#[tokio::test]
async fn no_results_is_an_answer() {
    let (upstream, hubspot) = hubspot().await;
    api("POST", "/crm/v3/objects/line_items/search")
        .respond_with(ok("search_empty.json"))
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "search_crm_objects",
        json!({"objectType": "line_items", "propertiesToReturn": ["name"]}),
    )
    .await;
    insta::assert_snapshot!(text, @"No line items match the search.");
}

#[tokio::test]
async fn export_reads_pages_of_a_hundred_up_to_max_rows() {
    let (upstream, hubspot) = hubspot().await;
    let page = |ids: std::ops::Range<u32>, after: Option<&str>| {
        let results: Vec<Value> = ids
            .map(|id| json!({"id": id.to_string(), "properties": {"email": format!("c{id}@example.com"), "firstname": if id == 1 { "Ana \"A\"" } else { "Bo" }}}))
            .collect();
        let mut body = json!({"total": 420, "results": results});
        if let Some(after) = after {
            body["paging"] = json!({"next": {"after": after}});
        }
        ResponseTemplate::new(200).set_body_json(body)
    };
    api("POST", "/crm/v3/objects/contacts/search")
        .and(body_json(json!({"filterGroups": [], "sorts": ["-createdate"], "properties": ["email", "firstname"], "limit": 100})))
        .respond_with(page(1..101, Some("100")))
        .expect(1)
        .mount(&upstream)
        .await;
    api("POST", "/crm/v3/objects/contacts/search")
        .and(body_json(json!({"filterGroups": [], "sorts": ["-createdate"], "properties": ["email", "firstname"], "limit": 50, "after": "100"})))
        .respond_with(page(101..151, Some("150")))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(
        &hubspot,
        "export_crm_objects_csv",
        json!({"objectType": "contacts", "propertiesToExport": ["email", "firstname"], "maxRows": 150}),
    )
    .await;
    assert!(!result.is_error, "{}", result.text());
    insta::assert_snapshot!(result.text(), @"Exported 150 contacts to CSV (2 columns: email, firstname). 420 match in all; the export stops at 150 rows: narrow the filters for the rest.");
    let csv = result
        .content
        .iter()
        .find_map(|block| match block {
            Content::Resource {
                resource:
                    ResourceContents::Text {
                        uri,
                        mime_type,
                        text,
                    },
            } => {
                assert_eq!(uri, "hubspot://export/contacts.csv");
                assert_eq!(mime_type.as_deref(), Some("text/csv"));
                Some(text.clone())
            }
            _ => None,
        })
        .expect("the CSV as a resource");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 151);
    assert_eq!(lines[0], "email,firstname");
    assert_eq!(lines[1], "\"c1@example.com\",\"Ana \"\"A\"\"\"");
    assert_eq!(lines[150], "\"c150@example.com\",\"Bo\"");
}

#[tokio::test]
async fn export_needs_a_column() {
    let (upstream, hubspot) = hubspot().await;
    let result = call(
        &hubspot,
        "export_crm_objects_csv",
        json!({"objectType": "contacts", "propertiesToExport": []}),
    )
    .await;
    assert_eq!(error_kind(&result), "invalid_arguments");
    assert_no_requests(&upstream).await;
}

#[tokio::test]
async fn get_user_activity_tries_each_owner_property_and_merges_the_types() {
    let (upstream, hubspot) = hubspot().await;
    let filters = |owner_property: &str| {
        json!([
            {"propertyName": owner_property, "operator": "EQ", "value": "910901"},
            {"propertyName": "createdate", "operator": "GTE", "value": "1767225600000"},
            {"propertyName": "createdate", "operator": "LTE", "value": "1769904000000"},
        ])
    };
    let found = |id: &str, property: &str, value: &str, created: &str| {
        ResponseTemplate::new(200).set_body_json(json!({"total": 1, "results": [
            {"id": id, "properties": {property: value}, "createdAt": created}
        ]}))
    };
    // Tasks are found by their owner.
    api("POST", "/crm/v3/objects/tasks/search")
        .and(body_json(json!({"filterGroups": [{"filters": filters("hubspot_owner_id")}], "sorts": ["-createdate"],
            "properties": ["hs_task_subject", "hs_timestamp", "createdate"], "limit": 200})))
        .respond_with(found("6201", "hs_task_subject", "Send the renewal quote", "2026-01-20T10:00:00Z"))
        .expect(1)
        .mount(&upstream)
        .await;
    // Notes by who created them, after their owner found none.
    api("POST", "/crm/v3/objects/notes/search")
        .and(body_json(json!({"filterGroups": [{"filters": filters("hs_created_by")}], "sorts": ["-createdate"],
            "properties": ["hs_note_body", "hs_timestamp", "createdate"], "limit": 200})))
        .respond_with(found("8801", "hs_note_body", "<p>Call went well</p>", "2026-01-25T10:00:00Z"))
        .expect(1)
        .mount(&upstream)
        .await;
    Mock::given(method("POST"))
        .respond_with(ok("search_empty.json"))
        .with_priority(10)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "get_user_activity",
        json!({"ownerId": "910901", "startDate": "2026-01-01", "endDate": "2026-02-01T00:00:00Z"}),
    )
    .await;
    insta::assert_snapshot!(text);
    // Notes: 2 tries; meetings, calls, emails: 3 each; tasks: 1.
    assert_eq!(upstream.received_requests().await.unwrap().len(), 12);
}

#[tokio::test]
async fn get_user_activity_refuses_unreadable_dates() {
    let (upstream, hubspot) = hubspot().await;
    let result = call(
        &hubspot,
        "get_user_activity",
        json!({"ownerId": "910901", "startDate": "last monday", "endDate": "2026-02-01"}),
    )
    .await;
    assert_eq!(error_kind(&result), "invalid_arguments");
    assert_no_requests(&upstream).await;
}

// Owners, the portal and the user.

#[tokio::test]
async fn list_owners_reads_every_page() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/owners/")
        .and(query_param("limit", "100"))
        .and(query_param_is_missing("after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "results": [fixture("owners.json")["results"][0]],
            "paging": {"next": {"after": "1", "link": "?after=1"}},
        })))
        .expect(1)
        .mount(&upstream)
        .await;
    api("GET", "/crm/v3/owners/")
        .and(query_param("after", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "results": [fixture("owners.json")["results"][1]],
        })))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(&hubspot, "list_owners", json!({})).await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn search_owners_matches_names_emails_and_ids() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/owners/")
        .respond_with(ok("owners.json"))
        .mount(&upstream)
        .await;
    let by_name = text(&hubspot, "search_owners", json!({"searchQuery": "bo chen"})).await;
    insta::assert_snapshot!(by_name, @r#"
    1 owner matching "bo chen":

    - **Bo Chen** (owner id 910902) <bo@biglytics.net>, user id 4126152
    "#);
    let by_user = text(&hubspot, "search_owners", json!({"searchQuery": "4126151"})).await;
    assert!(
        by_user.contains("**Ana Lima** (owner id 910901)"),
        "{by_user}"
    );
    let none = text(&hubspot, "search_owners", json!({"searchQuery": "zed"})).await;
    insta::assert_snapshot!(none, @r#"No owners found matching "zed"."#);
}

#[tokio::test]
async fn get_hubspot_link_builds_record_and_index_links() {
    let (upstream, hubspot) = hubspot().await;
    let text = text(
        &hubspot,
        "get_hubspot_link",
        json!({"portalId": "62515", "uiDomain": "app-eu1.hubspot.com", "pageRequests": [
            {"pagetype": "record", "objectTypeId": "deals", "objectId": "3345"},
            {"pagetype": "index", "objectTypeId": "0-1"},
            {"pagetype": "record", "objectTypeId": "2-3456789", "objectId": "12"},
        ]}),
    )
    .await;
    insta::assert_snapshot!(text, @r"
    - deals: https://app-eu1.hubspot.com/contacts/62515/record/0-3/3345
    - 0-1: https://app-eu1.hubspot.com/contacts/62515/objects/0-1
    - 2-3456789: https://app-eu1.hubspot.com/contacts/62515/record/2-3456789/12
    ");
    for (arguments, expected) in [
        (
            json!({"portalId": "62515", "uiDomain": "app.hubspot.com", "pageRequests": [{"pagetype": "index", "objectTypeId": "widgets"}]}),
            "`pageRequests[0].objectTypeId` `widgets` is not an object type; use one of appointments (0-421)",
        ),
        (
            json!({"portalId": "62515", "uiDomain": "app.hubspot.com", "pageRequests": [{"pagetype": "record", "objectTypeId": "contacts"}]}),
            "`pageRequests[0]` is a record page and needs a numeric `objectId`",
        ),
        (
            json!({"portalId": "62515", "uiDomain": "evil.com/x?", "pageRequests": []}),
            "`uiDomain` must be a host name",
        ),
    ] {
        let result = call(&hubspot, "get_hubspot_link", arguments).await;
        assert_eq!(error_kind(&result), "invalid_arguments");
        assert!(result.text().contains(expected), "{}", result.text());
    }
    assert_no_requests(&upstream).await;
}

#[tokio::test]
async fn a_private_apps_portal_comes_from_the_account_details() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/account-info/v3/details")
        .respond_with(ok("account_details.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(&hubspot, "get_hubspot_portal_id", json!({})).await;
    insta::assert_snapshot!(text, @r"
    Portal ID: 62515
    UI Domain: app-eu1.hubspot.com
    ");
}

#[tokio::test]
async fn an_oauth_tokens_portal_comes_from_the_token_itself() {
    let (upstream, hubspot) = hubspot().await;
    Mock::given(method("GET"))
        .and(path(
            "/oauth/v1/access-tokens/CJSP5qf1KRICAQEY%2FgDII%2BOBii1hQ%3D%3D",
        ))
        .respond_with(ok("access_token.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = support::call(
        &hubspot,
        "get_hubspot_portal_id",
        json!({}),
        ToolContext::new().with_token(OAUTH_TOKEN),
    )
    .await;
    insta::assert_snapshot!(result.text(), @r"
    Portal ID: 62515
    UI Domain: app.hubspot.com
    ");
}

#[tokio::test]
async fn a_failed_token_lookup_never_tells_the_token() {
    let (upstream, hubspot) = hubspot().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "status": "error",
            "message": format!("Token {OAUTH_TOKEN} does not exist"),
            "correlationId": "f6a7b8c9-0000-4000-8000-000000000004",
            "category": "OBJECT_NOT_FOUND",
        })))
        .mount(&upstream)
        .await;
    let result = support::call(
        &hubspot,
        "get_current_user_id",
        json!({}),
        ToolContext::new().with_token(OAUTH_TOKEN),
    )
    .await;
    assert_eq!(error_kind(&result), "not_found");
    insta::assert_snapshot!(result.text(), @"HubSpot has nothing at `GET /oauth/v1/access-tokens/{token}`: Token {token} does not exist; check the names and numbers in the arguments");
}

#[tokio::test]
async fn a_private_apps_user_is_found_with_its_owner() {
    let (upstream, hubspot) = hubspot().await;
    api("POST", "/oauth/v2/private-apps/get/access-token-info")
        .and(body_json(json!({"tokenKey": TOKEN})))
        .respond_with(ok("private_app_token.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("GET", "/crm/v3/owners/4126151")
        .and(query_param("idProperty", "userId"))
        .respond_with(ok("owner.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(&hubspot, "get_current_user_id", json!({})).await;
    insta::assert_snapshot!(text, @r"
    User ID: 4126151
    Portal ID: 62515
    Email: ana@biglytics.net
    Owner ID: 910901
    ");
}

#[tokio::test]
async fn an_oauth_user_is_found_with_its_owner_by_email() {
    let (upstream, hubspot) = hubspot().await;
    Mock::given(method("GET"))
        .and(path(
            "/oauth/v1/access-tokens/CJSP5qf1KRICAQEY%2FgDII%2BOBii1hQ%3D%3D",
        ))
        .respond_with(ok("access_token.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    Mock::given(method("GET"))
        .and(path("/crm/v3/owners/"))
        .and(query_param("email", "ana@biglytics.net"))
        .and(support::bearer(OAUTH_TOKEN))
        .respond_with(ok("owners.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = support::call(
        &hubspot,
        "get_current_user_id",
        json!({}),
        ToolContext::new().with_token(OAUTH_TOKEN),
    )
    .await;
    insta::assert_snapshot!(result.text(), @r"
    User ID: 4126151
    Portal ID: 62515
    Email: ana@biglytics.net
    Owner ID: 910901
    ");
}

// Associations.

#[tokio::test]
async fn get_associated_meetings_reads_them_in_one_batch() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v4/objects/deals/3345/associations/meetings")
        .respond_with(ok("meeting_associations.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("POST", "/crm/v3/objects/meetings/batch/read")
        .and(body_json(json!({
            "inputs": [{"id": "7801"}, {"id": "7802"}],
            "properties": ["hs_engagement_type", "hs_timestamp", "hs_meeting_title", "hs_meeting_body",
                "hs_meeting_outcome", "hs_meeting_start_time", "hs_meeting_end_time", "hs_meeting_location",
                "hs_meeting_external_url", "hubspot_owner_id"],
            "propertiesWithHistory": [],
        })))
        .respond_with(ok("meetings_batch.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "get_associated_meetings",
        json!({"fromObjectType": "deals", "fromObjectId": "3345"}),
    )
    .await;
    // The call logged as an engagement is left out.
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn list_associations_reads_each_type_and_says_which_failed() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v4/objects/contacts/51/associations/companies")
        .respond_with(ok("associations.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("GET", "/crm/v4/objects/contacts/51/associations/tasks")
        .respond_with(answer(403, "error_forbidden.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"results": []})))
        .with_priority(10)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "list_associations",
        json!({"objectType": "contacts", "objectId": "51"}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn create_and_remove_association() {
    let (upstream, hubspot) = hubspot().await;
    api(
        "PUT",
        "/crm/v4/objects/contacts/51/associations/default/companies/9183",
    )
    .respond_with(ok("created_association.json"))
    .expect(1)
    .mount(&upstream)
    .await;
    api(
        "DELETE",
        "/crm/v4/objects/contacts/51/associations/companies/9183",
    )
    .respond_with(ResponseTemplate::new(204))
    .expect(1)
    .mount(&upstream)
    .await;
    let pair = json!({"fromObjectType": "contacts", "fromObjectId": "51", "toObjectType": "companies", "toObjectId": "9183"});
    let created = text(&hubspot, "create_association", pair.clone()).await;
    insta::assert_snapshot!(created, @"Associated contact 51 with company 9183.");
    let removed = text(&hubspot, "remove_association", pair).await;
    insta::assert_snapshot!(removed, @"Removed the associations between contact 51 and company 9183.");
    // The default association takes no body.
    assert!(
        upstream.received_requests().await.unwrap()[0]
            .body
            .is_empty()
    );
}

// Records.

#[tokio::test]
async fn create_contact_associates_with_the_default_type() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v4/associations/contacts/companies/labels")
        .respond_with(ok("association_labels.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("POST", "/crm/v3/objects/contacts")
        .and(body_json(json!({
            "properties": {"email": "bh@hubspot.com", "firstname": "Brian", "lastname": "Halligan"},
            "associations": [
                association("9183", 279),
                association("9184", 279),
            ],
        })))
        .respond_with(answer(201, "contact.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "create_contact",
        json!({"properties": {"email": "bh@hubspot.com", "firstname": "Brian", "lastname": "Halligan"},
            "associations": [{"toObjectId": "9183", "toObjectType": "companies"}, {"toObjectId": "9184", "toObjectType": "companies"}]}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn create_lead_records_a_deal_and_create_ticket_a_ticket() {
    let (upstream, hubspot) = hubspot().await;
    api("POST", "/crm/v3/objects/deals")
        .and(body_json(
            json!({"properties": {"dealname": "Inbound: Biglytics"}}),
        ))
        .respond_with(answer(201, "deal.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("POST", "/crm/v3/objects/tickets")
        .and(body_json(json!({"properties": {"subject": "Cannot log in", "hs_pipeline_stage": "1"}})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "4401", "properties": {"subject": "Cannot log in", "hs_pipeline_stage": "1"}})))
        .expect(1)
        .mount(&upstream)
        .await;
    let lead = text(
        &hubspot,
        "create_lead",
        json!({"properties": {"dealname": "Inbound: Biglytics"}}),
    )
    .await;
    assert!(
        lead.starts_with(
            "The deal was created successfully: Biglytics - Enterprise plan (id 3345)."
        ),
        "{lead}"
    );
    let ticket = text(
        &hubspot,
        "create_ticket",
        json!({"properties": {"subject": "Cannot log in", "hs_pipeline_stage": "1"}}),
    )
    .await;
    insta::assert_snapshot!(ticket, @r"
    The ticket was created successfully: Cannot log in (id 4401).

    # Cannot log in (tickets 4401)

    **hs_pipeline_stage:** 1
    **subject:** Cannot log in
    ");
}

#[tokio::test]
async fn an_unknown_association_between_types_is_refused() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v4/associations/companies/widgets/labels")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"results": []})))
        .mount(&upstream)
        .await;
    let result = call(
        &hubspot,
        "create_company",
        json!({"properties": {"name": "Biglytics"}, "associations": [{"toObjectId": "1", "toObjectType": "widgets"}]}),
    )
    .await;
    assert_eq!(error_kind(&result), "invalid_arguments");
    insta::assert_snapshot!(result.text(), @"HubSpot has no association from companies to widgets");
}

#[tokio::test]
async fn update_deal_patches_the_properties() {
    let (upstream, hubspot) = hubspot().await;
    api("PATCH", "/crm/v3/objects/deals/3345")
        .and(body_json(
            json!({"properties": {"dealstage": "closedwon", "amount": "18000"}}),
        ))
        .respond_with(ok("deal.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "update_deal",
        json!({"dealId": "3345", "properties": {"dealstage": "closedwon", "amount": "18000"}}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn writes_that_set_nothing_or_name_a_bad_id_are_refused_before_any_request() {
    let (upstream, hubspot) = hubspot().await;
    for (tool, arguments) in [
        ("create_company", json!({"properties": {}})),
        (
            "update_contact",
            json!({"contactId": "51", "properties": {}}),
        ),
        (
            "update_company",
            json!({"companyId": "../owners", "properties": {"name": "x"}}),
        ),
        ("create_meeting", json!({"properties": {}})),
        ("create_note", json!({"properties": {"hs_note_body": "  "}})),
        (
            "create_note",
            json!({"properties": {"hs_note_body": "Hi", "hs_timestamp": "yesterday"}}),
        ),
        (
            "create_contact",
            json!({"properties": {"email": "a@b.c"}, "associations": [{"toObjectId": "1", "toObjectType": "companies/../x"}]}),
        ),
    ] {
        let result = call(&hubspot, tool, arguments.clone()).await;
        assert_eq!(
            error_kind(&result),
            "invalid_arguments",
            "{tool} {arguments}"
        );
    }
    assert_no_requests(&upstream).await;
}

// Engagements.

#[tokio::test]
async fn create_note_converts_its_time_and_associates_each_kind() {
    let (upstream, hubspot) = hubspot().await;
    for (to, type_id) in [("contacts", 202), ("owners", 999)] {
        association_type(&upstream, "notes", to, type_id).await;
    }
    api("POST", "/crm/v3/objects/notes")
        .and(body_json(json!({
            "properties": {"hs_note_body": "<p>Call went well; wants a demo.</p>", "hs_timestamp": "1770804000000", "hubspot_owner_id": "910901"},
            "associations": [
                association("51", 202),
                association("52", 202),
                association("910901", 999),
            ],
        })))
        .respond_with(answer(201, "note.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "create_note",
        json!({"properties": {"hs_note_body": "<p>Call went well; wants a demo.</p>", "hs_timestamp": "2026-02-11T10:00:00Z", "hubspot_owner_id": "910901"},
            "associations": {"contactIds": ["51", "52"], "ownerIds": ["910901"]}}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn a_note_without_a_time_is_taken_now() {
    let (upstream, hubspot) = hubspot().await;
    api("POST", "/crm/v3/objects/notes")
        .respond_with(answer(201, "note.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let before = chrono::Utc::now().timestamp_millis();
    text(
        &hubspot,
        "create_note",
        json!({"properties": {"hs_note_body": "Hi"}}),
    )
    .await;
    let sent: Value =
        serde_json::from_slice(&upstream.received_requests().await.unwrap()[0].body).unwrap();
    let taken: i64 = sent["properties"]["hs_timestamp"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(taken >= before && taken <= chrono::Utc::now().timestamp_millis());
}

#[tokio::test]
async fn create_communication_needs_its_channel_and_sends_text() {
    let (upstream, hubspot) = hubspot().await;
    let result = call(
        &hubspot,
        "create_communication",
        json!({"properties": {"hs_communication_body": "Hi"}}),
    )
    .await;
    assert_eq!(error_kind(&result), "invalid_arguments");
    insta::assert_snapshot!(result.text(), @"`properties.hs_communication_channel_type` must be one of SMS, WHATS_APP, LINKEDIN");
    assert_no_requests(&upstream).await;

    api("POST", "/crm/v3/objects/communications")
        .and(body_json(json!({"properties": {
            "hs_communication_channel_type": "LINKEDIN",
            "hs_communication_body": "Thanks for connecting",
            "hs_timestamp": "1770804000000",
            "hs_communication_logged_from": "CRM",
        }})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "9901", "properties": {"hs_communication_channel_type": "LINKEDIN", "hs_communication_body": "Thanks for connecting"}})))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "create_communication",
        json!({"properties": {"hs_communication_channel_type": "LINKEDIN", "hs_communication_body": "Thanks for connecting",
            "hs_timestamp": 1770804000000_u64, "hs_communication_logged_from": "CRM"}}),
    )
    .await;
    insta::assert_snapshot!(text, @r"
    The communication was created successfully: Thanks for connecting (id 9901).

    # Thanks for connecting (communications 9901)

    **hs_communication_body:** Thanks for connecting
    **hs_communication_channel_type:** LINKEDIN
    ");
}

#[tokio::test]
async fn create_meeting_associates_with_contacts_companies_and_deals() {
    let (upstream, hubspot) = hubspot().await;
    for (to, type_id) in [("contacts", 200), ("deals", 212)] {
        association_type(&upstream, "meetings", to, type_id).await;
    }
    api("POST", "/crm/v3/objects/meetings")
        .and(body_json(json!({
            "properties": {"hs_meeting_title": "Quarterly business review", "hs_timestamp": "2026-02-10T15:00:00Z", "hs_internal_meeting_notes": "true"},
            "associations": [
                association("51", 200),
                association("3345", 212),
            ],
        })))
        .respond_with(answer(201, "meeting.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "create_meeting",
        json!({"properties": {"hs_meeting_title": "Quarterly business review", "hs_timestamp": "2026-02-10T15:00:00Z", "hs_internal_meeting_notes": true},
            "associations": {"contactIds": ["51"], "dealIds": ["3345"]}}),
    )
    .await;
    assert!(
        text.starts_with(
            "The meeting was created successfully: Quarterly business review (id 7801)."
        ),
        "{text}"
    );
}

#[tokio::test]
async fn tasks_are_created_updated_completed_and_deleted() {
    let (upstream, hubspot) = hubspot().await;
    api("POST", "/crm/v3/objects/tasks")
        .and(body_json(json!({"properties": {"hs_task_subject": "Send the renewal quote", "hs_timestamp": "2026-02-20T17:00:00Z"}})))
        .respond_with(answer(201, "task.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("PATCH", "/crm/v3/objects/tasks/6201")
        .and(body_json(
            json!({"properties": {"hs_task_priority": "LOW"}}),
        ))
        .respond_with(ok("task.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("PATCH", "/crm/v3/objects/tasks/6201")
        .and(body_json(
            json!({"properties": {"hs_task_status": "COMPLETED"}}),
        ))
        .respond_with(ok("task.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("DELETE", "/crm/v3/objects/tasks/6201")
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&upstream)
        .await;
    let created = text(
        &hubspot,
        "create_task",
        json!({"properties": {"hs_task_subject": "Send the renewal quote", "hs_timestamp": "2026-02-20T17:00:00Z"}}),
    )
    .await;
    insta::assert_snapshot!(created);
    let updated = text(
        &hubspot,
        "update_task",
        json!({"taskId": "6201", "properties": {"hs_task_priority": "LOW"}}),
    )
    .await;
    assert!(
        updated.starts_with("The task was updated successfully"),
        "{updated}"
    );
    let completed = text(&hubspot, "complete_task", json!({"taskId": "6201"})).await;
    insta::assert_snapshot!(completed, @"Task 6201 marked as completed.");
    let deleted = text(&hubspot, "delete_task", json!({"taskId": "6201"})).await;
    insta::assert_snapshot!(deleted, @"Task 6201 deleted.");
}

// Marketing.

#[tokio::test]
async fn list_marketing_emails_filters_the_page_by_state() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/marketing/v3/emails")
        .and(query_param("limit", "10"))
        .and(query_param_is_missing("state"))
        .respond_with(ok("marketing_emails.json"))
        .expect(2)
        .mount(&upstream)
        .await;
    let all = text(&hubspot, "list_marketing_emails", json!({"limit": 10})).await;
    insta::assert_snapshot!("marketing_emails", all);
    let drafts = text(
        &hubspot,
        "list_marketing_emails",
        json!({"limit": 10, "state": "draft"}),
    )
    .await;
    insta::assert_snapshot!("marketing_email_drafts", drafts);
}

#[tokio::test]
async fn get_marketing_email_shows_its_statistics() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/marketing/v3/emails/164357654321")
        .respond_with(ok("marketing_email.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "get_marketing_email",
        json!({"emailId": "164357654321"}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn email_statistics_come_from_the_described_histogram() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/marketing/v3/emails/statistics/histogram")
        .and(query_param("emailIds", "164357654321"))
        .and(query_param("interval", "WEEK"))
        .respond_with(ok("histogram.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "get_marketing_email_statistics",
        json!({"emailId": "164357654321", "interval": "WEEK"}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn email_events_and_campaigns_page_by_offset() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/email/public/v1/events")
        .and(query_param("limit", "2"))
        .and(query_param("eventType", "OPEN"))
        .and(query_param("campaignId", "52184531"))
        .and(query_param("startTimestamp", "1767225600000"))
        .respond_with(ok("email_events.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("GET", "/email/public/v1/campaigns")
        .and(query_param("limit", "100"))
        .respond_with(ok("email_campaigns.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("GET", "/email/public/v1/campaigns/52184531")
        .respond_with(ok("email_campaign.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let events = text(
        &hubspot,
        "list_email_events",
        json!({"limit": 2, "eventType": "OPEN", "campaignId": "52184531", "startTimestamp": "1767225600000"}),
    )
    .await;
    insta::assert_snapshot!("email_events", events);
    let campaigns = text(&hubspot, "list_email_campaigns", json!({})).await;
    insta::assert_snapshot!("email_campaigns", campaigns);
    let campaign = text(
        &hubspot,
        "get_email_campaign",
        json!({"campaignId": "52184531"}),
    )
    .await;
    insta::assert_snapshot!("email_campaign", campaign);
}

// Failure paths.

#[tokio::test]
async fn without_a_token_the_error_says_how_to_connect() {
    let (upstream, hubspot) = hubspot().await;
    let result = hubspot
        .call_tool(
            "get_contact",
            json!({"contactId": "51"}),
            ToolContext::new(),
        )
        .await
        .unwrap();
    assert_eq!(error_kind(&result), "personal_authentication_required");
    insta::assert_snapshot!(result.text(), @"not connected to HubSpot: set `HUBSPOT_TOKEN` (a private app's access token) in the server's environment, or connect with OAuth");
    assert_no_requests(&upstream).await;
}

#[tokio::test]
async fn unauthorized_asks_for_personal_authentication() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/objects/contacts/51")
        .respond_with(answer(401, "error_unauthorized.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(&hubspot, "get_contact", json!({"contactId": "51"})).await;
    assert_eq!(error_kind(&result), "personal_authentication_required");
}

#[tokio::test]
async fn forbidden_quotes_the_missing_scopes() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/objects/deals/3345")
        .respond_with(answer(403, "error_forbidden.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(&hubspot, "get_deal", json!({"dealId": "3345"})).await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text(), @"HubSpot denied `GET /crm/v3/objects/deals/3345`: the connected account may not do this: This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.; One or more of the following scopes are required.");
}

#[tokio::test]
async fn not_found_names_the_endpoint() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/objects/contacts/999")
        .respond_with(answer(404, "error_not_found.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(&hubspot, "get_contact", json!({"contactId": "999"})).await;
    assert_eq!(error_kind(&result), "not_found");
    insta::assert_snapshot!(result.text(), @"HubSpot has nothing at `GET /crm/v3/objects/contacts/999`: resource not found; check the names and numbers in the arguments");
}

#[tokio::test]
async fn validation_errors_are_in_hubspots_words() {
    let (upstream, hubspot) = hubspot().await;
    api("PATCH", "/crm/v3/objects/contacts/51")
        .respond_with(answer(400, "error_validation.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(
        &hubspot,
        "update_contact",
        json!({"contactId": "51", "properties": {"colour": "red"}}),
    )
    .await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text());
}

#[tokio::test]
async fn searches_are_retried_when_rate_limited() {
    let (upstream, hubspot) = hubspot().await;
    api("POST", "/crm/v3/objects/deals/search")
        .respond_with(answer(429, "error_rate_limit.json"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&upstream)
        .await;
    api("POST", "/crm/v3/objects/deals/search")
        .respond_with(ok("search_empty.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "search_crm_objects",
        json!({"objectType": "deals", "propertiesToReturn": ["dealname"]}),
    )
    .await;
    assert_eq!(text, "No deals match the search.");
}

#[tokio::test]
async fn rate_limits_that_last_say_when_to_try_again() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/owners/")
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "0")
                .set_body_json(fixture("error_rate_limit.json")),
        )
        .expect(3)
        .mount(&upstream)
        .await;
    let result = call(&hubspot, "list_owners", json!({})).await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text(), @"HubSpot is rate limiting requests after 3 attempts; try again in 1 s");
}

#[tokio::test]
async fn server_errors_are_retried_for_reads_and_never_for_writes() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/objects/contacts/51")
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad gateway</html>"))
        .expect(3)
        .mount(&upstream)
        .await;
    api("POST", "/crm/v3/objects/companies")
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"status": "error", "message": "internal error", "correlationId": "x", "category": "INTERNAL_ERROR"})))
        .expect(1)
        .mount(&upstream)
        .await;
    api("POST", "/crm/v3/objects/deals")
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "7")
                .set_body_json(fixture("error_rate_limit.json")),
        )
        .expect(1)
        .mount(&upstream)
        .await;
    let read = call(&hubspot, "get_contact", json!({"contactId": "51"})).await;
    insta::assert_snapshot!(read.text(), @"HubSpot failed with HTTP 502 on `GET /crm/v3/objects/contacts/51` after 3 attempts");
    let write = call(
        &hubspot,
        "create_company",
        json!({"properties": {"name": "Biglytics"}}),
    )
    .await;
    insta::assert_snapshot!(write.text(), @"HubSpot failed with HTTP 500 on `POST /crm/v3/objects/companies`: internal error");
    let throttled = call(
        &hubspot,
        "create_deal",
        json!({"properties": {"dealname": "x"}}),
    )
    .await;
    insta::assert_snapshot!(throttled.text(), @"HubSpot is rate limiting requests; try again in 7 s");
}

#[tokio::test]
async fn a_malformed_body_names_the_endpoint_and_the_field() {
    let (upstream, hubspot) = hubspot().await;
    api("POST", "/crm/v3/objects/deals/search")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"results": [{"id": "1"}]})))
        .mount(&upstream)
        .await;
    let result = call(
        &hubspot,
        "count_objects_by_properties",
        json!({"objectType": "deals", "filters": [{"propertyName": "amount", "operator": "GT", "value": "0"}]}),
    )
    .await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text(), @"unexpected response from HubSpot to `POST /crm/v3/objects/deals/search`: missing field `total` at line 1 column 24");
}

// Connecting with OAuth.

#[test]
fn the_authorization_url_asks_for_the_crm_scopes_and_the_hub_tiers_optionally() {
    assert!(providers::oauth_endpoints("hubspot").is_some());
    let authorization = OAuthApp::new(
        &providers::hubspot::OAUTH,
        "hubspot-app",
        Some("secret".to_owned()),
        "http://127.0.0.1:8080/cb",
    )
    .authorization_url()
    .unwrap();
    let (address, query) = support::address_and_query(&authorization.url);
    assert_eq!(address, "https://app.hubspot.com/oauth/authorize");
    let scopes: Vec<&str> = query["scope"].split(' ').collect();
    for scope in [
        "oauth",
        "crm.objects.contacts.write",
        "crm.objects.deals.read",
        "tickets",
        "files",
    ] {
        assert!(scopes.contains(&scope), "{scopes:?}");
    }
    assert_eq!(
        query["optional_scope"],
        "content marketing-email crm.objects.leads.read crm.objects.leads.write"
    );
}

#[tokio::test]
async fn a_renewed_oauth_token_is_the_one_in_the_token_path() {
    let upstream = MockServer::start().await;
    let old = "CJSP-old/token=";
    let new = "CJSP-new+token=";
    // HubSpot says the old token has expired; the refresh grant brings a new one.
    Mock::given(method("GET"))
        .and(path("/oauth/v1/access-tokens/CJSP%2Dold%2Ftoken%3D"))
        .respond_with(answer(401, "error_unauthorized.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/v1/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "bearer", "access_token": new, "refresh_token": "refresh-2", "expires_in": 1800,
        })))
        .expect(1)
        .mount(&upstream)
        .await;
    Mock::given(method("GET"))
        .and(path("/oauth/v1/access-tokens/CJSP%2Dnew%2Btoken%3D"))
        .and(support::bearer(new))
        .respond_with(ok("access_token.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let mut tokens = Tokens::fixed(old);
    tokens.refresh = Some(SecretString::from("refresh-1"));
    let connections = support::connected("ana", "hubspot", &tokens).await;
    let app = OAuthApp::new(
        &providers::hubspot::OAUTH,
        "hubspot-app",
        Some("secret".to_owned()),
        "http://127.0.0.1:8080/cb",
    )
    .with_token_url(format!("{}/oauth/v1/token", upstream.uri()));
    let hubspot = Hubspot::new(&upstream.uri(), None)
        .with_connections(connections.clone(), Some(Arc::new(app)));
    let ana = support::as_user("ana");
    let result = support::call(&hubspot, "get_hubspot_portal_id", json!({}), ana).await;
    assert!(!result.is_error, "{}", result.text());
    assert!(result.text().starts_with("Portal ID: 62515"));
    let saved = connections.get("ana", "hubspot").await.unwrap().unwrap();
    assert_eq!(saved.access.expose_secret(), new);
}

#[tokio::test]
async fn companies_and_deals_are_created_and_contacts_and_companies_updated() {
    let (upstream, hubspot) = hubspot().await;
    api("POST", "/crm/v3/objects/companies")
        .and(body_json(
            json!({"properties": {"name": "Biglytics", "domain": "biglytics.net"}}),
        ))
        .respond_with(answer(201, "company.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("POST", "/crm/v3/objects/deals")
        .and(body_json(
            json!({"properties": {"dealname": "Biglytics - Enterprise plan", "amount": "15000"}}),
        ))
        .respond_with(answer(201, "deal.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("PATCH", "/crm/v3/objects/contacts/51")
        .and(body_json(
            json!({"properties": {"phone": "+1 617 555 0100"}}),
        ))
        .respond_with(ok("contact.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("PATCH", "/crm/v3/objects/companies/9183")
        .and(body_json(
            json!({"properties": {"industry": "COMPUTER_SOFTWARE"}}),
        ))
        .respond_with(ok("company.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let company = text(
        &hubspot,
        "create_company",
        json!({"properties": {"name": "Biglytics", "domain": "biglytics.net"}}),
    )
    .await;
    insta::assert_snapshot!("created_company", company);
    let deal = text(
        &hubspot,
        "create_deal",
        json!({"properties": {"dealname": "Biglytics - Enterprise plan", "amount": "15000"}}),
    )
    .await;
    assert!(
        deal.starts_with(
            "The deal was created successfully: Biglytics - Enterprise plan (id 3345)."
        ),
        "{deal}"
    );
    let contact = text(
        &hubspot,
        "update_contact",
        json!({"contactId": "51", "properties": {"phone": "+1 617 555 0100"}}),
    )
    .await;
    assert!(
        contact.starts_with("The contact was updated successfully: Brian Halligan (id 51)."),
        "{contact}"
    );
    let updated = text(
        &hubspot,
        "update_company",
        json!({"companyId": "9183", "properties": {"industry": "COMPUTER_SOFTWARE"}}),
    )
    .await;
    assert!(
        updated.starts_with("The company was updated successfully: Biglytics (id 9183)."),
        "{updated}"
    );
}

#[tokio::test]
async fn associated_meetings_are_read_a_hundred_at_most() {
    let (upstream, hubspot) = hubspot().await;
    let associated: Vec<Value> = (1..=101)
        .map(|id| json!({"toObjectId": id.to_string(), "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 200}]}))
        .collect();
    api("GET", "/crm/v4/objects/contacts/51/associations/meetings")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"results": associated})))
        .mount(&upstream)
        .await;
    api("POST", "/crm/v3/objects/meetings/batch/read")
        .respond_with(ok("meetings_batch.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &hubspot,
        "get_associated_meetings",
        json!({"fromObjectType": "contacts", "fromObjectId": "51"}),
    )
    .await;
    assert!(
        text.starts_with("1 meeting associated with contact 51 (only the first 100 associated engagements were read):"),
        "{text}"
    );
    let requests = upstream.received_requests().await.unwrap();
    let batch: Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(batch["inputs"].as_array().unwrap().len(), 100);
}

#[tokio::test]
async fn no_associated_meetings_is_an_answer() {
    let (upstream, hubspot) = hubspot().await;
    api(
        "GET",
        "/crm/v4/objects/companies/9183/associations/meetings",
    )
    .respond_with(ResponseTemplate::new(200).set_body_json(json!({"results": []})))
    .expect(1)
    .mount(&upstream)
    .await;
    let text = text(
        &hubspot,
        "get_associated_meetings",
        json!({"fromObjectType": "companies", "fromObjectId": "9183"}),
    )
    .await;
    insta::assert_snapshot!(text, @"No meetings are associated with company 9183.");
}

#[tokio::test]
async fn list_owners_stops_at_ten_pages() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/owners/")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "results": [fixture("owners.json")["results"][0]],
            "paging": {"next": {"after": "more"}},
        })))
        .expect(10)
        .mount(&upstream)
        .await;
    let text = text(&hubspot, "list_owners", json!({})).await;
    assert!(text.starts_with("10 owners:"), "{text}");
    assert!(
        text.ends_with("The account has more than 1000 owners; use `search_owners` to find one.\n"),
        "{text}"
    );
}

#[tokio::test]
async fn an_export_reads_the_property_types_once_for_all_its_pages() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/properties/deals")
        .respond_with(ok("properties.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let filters =
        json!([{"propertyName": "dealname", "operator": "CONTAINS_TOKEN", "value": "Biglytics"}]);
    api("POST", "/crm/v3/objects/deals/search")
        .and(body_json(json!({"filterGroups": [{"filters": [{"propertyName": "dealname", "operator": "CONTAINS_TOKEN", "value": "biglytics"}]}],
            "sorts": ["-createdate"], "properties": ["dealname"], "limit": 100})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total": 2, "results": [fixture("deal.json")], "paging": {"next": {"after": "1"}}})))
        .expect(1)
        .mount(&upstream)
        .await;
    api("POST", "/crm/v3/objects/deals/search")
        .and(body_json(json!({"filterGroups": [{"filters": [{"propertyName": "dealname", "operator": "CONTAINS_TOKEN", "value": "biglytics"}]}],
            "sorts": ["-createdate"], "properties": ["dealname"], "limit": 100, "after": "1"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total": 2, "results": [fixture("deal.json")]})))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(
        &hubspot,
        "export_crm_objects_csv",
        json!({"objectType": "deals", "propertiesToExport": ["dealname"], "filters": filters}),
    )
    .await;
    insta::assert_snapshot!(result.text(), @"Exported 2 deals to CSV (1 column: dealname).");
}

#[tokio::test]
async fn a_refused_token_in_a_body_is_not_told_either() {
    let (upstream, hubspot) = hubspot().await;
    api("POST", "/oauth/v2/private-apps/get/access-token-info")
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "status": "error",
            "message": format!("Invalid tokenKey {TOKEN}"),
            "correlationId": "a7b8c9d0-0000-4000-8000-000000000005",
            "category": "VALIDATION_ERROR",
        })))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(&hubspot, "get_current_user_id", json!({})).await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text(), @"HubSpot refused `POST /oauth/v2/private-apps/get/access-token-info` as invalid: Invalid tokenKey {token}");
}

#[tokio::test]
async fn an_answer_that_is_not_json_names_the_endpoint() {
    let (upstream, hubspot) = hubspot().await;
    api("GET", "/crm/v3/objects/meetings/7801")
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
        .mount(&upstream)
        .await;
    let result = call(&hubspot, "get_meeting", json!({"meetingId": "7801"})).await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text(), @"unexpected response from HubSpot to `GET /crm/v3/objects/meetings/7801`: expected value at line 1 column 1");
}
