//! Calls of the `Desk` server through an approval gate, as a given user and agent.

use std::sync::Arc;

use mcp_runtime::host::CallOptions;
use mcp_runtime::host::approval::{ApprovalGate, ApprovalRequest, Decision, MemoryStore};
use mcp_runtime::prelude::*;
use mcp_runtime::{CallError, RunIds};
use serde_json::Value;
use tests::desk::Desk;

pub fn gate() -> Arc<ApprovalGate> {
    Arc::new(ApprovalGate::new(MemoryStore::default()))
}

/// A user's call: the handler's context, and the host's options (the gate, an approval).
#[derive(Clone)]
pub struct Caller {
    pub ctx: ToolContext,
    pub options: CallOptions,
}

impl Caller {
    /// The call repeated with the approval the user gave.
    pub fn with_approval(self, approval_id: &str) -> Self {
        Caller {
            options: self.options.with_approval(approval_id),
            ..self
        }
    }
}

pub fn as_user(gate: &Arc<ApprovalGate>, user: &str, agent: Option<&str>) -> Caller {
    Caller {
        ctx: ToolContext::new().with_ids(RunIds {
            user_id: Some(user.to_owned()),
            agent_id: agent.map(str::to_owned),
            run_id: None,
        }),
        options: CallOptions::new().with_gate(gate.clone()),
    }
}

/// The text of a call that ran.
pub async fn ran(tool: &str, arguments: Value, caller: Caller) -> String {
    let result = Desk
        .call_tool_with(tool, arguments, caller.ctx, &caller.options)
        .await
        .expect("the call runs");
    assert!(!result.is_error, "{}", result.text());
    result.text()
}

/// The request of a call that was held.
pub async fn held(tool: &str, arguments: Value, caller: Caller) -> ApprovalRequest {
    match Desk
        .call_tool_with(tool, arguments, caller.ctx, &caller.options)
        .await
    {
        Err(CallError::ApprovalRequired(request)) => *request,
        other => panic!("expected the call to be held, got {other:?}"),
    }
}

/// The answer to the held call `id` (`None` if it is not held), failing the test when none comes
/// within seconds instead of hanging it.
pub async fn decision(gate: &ApprovalGate, id: &str) -> Option<Decision> {
    tokio::time::timeout(std::time::Duration::from_secs(5), gate.wait(id))
        .await
        .unwrap_or_else(|_| panic!("no decision on `{id}` within 5 s"))
}
