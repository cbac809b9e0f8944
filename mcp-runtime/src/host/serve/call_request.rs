//! A `tools/call` request read into its parameters alone. rmcp reads every message through
//! untagged enums, which buffer and clone it; a transport that only needs to know it holds a
//! well-formed call (and which tool it names) reads it this way instead. A message that reads as
//! this type reads as rmcp's `CallToolRequest` too.

use rmcp::ErrorData;
use rmcp::model::{
    CallToolRequestMethod, CallToolRequestParams, CallToolResponse, JsonRpcVersion2_0, RequestId,
    ServerJsonRpcMessage, ServerResult,
};
use serde::Deserialize;

/// A well-formed `tools/call` request.
#[derive(Deserialize)]
pub(super) struct CallRequest {
    #[serde(rename = "jsonrpc")]
    _version: JsonRpcVersion2_0,
    pub(super) id: RequestId,
    #[serde(rename = "method")]
    _method: CallToolRequestMethod,
    pub(super) params: CallToolRequestParams,
}

/// The `_meta` key by which a request speaks a revision of its own (2026-07-28's way).
pub(super) const INLINE_VERSION: &str = "io.modelcontextprotocol/protocolVersion";

impl CallRequest {
    /// Whether the call states a protocol revision of its own in its `_meta` (2026-07-28's
    /// way), rather than speaking its session's.
    pub(super) fn speaks_own_revision(&self) -> bool {
        let meta = self.params.meta.as_ref();
        meta.is_some_and(|meta| meta.contains_key(INLINE_VERSION))
    }
}

/// Room for a typical answer, so that writing one does not grow its buffer step by step.
pub(super) const ANSWER_CAPACITY: usize = 1024;

/// The JSON-RPC response answering call `id` of a 2025-11-25 session with `answer`, as rmcp
/// writes it for such a session.
pub(super) fn legacy_answer(answer: Result<CallToolResponse, ErrorData>, id: RequestId) -> Vec<u8> {
    let message = match answer {
        Ok(response) => {
            let mut result = ServerResult::from(response);
            result.strip_result_type_for_legacy_peer();
            result.strip_non_object_output_for_legacy_peer();
            ServerJsonRpcMessage::response(result, id)
        }
        Err(error) => ServerJsonRpcMessage::error(error, Some(id)),
    };
    let mut line = Vec::with_capacity(ANSWER_CAPACITY);
    serde_json::to_writer(&mut line, &message).expect("JSON-RPC messages serialize");
    line
}
