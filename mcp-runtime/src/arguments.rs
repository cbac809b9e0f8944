//! What a tool method takes and returns: the traits behind the checks `#[tool]` generates.

use std::convert::Infallible;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::schema::{self, JsonObject, Kind, SchemaError, shared};
use crate::{McpError, ToolOutput};

/// The arguments type of a tool: `Deserialize + JsonSchema`, with an object schema.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the arguments of a tool",
    label = "this type must implement `Deserialize` and `JsonSchema`",
    note = "add `#[derive(Deserialize, JsonSchema)]` to `{Self}`"
)]
pub trait ToolArguments: Sized {
    /// Deserializes the call's `arguments`; the error names the field and what was expected.
    fn from_arguments(tool: &str, arguments: Value) -> Result<Self, McpError>;
    /// Whether `arguments` would deserialize, with the same error as
    /// [`ToolArguments::from_arguments`]; nothing is kept.
    fn check_arguments(tool: &str, arguments: &Value) -> Result<(), McpError>;
    /// The client-safe input schema, shared by every tool taking this type.
    fn input_schema() -> Result<Arc<JsonObject>, SchemaError>;
    /// The input schema as schemars writes it (`#[tool(full_schema)]`), shared likewise.
    fn full_input_schema() -> Result<Arc<JsonObject>, SchemaError>;
}

impl<T: DeserializeOwned + JsonSchema> ToolArguments for T {
    fn from_arguments(tool: &str, arguments: Value) -> Result<Self, McpError> {
        // `arguments` is optional in MCP; a missing one is an empty object.
        let arguments = match arguments {
            Value::Null => Value::Object(Default::default()),
            Value::Object(object) => Value::Object(object),
            other => return Err(not_an_object(tool, &other)),
        };
        // The path to a mistake is tracked only once there is one to name.
        T::deserialize(&arguments).or_else(|_| {
            serde_path_to_error::deserialize(arguments).map_err(|error| invalid(tool, error))
        })
    }

    fn check_arguments(tool: &str, arguments: &Value) -> Result<(), McpError> {
        match arguments {
            Value::Null => T::check_arguments(tool, &Value::Object(Default::default())),
            Value::Object(_) => T::deserialize(arguments).map(drop).or_else(|_| {
                serde_path_to_error::deserialize::<_, T>(arguments)
                    .map(drop)
                    .map_err(|error| invalid(tool, error))
            }),
            other => Err(not_an_object(tool, other)),
        }
    }

    fn input_schema() -> Result<Arc<JsonObject>, SchemaError> {
        shared::<T, _>(Kind::Input, schema::input_schema::<T>)
    }

    fn full_input_schema() -> Result<Arc<JsonObject>, SchemaError> {
        shared::<T, _>(Kind::FullInput, schema::full_input_schema::<T>)
    }
}

/// The arguments of a tool that takes none: nothing, or an empty object.
#[doc(hidden)]
pub fn check_no_arguments(tool: &str, arguments: &Value) -> Result<(), McpError> {
    match arguments {
        Value::Null => Ok(()),
        Value::Object(object) => match object.keys().next() {
            None => Ok(()),
            Some(key) => Err(McpError::invalid_arguments(format!(
                "invalid arguments for `{tool}`: it takes no arguments, and `{key}` was given"
            ))),
        },
        other => Err(not_an_object(tool, other)),
    }
}

/// `arguments` is an object in MCP (serde would also accept a struct as an array).
fn not_an_object(tool: &str, arguments: &Value) -> McpError {
    McpError::invalid_arguments(format!(
        "invalid arguments for `{tool}`: expected an object, found {}",
        json_kind(arguments)
    ))
}

fn invalid(tool: &str, error: serde_path_to_error::Error<serde_json::Error>) -> McpError {
    let path = error.path().to_string();
    let inner = error.into_inner();
    let message = if path == "." {
        format!("invalid arguments for `{tool}`: {inner}")
    } else {
        format!("invalid arguments for `{tool}`: `{path}`: {inner}")
    };
    McpError::invalid_arguments(message)
}

/// Structured output: the tool gets an output schema, and the result carries
/// `structuredContent` with a text mirror.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Json<T>(pub T);

/// What a tool method may return.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a tool result",
    label = "tools return `ToolResult`, `ToolOutput`, `Json<T>` or `Result<Json<T>, McpError>`",
    note = "wrap text in `ToolOutput::text(..)` and structured data in `Json(..)`"
)]
pub trait IntoToolResult {
    /// Converts into the runtime's result.
    fn into_tool_result(self) -> Result<ToolOutput, McpError>;
    /// The output schema, for structured results, shared by every tool returning this type.
    fn output_schema() -> Option<Arc<JsonObject>> {
        None
    }
}

impl IntoToolResult for ToolOutput {
    fn into_tool_result(self) -> Result<ToolOutput, McpError> {
        Ok(self)
    }
}

impl IntoToolResult for Result<ToolOutput, McpError> {
    fn into_tool_result(self) -> Result<ToolOutput, McpError> {
        self
    }
}

impl<T: Serialize + JsonSchema> IntoToolResult for Json<T> {
    fn into_tool_result(self) -> Result<ToolOutput, McpError> {
        let value = serde_json::to_value(&self.0).map_err(|error| {
            McpError::new(format!("the tool's output does not serialize: {error}"))
        })?;
        Ok(ToolOutput::structured(value))
    }

    fn output_schema() -> Option<Arc<JsonObject>> {
        let Ok(schema) = shared::<T, Infallible>(Kind::Output, || Ok(schema::output_schema::<T>()));
        Some(schema)
    }
}

impl<T: Serialize + JsonSchema> IntoToolResult for Result<Json<T>, McpError> {
    fn into_tool_result(self) -> Result<ToolOutput, McpError> {
        self?.into_tool_result()
    }

    fn output_schema() -> Option<Arc<JsonObject>> {
        Json::<T>::output_schema()
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// What a type's `__MCP_WIRE_FIELDS` is when the prelude's `Deserialize` did not record it (the
/// type derives serde's own): no renamed fields known, so each field is found under its own
/// name. An inherent constant of the same name, which the prelude's derive writes, takes
/// precedence over this one.
#[doc(hidden)]
pub trait NoWireNames {
    /// `(field, wire name)` of every field that has a wire name of its own.
    const __MCP_WIRE_FIELDS: &'static [(&'static str, &'static str)] = &[];
}

impl<T: ?Sized> NoWireNames for T {}

/// The wire name of `field` in `fields` (see [`NoWireNames`]), or `field` itself.
#[doc(hidden)]
pub const fn wire_name(
    fields: &'static [(&'static str, &'static str)],
    field: &'static str,
) -> &'static str {
    let mut i = 0;
    while i < fields.len() {
        if crate::host::registry_checks::str_eq(fields[i].0, field) {
            return fields[i].1;
        }
        i += 1;
    }
    field
}
