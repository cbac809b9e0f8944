//! The input-required fixtures of 2026-07-28 (SEP-2322): tools that ask the client (elicitation,
//! sampling, roots) before they answer. On 2025-11-25 the same handlers send requests.

use mcp_runtime::prelude::*;
use serde_json::{Value, json};

use super::Conformance;

/// A form asking for one string property.
fn form(property: &str) -> Value {
    json!({
        "type": "object",
        "properties": { property: { "type": "string" } },
        "required": [property],
    })
}

/// A sampling request of one user message.
fn sampling(text: &str, max_tokens: u32) -> Value {
    json!({
        "messages": [{ "role": "user", "content": { "type": "text", "text": text } }],
        "maxTokens": max_tokens,
    })
}

/// The accepted value of `field` in an elicitation result, or what the user did instead.
fn accepted(result: &Value, field: &str) -> Result<String, McpError> {
    if result["action"] != "accept" {
        return Err(McpError::new(format!(
            "the user did not answer (action: {})",
            result["action"]
        ))
        .untracked());
    }
    Ok(match &result["content"][field] {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    })
}

/// The text of a sampling result.
fn sampled(result: &Value) -> &str {
    result["content"]["text"].as_str().unwrap_or_default()
}

/// The URIs of a `roots/list` result.
fn roots(result: &Value) -> String {
    result["roots"]
        .as_array()
        .map(|roots| {
            roots
                .iter()
                .filter_map(|root| root["uri"].as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

#[mcp_tools]
impl Conformance {
    /// Ask the user's name, then greet them.
    #[tool(stake = "never_ask")]
    async fn test_input_required_result_elicitation(&self, ctx: &ToolContext) -> ToolResult {
        let answer = ctx
            .input("user_name")
            .elicit("What is your name?", form("name"))
            .await?;
        Ok(ToolOutput::text(format!(
            "Hello, {}!",
            accepted(&answer, "name")?
        )))
    }

    /// Ask the client's model a question and return its answer.
    #[tool(stake = "never_ask")]
    async fn test_input_required_result_sampling(&self, ctx: &ToolContext) -> ToolResult {
        let answer = ctx
            .input("capital_question")
            .create_message(sampling("What is the capital of France?", 100))
            .await?;
        Ok(ToolOutput::text(format!(
            "Model answer: {}",
            sampled(&answer)
        )))
    }

    /// Ask the client for its roots and name them.
    #[tool(stake = "never_ask")]
    async fn test_input_required_result_list_roots(&self, ctx: &ToolContext) -> ToolResult {
        let answer = ctx.input("client_roots").list_roots().await?;
        Ok(ToolOutput::text(format!(
            "Client roots: {}",
            roots(&answer)
        )))
    }

    /// Ask for a confirmation; the answer comes back with the sealed request state, which the
    /// host opened (a state that does not open never reaches the handler).
    #[tool(stake = "never_ask")]
    async fn test_input_required_result_request_state(&self, ctx: &ToolContext) -> ToolResult {
        let schema = json!({
            "type": "object",
            "properties": { "ok": { "type": "boolean" } },
            "required": ["ok"],
        });
        let answer = ctx
            .input("confirm")
            .elicit("Please confirm", schema)
            .await?;
        Ok(ToolOutput::text(format!(
            "state-ok: confirmed {}",
            accepted(&answer, "ok")?
        )))
    }

    /// Ask three things at once: a name, a greeting from the model, the client's roots.
    #[tool(stake = "never_ask")]
    async fn test_input_required_result_multiple_inputs(&self, ctx: &ToolContext) -> ToolResult {
        let (name, greeting, client_roots) = tokio::try_join!(
            ctx.input("user_name")
                .elicit("What is your name?", form("name")),
            ctx.input("greeting")
                .create_message(sampling("Generate a greeting", 50)),
            ctx.input("client_roots").list_roots(),
        )?;
        Ok(ToolOutput::text(format!(
            "{} {}! Roots: {}",
            sampled(&greeting),
            accepted(&name, "name")?,
            roots(&client_roots)
        )))
    }

    /// Ask two questions, the second after the first is answered.
    #[tool(stake = "never_ask")]
    async fn test_input_required_result_multi_round(&self, ctx: &ToolContext) -> ToolResult {
        let name = ctx
            .input("step1")
            .elicit("Step 1: What is your name?", form("name"))
            .await?;
        let name = accepted(&name, "name")?;
        let color = ctx
            .input("step2")
            .elicit("Step 2: What is your favorite color?", form("color"))
            .await?;
        Ok(ToolOutput::text(format!(
            "{name} likes {}",
            accepted(&color, "color")?
        )))
    }

    /// Ask for a name; an altered request state is refused before this runs again.
    #[tool(stake = "never_ask")]
    async fn test_input_required_result_tampered_state(&self, ctx: &ToolContext) -> ToolResult {
        self.test_input_required_result_elicitation(ctx).await
    }

    /// Ask the model for a greeting and the user for their name, together: a client that
    /// declared only sampling is asked only that (the framework refuses the elicitation).
    #[tool(stake = "never_ask")]
    async fn test_input_required_result_capabilities(&self, ctx: &ToolContext) -> ToolResult {
        let (greeting, name) = tokio::join!(
            ctx.input("greeting")
                .create_message(sampling("Generate a greeting", 50)),
            ctx.input("user_name")
                .elicit("What is your name?", form("name")),
        );
        let name = match name {
            Ok(answer) => accepted(&answer, "name")?,
            Err(error) => format!("(not asked: {})", error.message()),
        };
        Ok(ToolOutput::text(format!("{} {name}", sampled(&greeting?))))
    }
}
