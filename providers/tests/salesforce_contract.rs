//! What the Salesforce tools send is what jsforce (npm `jsforce`, the client the reference
//! integration uses) sends for the same operations: `scripts/contracts.sh` runs
//! `tests/contracts/jsforce_golden.js`, which captures jsforce's requests on a loopback server
//! into `target/contracts/salesforce/golden.json`, and each tool is called here with the same
//! inputs and its requests compared one by one (method, path with the API version, decoded query,
//! JSON body). No registry ships a machine-readable description of Salesforce's REST API; the
//! response fixtures are checked against jsforce's `ApiSchemas` (generated from Salesforce's
//! Partner WSDL, whose types the REST API's JSON shares).

mod support;

use std::collections::BTreeSet;

use mcp_runtime::{McpServer, ToolContext};
use providers::salesforce::{API_VERSION, Salesforce};
use serde::Deserialize;
use serde_json::{Value, json};
use support::judge::{assert_every_tool_checked, stand_in};
use wiremock::{Request, Respond, ResponseTemplate};

/// One request jsforce sent.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Golden {
    /// The tool, and the variant after a `/` (`create_object/one`).
    operation: String,
    method: String,
    path: String,
    query: Vec<(String, String)>,
    content_type: Option<String>,
    body: Option<Value>,
}

fn golden() -> Vec<Golden> {
    serde_json::from_value(support::contracts::file_json("salesforce/golden.json"))
        .expect("golden requests as jsforce_golden.js writes them")
}

/// Each operation of the golden script, and the tool call making it (the same inputs).
fn calls() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        (
            "execute_read_query",
            "execute_read_query",
            json!({"query": "SELECT Id, Name, Owner.Name FROM Account WHERE Industry = 'Banking' LIMIT 10"}),
        ),
        ("list_objects", "list_objects", json!({})),
        (
            "describe_object",
            "describe_object",
            json!({"objectName": "Account"}),
        ),
        (
            "create_object",
            "create_object",
            json!({"objectName": "Account", "allOrNone": true, "records": [
                {"Name": "Acme"}, {"Name": "Globex", "Industry": "Banking"}
            ]}),
        ),
        (
            "create_object/one",
            "create_object",
            json!({"objectName": "Account", "records": [{"Name": "Acme"}]}),
        ),
        (
            "update_object",
            "update_object",
            json!({"objectName": "Account", "records": [
                {"Id": "001000000000001AAA", "Name": "Acme Corp"},
                {"Id": "001000000000002AAA", "Industry": "Retail"}
            ]}),
        ),
        (
            "list_attachments",
            "list_attachments",
            json!({"recordId": "001000000000001AAA"}),
        ),
        (
            "read_attachment/attachment",
            "read_attachment",
            json!({"recordId": "001000000000001AAA", "attachmentId": "00P000000000001AAA"}),
        ),
        (
            "read_attachment/file",
            "read_attachment",
            json!({"recordId": "001000000000001AAA", "attachmentId": "068000000000001AAA"}),
        ),
    ]
}

/// A Salesforce instance answering every route the tools use with its fixture.
struct Standin;

impl Respond for Standin {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let route = request.url.path();
        let soql = request
            .url
            .query_pairs()
            .find(|(key, _)| key == "q")
            .map(|(_, soql)| soql.into_owned())
            .unwrap_or_default();
        let fixture = if route.ends_with("/query") {
            if soql.contains("FROM Attachment ") {
                "attachments.json"
            } else if soql.contains("FROM ContentDocumentLink ") {
                "document_links.json"
            } else if soql.contains("FROM ContentVersion ") {
                "content_versions.json"
            } else {
                "query_accounts.json"
            }
        } else if route.ends_with("/composite/sobjects") && request.method.as_str() == "POST" {
            "created.json"
        } else if route.ends_with("/composite/sobjects") {
            "updated.json"
        } else if route.ends_with("/sobjects") {
            "sobjects.json"
        } else if route.ends_with("/describe") {
            "describe_account.json"
        } else {
            return ResponseTemplate::new(200).set_body_string("file content");
        };
        ResponseTemplate::new(200).set_body_raw(
            support::fixture_text("salesforce", fixture),
            "application/json",
        )
    }
}

/// How `received` differs from jsforce's `golden` requests, one line per difference.
fn differences(golden: &[&Golden], received: &[Request]) -> Vec<String> {
    let mut found = Vec::new();
    if golden.len() != received.len() {
        found.push(format!(
            "{} requests sent, jsforce sends {}",
            received.len(),
            golden.len()
        ));
    }
    let version = format!("/v{API_VERSION}/");
    for (index, (expected, request)) in golden.iter().zip(received).enumerate() {
        let at = format!("request {} ({})", index + 1, expected.operation);
        if request.method.as_str() != expected.method {
            found.push(format!(
                "{at}: method {}, jsforce sends {}",
                request.method, expected.method
            ));
        }
        let path = expected.path.replace("/v99.0/", &version);
        if request.url.path() != path {
            found.push(format!(
                "{at}: path {}, jsforce sends {path}",
                request.url.path()
            ));
        }
        // Decoded: reqwest writes a space as `+`, jsforce as `%20`; both are a space.
        let query: BTreeSet<(String, String)> = request
            .url
            .query_pairs()
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
        let expected_query: BTreeSet<(String, String)> = expected.query.iter().cloned().collect();
        if query != expected_query {
            found.push(format!(
                "{at}: query {query:?}, jsforce sends {expected_query:?}"
            ));
        }
        let content_type = request
            .headers
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .map(|value| value.split(';').next().unwrap_or(value).trim().to_owned());
        if content_type != expected.content_type {
            found.push(format!(
                "{at}: content type {content_type:?}, jsforce sends {:?}",
                expected.content_type
            ));
        }
        // JSON objects compare whatever their keys' order.
        let body: Option<Value> = (!request.body.is_empty())
            .then(|| serde_json::from_slice(&request.body).unwrap_or(Value::Null));
        if body != expected.body {
            found.push(format!(
                "{at}: body {}, jsforce sends {}",
                body.unwrap_or_default(),
                expected.body.clone().unwrap_or_default()
            ));
        }
    }
    found
}

#[tokio::test]
async fn every_tool_sends_what_jsforce_sends() {
    let golden = golden();
    let mut failures = Vec::new();
    for (operation, tool, arguments) in calls() {
        let upstream = stand_in(Standin).await;
        let salesforce = Salesforce::new(&upstream.uri(), Some("test-token".into()));
        let result = salesforce
            .call_tool(tool, arguments.clone(), ToolContext::new())
            .await
            .expect("a known tool");
        if result.is_error {
            failures.push(format!("{operation}: {}", result.text()));
        }
        let expected: Vec<&Golden> = golden
            .iter()
            .filter(|request| request.operation == operation)
            .collect();
        assert!(!expected.is_empty(), "jsforce_golden.js has no {operation}");
        let received = upstream.received_requests().await.unwrap();
        failures.extend(
            differences(&expected, &received)
                .into_iter()
                .map(|difference| format!("{operation}: {difference}")),
        );
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // Every tool is compared, and every golden operation is made.
    let operations: Vec<&str> = calls().iter().map(|(operation, _, _)| *operation).collect();
    let tools: Vec<&str> = calls().iter().map(|(_, tool, _)| *tool).collect();
    assert_every_tool_checked::<Salesforce>(&tools);
    for request in &golden {
        assert!(
            operations.contains(&request.operation.as_str()),
            "{} is not called",
            request.operation
        );
    }
}

#[tokio::test]
async fn the_comparison_catches_a_request_jsforce_would_not_send() {
    let golden = golden();
    let upstream = stand_in(Standin).await;
    let http = providers::kit::http_client(reqwest::Client::builder());
    let base = upstream.uri();
    // An update with the id as `Id`, by POST, under another version, with a stray parameter.
    http.post(format!(
        "{base}/services/data/v57.0/composite/sobjects?pretty=1"
    ))
    .header("content-type", "application/json")
    .body(
        json!({"allOrNone": false, "records": [
            {"Id": "001000000000001AAA", "attributes": {"type": "Account"}, "Name": "Acme Corp"},
            {"id": "001000000000002AAA", "attributes": {"type": "Account"}, "Industry": "Retail"}
        ]})
        .to_string(),
    )
    .send()
    .await
    .unwrap();
    let expected: Vec<&Golden> = golden
        .iter()
        .filter(|request| request.operation == "update_object")
        .collect();
    let received = upstream.received_requests().await.unwrap();
    let found = differences(&expected, &received);
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(
        found[0].contains("method POST, jsforce sends PATCH"),
        "{}",
        found[0]
    );
    assert!(
        found[1].contains(&format!(
            "path /services/data/v57.0/composite/sobjects, jsforce sends /services/data/v{API_VERSION}/composite/sobjects"
        )),
        "{}",
        found[1]
    );
    assert!(
        found[2].contains("query {(\"pretty\", \"1\")}"),
        "{}",
        found[2]
    );
    assert!(
        found[3].contains(r#""Id":"001000000000001AAA""#),
        "{}",
        found[3]
    );

    // A missing request is a difference too.
    let list: Vec<&Golden> = golden
        .iter()
        .filter(|request| request.operation == "list_attachments")
        .collect();
    assert_eq!(
        differences(&list, &[])[0],
        "0 requests sent, jsforce sends 3"
    );
}

// The response fixtures against jsforce's `ApiSchemas`.

/// jsforce's `ApiSchemas`: `{Type: {type, props: {name: "string" | "?Type" | ["Type"] | ["?",
/// "Type"]}, extends?}}`, a `?` marking what may be absent or null.
fn schemas() -> Value {
    support::contracts::file_json("salesforce/api_schemas.json")
}

/// How `value` departs from the schema type `kind`, at `at`. Objects are open: the REST API
/// adds fields the WSDL does not name (`urls`, `associateEntityType`), which are not judged.
fn problems(schemas: &Value, kind: &str, value: &Value, at: &str, found: &mut Vec<String>) {
    match kind {
        "string" if !value.is_string() => found.push(format!("{at}: {value} is not a string")),
        "number" if !value.is_number() => found.push(format!("{at}: {value} is not a number")),
        "boolean" if !value.is_boolean() => found.push(format!("{at}: {value} is not a boolean")),
        "string" | "number" | "boolean" | "any" => {}
        name => {
            let Some(object) = value.as_object() else {
                return found.push(format!("{at}: {value} is not a {name}"));
            };
            let mut schema = &schemas[name];
            assert!(schema.is_object(), "jsforce declares no type {name}");
            loop {
                for (prop, declared) in schema["props"].as_object().unwrap() {
                    let at = format!("{at}.{prop}");
                    let (optional, item, many) = match declared {
                        Value::String(kind) => match kind.strip_prefix('?') {
                            Some(kind) => (true, kind, false),
                            None => (false, kind.as_str(), false),
                        },
                        Value::Array(parts) => (
                            parts.len() == 2,
                            parts.last().unwrap().as_str().unwrap(),
                            true,
                        ),
                        other => panic!("an ApiSchemas prop of another shape: {other}"),
                    };
                    match object.get(prop) {
                        None | Some(Value::Null) if optional => {}
                        None | Some(Value::Null) => {
                            found.push(format!("{at}: missing, jsforce requires it"));
                        }
                        Some(Value::Array(items)) if many => {
                            for (index, entry) in items.iter().enumerate() {
                                problems(schemas, item, entry, &format!("{at}[{index}]"), found);
                            }
                        }
                        Some(other) if many => found.push(format!("{at}: {other} is not a list")),
                        Some(other) => problems(schemas, item, other, &at, found),
                    }
                }
                match schema.get("extends").and_then(Value::as_str) {
                    Some(parent) => schema = &schemas[parent],
                    None => break,
                }
            }
        }
    }
}

fn judged(kind: &str, value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    problems(&schemas(), kind, value, "", &mut found);
    found
}

#[test]
fn the_response_fixtures_are_what_jsforce_declares() {
    let fixture = |name| support::fixture("salesforce", name);
    let mut found = judged("DescribeGlobalResult", &fixture("sobjects.json"));
    found.extend(judged(
        "DescribeSObjectResult",
        &fixture("describe_account.json"),
    ));
    for name in ["created.json", "updated.json"] {
        for result in fixture(name).as_array().unwrap() {
            found.extend(judged("SaveResult", result));
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_schema_judge_refuses_what_jsforce_would_not_read() {
    let mut describe = support::fixture("salesforce", "describe_account.json");
    describe.as_object_mut().unwrap().remove("name");
    describe["custom"] = json!("no");
    describe["fields"][0]["picklistValues"] = json!([{"value": "A"}]);
    describe["childRelationships"] = json!({"Contacts": "Contact"});
    assert_eq!(
        judged("DescribeSObjectResult", &describe),
        [
            r#".childRelationships: {"Contacts":"Contact"} is not a list"#,
            r#".custom: "no" is not a boolean"#,
            ".fields[0].picklistValues[0].active: missing, jsforce requires it",
            ".fields[0].picklistValues[0].defaultValue: missing, jsforce requires it",
            ".name: missing, jsforce requires it",
        ]
    );
    assert_eq!(
        judged(
            "SaveResult",
            &json!({"success": "true", "errors": [{"message": "m"}]})
        ),
        [
            ".errors[0].statusCode: missing, jsforce requires it",
            r#".success: "true" is not a boolean"#,
        ]
    );
}
