//! Argument parsing on the call path under any input (proptest): whatever JSON a client sends as a
//! tool's arguments, the call comes back and nothing panics; arguments the tool's advertised input
//! schema refuses are an `invalid_arguments` error result that names the problem, never a success;
//! arguments the schema accepts are never refused as invalid. Behind an approval gate, invalid
//! arguments are refused before anyone is asked, and valid ones reach the question.
//!
//! The schema is the oracle (checked with `jsonschema`), read the way the call path reads
//! arguments: a missing (`null`) `arguments` is an empty object, and a `null` optional property is
//! the property left out (the client-safe profile drops `null` from `Option<T>`'s type, serde still
//! reads `null` as `None`).
//!
//! The properties found four places where the call path and the schema disagreed. One is fixed
//! (the schema of a `u32` had no maximum; integer widths up to 32 bits are now bounded). Three
//! remain: integral floats (`1.0`) refused for integers although the schema accepts them; nested
//! structs as arrays and unit variants as one-key objects accepted although it refuses them.
//! Each is recognised narrowly and let pass (`refused_for_a_known_bug`,
//! `accepted_for_a_known_bug`), and pinned by an ignored test at the end, to be un-ignored with
//! the fix: `--run-ignored only` shows them failing.

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use mcp_runtime::host::approval::{ApprovalGate, ApprovalRequest, Decision, MemoryStore};
use mcp_runtime::host::{CallOptions, ERROR_META_KEY};
use mcp_runtime::prelude::*;
use mcp_runtime::{CallError, CallToolResult, RunIds};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::RngAlgorithm;
use serde_json::{Map, Number, Value};
use tests::desk::Desk;
use tests::jira::Jira;
use tests::registry::Echo;
use tests::tracker::Tracker;

/// How urgent a ticket is: an enum of documented values.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Whenever there is time.
    Low,
    /// Before anything else.
    Urgent,
}

/// A label on a ticket.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct Label {
    /// The label's name.
    pub name: String,
    /// Its colour, e.g. `#ff0000`.
    pub color: Option<String>,
}

/// Where a ticket goes: an internally tagged enum, a `oneOf` of objects.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Destination {
    /// A team's queue.
    Queue {
        /// The team.
        team: String,
    },
    /// A person.
    Person {
        /// Their login.
        login: String,
        /// Whether to tell them.
        notify: bool,
    },
}

/// Arguments of `file_ticket`: every shape at once.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct FileTicket {
    /// The title.
    pub title: String,
    /// How urgent.
    pub priority: Priority,
    /// Its labels.
    pub labels: Vec<Label>,
    /// The estimate, in hours.
    pub estimate_hours: Option<f64>,
    /// Days from today, negative for the past.
    pub offset_days: i16,
    /// Where it goes.
    pub destination: Option<Destination>,
    /// Who watches it.
    pub watchers: Option<Vec<String>>,
    /// Counters by name.
    pub counts: BTreeMap<String, u8>,
}

/// Arguments of `move_ticket`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct MoveTicket {
    /// The ticket's number.
    pub ticket: u16,
    /// Where it goes.
    pub destination: Destination,
}

/// Arguments of `set_flags`: unknown fields are refused.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SetFlags {
    /// The ticket's number.
    pub ticket: u16,
    /// The flags, in order.
    pub flags: Vec<bool>,
    /// Why.
    pub note: Option<String>,
}

/// A server whose arguments have every shape: enums, options, lists, maps, nested objects.
#[derive(Debug, Default)]
struct Shapes;

/// Tickets, with arguments of every shape.
#[mcp_server(id = 91, availability = "manual")]
impl Shapes {
    /// File a ticket.
    #[tool(stake = "never_ask")]
    async fn file_ticket(&self, _ctx: &ToolContext, args: FileTicket) -> ToolResult {
        Ok(ToolOutput::text(format!("{args:?}")))
    }

    /// Move a ticket somewhere else.
    #[tool(stake = "medium", approval_args(ticket))]
    async fn move_ticket(&self, _ctx: &ToolContext, args: MoveTicket) -> ToolResult {
        Ok(ToolOutput::text(format!("{args:?}")))
    }

    /// Set a ticket's flags.
    #[tool(stake = "high")]
    async fn set_flags(&self, _ctx: &ToolContext, args: SetFlags) -> ToolResult {
        Ok(ToolOutput::text(format!("{args:?}")))
    }
}

/// The servers under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Server {
    Jira,
    Tracker,
    Desk,
    Echo,
    Shapes,
}

/// One tool under test, with its advertised input schema.
struct Subject {
    server: Server,
    name: &'static str,
    stake: Stake,
    schema: Value,
    validator: jsonschema::Validator,
    /// Every property name in the schema, at any depth.
    keys: Vec<String>,
    /// Every string the schema names as a value (`enum`, `const`).
    words: Vec<String>,
}

impl std::fmt::Debug for Subject {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{:?}::{}", self.server, self.name)
    }
}

/// Every tool of every server under test.
static SUBJECTS: LazyLock<Vec<Subject>> = LazyLock::new(|| {
    let mut subjects = Vec::new();
    subjects.extend(subjects_of::<Jira>(Server::Jira));
    subjects.extend(subjects_of::<Tracker>(Server::Tracker));
    subjects.extend(subjects_of::<Desk>(Server::Desk));
    subjects.extend(subjects_of::<Echo>(Server::Echo));
    subjects.extend(subjects_of::<Shapes>(Server::Shapes));
    subjects
});

fn subjects_of<S: McpServer>(server: Server) -> Vec<Subject> {
    assert!(S::catalog().errors().is_empty());
    S::catalog()
        .tools()
        .iter()
        .map(|entry| {
            let schema = Value::Object(Map::clone(&entry.input_schema));
            let mut keys = Vec::new();
            let mut words = Vec::new();
            names_in(&schema, &mut keys, &mut words);
            keys.sort();
            keys.dedup();
            words.sort();
            words.dedup();
            Subject {
                server,
                name: entry.metadata.name,
                stake: entry.metadata.stake,
                validator: jsonschema::draft202012::new(&schema)
                    .unwrap_or_else(|error| panic!("{}: {error}", entry.metadata.name)),
                schema,
                keys,
                words,
            }
        })
        .collect()
}

/// Collects the property names and the string values a schema mentions.
fn names_in(schema: &Value, keys: &mut Vec<String>, words: &mut Vec<String>) {
    match schema {
        Value::Object(object) => {
            if let Some(Value::Object(properties)) = object.get("properties") {
                keys.extend(properties.keys().cloned());
            }
            for keyword in ["enum", "const"] {
                match object.get(keyword) {
                    Some(Value::String(word)) => words.push(word.clone()),
                    Some(Value::Array(values)) => {
                        words.extend(values.iter().filter_map(Value::as_str).map(str::to_owned));
                    }
                    _ => {}
                }
            }
            for value in object.values() {
                names_in(value, keys, words);
            }
        }
        Value::Array(values) => {
            for value in values {
                names_in(value, keys, words);
            }
        }
        _ => {}
    }
}

/// Calls `subject` in-process, through `gate` when there is one, as user `ana`.
async fn call(
    subject: &Subject,
    arguments: Value,
    gate: Option<&CallOptions>,
) -> Result<CallToolResult, CallError> {
    let name = subject.name;
    let Some(options) = gate else {
        let ctx = ToolContext::new();
        return match subject.server {
            Server::Jira => Jira.call_tool(name, arguments, ctx).await,
            Server::Tracker => Tracker::default().call_tool(name, arguments, ctx).await,
            Server::Desk => Desk.call_tool(name, arguments, ctx).await,
            Server::Echo => Echo.call_tool(name, arguments, ctx).await,
            Server::Shapes => Shapes.call_tool(name, arguments, ctx).await,
        };
    };
    let ctx = ToolContext::new().with_ids(RunIds {
        user_id: Some("ana".to_owned()),
        agent_id: None,
        run_id: None,
    });
    let tracker = Tracker::default();
    match subject.server {
        Server::Jira => Jira.call_tool_with(name, arguments, ctx, options).await,
        Server::Tracker => tracker.call_tool_with(name, arguments, ctx, options).await,
        Server::Desk => Desk.call_tool_with(name, arguments, ctx, options).await,
        Server::Echo => Echo.call_tool_with(name, arguments, ctx, options).await,
        Server::Shapes => Shapes.call_tool_with(name, arguments, ctx, options).await,
    }
}

/// What a call came to.
#[derive(Debug)]
enum Outcome {
    /// An `invalid_arguments` error result, with its text.
    Refused(String),
    /// The handler ran (successfully or not).
    Ran(CallToolResult),
    /// The gate held the call for the user's approval.
    Held(Box<ApprovalRequest>),
}

/// Runs `call` to its end on a paused clock (a tool's sleep or timeout takes no real time), and
/// fails if it does not come back within an hour of that clock.
fn outcome(
    subject: &Subject,
    arguments: Value,
    gate: Option<&CallOptions>,
) -> Result<Outcome, TestCaseError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();
    let answer = runtime.block_on(async {
        tokio::time::timeout(Duration::from_secs(3600), call(subject, arguments, gate)).await
    });
    let Ok(answer) = answer else {
        return Err(TestCaseError::fail(format!(
            "{subject:?}: the call did not come back"
        )));
    };
    match answer {
        Ok(result) if result.is_error && kind(&result) == Some("invalid_arguments") => {
            Ok(Outcome::Refused(result.text()))
        }
        Ok(result) => Ok(Outcome::Ran(result)),
        Err(CallError::ApprovalRequired(request)) => Ok(Outcome::Held(request)),
        Err(error) => Err(TestCaseError::fail(format!(
            "{subject:?}: unexpected call error: {error}"
        ))),
    }
}

fn kind(result: &CallToolResult) -> Option<&str> {
    result
        .meta
        .as_ref()?
        .get(ERROR_META_KEY)?
        .get("kind")?
        .as_str()
}

/// Whether the schema accepts `arguments`, read the way the call path reads them.
fn schema_accepts(subject: &Subject, arguments: &Value) -> bool {
    let read = match arguments {
        Value::Null => Value::Object(Map::new()),
        other => without_null_options(&subject.schema, other),
    };
    subject.validator.is_valid(&read)
}

/// `value` with every `null` optional property (per `schema`) left out, at any depth.
fn without_null_options(schema: &Value, value: &Value) -> Value {
    match value {
        Value::Object(object) => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|required| required.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            object
                .iter()
                .filter_map(|(key, item)| {
                    let property = properties.and_then(|properties| properties.get(key));
                    if item.is_null() && property.is_some() && !required.contains(&key.as_str()) {
                        return None;
                    }
                    let sub = property.or_else(|| schema.get("additionalProperties"));
                    let item =
                        sub.map_or_else(|| item.clone(), |sub| without_null_options(sub, item));
                    Some((key.clone(), item))
                })
                .collect::<Map<_, _>>()
                .into()
        }
        Value::Array(items) => match schema.get("items") {
            Some(sub) => items
                .iter()
                .map(|item| without_null_options(sub, item))
                .collect(),
            None => value.clone(),
        },
        other => other.clone(),
    }
}

/// The text of a refusal names the tool and the problem: arguments that are not an object say
/// so, and otherwise the text names the field, either the path to where the value is wrong (from
/// a property given) or the property missing, unknown or not taken.
fn names_the_problem(subject: &Subject, arguments: &Value, text: &str) -> bool {
    let prefix = format!("invalid arguments for `{}`: ", subject.name);
    let Some(detail) = text.strip_prefix(&prefix) else {
        return false;
    };
    let object = match arguments {
        Value::Object(object) => object,
        Value::Null => &Map::new(),
        _ => return detail.starts_with("expected an object, found "),
    };
    let at_a_given_property = object.keys().any(|key| {
        ["`: ", ".", "["]
            .iter()
            .any(|after| detail.starts_with(&format!("`{key}{after}")))
    });
    let about_a_property = [
        "missing field `",
        "unknown field `",
        "it takes no arguments, and `",
    ]
    .iter()
    .any(|start| detail.starts_with(start));
    at_a_given_property || about_a_property
}

/// Whether the call path may refuse arguments the schema accepts, for a known reason (found by
/// these properties, reported, not fixed here): serde reads no integer type from a JSON float,
/// not even `1.0`, which JSON Schema's `integer` accepts; and the client-safe profile drops
/// `format: uint32`/`uint64`, the only bound schemars gives those types, so `4294967296` passes
/// the schema of a `u32`. Recognised by serde's own message, so any other refusal still fails.
fn refused_for_a_known_bug(subject: &Subject, text: &str) -> bool {
    let prefix = format!("invalid arguments for `{}`: ", subject.name);
    let Some(detail) = text.strip_prefix(&prefix) else {
        return false;
    };
    // After the field's path, if any: `issueNumber`: invalid type: ..
    let detail = match detail
        .strip_prefix('`')
        .and_then(|rest| rest.split_once("`: "))
    {
        Some((_path, rest)) => rest,
        None => detail,
    };
    let integer_type = ["u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64"]
        .iter()
        .any(|ty| detail.ends_with(&format!("`, expected {ty}")));
    integer_type && detail.starts_with("invalid type: floating point `")
}

/// Whether the call path may accept arguments the schema refuses, for a known reason (found by
/// these properties, reported, not fixed here): below the root, serde reads a struct or an
/// internally tagged enum from an array of its fields (`["queue", "team"]`) and a unit variant
/// from a one-key object (`{"low": null}`), forms the schema does not allow. Recognised where the
/// schema wants an object and finds an array, or wants one of its strings and finds an object.
fn accepted_for_a_known_bug(subject: &Subject, arguments: &Value) -> bool {
    let Value::Object(object) = arguments else {
        return false;
    };
    object
        .iter()
        .any(|(key, item)| serde_form_below(property(&subject.schema, key), item))
}

/// The schema of property `key` of an object `schema` describes.
fn property<'a>(schema: &'a Value, key: &str) -> Option<&'a Value> {
    schema
        .get("properties")
        .and_then(|properties| properties.get(key))
        .or_else(|| {
            schema
                .get("additionalProperties")
                .filter(|sub| sub.is_object())
        })
}

/// Whether `value`, or a value in it, is in one of serde's forms the schema does not allow.
fn serde_form_below(schema: Option<&Value>, value: &Value) -> bool {
    let Some(schema) = schema else {
        return false;
    };
    let variants: Vec<&Value> = ["oneOf", "anyOf"]
        .iter()
        .filter_map(|keyword| schema.get(*keyword).and_then(Value::as_array))
        .flatten()
        .collect();
    if !variants.is_empty() {
        return variants
            .iter()
            .any(|variant| serde_form_below(Some(variant), value));
    }
    let wants_object = schema.get("type").and_then(Value::as_str) == Some("object");
    let wants_word = schema.get("enum").is_some();
    match value {
        Value::Array(_) if wants_object => true,
        Value::Object(object) if wants_word => object.len() == 1,
        Value::Object(object) => object
            .iter()
            .any(|(key, item)| serde_form_below(property(schema, key), item)),
        Value::Array(items) => items
            .iter()
            .any(|item| serde_form_below(schema.get("items"), item)),
        _ => false,
    }
}

/// A refusal: of arguments the schema refuses, with a text naming the problem.
fn check_refused(subject: &Subject, arguments: &Value, text: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        !schema_accepts(subject, arguments) || refused_for_a_known_bug(subject, text),
        "{subject:?} refused arguments its schema accepts: {text}"
    );
    prop_assert!(
        names_the_problem(subject, arguments, text),
        "{subject:?} {arguments}: {text}"
    );
    Ok(())
}

/// Arguments let through (to the handler or the gate's question): ones the schema accepts.
fn check_let_through(subject: &Subject, arguments: &Value) -> Result<(), TestCaseError> {
    prop_assert!(
        schema_accepts(subject, arguments) || accepted_for_a_known_bug(subject, arguments),
        "{subject:?} let through arguments its schema refuses"
    );
    Ok(())
}

/// The properties of a call without a gate.
fn check_ungated(subject: &Subject, arguments: &Value) -> Result<(), TestCaseError> {
    match outcome(subject, arguments.clone(), None)? {
        Outcome::Refused(text) => check_refused(subject, arguments, &text)?,
        Outcome::Ran(result) => {
            check_let_through(subject, arguments)?;
            ran_without_panicking(subject, &result)?;
        }
        Outcome::Held(request) => {
            prop_assert!(false, "{subject:?} held without a gate: {request:?}");
        }
    }
    Ok(())
}

/// Only the tool written to panic does; a panic anywhere else is a bug the call path contained.
fn ran_without_panicking(subject: &Subject, result: &CallToolResult) -> Result<(), TestCaseError> {
    if subject.name != "explode" {
        prop_assert_ne!(
            kind(result),
            Some("panicked"),
            "{:?}: {}",
            subject,
            result.text()
        );
    }
    Ok(())
}

/// The properties of a call through a fresh gate: invalid arguments are refused before anyone is
/// asked; valid arguments of a tool with a stake are held, and run once approved.
fn check_gated(subject: &Subject, arguments: &Value) -> Result<(), TestCaseError> {
    let gate = Arc::new(ApprovalGate::new(MemoryStore::default()));
    let options = CallOptions::new().with_gate(gate.clone());
    match outcome(subject, arguments.clone(), Some(&options))? {
        Outcome::Refused(text) => {
            check_refused(subject, arguments, &text)?;
            prop_assert_eq!(
                gate.held(),
                0,
                "{:?}: asked to approve invalid arguments",
                subject
            );
        }
        Outcome::Ran(result) => {
            check_let_through(subject, arguments)?;
            prop_assert_eq!(subject.stake, Stake::NeverAsk, "{:?} ran unasked", subject);
            ran_without_panicking(subject, &result)?;
        }
        Outcome::Held(request) => {
            check_let_through(subject, arguments)?;
            prop_assert_ne!(subject.stake, Stake::NeverAsk);
            prop_assert_eq!(&request.tool, subject.name);
            prop_assert_eq!(gate.held(), 1);
            tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap()
                .block_on(gate.resolve(&request.id, "ana", Decision::Once))
                .unwrap();
            let approved = options.clone().with_approval(&request.id);
            match outcome(subject, arguments.clone(), Some(&approved))? {
                Outcome::Ran(result) => ran_without_panicking(subject, &result)?,
                other => prop_assert!(false, "{subject:?}: approved, then {other:?}"),
            }
        }
    }
    Ok(())
}

/// Numbers of every kind, with the edges of the integer types the tools use.
fn number() -> BoxedStrategy<Value> {
    let edges = [
        i64::MIN as f64,
        -1.0,
        0.0,
        0.5,
        1.0,
        f64::from(u8::MAX) + 1.0,
        f64::from(i16::MAX) + 1.0,
        f64::from(u16::MAX) + 1.0,
        f64::from(u32::MAX) + 1.0,
        u64::MAX as f64,
        1e300,
    ];
    prop_oneof![
        (-1000i64..1000).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop::sample::select(vec![
            i64::from(i16::MIN) - 1,
            -1,
            256,
            i64::from(i16::MAX) + 1,
            i64::from(u16::MAX) + 1,
            i64::from(u32::MAX) + 1,
            i64::MAX,
        ])
        .prop_map(Value::from),
        Just(Value::from(u64::MAX)),
        prop::sample::select(edges.to_vec()).prop_map(Value::from),
        (-1000i32..1000).prop_map(|whole| Value::from(f64::from(whole))),
        any::<f64>().prop_filter_map("JSON has no NaN or infinity", |float| {
            Number::from_f64(float).map(Value::Number)
        }),
    ]
    .boxed()
}

/// Strings: the schema's own values, ASCII, and any Unicode.
fn string(words: &[String]) -> BoxedStrategy<Value> {
    let mut choices = vec!["[ -~]{0,12}".boxed(), "\\PC{0,12}".boxed()];
    if !words.is_empty() {
        choices.push(prop::sample::select(words.to_vec()).boxed());
    }
    proptest::strategy::Union::new(choices)
        .prop_map(Value::from)
        .boxed()
}

/// Any JSON value of bounded depth and size, objects keyed mostly by the tool's property names.
fn any_json(subject: &Subject) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        number(),
        string(&subject.words),
    ];
    let key = key(subject);
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|object| Value::Object(object.into_iter().collect())),
        ]
    })
    .boxed()
}

/// A property name: mostly the tool's own (or one of its values, as serde's one-key form of an
/// enum has it), sometimes any.
fn key(subject: &Subject) -> BoxedStrategy<String> {
    let names: Vec<String> = subject.keys.iter().chain(&subject.words).cloned().collect();
    if names.is_empty() {
        return "\\PC{0,8}".boxed();
    }
    prop_oneof![
        3 => prop::sample::select(names),
        1 => "[a-z_]{1,10}",
        1 => "\\PC{0,8}",
    ]
    .boxed()
}

/// Arguments of any shape, mostly objects.
fn any_arguments(subject: &Subject) -> BoxedStrategy<Value> {
    prop_oneof![
        1 => any_json(subject),
        3 => prop::collection::btree_map(key(subject), any_json(subject), 0..6)
            .prop_map(|object| Value::Object(object.into_iter().collect())),
    ]
    .boxed()
}

/// A value `schema` accepts, with numbers well inside the schema's range.
fn valid(schema: &Value) -> BoxedStrategy<Value> {
    if let Some(Value::Array(values)) = schema.get("enum") {
        return prop::sample::select(values.clone()).boxed();
    }
    if let Some(value) = schema.get("const") {
        return Just(value.clone()).boxed();
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(Value::Array(variants)) = schema.get(keyword) {
            return proptest::strategy::Union::new(variants.iter().map(valid)).boxed();
        }
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => "\\PC{0,12}".prop_map(Value::from).boxed(),
        Some("boolean") => any::<bool>().prop_map(Value::from).boxed(),
        Some("integer") => {
            let min = schema
                .get("minimum")
                .and_then(Value::as_i64)
                .unwrap_or(-1000);
            let max = schema
                .get("maximum")
                .and_then(Value::as_i64)
                .unwrap_or(min + 100_000);
            (min..=max).prop_map(Value::from).boxed()
        }
        Some("number") => (-1e6..1e6f64).prop_map(Value::from).boxed(),
        Some("array") => {
            let items = schema.get("items").cloned().unwrap_or(Value::Bool(true));
            prop::collection::vec(valid(&items), 0..4)
                .prop_map(Value::Array)
                .boxed()
        }
        Some("object") => valid_object(schema),
        _ => Just(Value::Null).boxed(),
    }
}

/// An object `schema` accepts: every required property, each optional one left out, `null` (as
/// the call path reads `Option`s) or given, and any further properties of a map.
fn valid_object(schema: &Value) -> BoxedStrategy<Value> {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|required| required.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let properties: Vec<BoxedStrategy<Option<(String, Value)>>> = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(key, sub)| {
            let is_required = required.contains(&key.as_str());
            let null = Just(Some((key.clone(), Value::Null)));
            let key = key.clone();
            let value = valid(sub).prop_map(move |value| Some((key.clone(), value)));
            if is_required {
                value.boxed()
            } else {
                prop_oneof![Just(None), null, value].boxed()
            }
        })
        .collect();
    let extra = match schema.get("additionalProperties") {
        Some(sub @ Value::Object(_)) => {
            prop::collection::btree_map("[a-z]{1,6}", valid(sub), 0..3).boxed()
        }
        _ => Just(BTreeMap::new()).boxed(),
    };
    (properties, extra)
        .prop_map(|(properties, extra)| {
            let mut object: Map<String, Value> = extra.into_iter().collect();
            object.extend(properties.into_iter().flatten());
            Value::Object(object)
        })
        .boxed()
}

/// How a near miss differs from valid arguments.
#[derive(Debug, Clone, Copy)]
enum Miss {
    /// One property left out.
    Remove,
    /// One property's value of another JSON type.
    Retype,
    /// One property the schema does not name.
    Extra,
    /// One property's value in another of serde's forms: an object as the array of its values, a
    /// string as a one-key object.
    Reshape,
    /// One number as another kind of number: a float, a fraction, negative, or past 32 or 64 bits.
    Renumber,
}

/// Values of every JSON type, to put where another type belongs.
fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        Value::Bool(true),
        Value::from(0),
        Value::from(-1),
        Value::from(1.5),
        Value::from(""),
        Value::from("x"),
        Value::Array(Vec::new()),
        Value::Array(vec![Value::from(1)]),
        Value::Object(Map::new()),
    ]
}

fn json_type(value: &Value) -> u8 {
    match value {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Number(_) => 2,
        Value::String(_) => 3,
        Value::Array(_) => 4,
        Value::Object(_) => 5,
    }
}

/// Valid arguments with one property removed, retyped, added or reshaped, in the root object or
/// a nested one.
fn near_miss(subject: &Subject) -> BoxedStrategy<Value> {
    let miss = prop_oneof![
        Just(Miss::Remove),
        Just(Miss::Retype),
        Just(Miss::Extra),
        Just(Miss::Reshape),
        Just(Miss::Renumber),
    ];
    let extra_key = prop_oneof![Just("extra".to_owned()), "[a-z_]{1,10}", "\\PC{1,6}"];
    (
        valid(&subject.schema),
        (miss, any::<Index>(), any::<Index>(), any::<Index>()),
        extra_key,
        any_json(subject),
    )
        .prop_map(
            |(mut value, (miss, object, key, fixed), extra_key, replacement)| {
                let count = objects_in(&value);
                let mut nth = object.index(count);
                let Some(object) = nth_object(&mut value, &mut nth) else {
                    return value;
                };
                let key = (!object.is_empty())
                    .then(|| object.keys().nth(key.index(object.len())).unwrap().clone());
                match (miss, key) {
                    (Miss::Remove, Some(key)) => {
                        object.remove(&key);
                    }
                    (Miss::Retype, Some(key)) => {
                        let old = json_type(&object[&key]);
                        let replacement = if json_type(&replacement) == old {
                            let others: Vec<Value> = replacements()
                                .into_iter()
                                .filter(|value| json_type(value) != old)
                                .collect();
                            others[fixed.index(others.len())].clone()
                        } else {
                            replacement
                        };
                        object.insert(key, replacement);
                    }
                    (Miss::Extra, _) => {
                        if !object.contains_key(&extra_key) {
                            object.insert(extra_key, replacement);
                        }
                    }
                    (Miss::Reshape, Some(key)) => reshape(object.get_mut(&key).unwrap()),
                    (Miss::Renumber, Some(key)) => {
                        if let Some(number) = object[&key].as_f64() {
                            let others = [
                                Value::from(number),
                                Value::from(number + 0.5),
                                Value::from(-1 - number.abs() as i64),
                                Value::from(u64::from(u32::MAX) + 1),
                                Value::from(u64::MAX),
                                Value::from(u64::MAX as f64 * 2.0),
                            ];
                            object.insert(key, others[fixed.index(others.len())].clone());
                        }
                    }
                    (Miss::Remove | Miss::Retype | Miss::Reshape | Miss::Renumber, None) => {}
                }
                value
            },
        )
        .boxed()
}

/// `value` in another of the forms serde reads: an object as the array of its values, a string
/// as a one-key object (a unit variant's map form); in an array, its first item.
fn reshape(value: &mut Value) {
    match value {
        Value::Object(object) => *value = object.values().cloned().collect(),
        Value::String(word) => {
            *value = Value::Object(Map::from_iter([(word.clone(), Value::Null)]));
        }
        Value::Array(items) => {
            if let Some(first) = items.first_mut() {
                reshape(first);
            }
        }
        _ => {}
    }
}

/// How many objects `value` holds, itself included.
fn objects_in(value: &Value) -> usize {
    match value {
        Value::Object(object) => 1 + object.values().map(objects_in).sum::<usize>(),
        Value::Array(items) => items.iter().map(objects_in).sum(),
        _ => 0,
    }
}

/// The `n`th object of `value` in pre-order.
fn nth_object<'a>(value: &'a mut Value, n: &mut usize) -> Option<&'a mut Map<String, Value>> {
    match value {
        Value::Object(object) => {
            if *n == 0 {
                return Some(object);
            }
            *n -= 1;
            object.values_mut().find_map(|item| nth_object(item, n))
        }
        Value::Array(items) => items.iter_mut().find_map(|item| nth_object(item, n)),
        _ => None,
    }
}

/// A tool of any server under test, and arguments from `arguments`; the strategies are built
/// once per property, not per case.
fn call_of(
    arguments: fn(&Subject) -> BoxedStrategy<Value>,
) -> impl Strategy<Value = (&'static Subject, Value)> {
    proptest::strategy::Union::new(
        SUBJECTS
            .iter()
            .map(|subject| (Just(subject), arguments(subject))),
    )
}

/// Valid arguments, near misses and anything at all.
fn mixed(subject: &Subject) -> BoxedStrategy<Value> {
    prop_oneof![
        valid(&subject.schema),
        near_miss(subject),
        any_arguments(subject),
    ]
    .boxed()
}

/// 256 cases (or `PROPTEST_CASES`), drawn with XorShift unless `PROPTEST_RNG_ALGORITHM` says
/// otherwise: ChaCha, unoptimized in the dev profile, took half the time of a case.
fn config() -> ProptestConfig {
    let default = ProptestConfig::default();
    let rng_algorithm = match std::env::var_os("PROPTEST_RNG_ALGORITHM") {
        Some(_) => default.rng_algorithm,
        None => RngAlgorithm::XorShift,
    };
    ProptestConfig {
        rng_algorithm,
        ..default
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_json_is_refused_or_run_as_the_schema_says((subject, arguments) in call_of(any_arguments)) {
        check_ungated(subject, &arguments)?;
    }

    #[test]
    fn near_misses_are_refused_naming_the_problem((subject, arguments) in call_of(near_miss)) {
        check_ungated(subject, &arguments)?;
    }

    #[test]
    fn valid_arguments_are_never_refused((subject, arguments) in call_of(|subject| valid(&subject.schema))) {
        prop_assert!(schema_accepts(subject, &arguments), "generated {arguments} for {subject:?}");
        check_ungated(subject, &arguments)?;
    }

    #[test]
    fn the_gate_asks_only_about_valid_arguments((subject, arguments) in call_of(mixed)) {
        check_gated(subject, &arguments)?;
    }
}

/// The generators reach every tool, with arguments the schema accepts and refuses.
#[test]
fn every_tool_is_exercised() {
    assert!(SUBJECTS.len() >= 20, "{:?}", *SUBJECTS);
    for name in ["file_ticket", "move_ticket", "set_flags"] {
        assert!(SUBJECTS.iter().any(|subject| subject.name == name));
    }
}

/// The tool `name` of `server`.
fn subject(server: Server, name: &str) -> &'static Subject {
    SUBJECTS
        .iter()
        .find(|subject| subject.server == server && subject.name == name)
        .unwrap()
}

/// The minimal inputs of the divergences the properties found are recognised as known bugs, and
/// ordinary refusals and acceptances are not.
#[test]
fn known_bugs_are_recognised_narrowly() {
    use serde_json::json;
    let get_issue = subject(Server::Tracker, "get_issue");
    let search = subject(Server::Jira, "search");
    let text = "invalid arguments for `get_issue`: `number`: invalid type: floating point `1.0`, expected u64";
    assert!(refused_for_a_known_bug(get_issue, text), "{text}");
    for (subject, text) in [
        // The schema bounds a `u32` now: refusing a larger value is no bug.
        (
            search,
            "invalid arguments for `search`: `max_results`: invalid value: integer `4294967296`, expected u32",
        ),
        (
            get_issue,
            "invalid arguments for `get_issue`: `number`: invalid type: floating point `1.5`, expected a string",
        ),
        (
            get_issue,
            "invalid arguments for `get_issue`: `number`: invalid type: string \"1\", expected u64",
        ),
        (
            get_issue,
            "invalid arguments for `get_issue`: missing field `number`",
        ),
        (
            search,
            "invalid arguments for `get_issue`: `number`: invalid type: floating point `1.0`, expected u64",
        ),
    ] {
        assert!(!refused_for_a_known_bug(subject, text), "{text}");
    }

    let file_ticket = subject(Server::Shapes, "file_ticket");
    let move_ticket = subject(Server::Shapes, "move_ticket");
    let ticket = |priority: Value, labels: Value| json!({"title": "", "priority": priority, "labels": labels, "offset_days": 0, "counts": {}});
    for (subject, arguments) in [
        (file_ticket, ticket(json!({"low": null}), json!([]))),
        (file_ticket, ticket(json!("low"), json!([["", ""]]))),
        (
            move_ticket,
            json!({"ticket": 0, "destination": ["queue", ""]}),
        ),
    ] {
        assert!(!schema_accepts(subject, &arguments), "{arguments}");
        assert!(accepted_for_a_known_bug(subject, &arguments), "{arguments}");
    }
    for (subject, arguments) in [
        (file_ticket, ticket(json!("low"), json!([]))),
        (file_ticket, ticket(json!(["low"]), json!([]))),
        (file_ticket, ticket(json!("low"), json!([{"name": 1}]))),
        (
            move_ticket,
            json!({"ticket": [0], "destination": {"kind": "queue", "team": ""}}),
        ),
        (move_ticket, json!(["queue", ""])),
    ] {
        assert!(
            !accepted_for_a_known_bug(subject, &arguments),
            "{arguments}"
        );
    }
}

/// Whether the call path refuses `arguments` exactly when the schema does.
fn agrees(subject: &Subject, arguments: Value) {
    let accepted = schema_accepts(subject, &arguments);
    let refused = matches!(
        outcome(subject, arguments.clone(), None),
        Ok(Outcome::Refused(_))
    );
    assert_eq!(
        accepted, !refused,
        "{subject:?} {arguments}: the schema accepts it: {accepted}, the call path refuses it: {refused}"
    );
}

#[test]
#[ignore = "known bug: serde reads no integer from a JSON float such as 1.0, which the schema's `integer` accepts"]
fn an_integral_float_is_an_integer() {
    agrees(
        subject(Server::Tracker, "get_issue"),
        serde_json::json!({"number": 1.0}),
    );
}

#[test]
fn the_schema_of_a_u32_bounds_it() {
    agrees(
        subject(Server::Jira, "search"),
        serde_json::json!({"jql": "", "max_results": 4_294_967_296_u64}),
    );
}

#[test]
#[ignore = "known bug: below the root, serde reads a struct or a tagged enum from an array of its fields"]
fn a_nested_object_is_not_read_from_an_array() {
    agrees(
        subject(Server::Shapes, "move_ticket"),
        serde_json::json!({"ticket": 0, "destination": ["queue", ""]}),
    );
}

#[test]
#[ignore = "known bug: serde reads a unit variant from a one-key object, which the schema's `enum` refuses"]
fn an_enum_value_is_not_read_from_an_object() {
    agrees(
        subject(Server::Shapes, "file_ticket"),
        serde_json::json!({
            "title": "", "priority": {"low": null}, "labels": [], "offset_days": 0, "counts": {}
        }),
    );
}
