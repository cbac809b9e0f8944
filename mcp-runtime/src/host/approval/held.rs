//! Held calls shared by the replicas of a host: a call held on one, handed to its client, can
//! be answered through another. The first answer takes it; every later one finds nothing, so a
//! held call runs at most once whichever replica its retries reach.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::{ApprovalRequest, ApprovalScope, StoreError};
use crate::BoxFuture;

/// A held call as the replicas share it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldCall {
    /// What the user is asked.
    pub request: ApprovalRequest,
    /// What an "always" would remember.
    pub scope: ApprovalScope,
    /// SHA-256 of the call's arguments ([`arguments_digest`](super::arguments_digest)): an
    /// answer approves this call, not another.
    pub arguments: [u8; 32],
    /// When it is forgotten unanswered.
    pub expires_at: SystemTime,
    /// The agent that made it, if the host names agents: a page's decision is taken by the
    /// same agent's retry only.
    #[serde(default)]
    pub agent_id: Option<String>,
}

/// Where replicas share their held calls.
pub trait HeldStore: Send + Sync {
    /// Keeps `call` until it is taken or expires.
    fn hold<'a>(&'a self, call: &'a HeldCall) -> BoxFuture<'a, Result<(), StoreError>>;
    /// Takes the held call `id`: the first taker gets it; a later one, or one asking for a call
    /// that expired or never was, gets `None`.
    fn take<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<HeldCall>, StoreError>>;
}
