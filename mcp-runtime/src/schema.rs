//! JSON Schemas of tool inputs and outputs, in the client-safe profile.
//!
//! schemars produces correct 2020-12 schemas, but several keywords break real MCP clients
//! (see the peers research, section 5): `$ref`/`$defs` (unresolved by many clients), `Option<T>`
//! as `["T", "null"]` (Gemini, Cursor), non-standard `format` values such as `uint32` (Zod-based
//! clients reject them) and the `$schema` key (Gemini CLI). The profile removes all four, keeps
//! `$defs` only for recursive types (where inlining is impossible), and requires an object root.
//! Output schemas keep `null` (see [`output_schema`]). An enum whose variants have doc comments
//! is an `enum` of its values, with the variants' docs in its description, rather than the
//! `oneOf` of `const`s schemars makes of it, which clients show as a choice of schemas.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use schemars::generate::{Contract, SchemaSettings};
use schemars::transform::{RestrictFormats, Transform, transform_subschemas};
use schemars::{JsonSchema, Schema};
use serde_json::{Map, Value};

/// A JSON object, as MCP carries schemas.
pub type JsonObject = Map<String, Value>;

/// A tool's arguments type whose schema is not an object, which MCP requires.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the schema of `{type_name}` is not an object; tool arguments must be a struct or a map")]
pub struct SchemaError {
    /// The offending type.
    pub type_name: String,
}

/// The client-safe input schema of `T`.
pub fn input_schema<T: JsonSchema>() -> Result<JsonObject, SchemaError> {
    let schema = client_safe::<T>(Contract::Deserialize);
    if schema.get("type").and_then(Value::as_str) != Some("object") {
        return Err(SchemaError {
            type_name: T::schema_name().into_owned(),
        });
    }
    Ok(schema)
}

/// The input schema of `T` as schemars writes it in JSON Schema 2020-12 (`$schema`, `$defs` and
/// `$ref`, composition and conditionals kept), for a tool marked `full_schema`: MCP's default
/// dialect since 2025-11-25, which not every client reads yet.
pub fn full_input_schema<T: JsonSchema>() -> Result<JsonObject, SchemaError> {
    let schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>();
    match schema.to_value() {
        Value::Object(object) if object.get("type").and_then(Value::as_str) == Some("object") => {
            Ok(object)
        }
        _ => Err(SchemaError {
            type_name: T::schema_name().into_owned(),
        }),
    }
}

/// The output schema of `T` (what it serializes to).
///
/// Unlike inputs, outputs keep `null` in their types: a `None` serializes as `null`, and clients
/// validate `structuredContent` against this schema.
pub fn output_schema<T: JsonSchema>() -> JsonObject {
    client_safe::<T>(Contract::Serialize)
}

/// Which schema of a type: each is made once per type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Input,
    FullInput,
    Output,
}

/// The `kind` schema of `T`, made by `make` the first time and shared after: tools taking or
/// returning the same type hold one copy. Held as `serde_json` maps, a schema weighs about
/// eight times its JSON, and servers often give several tools one arguments type (a `Get`, a
/// `List`). Keyed by `JsonSchema::schema_id`, which schemars requires to differ for types whose
/// schemas differ.
pub(crate) fn shared<T: JsonSchema + ?Sized, E>(
    kind: Kind,
    make: impl FnOnce() -> Result<JsonObject, E>,
) -> Result<Arc<JsonObject>, E> {
    type Made = HashMap<(Kind, String), Arc<JsonObject>>;
    static MADE: LazyLock<Mutex<Made>> = LazyLock::new(Mutex::default);
    let key = (kind, T::schema_id().into_owned());
    if let Some(schema) = crate::host::lock(&MADE).get(&key) {
        return Ok(schema.clone());
    }
    // Made outside the lock: a schema's making may ask for others.
    let schema = Arc::new(make()?);
    Ok(crate::host::lock(&MADE)
        .entry(key)
        .or_insert(schema)
        .clone())
}

/// The input schema of a tool without arguments, as the spec recommends.
pub fn empty_input_schema() -> JsonObject {
    let Value::Object(schema) = serde_json::json!({
        "type": "object",
        "properties": {},
        "additionalProperties": false,
    }) else {
        unreachable!("a literal object")
    };
    schema
}

fn client_safe<T: JsonSchema>(contract: Contract) -> JsonObject {
    let drop_null = matches!(contract, Contract::Deserialize);
    let settings = SchemaSettings::draft2020_12().with(|settings| {
        settings.inline_subschemas = true;
        settings.contract = contract;
    });
    let mut schema = settings.into_generator().into_root_schema_for::<T>();
    // The integer formats go (below); their ranges stay, as bounds every client reads.
    BoundIntegers.transform(&mut schema);
    // While `$schema` still names 2020-12, this keeps exactly the formats 2020-12 defines.
    RestrictFormats::default().transform(&mut schema);
    if drop_null {
        DropNull.transform(&mut schema);
    }
    ConstsToEnum.transform(&mut schema);
    let mut object = match schema.to_value() {
        Value::Object(object) => object,
        other => {
            // `true`/`false` schemas: accept anything / nothing, described as such.
            let mut object = Map::new();
            if other == Value::Bool(false) {
                object.insert("not".into(), Value::Object(Map::new()));
            }
            object
        }
    };
    object.remove("$schema");
    // The root title is the Rust type name and the root description repeats the tool's.
    object.remove("title");
    object.remove("description");
    object
}

/// Gives every integer whose `format` names a Rust width up to 32 bits (`uint32`, `int16`, ...)
/// the `minimum` and `maximum` of that width, so that a value the arguments' type cannot hold is
/// refused by the schema as by the server. 64-bit ones keep what schemars gives (`minimum: 0`
/// when unsigned): clients read larger integers as floats, and the bounds would be noise.
#[derive(Debug, Clone, Copy)]
struct BoundIntegers;

impl Transform for BoundIntegers {
    fn transform(&mut self, schema: &mut Schema) {
        transform_subschemas(self, schema);
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        let range: (Value, Value) = match object.get("format").and_then(Value::as_str) {
            Some("int8") => (i8::MIN.into(), i8::MAX.into()),
            Some("int16") => (i16::MIN.into(), i16::MAX.into()),
            Some("int32") => (i32::MIN.into(), i32::MAX.into()),
            Some("uint8") => (u8::MIN.into(), u8::MAX.into()),
            Some("uint16") => (u16::MIN.into(), u16::MAX.into()),
            Some("uint32") => (u32::MIN.into(), u32::MAX.into()),
            _ => return,
        };
        object.entry("minimum").or_insert(range.0);
        object.entry("maximum").or_insert(range.1);
    }
}

/// Removes `null` from every schema: `Option<T>` becomes an optional property of type `T`.
#[derive(Debug, Clone, Copy)]
struct DropNull;

impl Transform for DropNull {
    fn transform(&mut self, schema: &mut Schema) {
        transform_subschemas(self, schema);
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        object.remove("nullable");
        if object.get("default") == Some(&Value::Null) {
            object.remove("default");
        }
        if let Some(Value::Array(types)) = object.get_mut("type") {
            types.retain(|ty| ty != "null");
            if let [single] = types.as_slice() {
                let single = single.clone();
                object.insert("type".into(), single);
            }
        }
        if let Some(Value::Array(values)) = object.get_mut("enum") {
            values.retain(|value| !value.is_null());
        }
        for keyword in ["anyOf", "oneOf"] {
            let Some(Value::Array(variants)) = object.get_mut(keyword) else {
                continue;
            };
            variants.retain(|variant| !is_null_schema(variant));
            if variants.len() == 1 {
                let Some(Value::Object(only)) = variants.pop() else {
                    continue;
                };
                object.remove(keyword);
                for (key, value) in only {
                    object.entry(key).or_insert(value);
                }
            }
        }
    }
}

fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
        || schema.get("const").is_some_and(Value::is_null)
}

/// Turns a `oneOf` of documented `const`s (an enum with doc comments on its variants) into an
/// `enum` of the values, the docs listed in the description.
#[derive(Debug, Clone, Copy)]
struct ConstsToEnum;

impl Transform for ConstsToEnum {
    fn transform(&mut self, schema: &mut Schema) {
        transform_subschemas(self, schema);
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        let Some(Value::Array(variants)) = object.get("oneOf") else {
            return;
        };
        let consts: Option<Vec<Const<'_>>> = variants.iter().map(Const::of).collect();
        let Some(consts) = consts.filter(|consts| !consts.is_empty()) else {
            return;
        };
        let first_type = consts[0].ty;
        let one_type = consts.iter().all(|one| one.ty == first_type);
        let values: Vec<Value> = consts.iter().map(|one| one.value.clone()).collect();
        let documented: Vec<String> = consts
            .iter()
            .filter_map(|one| {
                let description = one.description?;
                let value = match one.value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                Some(format!("- `{value}`: {description}"))
            })
            .collect();
        let ty = first_type.filter(|_| one_type).cloned();
        object.remove("oneOf");
        if let Some(ty) = ty {
            object.entry("type").or_insert(ty);
        }
        object.insert("enum".into(), Value::Array(values));
        if !documented.is_empty() {
            let list = documented.join("\n");
            let description = match object.get("description").and_then(Value::as_str) {
                Some(text) => format!("{text}\n{list}"),
                None => list,
            };
            object.insert("description".into(), description.into());
        }
    }
}

/// One branch of a `oneOf` that is only a documented value.
struct Const<'a> {
    value: &'a Value,
    description: Option<&'a str>,
    ty: Option<&'a Value>,
}

impl<'a> Const<'a> {
    /// `{"const": .., "type"?: .., "description"?: ..}` and nothing else.
    fn of(variant: &'a Value) -> Option<Self> {
        let variant = variant.as_object()?;
        let known = ["const", "type", "description"];
        if variant.keys().any(|key| !known.contains(&key.as_str())) {
            return None;
        }
        Some(Const {
            value: variant.get("const")?,
            description: variant.get("description").and_then(Value::as_str),
            ty: variant.get("type"),
        })
    }
}
