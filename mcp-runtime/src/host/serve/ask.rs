//! Approval over MCP: a held call is put to the client's user as an elicitation (approve once,
//! always, or reject): sent as a request on 2025-11-25 sessions, returned as an input-required
//! result on 2026-07-28 (the client answers by calling again). A client that cannot be asked
//! gets an error saying how to approve. A held call never runs silently.
//!
//! On 2026-07-28 the client echoes back a request state naming the held call (see `state`).

use rmcp::model::{InputRequest, InputResponses, RequestStateError};
use serde_json::{Value, json};

use crate::host::approval::{ApprovalGate, ApprovalRequest, Decision};
use crate::host::{ERROR_META_KEY, error_result};
use crate::{CallToolResult, ErrorKind, McpError, Stake, ToolContext};

/// How long the client's user has to answer an approval question.
pub(super) const ELICITATION_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

/// The key of the approval among a 2026-07-28 call's input requests and responses.
pub(super) const INPUT_KEY: &str = "approval";

/// Why a request state naming a held call was refused: the call does not run.
pub(super) fn refused_state(error: &RequestStateError, tool: &str, stake: Stake) -> CallToolResult {
    let message = match error {
        RequestStateError::Expired => format!(
            "the approval of `{tool}` expired before the answer came; call it again to be asked \
             anew"
        ),
        _ => format!(
            "the request state does not belong to this call of `{tool}` (altered, or from \
             another call or user); call it again to be asked anew"
        ),
    };
    refused(stake, message)
}

/// The 2026-07-28 way to ask: the elicitation an input-required result carries.
pub(super) fn input_request(request: &ApprovalRequest) -> Option<InputRequest> {
    serde_json::from_value(json!({
        "method": "elicitation/create",
        "params": {
            "mode": "form",
            "message": question(request),
            "requestedSchema": decision_schema(request),
        },
    }))
    .ok()
}

/// The user's answer carried by a 2026-07-28 retry, if it carries one.
pub(super) fn answer_in(responses: Option<&InputResponses>) -> Option<Decision> {
    responses?.get(INPUT_KEY).map(decision_of)
}

/// Records the answer to the held call `approval_id` (the request state the client echoed);
/// `Ok` when the call may run with its approval.
pub(super) async fn record_answer(
    gate: &ApprovalGate,
    approval_id: &str,
    user_id: &str,
    decision: Decision,
    stake: Stake,
) -> Result<(), CallToolResult> {
    gate.resolve_retry(approval_id, user_id, decision)
        .await
        .map_err(|error| {
            refused(
                stake,
                format!("the approval could not be recorded: {error}"),
            )
        })?;
    match decision {
        Decision::Reject => Err(refused(
            stake,
            "the user did not approve the call".to_owned(),
        )),
        Decision::Once | Decision::Always => Ok(()),
    }
}

/// Asks the user through the client; `Ok` when the call may now run with its approval, else
/// the result to answer with. A client that cannot ask gets the link to the call's page where
/// the host has pages (see [`page_link`]).
pub(super) async fn approve(
    gate: &ApprovalGate,
    request: &ApprovalRequest,
    arguments: &Value,
    ctx: &ToolContext,
    client_can_elicit: bool,
) -> Result<(), CallToolResult> {
    if !client_can_elicit && let Some(url) = gate.publish(&request.id, arguments).await {
        let mut result = refused(
            request.stake,
            format!(
                "`{}` has stake `{}` and needs its user's approval ({}). Ask them to open {url} \
                 to approve or reject it, then call it again with the same arguments.",
                request.tool, request.stake, request.label
            ),
        );
        if let Some(detail) = result
            .meta
            .as_mut()
            .and_then(|meta| meta.get_mut(ERROR_META_KEY))
        {
            detail["url"] = url.into();
        }
        return Err(result);
    }
    if !client_can_elicit {
        // Nobody will answer it here: it is not kept waiting.
        gate.forget(&request.id);
        return Err(refused(
            request.stake,
            format!(
                "`{}` has stake `{}` and needs its user's approval ({}), but this client cannot ask \
                 its user (it does not support elicitation). Approve it in the server's \
                 configuration (a stake override for this tool), or call it from a client that asks.",
                request.tool, request.stake, request.label
            ),
        ));
    }
    // A client that never answers does not keep the call (nor its request) forever, and one
    // that cancels the call or goes away frees it at once.
    let question = question(request);
    let asked = tokio::time::timeout(
        ELICITATION_TIMEOUT,
        ctx.elicit(&question, decision_schema(request)),
    );
    let answer = tokio::select! {
        answer = asked => match answer {
            Ok(answer) => answer,
            Err(_) => Err(McpError::new(format!(
                "no answer within {} minutes",
                ELICITATION_TIMEOUT.as_secs() / 60
            ))),
        },
        () = ctx.cancellation().cancelled() => {
            gate.forget(&request.id);
            return Err(refused(
                request.stake,
                format!("the call to `{}` was cancelled while its user was asked", request.tool),
            ));
        }
    };
    // Declined, cancelled, or the client failed to ask: the call does not run.
    let decision = answer.as_ref().map_or(Decision::Reject, decision_of);
    if let Err(error) = gate.resolve(&request.id, &request.user_id, decision).await {
        return Err(refused(
            request.stake,
            format!("the approval could not be recorded: {error}"),
        ));
    }
    match (decision, answer) {
        (Decision::Reject, Err(error)) => Err(refused(
            request.stake,
            format!(
                "the user could not be asked to approve `{}`: {error}",
                request.tool
            ),
        )),
        (Decision::Reject, Ok(_)) => Err(refused(
            request.stake,
            format!(
                "the user did not approve `{}` ({})",
                request.tool, request.label
            ),
        )),
        _ => Ok(()),
    }
}

/// The page a refused call's user approves it on, if the refusal names one.
pub(super) fn page_link(result: &CallToolResult) -> Option<&str> {
    result.error_of_kind("approval_required")?["url"].as_str()
}

/// The key of a held call's page among a 2026-07-28 call's input requests: its response (the
/// user opened the page) carries no decision, which the retry finds in the host's store.
pub(super) const PAGE_KEY: &str = "approval_page";

/// The message of the URL elicitation sending a user to a held call's page.
pub(super) const PAGE_MESSAGE: &str = "Approve or reject the call on its page, then try again.";

/// The decision in an elicitation result; anything but an accepted choice is a rejection.
fn decision_of(answer: &Value) -> Decision {
    if answer["action"] != "accept" {
        return Decision::Reject;
    }
    serde_json::from_value(answer["content"]["decision"].clone()).unwrap_or(Decision::Reject)
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

/// The `approval_required` error result: the call did not run.
fn refused(stake: Stake, message: String) -> CallToolResult {
    error_result(&McpError::of_kind(
        ErrorKind::ApprovalRequired { stake },
        message,
    ))
}
