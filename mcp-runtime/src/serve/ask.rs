//! Approval over MCP: a held call is put to the client's user as an elicitation (approve once,
//! always, or reject); a client that cannot be asked gets an error saying how to approve. A
//! held call never runs silently.

use serde_json::{Value, json};

use crate::approval::{ApprovalGate, ApprovalRequest, Decision};
use crate::{CallToolResult, ErrorKind, McpError, ToolContext, error_result};

/// Asks the user through the client; `Ok` when the call may now run with its approval, else
/// the result to answer with.
pub(super) async fn approve(
    gate: &ApprovalGate,
    request: &ApprovalRequest,
    ctx: &ToolContext,
    client_can_elicit: bool,
) -> Result<(), CallToolResult> {
    if !client_can_elicit {
        return Err(refused(
            request,
            format!(
                "`{}` has stake `{}` and needs its user's approval ({}), but this client cannot ask \
                 its user (it does not support elicitation). Approve it in the server's \
                 configuration (a stake override for this tool), or call it from a client that asks.",
                request.tool, request.stake, request.label
            ),
        ));
    }
    let answer = ctx
        .elicit(&question(request), decision_schema(request))
        .await;
    let decision = match &answer {
        Ok(answer) if answer["action"] == "accept" => {
            serde_json::from_value(answer["content"]["decision"].clone())
                .unwrap_or(Decision::Reject)
        }
        // Declined, cancelled, or the client failed to ask: the call does not run.
        _ => Decision::Reject,
    };
    if let Err(error) = gate.resolve(&request.id, &request.user_id, decision) {
        return Err(refused(
            request,
            format!("the approval could not be recorded: {error}"),
        ));
    }
    match (decision, answer) {
        (Decision::Reject, Err(error)) => Err(refused(
            request,
            format!(
                "the user could not be asked to approve `{}`: {error}",
                request.tool
            ),
        )),
        (Decision::Reject, Ok(_)) => Err(refused(
            request,
            format!(
                "the user did not approve `{}` ({})",
                request.tool, request.label
            ),
        )),
        _ => Ok(()),
    }
}

fn question(request: &ApprovalRequest) -> String {
    format!(
        "Approve: {}? (`{}` on `{}`, stake `{}`)",
        request.label, request.tool, request.server, request.stake
    )
}

/// One required choice; "always" only where it would be remembered.
fn decision_schema(request: &ApprovalRequest) -> Value {
    let mut choices = vec!["once"];
    if request.rememberable {
        choices.push("always");
    }
    choices.push("reject");
    json!({
        "type": "object",
        "properties": {
            "decision": {
                "type": "string",
                "title": "Decision",
                "description": "Run it once, always allow it, or reject it.",
                "enum": choices,
            }
        },
        "required": ["decision"],
    })
}

fn refused(request: &ApprovalRequest, message: String) -> CallToolResult {
    let error = McpError::of_kind(
        ErrorKind::ApprovalRequired {
            stake: request.stake,
        },
        message,
    );
    error_result(&error)
}
