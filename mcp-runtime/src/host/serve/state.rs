//! The request state of a 2026-07-28 call: what the server needs to resume a call the client
//! retries (the held call's approval, the answers given in earlier rounds), which the client
//! echoes back. It is sealed (HMAC-SHA256, rmcp's codec) and bound to the call's user, server,
//! tool and arguments, and it expires: a state forged, altered, brought back with another call
//! or by another user, or too old, does not open.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use rmcp::model::{RequestStateCodec, RequestStateError, SealOptions};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::host::approval::{HELD_TTL, arguments_digest};

/// What a request state seals.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct CallState {
    /// The held call whose approval is asked for, or (`approved`) was given in an earlier round
    /// and covers this call until it completes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub approved: bool,
    /// The answers the handler was given in earlier rounds, by input key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, Value>,
}

/// The call a request state is bound to.
pub(super) struct Binding<'a> {
    pub user_id: &'a str,
    pub server: &'a str,
    pub tool: &'a str,
    pub arguments: &'a Value,
}

impl Binding<'_> {
    /// The associated data the state is sealed with: user, server, tool and a digest of the
    /// arguments, each delimited (names cannot hold a NUL).
    fn associated_data(&self) -> Vec<u8> {
        let digest: String = arguments_digest(self.arguments)
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        format!("{}\0{}\0{}\0{digest}", self.user_id, self.server, self.tool).into_bytes()
    }
}

/// `state` sealed for `call`, valid as long as a held call waits for its answer.
pub(super) fn seal(
    codec: &RequestStateCodec,
    state: &CallState,
    call: &Binding<'_>,
) -> Option<String> {
    let associated = call.associated_data();
    let options = SealOptions::new()
        .associated_data(&associated)
        .ttl(HELD_TTL);
    codec.seal_json_with(state, &options).ok()
}

/// The state `sealed` holds, if it was sealed for `call` and has not expired.
pub(super) fn open(
    codec: &RequestStateCodec,
    sealed: &str,
    call: &Binding<'_>,
) -> Result<CallState, RequestStateError> {
    codec.open_json_with(sealed, &call.associated_data())
}

/// The codec of a host whose replicas share no keys: a random key of this process's own.
pub(super) fn process_codec() -> Arc<RequestStateCodec> {
    static CODEC: OnceLock<Arc<RequestStateCodec>> = OnceLock::new();
    CODEC
        .get_or_init(|| {
            let mut key = [0u8; 32];
            getrandom::fill(&mut key).expect("the system's random source");
            Arc::new(RequestStateCodec::try_new(key).expect("a 32-byte key"))
        })
        .clone()
}
