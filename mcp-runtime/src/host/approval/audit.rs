//! Every decision of the gate is an audit event.

use serde::{Deserialize, Serialize};

use crate::Stake;

/// What the gate decided about a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    /// `never_ask`: ran without asking.
    AllowedImplicitly,
    /// Ran under an approval remembered earlier.
    AllowedByMemory,
    /// The user must approve; the call was held.
    ApprovalRequested,
    /// The user approved this call.
    ApprovedOnce,
    /// The user approved and the approval was remembered.
    ApprovedAlways,
    /// The user rejected the call.
    Rejected,
    /// An approved call ran, consuming its approval.
    RanWithApproval,
    /// Someone other than the call's user tried to answer.
    RefusedWrongUser,
    /// The user revoked an approval remembered earlier.
    Revoked,
}

/// One decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEvent {
    /// The decision.
    pub outcome: AuditOutcome,
    /// The server's name.
    pub server: String,
    /// The tool's name.
    pub tool: String,
    /// The effective stake.
    pub stake: Stake,
    /// The user the call ran for, or who answered.
    pub user_id: String,
    /// The approval, when there is one.
    pub approval_id: Option<String>,
}

/// Where audit events go.
pub trait AuditSink: Send + Sync {
    /// Records `event`.
    fn record(&self, event: &AuditEvent);
}

/// Audit events as `tracing` events on the `mcp_runtime::audit` target.
#[derive(Debug, Default, Clone, Copy)]
pub struct TracingAudit;

impl AuditSink for TracingAudit {
    fn record(&self, event: &AuditEvent) {
        tracing::info!(
            target: "mcp_runtime::audit",
            outcome = ?event.outcome,
            server = %event.server,
            tool = %event.tool,
            stake = %event.stake,
            user_id = %event.user_id,
            approval_id = event.approval_id.as_deref(),
            "tool approval"
        );
    }
}
