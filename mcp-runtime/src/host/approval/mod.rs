//! The approval gate: stakes enforced before a handler runs, with Dust's semantics.
//!
//! `never_ask` runs; `low` needs an approval, remembered on "always" per user × server × tool;
//! `medium` remembered per user × server × tool × agent × the values of the tool's
//! `approval_args`; `high` asks every time and is never remembered. A call that needs an
//! approval ends with [`CallError::ApprovalRequired`](crate::CallError::ApprovalRequired); the
//! host asks the user, [resolves](ApprovalGate::resolve) it, and calls again with the approval
//! ([`CallOptions::with_approval`](crate::host::CallOptions::with_approval)).

mod audit;
mod gate;
mod held;
mod pages;
mod scope;
mod store;

pub use audit::{AuditEvent, AuditOutcome, AuditSink, TracingAudit};
pub use gate::{
    ApprovalError, ApprovalGate, HELD_IN_ALL, HELD_PER_USER, HELD_TTL, NotAdmitted, StakeCallback,
    arguments_digest,
};
pub use held::{HeldCall, HeldStore};
pub use pages::{ApprovalPages, PageAnswer};
pub use scope::{ApprovalScope, ApprovalValue, LOCAL_USER, approval_values, label};
pub use store::{ApprovalStore, MemoryStore, StoreError};

use crate::Stake;

/// The user's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Run this call.
    Once,
    /// Run this call and remember the approval (for `low` and `medium`; `high` is asked again).
    Always,
    /// Do not run it.
    Reject,
}

/// A call waiting for the user's approval.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ApprovalRequest {
    /// What the host resolves and presents again with the approved call.
    pub id: String,
    /// The server's name.
    pub server: String,
    /// The tool's name.
    pub tool: String,
    /// The effective stake.
    pub stake: Stake,
    /// What the user is asked, e.g. `Post message (channel: #team)`.
    pub label: String,
    /// The only user who may approve it.
    pub user_id: String,
    /// Whether "always" would be remembered (not for `high`, nor `medium` without an agent).
    pub rememberable: bool,
}
