//! The tools a handler lists: in rmcp's type, and as each revision's `tools/list` result
//! serialized once, so that answering a listing writes bytes. Each is made on first use (not
//! at start: a server that is never listed never builds its catalog) and shared by every
//! session.

use std::sync::OnceLock;

use rmcp::model::{ListToolsResult, RequestId, ServerResult, Tool};

use super::McpHandler;

#[derive(Default)]
pub(super) struct Listing {
    tools: OnceLock<Box<[Tool]>>,
    /// The 2025-11-25 result.
    legacy: OnceLock<Vec<u8>>,
    /// The 2026-07-28 result, with its `resultType` and caching hints.
    current: OnceLock<Vec<u8>>,
}

impl McpHandler {
    /// The tools listed.
    pub(in super::super) fn listed_tools(&self) -> &[Tool] {
        self.listing
            .tools
            .get_or_init(|| super::listing(&self.server, &self.options))
    }

    /// The JSON-RPC response answering `tools/list` request `id`, on 2026-07-28 (`current`) or
    /// 2025-11-25, as rmcp would write it.
    pub(in super::super) fn listing_answer(&self, id: &RequestId, current: bool) -> Vec<u8> {
        let (cell, legacy) = match current {
            true => (&self.listing.current, false),
            false => (&self.listing.legacy, true),
        };
        let result = cell.get_or_init(|| {
            let tools = self.listed_tools().to_vec();
            let mut result = ServerResult::ListToolsResult(ListToolsResult::with_all_items(tools));
            if legacy {
                result.strip_result_type_for_legacy_peer();
            } else {
                result.fill_missing_cache_hints();
            }
            serde_json::to_vec(&result).expect("a listing serializes")
        });
        let mut answer = Vec::with_capacity(result.len() + 48);
        answer.extend_from_slice(br#"{"jsonrpc":"2.0","id":"#);
        serde_json::to_writer(&mut answer, id).expect("an id serializes");
        answer.extend_from_slice(br#","result":"#);
        answer.extend_from_slice(result);
        answer.push(b'}');
        answer
    }
}
