//! Held calls put on a page of the host's: a client that cannot put an approval to its user
//! gets the link to the call's page (as a URL elicitation where it can open links), and its
//! retry of the same call runs or is refused by what the user decided there, once, whichever
//! replica it reaches.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use http::StatusCode;
use mcp_runtime::BoxFuture;
use mcp_runtime::host::approval::{
    ApprovalGate, ApprovalPages, Decision, HeldCall, MemoryStore, PageAnswer,
};
use mcp_runtime::host::serve::{HttpConfig, URL_ELICITATION_REQUIRED, http_router};
use mcp_runtime::host::{CallOptions, SharedServer, StoreError};
use serde_json::{Value, json};
use tests::desk::Desk;

mod support;
use support::http::{VERSION, call, in_session, open_session_declaring, post, send};

/// A published call: what its page shows, and what its user decided.
type Page = (HeldCall, Value, Option<Decision>);

/// Pages kept in memory, shared by the replicas of a test.
#[derive(Debug, Default)]
struct Pages(Mutex<HashMap<String, Page>>);

impl Pages {
    /// The user's decision on the page of `id`, as the console records it.
    fn decide(&self, id: &str, decision: Decision) {
        let mut pages = self.0.lock().unwrap();
        let page = pages.get_mut(id).expect("a published call");
        assert_eq!(page.2, None, "decided once");
        page.2 = Some(decision);
    }

    /// The arguments the page of `id` shows.
    fn arguments(&self, id: &str) -> Value {
        self.0.lock().unwrap()[id].1.clone()
    }

    fn count(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

impl ApprovalPages for Pages {
    fn publish<'a>(
        &'a self,
        call: &'a HeldCall,
        arguments: &'a Value,
    ) -> BoxFuture<'a, Result<String, StoreError>> {
        let id = call.request.id.clone();
        self.0
            .lock()
            .unwrap()
            .entry(id.clone())
            .or_insert_with(|| (call.clone(), arguments.clone(), None));
        Box::pin(std::future::ready(Ok(format!(
            "https://console.example/console/calls/{id}"
        ))))
    }

    fn take_answer<'a>(
        &'a self,
        scope_key: &'a str,
        agent_id: Option<&'a str>,
        arguments: &'a [u8; 32],
    ) -> BoxFuture<'a, Result<Option<PageAnswer>, StoreError>> {
        let mut pages = self.0.lock().unwrap();
        let found = pages
            .iter()
            .find(|(_, (call, _, _))| {
                call.scope.key() == scope_key
                    && call.agent_id.as_deref() == agent_id
                    && call.arguments == *arguments
            })
            .map(|(id, (_, _, decision))| (id.clone(), *decision));
        let answer = found.map(|(id, decision)| {
            if decision.is_some() {
                pages.remove(&id);
            }
            PageAnswer { id, decision }
        });
        Box::pin(std::future::ready(Ok(answer)))
    }

    fn withdraw<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        self.0.lock().unwrap().remove(id);
        Box::pin(std::future::ready(Ok(())))
    }
}

/// A replica serving `Desk` behind a gate putting held calls on `pages`.
fn replica(pages: &Arc<Pages>) -> Router {
    let gate = ApprovalGate::new(MemoryStore::default()).with_pages(pages.clone());
    http_router(
        &[SharedServer::new(Desk)],
        &HttpConfig {
            calls: CallOptions::new().with_gate(Arc::new(gate)),
            protected: Some(support::users::protected()),
            ..HttpConfig::default()
        },
    )
}

/// `add_note` with `text` as `user`, on 2026-07-28, from a client declaring `capabilities`.
async fn add_note(router: &Router, user: &str, text: &str, capabilities: Value) -> Value {
    let params = json!({
        "name": "add_note",
        "arguments": {"text": text},
        "_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": capabilities,
            "io.modelcontextprotocol/clientInfo": {"name": "pages", "version": "1"}
        }
    });
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

/// The page a URL elicitation sends the user to.
fn page_url(held: &Value) -> String {
    let request = &held["result"]["inputRequests"]["approval_page"];
    assert_eq!(request["method"], "elicitation/create", "{held}");
    assert_eq!(request["params"]["mode"], "url", "{held}");
    request["params"]["url"].as_str().unwrap().to_owned()
}

fn id_of(url: &str) -> &str {
    url.rsplit('/').next().unwrap()
}

fn text(answer: &Value) -> &str {
    answer["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_default()
}

#[tokio::test]
async fn a_client_that_opens_links_is_sent_to_the_page_and_its_retry_runs_once_approved() {
    let pages = Arc::new(Pages::default());
    let (one, two) = (replica(&pages), replica(&pages));
    let links_only = json!({"elicitation": {"url": {}}});

    let held = add_note(&one, "ana", "x", links_only.clone()).await;
    let url = page_url(&held);
    assert!(
        url.starts_with("https://console.example/console/calls/approval-"),
        "{url}"
    );
    assert_eq!(pages.arguments(id_of(&url)), json!({"text": "x"}));
    // Called again before the user decided (on another replica): the same page.
    let again = add_note(&two, "ana", "x", links_only.clone()).await;
    assert_eq!(page_url(&again), url);
    assert_eq!(pages.count(), 1);
    // Another user's call, or other arguments, is a call of its own.
    let bos = add_note(&one, "bo", "x", links_only.clone()).await;
    let other = add_note(&one, "ana", "y", links_only.clone()).await;
    assert_ne!(page_url(&bos), url);
    assert_ne!(page_url(&other), url);

    pages.decide(id_of(&url), Decision::Once);
    let ran = add_note(&two, "ana", "x", links_only.clone()).await;
    assert_eq!(text(&ran), "ran add_note x", "{ran}");
    // The approval was used up: the next such call is held anew, on a page of its own.
    let next = add_note(&one, "ana", "x", links_only.clone()).await;
    assert_ne!(page_url(&next), url);
    // bo's call did not take ana's decision.
    let still = add_note(&two, "bo", "x", links_only).await;
    assert_eq!(page_url(&still), page_url(&bos));
}

#[tokio::test]
async fn a_client_that_cannot_open_links_gets_the_link_and_a_rejection_refuses_its_retry_once() {
    let pages = Arc::new(Pages::default());
    let (one, two) = (replica(&pages), replica(&pages));
    let no_elicitation = json!({});

    let held = add_note(&one, "ana", "x", no_elicitation.clone()).await;
    assert_eq!(held["result"]["isError"], true, "{held}");
    let detail = &held["result"]["_meta"]["mcp-runtime/error"];
    assert_eq!(detail["kind"], "approval_required", "{held}");
    let url = detail["url"].as_str().unwrap().to_owned();
    assert!(
        text(&held).ends_with(&format!(
            "Ask them to open {url} to approve or reject it, then call it again with the same \
             arguments."
        )),
        "{held}"
    );

    pages.decide(id_of(&url), Decision::Reject);
    let refused = add_note(&two, "ana", "x", no_elicitation.clone()).await;
    assert_eq!(refused["result"]["isError"], true, "{refused}");
    assert_eq!(
        refused["result"]["_meta"]["mcp-runtime/error"]["kind"],
        "approval_required"
    );
    assert!(
        text(&refused).starts_with(
            "the user rejected this call of `add_note` (Add a note) on its approval page"
        ),
        "{refused}"
    );
    // Refused once: the next call is put to the user again.
    let asked = add_note(&one, "ana", "x", no_elicitation).await;
    let again = asked["result"]["_meta"]["mcp-runtime/error"]["url"]
        .as_str()
        .unwrap();
    assert_ne!(again, url);
}

#[tokio::test]
async fn a_client_that_can_ask_is_asked_as_before_and_nothing_is_published() {
    let pages = Arc::new(Pages::default());
    let held = add_note(&replica(&pages), "ana", "x", json!({"elicitation": {}})).await;
    let question = &held["result"]["inputRequests"]["approval"];
    assert_eq!(question["params"]["mode"], "form", "{held}");
    assert_eq!(pages.count(), 0);
}

#[tokio::test]
async fn a_session_whose_client_opens_links_gets_the_url_elicitation_error() {
    let pages = Arc::new(Pages::default());
    let router = replica(&pages);
    let authorization = [("authorization", "Bearer ana")];
    let session = open_session_declaring(
        &router,
        &authorization,
        VERSION,
        json!({"elicitation": {"url": {}}}),
    )
    .await;
    let headers = [in_session(&session).as_slice(), &authorization].concat();
    let answer = send(
        &router,
        post(&headers, call(2, "add_note", json!({"text": "x"}))),
    )
    .await;
    let error = &answer.message()["error"];
    assert_eq!(error["code"], URL_ELICITATION_REQUIRED, "{}", answer.body);
    let elicitation = &error["data"]["elicitations"][0];
    assert_eq!(elicitation["mode"], "url");
    let url = elicitation["url"].as_str().unwrap();
    assert_eq!(pages.arguments(id_of(url)), json!({"text": "x"}));
}

/// An "always" given on a page is remembered too; the retry still takes the page's decision
/// rather than leave it behind, where it would outlive a later revocation.
#[tokio::test]
async fn the_retry_takes_its_pages_always_before_memory_answers() {
    use mcp_runtime::host::approval::{ApprovalStore as _, NotAdmitted};
    use mcp_runtime::{McpServer, RunIds};

    let pages = Arc::new(Pages::default());
    let store = Arc::new(MemoryStore::default());
    let gate = ApprovalGate::new(SharedStore(store.clone())).with_pages(pages.clone());
    let server = <Desk as McpServer>::METADATA;
    let tool = server.tool("add_note").unwrap();
    let ids = RunIds {
        user_id: Some("ana".to_owned()),
        ..RunIds::default()
    };
    let arguments = json!({"text": "x"});
    let Err(NotAdmitted::Held(held)) = gate.admit(server, tool, &arguments, &ids, None).await
    else {
        panic!("a `low` call is held");
    };
    gate.publish(&held.id, &arguments).await.unwrap();
    pages.decide(&held.id, Decision::Always);
    let scope = pages.0.lock().unwrap()[&held.id].0.scope.clone();
    store.remember(&scope).await.unwrap();

    gate.admit(server, tool, &arguments, &ids, None)
        .await
        .unwrap();
    assert_eq!(pages.count(), 0, "the page's decision was taken");
    gate.admit(server, tool, &arguments, &ids, None)
        .await
        .expect("remembered");
}

/// A page is its call's: another agent's identical call does not take its decision; a call
/// that runs another way (memory, its client asking) takes its page down, so a later click
/// approves nothing; a call held again in a round takes no page; and a page shows the
/// arguments the call was held with, or is not published.
#[tokio::test]
async fn a_page_answers_its_own_call_only() {
    use mcp_runtime::host::approval::{ApprovalStore as _, NotAdmitted};
    use mcp_runtime::{McpServer, RunIds};

    let pages = Arc::new(Pages::default());
    let store = Arc::new(MemoryStore::default());
    let gate = ApprovalGate::new(SharedStore(store.clone())).with_pages(pages.clone());
    let server = <Desk as McpServer>::METADATA;
    let tool = server.tool("add_note").unwrap();
    let by = |agent: Option<&str>| RunIds {
        user_id: Some("ana".to_owned()),
        agent_id: agent.map(str::to_owned),
        ..RunIds::default()
    };
    let arguments = json!({"text": "x"});
    let held = |admitted: Result<(), NotAdmitted>| match admitted {
        Err(NotAdmitted::Held(held)) => held,
        other => panic!("not held: {other:?}"),
    };

    let first = held(
        gate.admit(server, tool, &arguments, &by(Some("helper")), None)
            .await,
    );
    assert_eq!(
        gate.publish(&first.id, &json!({"text": "other"})).await,
        None
    );
    assert!(gate.publish(&first.id, &arguments).await.is_some());
    pages.decide(&first.id, Decision::Once);
    let other_agent = held(
        gate.admit(server, tool, &arguments, &by(Some("other")), None)
            .await,
    );
    assert_ne!(other_agent.id, first.id);
    assert_eq!(pages.count(), 1, "the helper's decision is still there");
    // Held again in a round: the decided page is not taken.
    held(
        gate.hold_again(server, tool, &arguments, &by(Some("helper")))
            .await,
    );
    assert_eq!(pages.count(), 1);
    gate.admit(server, tool, &arguments, &by(Some("helper")), None)
        .await
        .expect("the helper's retry takes its decision");

    // Waiting on its page, the call is allowed meanwhile by memory: its page goes.
    let waiting = held(gate.admit(server, tool, &arguments, &by(None), None).await);
    gate.publish(&waiting.id, &arguments).await.unwrap();
    let scope = pages.0.lock().unwrap()[&waiting.id].0.scope.clone();
    store.remember(&scope).await.unwrap();
    gate.admit(server, tool, &arguments, &by(None), None)
        .await
        .expect("remembered");
    assert_eq!(pages.count(), 0, "its page was taken down");
}

/// One memory store shared by a gate and the test.
struct SharedStore(Arc<MemoryStore>);

impl mcp_runtime::host::approval::ApprovalStore for SharedStore {
    fn is_remembered<'a>(
        &'a self,
        scope: &'a mcp_runtime::host::approval::ApprovalScope,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        self.0.is_remembered(scope)
    }

    fn remember<'a>(
        &'a self,
        scope: &'a mcp_runtime::host::approval::ApprovalScope,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.0.remember(scope)
    }
}
