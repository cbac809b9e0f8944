//! `conformance`: the fixtures the official MCP conformance suite calls, written with our macros.
//!
//! The suite (`@modelcontextprotocol/conformance`) connects to a running server and calls tools
//! of fixed names; `scripts/conformance.sh` runs it against this server over Streamable HTTP.
//! Scenarios this server does not support yet are listed, with the reason, in
//! `tests/conformance/expected-failures-*.yml`.

mod input;
mod stateless;
mod tasks;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use mcp_runtime::prelude::*;
use mcp_runtime::{Content, LogLevel, ResourceContents};
use serde_json::{Value, json};

/// A 1×1 red PNG.
const PIXEL_PNG: &[u8] = include_bytes!("pixel.png");

/// 10 ms of silence, 8 kHz mono WAV.
const SILENCE_WAV: &[u8] = include_bytes!("silence.wav");

/// The pause between notifications, so the client sees them arrive during the call.
pub(crate) const NOTIFICATION_GAP: Duration = Duration::from_millis(50);

/// Arguments of `test_sampling`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SamplingArgs {
    /// The prompt to send to the client's model.
    pub prompt: String,
}

/// Arguments of `json_schema_2020_12_tool`: its schema is the suite's, written by hand with the
/// keywords the client-safe profile leaves out (`$defs` with an `$anchor`, `$ref`, `allOf`/`anyOf`,
/// `if`/`then`/`else`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Contact {
    pub name: Option<String>,
    pub address: Option<Address>,
    pub contact_method: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// An address of a [`Contact`].
#[derive(Debug, Deserialize)]
pub struct Address {
    pub street: Option<String>,
    pub city: Option<String>,
}

impl schemars::JsonSchema for Contact {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Contact".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "$defs": {
                "address": {
                    "$anchor": "addressDef",
                    "type": "object",
                    "properties": { "street": { "type": "string" }, "city": { "type": "string" } },
                },
            },
            "properties": {
                "name": { "type": "string" },
                "address": { "$ref": "#/$defs/address" },
                "contactMethod": { "type": "string", "enum": ["phone", "email"] },
                "phone": { "type": "string" },
                "email": { "type": "string" },
            },
            "allOf": [{ "anyOf": [{ "required": ["phone"] }, { "required": ["email"] }] }],
            "if": { "properties": { "contactMethod": { "const": "phone" } }, "required": ["contactMethod"] },
            "then": { "required": ["phone"] },
            "else": { "required": ["email"] },
            "additionalProperties": false,
        })
    }
}

/// Arguments of `test_elicitation`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ElicitationArgs {
    /// The message to show the user.
    pub message: String,
}

/// The conformance fixtures.
#[derive(Debug, Default)]
pub struct Conformance {
    /// Tells subscribers that `test://watched-resource` changed.
    changes: ResourceChanges,
    /// The version of `test://watched-resource`.
    watched_version: AtomicU64,
}

/// Fixtures for the official MCP conformance suite: every content type, logging, progress,
/// sampling, elicitation, input-required results and errors.
#[mcp_server(
    id = 9000,
    // A fixture: served only where asked for (`--server conformance`), never by default.
    availability = "manual",
    name = "conformance",
    parts(input, stateless, tasks),
    changes = "changes"
)]
impl Conformance {
    /// Return a simple text.
    #[tool(stake = "never_ask")]
    async fn test_simple_text(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text(
            "This is a simple text response for testing.",
        ))
    }

    /// Return a 1×1 PNG image.
    #[tool(stake = "never_ask")]
    async fn test_image_content(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::new().with_image(PIXEL_PNG, "image/png"))
    }

    /// Return a short WAV audio clip.
    #[tool(stake = "never_ask")]
    async fn test_audio_content(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::new().with_audio(SILENCE_WAV, "audio/wav"))
    }

    /// Return an embedded text resource.
    #[tool(stake = "never_ask")]
    async fn test_embedded_resource(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::new().with_resource(ResourceContents::text(
            "test://embedded-resource",
            "text/plain",
            "This is an embedded resource content.",
        )))
    }

    /// Return text, an image and an embedded resource together.
    #[tool(stake = "never_ask")]
    async fn test_multiple_content_types(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("Multiple content types test:")
            .with_image(PIXEL_PNG, "image/png")
            .with_resource(ResourceContents::text(
                "test://mixed-content-resource",
                "application/json",
                r#"{"test":"data","value":123}"#,
            )))
    }

    /// Send three log messages while running.
    #[tool(stake = "never_ask")]
    async fn test_tool_with_logging(&self, ctx: &ToolContext) -> ToolResult {
        for message in [
            "Tool execution started",
            "Tool processing data",
            "Tool execution completed",
        ] {
            ctx.log(LogLevel::Info, message);
            tokio::time::sleep(NOTIFICATION_GAP).await;
        }
        Ok(ToolOutput::text("Tool with logging executed successfully"))
    }

    /// Report progress three times while running.
    #[tool(stake = "never_ask")]
    async fn test_tool_with_progress(&self, ctx: &ToolContext) -> ToolResult {
        for step in [0.0, 50.0, 100.0] {
            ctx.progress(step, Some(100.0), Some(&format!("Completed step {step}")));
            tokio::time::sleep(NOTIFICATION_GAP).await;
        }
        Ok(ToolOutput::text("Tool with progress executed successfully"))
    }

    /// Ask the client's model to answer a prompt.
    #[tool(stake = "never_ask")]
    async fn test_sampling(&self, ctx: &ToolContext, args: SamplingArgs) -> ToolResult {
        let result = ctx
            .create_message(json!({
                "messages": [{ "role": "user", "content": { "type": "text", "text": args.prompt } }],
                "maxTokens": 100,
            }))
            .await?;
        let text = result["content"]["text"].as_str().unwrap_or_default();
        Ok(ToolOutput::text(format!("LLM response: {text}")))
    }

    /// Ask the user for a username and an email address.
    #[tool(stake = "never_ask")]
    async fn test_elicitation(&self, ctx: &ToolContext, args: ElicitationArgs) -> ToolResult {
        let schema = json!({
            "type": "object",
            "properties": {
                "username": { "type": "string", "description": "User's response" },
                "email": { "type": "string", "description": "User's email address" },
            },
            "required": ["username", "email"],
        });
        let result = ctx.elicit(&args.message, schema).await?;
        Ok(ToolOutput::text(user_response(&result)))
    }

    /// Ask the user for input with a default for every primitive type (SEP-1034).
    #[tool(stake = "never_ask")]
    async fn test_elicitation_sep1034_defaults(&self, ctx: &ToolContext) -> ToolResult {
        let schema = json!({
            "type": "object",
            "properties": {
                "name": { "type": "string", "description": "User name", "default": "John Doe" },
                "age": { "type": "integer", "description": "User age", "default": 30 },
                "score": { "type": "number", "description": "User score", "default": 95.5 },
                "status": {
                    "type": "string",
                    "description": "User status",
                    "enum": ["active", "inactive", "pending"],
                    "default": "active",
                },
                "verified": { "type": "boolean", "description": "Verification status", "default": true },
            },
        });
        let result = ctx
            .elicit(
                "Please review and update the form fields with defaults",
                schema,
            )
            .await?;
        Ok(ToolOutput::text(user_response(&result)))
    }

    /// Ask the user to choose, with every enum shape of SEP-1330.
    #[tool(stake = "never_ask")]
    async fn test_elicitation_sep1330_enums(&self, ctx: &ToolContext) -> ToolResult {
        let schema = json!({
            "type": "object",
            "properties": {
                "untitledSingle": {
                    "type": "string",
                    "enum": ["option1", "option2", "option3"],
                },
                "titledSingle": {
                    "type": "string",
                    "oneOf": [
                        { "const": "value1", "title": "First Option" },
                        { "const": "value2", "title": "Second Option" },
                        { "const": "value3", "title": "Third Option" },
                    ],
                },
                "legacyEnum": {
                    "type": "string",
                    "enum": ["opt1", "opt2", "opt3"],
                    "enumNames": ["Option One", "Option Two", "Option Three"],
                },
                "untitledMulti": {
                    "type": "array",
                    "items": { "type": "string", "enum": ["option1", "option2", "option3"] },
                },
                "titledMulti": {
                    "type": "array",
                    "items": {
                        "anyOf": [
                            { "const": "value1", "title": "First Choice" },
                            { "const": "value2", "title": "Second Choice" },
                            { "const": "value3", "title": "Third Choice" },
                        ],
                    },
                },
            },
        });
        let result = ctx
            .elicit("Please select options from the enum fields", schema)
            .await?;
        Ok(ToolOutput::text(user_response(&result)))
    }

    /// A static text resource.
    #[resource(uri = "test://static-text", mime_type = "text/plain")]
    async fn static_text(&self) -> ResourceResult {
        Ok(ResourceOutput::text(
            "text/plain",
            "This is the content of the static text resource.",
        ))
    }

    /// A static binary resource: a 1×1 PNG.
    #[resource(uri = "test://static-binary", mime_type = "image/png")]
    async fn static_binary(&self) -> ResourceResult {
        Ok(ResourceOutput::blob("image/png", PIXEL_PNG))
    }

    /// A resource that changes with each call of `test_update_watched_resource`: its subscribers
    /// are told.
    #[resource(uri = "test://watched-resource", mime_type = "text/plain")]
    async fn watched_resource(&self) -> ResourceResult {
        let version = self.watched_version.load(Ordering::SeqCst);
        Ok(ResourceOutput::text(
            "text/plain",
            format!("Watched resource, version {version}"),
        ))
    }

    /// Change `test://watched-resource`: its subscribers hear of it.
    #[tool(stake = "never_ask", read_only = false, idempotent = false)]
    async fn test_update_watched_resource(&self) -> ToolResult {
        let version = self.watched_version.fetch_add(1, Ordering::SeqCst) + 1;
        self.changes.updated("test://watched-resource");
        Ok(ToolOutput::text(format!(
            "test://watched-resource is now at version {version}"
        )))
    }

    /// Data for an id, from a template.
    #[resource_template(
        uri = "test://template/{id}/data",
        mime_type = "application/json",
        complete(id = complete_id)
    )]
    async fn template_data(&self, id: String) -> ResourceResult {
        let data = json!({ "id": id, "templateTest": true, "data": format!("Data for ID: {id}") });
        Ok(ResourceOutput::text("application/json", data.to_string()))
    }

    /// Ids starting as typed.
    async fn complete_id(&self, _ctx: &ToolContext, value: &str) -> Result<Vec<String>, McpError> {
        Ok(["123", "124", "200"]
            .into_iter()
            .filter(|id| id.starts_with(value))
            .map(str::to_owned)
            .collect())
    }

    /// A simple prompt without arguments.
    #[prompt]
    async fn test_simple_prompt(&self) -> PromptResult {
        Ok(PromptOutput::user("This is a simple prompt for testing."))
    }

    /// A prompt with two arguments.
    #[prompt(complete(arg1 = complete_arg1))]
    async fn test_prompt_with_arguments(
        &self,
        /// First test argument
        arg1: String,
        /// Second test argument
        arg2: String,
    ) -> PromptResult {
        Ok(PromptOutput::user(format!(
            "Prompt with arguments: arg1='{arg1}', arg2='{arg2}'"
        )))
    }

    /// Words starting as typed.
    async fn complete_arg1(
        &self,
        _ctx: &ToolContext,
        value: &str,
    ) -> Result<Vec<String>, McpError> {
        Ok(["paris", "park", "party"]
            .into_iter()
            .filter(|word| word.starts_with(value))
            .map(str::to_owned)
            .collect())
    }

    /// A prompt embedding a resource.
    #[prompt]
    #[allow(non_snake_case)] // the suite names the argument `resourceUri`
    async fn test_prompt_with_embedded_resource(
        &self,
        /// URI of the resource to embed
        resourceUri: String,
    ) -> PromptResult {
        Ok(PromptOutput::new()
            .with_user(Content::resource(ResourceContents::text(
                resourceUri,
                "text/plain",
                "Embedded resource content for testing.",
            )))
            .with_user(Content::text("Please process the embedded resource above.")))
    }

    /// A prompt that asks the user for its context first (an input-required result on
    /// 2026-07-28).
    #[prompt]
    async fn test_input_required_result_prompt(&self, ctx: &ToolContext) -> PromptResult {
        let schema = json!({
            "type": "object",
            "properties": { "context": { "type": "string" } },
            "required": ["context"],
        });
        let answer = ctx
            .input("user_context")
            .elicit("What context should the prompt use?", schema)
            .await?;
        let context = answer["content"]["context"]
            .as_str()
            .unwrap_or("none given");
        Ok(PromptOutput::user(format!("Use this context: {context}")))
    }

    /// A prompt with an image.
    #[prompt]
    async fn test_prompt_with_image(&self) -> PromptResult {
        Ok(PromptOutput::new()
            .with_user(Content::image(PIXEL_PNG, "image/png"))
            .with_user(Content::text("Please analyze the image above.")))
    }

    /// Tool with JSON Schema 2020-12 features.
    #[tool(stake = "never_ask", full_schema)]
    async fn json_schema_2020_12_tool(&self, args: Contact) -> ToolResult {
        let reach = match args.contact_method.as_deref() {
            Some("phone") => args.phone,
            _ => args.email.or(args.phone),
        };
        Ok(ToolOutput::text(format!(
            "{} at {}{}",
            args.name.as_deref().unwrap_or("someone"),
            reach.as_deref().unwrap_or("nowhere"),
            args.address
                .and_then(|address| address.city.or(address.street))
                .map_or(String::new(), |place| format!(", {place}"))
        )))
    }

    /// Fail on purpose, as a tool error the model can read.
    #[tool(stake = "never_ask")]
    async fn test_error_handling(&self, _ctx: &ToolContext) -> ToolResult {
        Err(McpError::new("This tool intentionally returns an error for testing").untracked())
    }
}

/// "User response: action=accept, content={...}", as the suite expects.
fn user_response(result: &Value) -> String {
    let action = result["action"].as_str().unwrap_or("unknown");
    match result.get("content") {
        Some(content) => format!("User response: action={action}, content={content}"),
        None => format!("User response: action={action}"),
    }
}
