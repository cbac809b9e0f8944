//! Resources, resource templates, prompts and completions over MCP: listings built once per
//! handler from the server's metadata, reads and gets through the in-process path.

use rmcp::ErrorData;
use rmcp::model::{
    CompleteRequestParams, CompleteResult, GetPromptRequestParams, GetPromptResult, Prompt,
    ReadResourceRequestParams, ReadResourceResult, Reference, Resource, ResourceTemplate,
};
use serde_json::{Map, Value, json};

use super::{McpHandler, through_serde};
use crate::{CompletionTarget, ErrorKind, OfferError, ServerMetadata, ToolContext};

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

    pub(super) async fn prompt(
        &self,
        request: GetPromptRequestParams,
        ctx: ToolContext,
    ) -> Result<GetPromptResult, ErrorData> {
        let arguments: Map<String, Value> =
            request.arguments.unwrap_or_default().into_iter().collect();
        let output = self
            .server
            .get_prompt(&request.name, &arguments, ctx)
            .await
            .map_err(protocol_error)?;
        let mut result = json!({ "resultType": "complete", "messages": output.messages });
        if let Some(description) = output.description {
            result["description"] = json!(description);
        }
        through_serde(&result)
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
