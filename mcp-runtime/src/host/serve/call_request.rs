//! A `tools/call` request read into its parameters alone. rmcp reads every message through
//! untagged enums, which buffer and clone it; a transport that only needs to know it holds a
//! well-formed call (and which tool it names) reads it this way instead. A message that reads as
//! this type reads as rmcp's `CallToolRequest` too.

use rmcp::model::{CallToolRequestMethod, CallToolRequestParams, JsonRpcVersion2_0, RequestId};
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
