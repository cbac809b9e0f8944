//! Requests from a tool to the client of a 2025-11-25 session: sampling, elicitation and roots
//! through rmcp's peer (2026-07-28 asks through input-required results: see `input`).
//!
//! Sampling is deprecated by 2026-07-28 (input-required results replace server requests) but
//! part of 2025-11-25, which clients still speak; rmcp marks it deprecated, hence the `allow`.
#![allow(deprecated)]

use rmcp::model::{CreateMessageRequestParams, ElicitRequestParams};
use rmcp::service::{Peer, RoleServer};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::host::ClientRequests;
use crate::{BoxFuture, McpError};

/// The client of one call.
pub(super) struct PeerClient(pub(super) Peer<RoleServer>);

pub(super) fn decode<T: DeserializeOwned>(method: &str, params: Value) -> Result<T, McpError> {
    serde_json::from_value(params)
        .map_err(|error| McpError::new(format!("invalid `{method}` parameters: {error}")))
}

pub(super) fn encode(result: impl Serialize) -> Result<Value, McpError> {
    serde_json::to_value(result).map_err(|error| McpError::new(error.to_string()))
}

impl ClientRequests for PeerClient {
    fn request<'a>(
        &'a self,
        // A session sends every request as it comes: there is nothing to name.
        _key: Option<&'a str>,
        method: &'a str,
        params: Value,
    ) -> BoxFuture<'a, Result<Value, McpError>> {
        Box::pin(async move {
            let failed = |error: rmcp::service::ServiceError| {
                McpError::new(format!("the client did not answer `{method}`: {error}"))
            };
            match method {
                "sampling/createMessage" => {
                    let params: CreateMessageRequestParams = decode(method, params)?;
                    // Deprecated by 2026-07-28 (input-required results replace it), still 2025-11-25.
                    #[allow(deprecated)]
                    let result = self.0.create_message(params).await.map_err(failed)?;
                    encode(result)
                }
                "elicitation/create" => {
                    let params: ElicitRequestParams = decode(method, params)?;
                    let result = self.0.create_elicitation(params).await.map_err(failed)?;
                    encode(result)
                }
                "roots/list" => encode(self.0.list_roots().await.map_err(failed)?),
                other => Err(McpError::new(format!(
                    "requests of `{other}` to the client are not supported"
                ))),
            }
        })
    }
}
