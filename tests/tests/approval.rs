//! The approval gate in-process: each stake's behaviour, remembered approvals, who may answer,
//! overrides, concurrent waiters and the audit trail. (The host's stores, SQLite and
//! PostgreSQL, have their own suite: `providers/src/store`.)

use std::sync::{Arc, Mutex};

use mcp_runtime::host::CallOptions;
use mcp_runtime::host::approval::{
    ApprovalError, ApprovalGate, AuditEvent, AuditOutcome, AuditSink, Decision, MemoryStore,
};
use mcp_runtime::prelude::*;
use serde_json::{Value, json};
use tests::desk::Desk;

mod support;
use support::gate::{as_user, decision, gate, held, ran};

/// Records every audit event.
#[derive(Default)]
struct Recorder(Mutex<Vec<AuditEvent>>);

impl AuditSink for Recorder {
    fn record(&self, event: &AuditEvent) {
        self.0.lock().unwrap().push(event.clone());
    }
}

impl Recorder {
    fn outcomes(&self) -> Vec<AuditOutcome> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|event| event.outcome)
            .collect()
    }
}

#[tokio::test]
async fn never_ask_runs_without_asking() {
    let gate = gate();
    assert_eq!(
        ran("read_notes", json!({}), as_user(&gate, "ana", None)).await,
        "ran read_notes"
    );
}

#[tokio::test]
async fn low_asks_then_runs_once_and_always_is_remembered_per_user() {
    let gate = gate();
    let note = json!({"text": "hi"});
    let request = held("add_note", note.clone(), as_user(&gate, "ana", None)).await;
    assert_eq!(request.stake, Stake::Low);
    assert_eq!(request.label, "Add a note");
    assert!(request.rememberable);

    gate.resolve(&request.id, "ana", Decision::Once)
        .await
        .unwrap();
    let approved = as_user(&gate, "ana", None).with_approval(&request.id);
    assert_eq!(
        ran("add_note", note.clone(), approved.clone()).await,
        "ran add_note hi"
    );
    // Once is once: the same approval does not run the call again.
    held("add_note", note.clone(), approved).await;

    let request = held(
        "add_note",
        json!({"text": "other"}),
        as_user(&gate, "ana", None),
    )
    .await;
    gate.resolve(&request.id, "ana", Decision::Always)
        .await
        .unwrap();
    // Remembered per user × server × tool: any arguments, no approval presented.
    assert_eq!(
        ran(
            "add_note",
            json!({"text": "later"}),
            as_user(&gate, "ana", None)
        )
        .await,
        "ran add_note later"
    );
    held("add_note", note, as_user(&gate, "bo", None)).await;
}

#[tokio::test]
async fn medium_is_remembered_per_agent_and_approval_values() {
    let gate = gate();
    let team = json!({"channel": "#team", "text": "hello"});
    let request = held(
        "post_message",
        team.clone(),
        as_user(&gate, "ana", Some("helper")),
    )
    .await;
    assert_eq!(request.label, "Post a message (channel: #team)");
    gate.resolve(&request.id, "ana", Decision::Always)
        .await
        .unwrap();

    let other_text = json!({"channel": "#team", "text": "again"});
    assert_eq!(
        ran(
            "post_message",
            other_text,
            as_user(&gate, "ana", Some("helper"))
        )
        .await,
        "ran post_message #team"
    );
    held(
        "post_message",
        json!({"channel": "#general", "text": "hello"}),
        as_user(&gate, "ana", Some("helper")),
    )
    .await;
    held(
        "post_message",
        team.clone(),
        as_user(&gate, "ana", Some("other-agent")),
    )
    .await;

    // Without an agent there is nothing to scope the approval to: "always" is "once".
    let request = held("post_message", team.clone(), as_user(&gate, "ana", None)).await;
    assert!(!request.rememberable);
    gate.resolve(&request.id, "ana", Decision::Always)
        .await
        .unwrap();
    ran(
        "post_message",
        team.clone(),
        as_user(&gate, "ana", None).with_approval(&request.id),
    )
    .await;
    held("post_message", team, as_user(&gate, "ana", None)).await;
}

#[tokio::test]
async fn high_asks_every_time() {
    let gate = gate();
    let request = held(
        "delete_notes",
        json!({}),
        as_user(&gate, "ana", Some("helper")),
    )
    .await;
    assert!(!request.rememberable);
    let other = held(
        "delete_notes",
        json!({}),
        as_user(&gate, "ana", Some("helper")),
    )
    .await;
    // "Always" on a `high` call is "once": it approves this call, and no other held one.
    gate.resolve(&request.id, "ana", Decision::Always)
        .await
        .unwrap();
    assert_eq!(decision(&gate, &request.id).await, Some(Decision::Once));
    gate.resolve(&other.id, "ana", Decision::Reject)
        .await
        .expect("the other call is still held");
    ran(
        "delete_notes",
        json!({}),
        as_user(&gate, "ana", Some("helper")).with_approval(&request.id),
    )
    .await;
    held(
        "delete_notes",
        json!({}),
        as_user(&gate, "ana", Some("helper")),
    )
    .await;
}

#[tokio::test]
async fn only_the_calls_user_may_answer_and_rejected_calls_do_not_run() {
    let recorder = Arc::new(Recorder::default());
    let gate = Arc::new(ApprovalGate::new(MemoryStore::default()).with_audit(recorder.clone()));
    let request = held(
        "add_note",
        json!({"text": "x"}),
        as_user(&gate, "ana", None),
    )
    .await;
    assert!(matches!(
        gate.resolve(&request.id, "mallory", Decision::Always).await,
        Err(ApprovalError::NotTheCallsUser)
    ));

    gate.resolve(&request.id, "ana", Decision::Reject)
        .await
        .unwrap();
    assert_eq!(
        decision(&gate, &request.id).await,
        None,
        "a rejected call is no longer held"
    );
    assert!(matches!(
        gate.resolve(&request.id, "ana", Decision::Once).await,
        Err(ApprovalError::UnknownApproval { id }) if id == request.id
    ));
    // Presenting the rejected approval holds the call again.
    held(
        "add_note",
        json!({"text": "x"}),
        as_user(&gate, "ana", None).with_approval(&request.id),
    )
    .await;
    assert_eq!(
        recorder.outcomes(),
        [
            AuditOutcome::ApprovalRequested,
            AuditOutcome::RefusedWrongUser,
            AuditOutcome::Rejected,
            AuditOutcome::ApprovalRequested,
        ]
    );
}

#[tokio::test]
async fn an_approval_covers_its_own_arguments_only() {
    let gate = gate();
    let request = held(
        "add_note",
        json!({"text": "a"}),
        as_user(&gate, "ana", None),
    )
    .await;
    gate.resolve(&request.id, "ana", Decision::Once)
        .await
        .unwrap();
    held(
        "add_note",
        json!({"text": "b"}),
        as_user(&gate, "ana", None).with_approval(&request.id),
    )
    .await;
    ran(
        "add_note",
        json!({"text": "a"}),
        as_user(&gate, "ana", None).with_approval(&request.id),
    )
    .await;
}

#[tokio::test]
async fn overrides_and_the_callback_decide_the_effective_stake() {
    let relaxed = Arc::new(ApprovalGate::new(MemoryStore::default()).with_override(
        "desk",
        "add_note",
        Stake::NeverAsk,
    ));
    ran(
        "add_note",
        json!({"text": "x"}),
        as_user(&relaxed, "ana", None),
    )
    .await;

    let strict = Arc::new(
        ApprovalGate::new(MemoryStore::default()).with_stake_callback(Arc::new(
            |_, tool, stake| {
                if tool.name == "read_notes" {
                    Stake::High
                } else {
                    stake
                }
            },
        )),
    );
    let request = held("read_notes", json!({}), as_user(&strict, "ana", None)).await;
    assert_eq!(request.stake, Stake::High);
}

#[tokio::test]
async fn calls_waiting_on_the_same_scope_are_resolved_together() {
    let gate = gate();
    let first = held(
        "add_note",
        json!({"text": "1"}),
        as_user(&gate, "ana", None),
    )
    .await;
    let second = held(
        "add_note",
        json!({"text": "2"}),
        as_user(&gate, "ana", None),
    )
    .await;
    let waiters = [first.id.clone(), second.id.clone()].map(|id| {
        let gate = gate.clone();
        tokio::spawn(async move { decision(&gate, &id).await })
    });
    // The waiters are waiting before the answer comes.
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    gate.resolve(&first.id, "ana", Decision::Always)
        .await
        .unwrap();
    for waiter in waiters {
        assert_eq!(waiter.await.unwrap(), Some(Decision::Always));
    }
    assert!(matches!(
        gate.resolve(&second.id, "ana", Decision::Reject).await,
        Err(ApprovalError::AlreadyResolved { id }) if id == second.id
    ));
}

#[tokio::test]
async fn arguments_are_validated_before_anyone_is_asked() {
    let gate = gate();
    // `add_note` (stake `low`) without its `text`: an error the model can fix, not a question.
    let result = Desk
        .call_tool_with(
            "add_note",
            json!({}),
            as_user(&gate, "ana", None).ctx,
            &as_user(&gate, "ana", None).options,
        )
        .await
        .expect("answered, not held");
    assert!(result.is_error);
    assert_eq!(
        result.text(),
        "invalid arguments for `add_note`: missing field `text`"
    );
    // A tool without arguments refuses properties it does not declare.
    let result = Desk
        .call_tool_with(
            "delete_notes",
            json!({"all": true}),
            as_user(&gate, "ana", None).ctx,
            &as_user(&gate, "ana", None).options,
        )
        .await
        .expect("answered, not held");
    assert_eq!(
        result.text(),
        "invalid arguments for `delete_notes`: it takes no arguments, and `all` was given"
    );
    let result = Desk
        .call_tool("read_notes", json!({"x": 1}), ToolContext::new())
        .await
        .unwrap();
    assert!(result.is_error, "{}", result.text());
}

#[tokio::test]
async fn held_calls_are_bounded_per_user_and_their_ids_are_unguessable() {
    use mcp_runtime::host::approval::HELD_PER_USER;
    let gate = gate();
    let mut ids = Vec::new();
    for n in 0..HELD_PER_USER + 10 {
        let request = held(
            "add_note",
            json!({"text": format!("note {n}")}),
            as_user(&gate, "ana", None),
        )
        .await;
        ids.push(request.id);
    }
    // Past the cap, the oldest are forgotten: no more than the cap is kept.
    assert_eq!(gate.held(), HELD_PER_USER);
    assert!(matches!(
        gate.resolve(&ids[0], "ana", Decision::Once).await,
        Err(ApprovalError::UnknownApproval { .. })
    ));
    gate.resolve(ids.last().unwrap(), "ana", Decision::Once)
        .await
        .unwrap();
    // Another user's calls are not pushed out by ana's.
    held(
        "add_note",
        json!({"text": "bo's"}),
        as_user(&gate, "bo", None),
    )
    .await;
    assert_eq!(gate.held(), HELD_PER_USER + 1);
    // Random 128-bit ids: all distinct, 32 hex digits.
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len());
    assert!(ids.iter().all(|id| id.len() == "approval-".len() + 32));
}

#[tokio::test]
async fn only_a_call_handed_to_its_client_can_be_answered_by_a_retry() {
    let gate = gate();
    // Being put to ana another way (an elicitation in her session): no retry can answer it,
    // and the refusal does not say that it exists.
    let asked = held(
        "add_note",
        json!({"text": "x"}),
        as_user(&gate, "ana", None),
    )
    .await;
    assert!(matches!(
        gate.resolve_retry(&asked.id, "ana", Decision::Once).await,
        Err(ApprovalError::UnknownApproval { .. })
    ));
    gate.resolve(&asked.id, "ana", Decision::Reject)
        .await
        .unwrap();

    // Handed to the client as the state of an input-required result: its retry answers it,
    // for the call's user only.
    let handed = held(
        "add_note",
        json!({"text": "y"}),
        as_user(&gate, "ana", None),
    )
    .await;
    gate.hand_to_client(&handed.id).await;
    assert!(matches!(
        gate.resolve_retry(&handed.id, "bo", Decision::Once).await,
        Err(ApprovalError::NotTheCallsUser)
    ));
    gate.resolve_retry(&handed.id, "ana", Decision::Once)
        .await
        .unwrap();
    let approved = as_user(&gate, "ana", None).with_approval(&handed.id);
    assert_eq!(
        ran("add_note", json!({"text": "y"}), approved).await,
        "ran add_note y"
    );
}

/// Over stdio: a call whose user is being asked, then cancelled by the client, does not stay
/// held until the question times out.
#[tokio::test]
async fn a_call_cancelled_while_its_user_is_asked_is_forgotten_at_once() {
    use mcp_runtime::host::serve::{McpHandler, serve_lines};
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

    let gate = gate();
    let handler = McpHandler::new(Desk).with_options(CallOptions::new().with_gate(gate.clone()));
    let (client, server) = tokio::io::duplex(1 << 16);
    let (server_input, server_output) = tokio::io::split(server);
    tokio::spawn(serve_lines(handler, server_input, server_output));
    let (client_input, mut client_output) = tokio::io::split(client);
    let mut lines = BufReader::new(client_input).lines();
    // The server's next message, failing the test if none comes within seconds.
    let mut next = async || -> Value {
        let line = tokio::time::timeout(std::time::Duration::from_secs(5), lines.next_line())
            .await
            .expect("the server answers within 5 s");
        serde_json::from_str(&line.unwrap().unwrap()).unwrap()
    };
    let mut send = async |message: Value| {
        let line = format!("{message}\n");
        client_output.write_all(line.as_bytes()).await.unwrap();
    };
    send(
        json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {"elicitation": {}},
            "clientInfo": {"name": "silent", "version": "1"}
        }}),
    )
    .await;
    next().await;
    send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"})).await;
    send(json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": "add_note", "arguments": {"text": "x"}}}))
    .await;
    // The server asks; the client never answers, and cancels the call instead.
    let question = next().await;
    assert_eq!(question["method"], "elicitation/create");
    assert_eq!(gate.held(), 1);
    send(
        json!({"jsonrpc": "2.0", "method": "notifications/cancelled",
        "params": {"requestId": 1}}),
    )
    .await;
    let waited = std::time::Instant::now();
    while gate.held() > 0 {
        assert!(
            waited.elapsed() < std::time::Duration::from_secs(5),
            "still held"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn held_calls_are_bounded_in_all() {
    use mcp_runtime::host::approval::{HELD_IN_ALL, HELD_PER_USER};
    let gate = gate();
    let users = HELD_IN_ALL / HELD_PER_USER + 2;
    let mut first = None;
    for user in 0..users {
        for n in 0..HELD_PER_USER {
            let request = held(
                "add_note",
                json!({"text": format!("note {n}")}),
                as_user(&gate, &format!("user {user}"), None),
            )
            .await;
            first.get_or_insert(request.id);
        }
    }
    // No user is past their own cap, but all together are past the cap in all: the oldest
    // calls were forgotten.
    assert_eq!(gate.held(), HELD_IN_ALL);
    assert!(matches!(
        gate.resolve(&first.unwrap(), "user 0", Decision::Once)
            .await,
        Err(ApprovalError::UnknownApproval { .. })
    ));
}

#[test]
fn the_gates_debug_output_names_its_overrides() {
    let gate =
        ApprovalGate::new(MemoryStore::default()).with_override("desk", "add_note", Stake::High);
    assert_eq!(
        format!("{gate:?}"),
        r#"ApprovalGate { overrides: {("desk", "add_note"): High}, callback: false, pages: None, .. }"#
    );
}

/// A held call is forgotten the moment its time is up: its answer is refused, its waiters
/// hear `None`, and presenting it runs nothing.
#[tokio::test(start_paused = true)]
async fn a_held_call_expires_at_its_ttl_to_the_instant() {
    use mcp_runtime::host::approval::HELD_TTL;
    use std::time::Duration;
    let gate = gate();
    let note = json!({"text": "x"});
    let request = held("add_note", note.clone(), as_user(&gate, "ana", None)).await;
    let waiter = {
        let (gate, id) = (gate.clone(), request.id.clone());
        tokio::spawn(async move { gate.wait(&id).await })
    };
    tokio::time::advance(HELD_TTL - Duration::from_millis(1)).await;
    assert_eq!(gate.held(), 1, "still held a millisecond before");
    tokio::time::advance(Duration::from_millis(1)).await;
    assert_eq!(gate.held(), 0, "forgotten at its TTL");
    assert!(matches!(
        gate.resolve(&request.id, "ana", Decision::Once).await,
        Err(ApprovalError::UnknownApproval { .. })
    ));
    assert_eq!(waiter.await.unwrap(), None);
    held(
        "add_note",
        note,
        as_user(&gate, "ana", None).with_approval(&request.id),
    )
    .await;
}
