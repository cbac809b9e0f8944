//! Resources, resource templates, prompts and completions over MCP: listings built once per
//! handler from the server's metadata, reads and gets through the in-process path.

use rmcp::ErrorData;
use rmcp::model::{
    CompleteRequestParams, CompleteResult, GetPromptRequestParams, GetPromptResult, Prompt,
    ReadResourceRequestParams, ReadResourceResult, Reference, Resource, ResourceTemplate,
};
use serde_json::{Map, Value, json};

use std::sync::Arc;

use rmcp::model::{ClientCapabilities, GetPromptResponse};

use super::super::input::InputRound;
use super::super::state::{self, Binding, CallState};
use super::{McpHandler, rounds, through_serde};
use crate::host::approval::LOCAL_USER;
use crate::{CompletionTarget, ErrorKind, OfferError, PromptOutput, ServerMetadata, ToolContext};

/// The listings of a server's offers, in MCP's types.
#[derive(Debug, Default)]
pub(super) struct Offers {
    pub resources: Vec<Resource>,
    pub templates: Vec<ResourceTemplate>,
    pub prompts: Vec<Prompt>,
}

impl Offers {
    pub(super) fn of(metadata: &ServerMetadata) -> Self {
        Offers {
            resources: metadata
                .resources
                .iter()
                .map(|r| listed(json!(r)))
                .collect(),
            templates: metadata
                .resource_templates
                .iter()
                .map(|t| listed(json!(t)))
                .collect(),
            prompts: metadata.prompts.iter().map(|p| listed(json!(p))).collect(),
        }
    }

    /// Whether the server offers completions: it has something with arguments.
    pub(super) fn completes(&self) -> bool {
        !self.templates.is_empty() || !self.prompts.is_empty()
    }
}

/// Our metadata in MCP's listing type: it serializes in MCP's shapes.
fn listed<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("offers are MCP's shapes")
}

/// A prompt's messages as MCP's result, or its failure as a JSON-RPC error.
fn prompt_result(got: Result<PromptOutput, OfferError>) -> Result<GetPromptResult, ErrorData> {
    let output = got.map_err(protocol_error)?;
    let mut result = json!({ "resultType": "complete", "messages": output.messages });
    if let Some(description) = output.description {
        result["description"] = json!(description);
    }
    through_serde(&result)
}

/// A failed read, get or completion as a JSON-RPC error.
fn protocol_error(error: OfferError) -> ErrorData {
    match error {
        // SEP-2164: not found is invalid params, naming the URI.
        OfferError::UnknownResource { uri } => {
            ErrorData::invalid_params("Resource not found", Some(json!({ "uri": uri })))
        }
        OfferError::UnknownPrompt { name } => {
            ErrorData::invalid_params(format!("unknown prompt `{name}`"), None)
        }
        OfferError::Failed(error) if matches!(error.kind(), ErrorKind::InvalidArguments) => {
            ErrorData::invalid_params(error.message().to_owned(), None)
        }
        OfferError::Failed(error)
            if let ErrorKind::MissingClientCapability { capability } = error.kind()
                && let Some(missing) = rounds::missing_capability_error(capability) =>
        {
            missing
        }
        other => ErrorData::internal_error(other.to_string(), None),
    }
}

impl McpHandler {
    pub(super) async fn read(
        &self,
        request: ReadResourceRequestParams,
        ctx: ToolContext,
    ) -> Result<ReadResourceResult, ErrorData> {
        let contents = match self.server.read_resource(&request.uri, ctx).await {
            Ok(contents) => contents,
            // What the URI names does not exist (an unknown table, a missing file): not found.
            Err(OfferError::Failed(error)) if matches!(error.kind(), ErrorKind::NotFound) => {
                return Err(ErrorData::invalid_params(
                    format!("Resource not found: {}", error.message()),
                    Some(json!({ "uri": request.uri })),
                ));
            }
            Err(error) => return Err(protocol_error(error)),
        };
        through_serde(&json!({ "resultType": "complete", "contents": [contents] }))
    }

    /// A prompt, whose handler may ask its client (see `input`): on 2026-07-28 (`rounds` holds
    /// what the request declared it can answer) a question ends the round with an input-required
    /// result, and the retry gets the prompt again with the answers.
    pub(super) async fn prompt(
        &self,
        request: GetPromptRequestParams,
        ctx: ToolContext,
        rounds: Option<Option<ClientCapabilities>>,
    ) -> Result<GetPromptResponse, ErrorData> {
        let arguments: Map<String, Value> = request
            .arguments
            .clone()
            .unwrap_or_default()
            .into_iter()
            .collect();
        let Some(client) = rounds else {
            let got = self.server.get_prompt(&request.name, &arguments, ctx).await;
            return prompt_result(got).map(GetPromptResponse::Complete);
        };
        let user_id = ctx
            .ids()
            .user_id
            .clone()
            .unwrap_or_else(|| LOCAL_USER.to_owned());
        // Bound to the prompt, apart from a tool of the same name.
        let bound_name = format!("prompt:{}", request.name);
        let bound_arguments = Value::Object(arguments.clone());
        let call = Binding {
            user_id: &user_id,
            server: self.server.metadata().name,
            tool: &bound_name,
            arguments: &bound_arguments,
        };
        let earlier = match request.request_state.as_deref() {
            Some(sealed) => state::open(&self.request_state, sealed, &call)
                .map_err(|_| rounds::foreign_state(&request.name))?,
            None => CallState::default(),
        };
        let round = Arc::new(InputRound::new(
            earlier.answers,
            request.input_responses,
            client,
        ));
        let ctx = ctx.with_client(round.clone());
        tokio::select! {
            biased;
            got = self.server.get_prompt(&request.name, &arguments, ctx) => {
                prompt_result(got).map(GetPromptResponse::Complete)
            }
            () = round.asked() => {
                let (questions, answers) = round.finish();
                let next = CallState { answers, ..CallState::default() };
                self.sealed_input_required(questions, &next, &call)
                    .map(GetPromptResponse::InputRequired)
            }
        }
    }

    pub(super) async fn completion(
        &self,
        request: CompleteRequestParams,
        ctx: ToolContext,
    ) -> Result<CompleteResult, ErrorData> {
        let target = match &request.r#ref {
            Reference::Prompt(prompt) => CompletionTarget::Prompt(&prompt.name),
            Reference::Resource(resource) => CompletionTarget::ResourceTemplate(&resource.uri),
            _ => return Err(ErrorData::invalid_params("unknown kind of reference", None)),
        };
        let values = self
            .server
            .complete(target, &request.argument.name, &request.argument.value, ctx)
            .await
            .map_err(protocol_error)?;
        through_serde(&json!({
            "resultType": "complete",
            "completion": { "values": values, "hasMore": false },
        }))
    }
}
