//! One golden schema per rule of the client-safe profile, and every schema the tests' servers
//! generate validated against the JSON Schema 2020-12 meta-schema.

use std::net::Ipv4Addr;
use std::sync::Arc;

use mcp_runtime::schema::{SchemaError, input_schema, output_schema};
use mcp_runtime::{McpServer, ToolArguments};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};
use tests::jira::Jira;
use tests::registry::Echo;
use tests::split::Wiki;

fn schema<T: JsonSchema>() -> Value {
    Value::Object(input_schema::<T>().unwrap())
}

#[allow(dead_code)]
#[derive(Deserialize, JsonSchema)]
struct Inner {
    /// A name.
    name: String,
}

#[allow(dead_code)]
#[derive(Deserialize, JsonSchema)]
struct Nested {
    /// The inner value.
    inner: Inner,
    /// Many of them.
    list: Vec<Inner>,
}

#[test]
fn subschemas_are_inlined() {
    assert_eq!(
        schema::<Nested>(),
        json!({
            "type": "object",
            "properties": {
                "inner": {
                    "description": "The inner value.",
                    "type": "object",
                    "properties": { "name": { "description": "A name.", "type": "string" } },
                    "required": ["name"],
                },
                "list": {
                    "description": "Many of them.",
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": { "name": { "description": "A name.", "type": "string" } },
                        "required": ["name"],
                    },
                },
            },
            "required": ["inner", "list"],
        })
    );
}

#[allow(dead_code)]
#[derive(Deserialize, JsonSchema)]
struct Optional {
    /// Maybe a label.
    label: Option<String>,
    /// Maybe an inner value.
    inner: Option<Inner>,
}

#[test]
fn options_are_optional_properties_of_plain_type() {
    assert_eq!(
        schema::<Optional>(),
        json!({
            "type": "object",
            "properties": {
                "label": { "description": "Maybe a label.", "type": "string" },
                "inner": {
                    "description": "Maybe an inner value.",
                    "type": "object",
                    "properties": { "name": { "description": "A name.", "type": "string" } },
                    "required": ["name"],
                },
            },
        })
    );
}

#[allow(dead_code)]
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum State {
    Open,
    Closed,
}

#[allow(dead_code)]
#[derive(Deserialize, JsonSchema)]
struct WithEnum {
    /// Filter by state.
    state: Option<State>,
}

#[test]
fn optional_enums_carry_no_null() {
    assert_eq!(
        schema::<WithEnum>(),
        json!({
            "type": "object",
            "properties": {
                "state": { "description": "Filter by state.", "type": "string", "enum": ["open", "closed"] },
            },
        })
    );
}

#[allow(dead_code)]
#[derive(Deserialize, JsonSchema)]
struct Formats {
    /// A count.
    count: u32,
    /// A signed offset.
    offset: i64,
    /// A ratio.
    ratio: f64,
    /// An address.
    address: Ipv4Addr,
}

#[allow(dead_code)]
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum IssueState {
    /// Still to do.
    Open,
    /// Done or dropped.
    Closed,
}

#[allow(dead_code)]
#[derive(Deserialize, JsonSchema)]
struct Filter {
    /// Which issues.
    state: IssueState,
    /// Optional too.
    other: Option<IssueState>,
}

#[test]
fn documented_enum_variants_stay_an_enum() {
    let expected = json!({
        "type": "string",
        "enum": ["open", "closed"],
        "description": "Which issues.\n- `open`: Still to do.\n- `closed`: Done or dropped.",
    });
    let schema = schema::<Filter>();
    assert_eq!(schema["properties"]["state"], expected);
    assert_eq!(
        schema["properties"]["other"]["enum"],
        json!(["open", "closed"]),
        "{schema:#}"
    );
    assert_eq!(
        Value::Object(output_schema::<Filter>())["properties"]["state"]["enum"],
        json!(["open", "closed"])
    );
}

#[test]
fn only_standard_formats_remain() {
    assert_eq!(
        schema::<Formats>(),
        json!({
            "type": "object",
            "properties": {
                "count": { "description": "A count.", "type": "integer", "minimum": 0, "maximum": 4_294_967_295_u32 },
                "offset": { "description": "A signed offset.", "type": "integer" },
                "ratio": { "description": "A ratio.", "type": "number" },
                "address": { "description": "An address.", "type": "string", "format": "ipv4" },
            },
            "required": ["count", "offset", "ratio", "address"],
        })
    );
}

#[test]
fn no_schema_key_title_or_root_description() {
    let schema = schema::<Nested>();
    for key in ["$schema", "title", "description", "$defs"] {
        assert!(schema.get(key).is_none(), "{key} in {schema}");
    }
}

#[test]
fn the_root_must_be_an_object() {
    assert_eq!(
        input_schema::<String>(),
        Err(SchemaError {
            type_name: "string".into()
        })
    );
    assert!(input_schema::<Vec<u32>>().is_err());
    assert!(input_schema::<std::collections::BTreeMap<String, u32>>().is_ok());
}

#[allow(dead_code)]
#[derive(Deserialize, JsonSchema)]
struct Tree {
    /// The node's label.
    label: String,
    /// The children.
    children: Vec<Tree>,
}

#[allow(dead_code)]
#[derive(Deserialize, JsonSchema)]
struct Forest {
    /// The trees.
    trees: Vec<Tree>,
}

#[test]
fn recursive_types_keep_their_references() {
    // Recursion cannot be inlined: the root refers to itself, a nested type through `$defs`.
    let forest = schema::<Forest>();
    let schema = schema::<Tree>();
    assert_eq!(
        schema["properties"]["children"]["items"],
        json!({ "$ref": "#" })
    );
    let tree = &forest["properties"]["trees"]["items"];
    assert_eq!(
        tree["properties"]["children"]["items"],
        json!({ "$ref": "#/$defs/Tree" })
    );
    assert!(forest["$defs"]["Tree"].is_object(), "{forest}");
    jsonschema::draft202012::meta::validate(&forest).unwrap();
    jsonschema::draft202012::meta::validate(&schema).unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    assert!(
        validator.is_valid(&json!({"label": "a", "children": [{"label": "b", "children": []}]}))
    );
    assert!(
        !validator.is_valid(&json!({"label": "a", "children": [{"label": 1, "children": []}]}))
    );
}

#[derive(serde::Serialize, JsonSchema)]
struct Out {
    /// Total.
    total: Option<u64>,
}

#[test]
fn output_schemas_keep_null_as_serialized() {
    assert_eq!(
        Value::Object(output_schema::<Out>()),
        json!({
            "type": "object",
            "properties": { "total": { "description": "Total.", "type": ["integer", "null"], "minimum": 0 } },
            "required": ["total"],
        })
    );
    let validator = jsonschema::draft202012::new(&Value::Object(output_schema::<Out>())).unwrap();
    assert!(validator.is_valid(&serde_json::to_value(Out { total: None }).unwrap()));
}

#[test]
fn schemas_agree_with_deserialization() {
    let schema = schema::<Optional>();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    for arguments in [
        json!({}),
        json!({"label": "x"}),
        json!({"inner": {"name": "n"}}),
    ] {
        assert!(validator.is_valid(&arguments), "{arguments}");
        assert!(Optional::from_arguments("t", arguments).is_ok());
    }
    let wrong = json!({"label": 3});
    assert!(!validator.is_valid(&wrong));
    assert!(Optional::from_arguments("t", wrong).is_err());
}

fn every_listing() -> Vec<Value> {
    [Jira::catalog(), Echo::catalog(), Wiki::catalog()]
        .into_iter()
        .flat_map(|catalog| catalog.listing().to_vec())
        .collect()
}

#[test]
fn every_generated_schema_is_valid_2020_12() {
    for tool in every_listing() {
        for key in ["inputSchema", "outputSchema"] {
            if let Some(schema) = tool.get(key) {
                jsonschema::draft202012::meta::validate(schema)
                    .unwrap_or_else(|error| panic!("{} {key}: {error}", tool["name"]));
                assert_eq!(schema["type"], "object", "{} {key}", tool["name"]);
            }
        }
    }
}

#[test]
fn the_catalog_is_built_once() {
    assert!(std::ptr::eq(Jira::catalog(), Jira::catalog()));
    let parsed: Value = serde_json::from_str(Jira::catalog().listing_json()).unwrap();
    assert_eq!(parsed.as_array().unwrap(), Jira::catalog().listing());
    assert!(Jira::catalog().errors().is_empty());
}

/// Tools taking or returning one type hold one copy of its schema (a schema held as JSON maps
/// weighs about eight times its text), and tools of different types their own.
#[test]
fn tools_of_one_type_share_its_schemas() {
    let tools = tests::wide::Wide::catalog().tools();
    let tool = |name: &str| {
        tools
            .iter()
            .find(|tool| tool.metadata.name == name)
            .unwrap()
    };
    let (issues, projects) = (tool("list_issue"), tool("list_project"));
    assert!(Arc::ptr_eq(&issues.input_schema, &projects.input_schema));
    let output = |name: &str| tool(name).output_schema.clone().unwrap();
    assert!(Arc::ptr_eq(
        &output("count_issue"),
        &output("count_project")
    ));
    let got = tool("get_issue");
    assert!(!Arc::ptr_eq(&issues.input_schema, &got.input_schema));
    assert_ne!(issues.input_schema, got.input_schema);
}

#[test]
fn a_full_schema_keeps_what_the_profile_leaves_out() {
    let full = Value::Object(mcp_runtime::schema::full_input_schema::<Nested>().unwrap());
    assert_eq!(
        full["$schema"], "https://json-schema.org/draft/2020-12/schema",
        "{full}"
    );
    assert_eq!(
        full["properties"]["inner"],
        json!({"$ref": "#/$defs/Inner", "description": "The inner value."}),
        "{full}"
    );
    assert_eq!(
        full["$defs"]["Inner"]["properties"]["name"]["type"], "string",
        "{full}"
    );
    assert_eq!(
        mcp_runtime::schema::full_input_schema::<Vec<Inner>>(),
        Err(SchemaError {
            type_name: "Array_of_Inner".to_owned()
        }),
        "the root is an object still"
    );
}
