//! The 2026-07-28 request state naming a held call: sealed, bound to the call's user, server,
//! tool and arguments, expiring with it, taken once; and shared by replicas, so that a retry
//! reaching another replica resumes the call there.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use http::StatusCode;
use mcp_runtime::BoxFuture;
use mcp_runtime::host::approval::{
    ApprovalGate, HeldCall, HeldStore, MemoryStore, arguments_digest,
};
use mcp_runtime::host::serve::{HttpConfig, http_router};
use mcp_runtime::host::{CallOptions, SharedServer, StoreError};
use rmcp::model::{RequestStateCodec, SealOptions};
use serde_json::{Value, json};
use tests::desk::Desk;

mod support;
use support::http::{post, send};

/// Held calls shared by replicas, in memory.
#[derive(Default)]
struct SharedHeld(Mutex<HashMap<String, HeldCall>>);

impl HeldStore for SharedHeld {
    fn hold<'a>(&'a self, call: &'a HeldCall) -> BoxFuture<'a, Result<(), StoreError>> {
        self.0
            .lock()
            .unwrap()
            .insert(call.request.id.clone(), call.clone());
        Box::pin(std::future::ready(Ok(())))
    }

    fn take<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<HeldCall>, StoreError>> {
        let taken = self.0.lock().unwrap().remove(id);
        Box::pin(std::future::ready(Ok(taken)))
    }
}

const KEY: &[u8; 32] = b"a-key-of-thirty-two-bytes-length";

fn codec() -> RequestStateCodec {
    RequestStateCodec::new_with_keyring("k1", [("k1", KEY.to_vec())]).unwrap()
}

/// A replica serving `Desk` behind a gate, sharing held calls through `held` if given.
fn replica(held: Option<Arc<SharedHeld>>) -> Router {
    let mut gate = ApprovalGate::new(MemoryStore::default());
    if let Some(held) = held {
        gate = gate.with_held_store(held);
    }
    http_router(
        &[SharedServer::new(Desk)],
        &HttpConfig {
            calls: CallOptions::new().with_gate(Arc::new(gate)),
            protected: Some(support::users::protected()),
            request_state: Some(codec()),
            ..HttpConfig::default()
        },
    )
}

/// `add_note` with `text` as `user`, stateless; with `state`, answering `decision`.
async fn add_note(router: &Router, user: &str, text: &str, answer: Option<(&str, &str)>) -> Value {
    let mut params = json!({
        "name": "add_note",
        "arguments": {"text": text},
        "_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {"elicitation": {}},
            "io.modelcontextprotocol/clientInfo": {"name": "state", "version": "1"}
        }
    });
    if let Some((state, decision)) = answer {
        params["requestState"] = json!(state);
        params["inputResponses"] =
            json!({"approval": {"action": "accept", "content": {"decision": decision}}});
    }
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params});
    let authorization = format!("Bearer {user}");
    let headers = [
        ("authorization", authorization.as_str()),
        ("mcp-protocol-version", "2026-07-28"),
        ("mcp-method", "tools/call"),
        ("mcp-name", "add_note"),
    ];
    let answer = send(router, post(&headers, body.to_string())).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.message()
}

/// The request state of a held call's answer.
fn state(held: &Value) -> String {
    held["result"]["requestState"]
        .as_str()
        .unwrap_or_else(|| panic!("not held: {held}"))
        .to_owned()
}

fn text(answer: &Value) -> &str {
    answer["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_default()
}

#[tokio::test]
async fn a_sealed_state_resumes_its_call_once_and_nothing_else() {
    let router = replica(None);
    let held = add_note(&router, "ana", "x", None).await;
    let sealed = state(&held);
    assert!(
        !sealed.contains("approval-"),
        "the approval id is sealed: {sealed}"
    );

    let refusals = [
        // Another user, other arguments, an altered state.
        add_note(&router, "bo", "x", Some((&sealed, "once"))).await,
        add_note(&router, "ana", "y", Some((&sealed, "once"))).await,
        add_note(&router, "ana", "x", Some((&format!("{sealed}A"), "once"))).await,
        add_note(&router, "ana", "x", Some(("approval-0123", "once"))).await,
    ];
    for refused in &refusals {
        assert_eq!(refused["result"]["isError"], true, "{refused}");
        assert!(
            text(refused)
                .starts_with("the request state does not belong to this call of `add_note`"),
            "{refused}"
        );
    }
    let ran = add_note(&router, "ana", "x", Some((&sealed, "once"))).await;
    assert_eq!(text(&ran), "ran add_note x", "{ran}");
    // Brought back again: the call was taken.
    let replayed = add_note(&router, "ana", "x", Some((&sealed, "once"))).await;
    assert_eq!(replayed["result"]["isError"], true, "{replayed}");
    assert!(text(&replayed).contains("no call is waiting"), "{replayed}");
}

#[tokio::test]
async fn an_expired_state_is_refused_as_expired() {
    let router = replica(None);
    let held = add_note(&router, "ana", "x", None).await;
    let approval: Value = {
        // The state's payload, read (it is signed, not encrypted), sealed again to expire at once.
        let sealed = state(&held);
        let associated = format!(
            "ana\0desk\0add_note\0{}",
            arguments_digest(&json!({"text": "x"}))
                .iter()
                .map(|byte| format!("{byte:02x}"))
                .collect::<String>()
        );
        let payload: Value = codec()
            .open_json_with(&sealed, associated.as_bytes())
            .expect("sealed for this call");
        let options = SealOptions::new()
            .associated_data(associated.as_bytes())
            .ttl(Duration::from_millis(1));
        json!(codec().seal_json_with(&payload, &options).unwrap())
    };
    tokio::time::sleep(Duration::from_millis(10)).await;
    let expired = add_note(
        &router,
        "ana",
        "x",
        Some((approval.as_str().unwrap(), "once")),
    )
    .await;
    assert_eq!(expired["result"]["isError"], true, "{expired}");
    assert!(
        text(&expired).starts_with("the approval of `add_note` expired"),
        "{expired}"
    );
}

#[tokio::test]
async fn a_call_held_on_one_replica_resumes_on_another_once() {
    let held_calls = Arc::new(SharedHeld::default());
    let (one, two) = (replica(Some(held_calls.clone())), replica(Some(held_calls)));
    let held = add_note(&one, "ana", "shared", None).await;
    let sealed = state(&held);
    let ran = add_note(&two, "ana", "shared", Some((&sealed, "once"))).await;
    assert_eq!(text(&ran), "ran add_note shared", "{ran}");
    // Neither replica takes it again.
    for router in [&one, &two] {
        let replayed = add_note(router, "ana", "shared", Some((&sealed, "once"))).await;
        assert!(text(&replayed).contains("no call is waiting"), "{replayed}");
    }
    // Rejected through the other replica: the call does not run.
    let held = add_note(&one, "ana", "not this", None).await;
    let rejected = add_note(&two, "ana", "not this", Some((&state(&held), "reject"))).await;
    assert_eq!(rejected["result"]["isError"], true, "{rejected}");
    assert!(
        text(&rejected).starts_with("the user did not approve"),
        "{rejected}"
    );
}
