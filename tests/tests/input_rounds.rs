//! Questions a tool asks on 2026-07-28: each goes back in an input-required result, the client's
//! retry runs the handler again with the answers so far (earlier ones sealed in the request
//! state), and an approval covers its call through the rounds, once.

use std::sync::Arc;

use axum::Router;
use http::StatusCode;
use mcp_runtime::host::approval::{ApprovalGate, MemoryStore};
use mcp_runtime::host::serve::{HttpConfig, http_router};
use mcp_runtime::host::{CallOptions, SharedServer};
use serde_json::{Value, json};
use tests::interview::Interview;

mod support;
use support::http::{post, send};

/// `Interview` behind a gate, protected.
fn router() -> Router {
    http_router(
        &[SharedServer::new(Interview)],
        &HttpConfig {
            calls: CallOptions::new()
                .with_gate(Arc::new(ApprovalGate::new(MemoryStore::default()))),
            protected: Some(support::users::protected()),
            ..HttpConfig::default()
        },
    )
}

/// One stateless call.
struct Call<'a> {
    user: &'a str,
    tool: &'a str,
    arguments: Value,
    capabilities: Value,
    state: Option<String>,
    responses: Value,
}

impl<'a> Call<'a> {
    fn new(tool: &'a str) -> Self {
        Call {
            user: "ana",
            tool,
            arguments: json!({}),
            capabilities: json!({"elicitation": {}}),
            state: None,
            responses: json!({}),
        }
    }

    /// The same call again, with the state of `previous` and `responses`.
    fn retry(&self, previous: &Value, responses: Value) -> Self {
        Call {
            user: self.user,
            tool: self.tool,
            arguments: self.arguments.clone(),
            capabilities: self.capabilities.clone(),
            state: Some(state(previous)),
            responses,
        }
    }

    async fn send(&self, router: &Router) -> Value {
        let mut params = json!({
            "name": self.tool,
            "arguments": self.arguments,
            "_meta": {
                "io.modelcontextprotocol/protocolVersion": "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities": self.capabilities,
                "io.modelcontextprotocol/clientInfo": {"name": "rounds", "version": "1"}
            }
        });
        if let Some(state) = &self.state {
            params["requestState"] = json!(state);
        }
        if self.responses != json!({}) {
            params["inputResponses"] = self.responses.clone();
        }
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params});
        let authorization = format!("Bearer {}", self.user);
        let headers = [
            ("authorization", authorization.as_str()),
            ("mcp-protocol-version", "2026-07-28"),
            ("mcp-method", "tools/call"),
            ("mcp-name", self.tool),
        ];
        let answer = send(router, post(&headers, body.to_string())).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        answer.message()
    }
}

fn state(answer: &Value) -> String {
    answer["result"]["requestState"]
        .as_str()
        .unwrap_or_else(|| panic!("no request state: {answer}"))
        .to_owned()
}

/// The keys of the input requests of an input-required answer.
fn asked(answer: &Value) -> Vec<&str> {
    assert_eq!(answer["result"]["resultType"], "input_required", "{answer}");
    answer["result"]["inputRequests"]
        .as_object()
        .unwrap_or_else(|| panic!("no input requests: {answer}"))
        .keys()
        .map(String::as_str)
        .collect()
}

fn accept(field: &str, value: &str) -> Value {
    json!({"action": "accept", "content": {field: value}})
}

fn text(answer: &Value) -> &str {
    answer["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("no text: {answer}"))
}

#[tokio::test]
async fn a_question_goes_back_and_the_retry_runs_the_call_with_its_answer() {
    let router = router();
    let call = Call::new("greet");
    let first = call.send(&router).await;
    assert_eq!(asked(&first), ["name"]);
    let question = &first["result"]["inputRequests"]["name"];
    assert_eq!(question["method"], "elicitation/create", "{first}");
    assert_eq!(question["params"]["message"], "Your name?", "{first}");

    let done = call
        .retry(
            &first,
            json!({"name": accept("name", "Ana"), "extra": {"ignored": true}}),
        )
        .send(&router)
        .await;
    assert_eq!(done["result"]["resultType"], "complete", "{done}");
    assert_eq!(text(&done), "Hello, Ana");
}

#[tokio::test]
async fn a_round_ends_on_a_question_not_on_a_pause() {
    let router = router();
    let call = Call::new("patient");
    let first = call.send(&router).await;
    assert_eq!(asked(&first), ["name"]);
    let done = call
        .retry(&first, json!({"name": accept("name", "Bo")}))
        .send(&router)
        .await;
    assert_eq!(text(&done), "Hello, Bo");
}

#[tokio::test]
async fn sampling_and_roots_are_asked_of_a_client_that_declared_them() {
    let router = router();
    let mut call = Call::new("consult");
    call.capabilities = json!({"sampling": {}, "roots": {}});
    let first = call.send(&router).await;
    assert_eq!(asked(&first), ["model", "roots"]);
    assert_eq!(
        first["result"]["inputRequests"]["model"]["method"],
        "sampling/createMessage"
    );
    assert_eq!(
        first["result"]["inputRequests"]["roots"]["method"],
        "roots/list"
    );
    let answers = json!({
        "model": {"role": "assistant", "content": {"type": "text", "text": "Hello"}, "model": "m"},
        "roots": {"roots": [{"uri": "file:///work", "name": "work"}]},
    });
    let done = call.retry(&first, answers).send(&router).await;
    assert_eq!(text(&done), "Hello from file:///work");
}

#[tokio::test]
async fn questions_asked_in_turn_take_a_round_each_and_earlier_answers_travel_sealed() {
    let router = router();
    let call = Call::new("survey");
    let first = call.send(&router).await;
    assert_eq!(asked(&first), ["input-1"], "unnamed questions are numbered");
    let second = call
        .retry(&first, json!({"input-1": accept("city", "Lyon")}))
        .send(&router)
        .await;
    assert_eq!(asked(&second), ["input-2"]);
    // The first answer is not sent again: it comes back in the state.
    let done = call
        .retry(&second, json!({"input-2": accept("color", "teal")}))
        .send(&router)
        .await;
    assert_eq!(text(&done), "teal in Lyon");
    // A wrong or missing answer is asked for again, not an error.
    let again = call
        .retry(&first, json!({"input-1": "not an elicitation result"}))
        .send(&router)
        .await;
    assert_eq!(asked(&again), ["input-1"]);
}

#[tokio::test]
async fn questions_asked_together_go_back_together() {
    let router = router();
    let call = Call::new("pair");
    let first = call.send(&router).await;
    assert_eq!(asked(&first), ["first", "second"]);
    let done = call
        .retry(
            &first,
            json!({"first": accept("value", "a"), "second": accept("value", "b")}),
        )
        .send(&router)
        .await;
    assert_eq!(text(&done), "a and b");
}

#[tokio::test]
async fn a_state_altered_or_brought_to_another_call_is_invalid_params() {
    let router = router();
    let call = Call::new("survey");
    let first = call.send(&router).await;
    let answers = json!({"input-1": accept("city", "Lyon")});
    let sealed = state(&first);

    let mut altered = call.retry(&first, answers.clone());
    altered.state = Some(format!("{sealed}A"));
    let mut other_user = call.retry(&first, answers.clone());
    other_user.user = "bo";
    let mut other_tool = call.retry(&first, answers.clone());
    other_tool.tool = "greet";
    for refused in [altered, other_user, other_tool] {
        let answer = refused.send(&router).await;
        assert_eq!(answer["error"]["code"], -32602, "{answer}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("the request state does not belong to this call"),
            "{answer}"
        );
    }
}

#[tokio::test]
async fn a_call_needing_what_the_client_did_not_declare_is_the_missing_capability_error() {
    let router = router();
    let mut call = Call::new("greet");
    call.capabilities = json!({"sampling": {}});
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {
        "name": "greet",
        "arguments": {},
        "_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": call.capabilities,
        }
    }});
    let headers = [
        ("authorization", "Bearer ana"),
        ("mcp-protocol-version", "2026-07-28"),
        ("mcp-method", "tools/call"),
        ("mcp-name", "greet"),
    ];
    let answer = send(&router, post(&headers, body.to_string())).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.body);
    let refused = answer.message();
    assert_eq!(refused["error"]["code"], -32021, "{refused}");
    assert_eq!(
        refused["error"]["data"]["requiredCapabilities"],
        json!({"elicitation": {}}),
        "{refused}"
    );
}

#[tokio::test]
async fn the_answers_a_call_keeps_are_bounded() {
    let router = router();
    let call = Call::new("endless");
    let first = call.send(&router).await;
    assert_eq!(asked(&first), ["q0"]);
    // Every answer at once: the handler takes 32, then is refused the next.
    let answers: serde_json::Map<String, Value> = (0..40)
        .map(|question| (format!("q{question}"), accept("value", "yes")))
        .collect();
    let stopped = call
        .retry(&first, Value::Object(answers))
        .send(&router)
        .await;
    assert_eq!(stopped["result"]["isError"], true, "{stopped}");
    assert_eq!(
        text(&stopped),
        "a call may ask its client at most 32 questions"
    );
}

#[tokio::test]
async fn an_approval_covers_its_call_through_the_rounds_once() {
    let router = router();
    let mut call = Call::new("publish");
    call.arguments = json!({"draft": "notes"});
    let held = call.send(&router).await;
    assert_eq!(asked(&held), ["approval"]);

    // Approved: the handler runs and asks its own question; the approval is not asked again.
    let approved = json!({"approval": {"action": "accept", "content": {"decision": "once"}}});
    let question = call.retry(&held, approved).send(&router).await;
    assert_eq!(asked(&question), ["title"]);

    let title = json!({"title": accept("title", "Q3")});
    let published = call.retry(&question, title.clone()).send(&router).await;
    assert_eq!(text(&published), "published notes as Q3");

    // The same retry again: the approval was used.
    let replayed = call.retry(&question, title).send(&router).await;
    assert_eq!(replayed["result"]["isError"], true, "{replayed}");
    assert!(text(&replayed).contains("no call is waiting"), "{replayed}");
    assert_eq!(
        replayed["result"]["_meta"]["mcp-runtime/error"],
        json!({"kind": "approval_required", "stake": "low"}),
        "{replayed}"
    );
}

#[tokio::test]
async fn an_approval_answer_with_a_state_that_does_not_open_is_refused_with_the_stake() {
    let router = router();
    let mut call = Call::new("publish");
    call.arguments = json!({"draft": "notes"});
    let held = call.send(&router).await;
    let approved = json!({"approval": {"action": "accept", "content": {"decision": "once"}}});
    let mut altered = call.retry(&held, approved);
    altered.state = Some(format!("{}A", state(&held)));
    let refused = altered.send(&router).await;
    assert!(
        text(&refused).starts_with("the request state does not belong to this call of `publish`"),
        "{refused}"
    );
    assert_eq!(
        refused["result"]["_meta"]["mcp-runtime/error"],
        json!({"kind": "approval_required", "stake": "low"}),
        "{refused}"
    );
}

#[tokio::test]
async fn a_client_that_cannot_be_asked_is_told_how_to_approve() {
    let router = router();
    let mut call = Call::new("publish");
    call.arguments = json!({"draft": "notes"});
    call.capabilities = json!({"sampling": {}});
    let refused = call.send(&router).await;
    assert_eq!(refused["result"]["isError"], true, "{refused}");
    assert!(text(&refused).contains("cannot ask its user"), "{refused}");
}
