//! Approvals on 2025-11-25 sessions, through the router: a held call is put to the client's user
//! as an elicitation request on the call's own event stream (a call that asks nothing is
//! answered with one JSON body); the client's answer (a POST in the session) decides whether
//! the call runs. A client that cannot ask is told how to approve, and
//! the call does not run.

use std::sync::Arc;

use axum::Router;
use http_body_util::BodyExt as _;
use mcp_runtime::host::approval::{ApprovalGate, MemoryStore};
use mcp_runtime::host::serve::{HttpConfig, http_router};
use mcp_runtime::host::{CallOptions, SharedServer};
use serde_json::{Value, json};
use tests::desk::Desk;

mod support;
use support::http::{
    VERSION, call, in_session, next_message, open_session_declaring, post, respond, send,
};

fn router() -> Router {
    let gate = Arc::new(ApprovalGate::new(MemoryStore::default()));
    http_router(
        &[SharedServer::new(Desk)],
        &HttpConfig {
            calls: CallOptions::new().with_gate(gate),
            ..HttpConfig::default()
        },
    )
}

/// A session of a client with `capabilities`; its id.
async fn session(router: &Router, capabilities: Value) -> String {
    open_session_declaring(router, &[], VERSION, capabilities).await
}

/// Calls `tool` in `session`, answering the elicitation it brings with `answer` (if any); the
/// questions asked and the call's result.
async fn call_answering(
    router: &Router,
    session: &str,
    id: u64,
    tool: &str,
    answer: Option<Value>,
) -> (Vec<Value>, Value) {
    // `add_note` takes a text; the others nothing.
    let arguments = if tool == "add_note" {
        json!({"text": "x"})
    } else {
        json!({})
    };
    let response = respond(
        router,
        post(&in_session(session), call(id, tool, arguments)),
    )
    .await;
    // A call that asks nothing is answered with one JSON body.
    if response.headers()["content-type"] == "application/json" {
        let body = response.into_body().collect().await.unwrap().to_bytes();
        return (Vec::new(), serde_json::from_slice(&body).unwrap());
    }
    let mut body = response.into_body();
    let mut pending = String::new();
    let mut asked = Vec::new();
    loop {
        let message = next_message(&mut body, &mut pending).await;
        if message["method"] == "elicitation/create" {
            asked.push(message["params"].clone());
            let answer = answer.clone().expect("not asked");
            // An answer with an `error` is the client failing to ask.
            let reply = match answer.get("error") {
                Some(error) => json!({"jsonrpc": "2.0", "id": message["id"], "error": error}),
                None => json!({"jsonrpc": "2.0", "id": message["id"], "result": answer}),
            };
            send(router, post(&in_session(session), reply.to_string())).await;
            continue;
        }
        return (asked, message);
    }
}

fn text(message: &Value) -> &str {
    message["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_default()
}

#[tokio::test]
async fn a_client_that_cannot_ask_is_told_how_to_approve_and_the_call_does_not_run() {
    let router = router();
    let session = session(&router, json!({})).await;
    let (asked, result) = call_answering(&router, &session, 1, "add_note", None).await;
    assert!(asked.is_empty());
    assert_eq!(result["result"]["isError"], true, "{result}");
    assert!(
        text(&result).contains("this client cannot ask its user"),
        "{result}"
    );
    assert_eq!(
        result["result"]["_meta"]["mcp-runtime/error"],
        json!({"kind": "approval_required", "stake": "low"})
    );
}

#[tokio::test]
async fn the_users_answer_decides_and_always_is_not_asked_again() {
    let router = router();
    let session = session(&router, json!({"elicitation": {}})).await;
    let accept = |decision: &str| json!({"action": "accept", "content": {"decision": decision}});

    let (asked, declined) = call_answering(
        &router,
        &session,
        1,
        "add_note",
        Some(json!({"action": "decline"})),
    )
    .await;
    assert_eq!(asked.len(), 1);
    assert_eq!(
        asked[0]["message"],
        "Approve: Add a note? (`add_note` on `desk`, stake `low`)"
    );
    assert_eq!(
        asked[0]["requestedSchema"]["properties"]["decision"]["enum"],
        json!(["once", "always", "reject"])
    );
    assert!(
        text(&declined).starts_with("the user did not approve `add_note`"),
        "{declined}"
    );

    let failed = json!({"error": {"code": -32603, "message": "the window closed"}});
    let (_, unasked) = call_answering(&router, &session, 7, "add_note", Some(failed)).await;
    assert!(
        text(&unasked).starts_with("the user could not be asked to approve `add_note`"),
        "{unasked}"
    );

    let (_, rejected) =
        call_answering(&router, &session, 2, "add_note", Some(accept("reject"))).await;
    // A choice that comes with a decline or a cancel is not a yes.
    for (id, action) in [(8, "decline"), (9, "cancel")] {
        let answer = json!({"action": action, "content": {"decision": "once"}});
        let (_, refused) = call_answering(&router, &session, id, "add_note", Some(answer)).await;
        assert!(
            text(&refused).starts_with("the user did not approve"),
            "{refused}"
        );
    }
    assert!(
        text(&rejected).starts_with("the user did not approve"),
        "{rejected}"
    );

    let (asked, ran) = call_answering(&router, &session, 3, "add_note", Some(accept("once"))).await;
    assert_eq!((asked.len(), text(&ran)), (1, "ran add_note x"), "{ran}");
    let (asked, ran) =
        call_answering(&router, &session, 4, "add_note", Some(accept("always"))).await;
    assert_eq!((asked.len(), text(&ran)), (1, "ran add_note x"), "{ran}");
    let (asked, ran) = call_answering(&router, &session, 5, "add_note", None).await;
    assert_eq!(
        (asked.len(), text(&ran)),
        (0, "ran add_note x"),
        "remembered: {ran}"
    );

    // `high` offers no "always", and is asked every time.
    let (asked, ran) =
        call_answering(&router, &session, 6, "delete_notes", Some(accept("once"))).await;
    assert_eq!(asked.len(), 1, "{ran}");
    assert_eq!(
        asked[0]["requestedSchema"]["properties"]["decision"]["enum"],
        json!(["once", "reject"])
    );
    assert!(
        !text(&ran).is_empty() && ran["result"]["isError"] != true,
        "{ran}"
    );
}
