//! Approval over MCP: a held call is put to the client's user as an elicitation (approve once,
//! always, or reject): sent as a request on 2025-11-25 sessions, returned as an input-required
//! result on 2026-07-28 (the client answers by calling again). A client that cannot be asked
//! gets an error saying how to approve. A held call never runs silently.
//!
//! On 2026-07-28 the client echoes back a request state naming the held call. It is sealed
//! (HMAC-SHA256, rmcp's codec) and bound to the call's user, server, tool and arguments, and it
//! expires with the held call: a state forged, altered, or brought back with another call or by
//! another user does not open.

use std::sync::{Arc, OnceLock};

use rmcp::model::{
    InputRequest, InputRequests, InputRequiredResult, InputResponses, RequestStateCodec,
    RequestStateError, SealOptions,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::host::approval::{ApprovalGate, ApprovalRequest, Decision, HELD_TTL, arguments_digest};
use crate::host::error_result;
use crate::{CallToolResult, ErrorKind, McpError, Stake, ToolContext};

/// How long the client's user has to answer an approval question.
pub(super) const ELICITATION_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

/// The key of the approval among a 2026-07-28 call's input requests and responses.
const INPUT_KEY: &str = "approval";

/// What a request state seals: the held call's approval id.
#[derive(Serialize, Deserialize)]
struct HeldState {
    approval: String,
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

/// The approval id `state` seals, if it was sealed for `call` and has not expired; otherwise
/// the refusal (the call does not run).
pub(super) fn held_call(
    codec: &RequestStateCodec,
    state: &str,
    call: &Binding<'_>,
    stake: Stake,
) -> Result<String, CallToolResult> {
    match codec.open_json_with::<HeldState>(state, &call.associated_data()) {
        Ok(held) => Ok(held.approval),
        Err(RequestStateError::Expired) => Err(refused(
            stake,
            format!(
                "the approval of `{}` expired before the answer came; call it again to be asked \
                 anew",
                call.tool
            ),
        )),
        Err(_) => Err(refused(
            stake,
            format!(
                "the request state does not belong to this call of `{}` (altered, or from \
                 another call or user); call it again to be asked anew",
                call.tool
            ),
        )),
    }
}

/// The 2026-07-28 way to ask: an input-required result carrying the elicitation, with a request
/// state naming the held call, sealed for `call`, which the client echoes back.
pub(super) fn input_required(
    request: &ApprovalRequest,
    codec: &RequestStateCodec,
    call: &Binding<'_>,
) -> Option<InputRequiredResult> {
    let elicitation = serde_json::from_value(json!({
        "method": "elicitation/create",
        "params": {
            "mode": "form",
            "message": question(request),
            "requestedSchema": decision_schema(request),
        },
    }))
    .ok()?;
    let requests =
        InputRequests::from([(INPUT_KEY.to_owned(), InputRequest::Elicitation(elicitation))]);
    let associated = call.associated_data();
    let options = SealOptions::new()
        .associated_data(&associated)
        .ttl(HELD_TTL);
    let state = codec
        .seal_json_with(
            &HeldState {
                approval: request.id.clone(),
            },
            &options,
        )
        .ok()?;
    Some(InputRequiredResult::new(Some(requests), Some(state)))
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
/// the result to answer with.
pub(super) async fn approve(
    gate: &ApprovalGate,
    request: &ApprovalRequest,
    ctx: &ToolContext,
    client_can_elicit: bool,
) -> Result<(), CallToolResult> {
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
