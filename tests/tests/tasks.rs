//! Calls as tasks (2026-07-28's tasks extension): a client that declared the extension gets a
//! task at once and polls it; the task's questions park it until `tasks/update` answers them; a
//! task can be cancelled; each user sees only their own tasks, and holds a bounded number.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use http::StatusCode;
use mcp_runtime::host::approval::{ApprovalGate, MemoryStore};
use mcp_runtime::host::serve::{HttpConfig, http_router};
use mcp_runtime::host::{CallOptions, SharedServer};
use serde_json::{Value, json};
use std::sync::atomic::Ordering;

use tests::interview::{Interview, STOPPED};

mod support;
use support::http::{post, send};

const TASKS: &str = "io.modelcontextprotocol/tasks";

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

/// One request of `user` from a client declaring `capabilities`; the status and the message.
async fn request(
    router: &Router,
    user: &str,
    method: &str,
    name: &str,
    mut params: Value,
    capabilities: Value,
) -> (StatusCode, Value) {
    params["_meta"] = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": capabilities,
    });
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let authorization = format!("Bearer {user}");
    let headers = [
        ("authorization", authorization.as_str()),
        ("mcp-protocol-version", "2026-07-28"),
        ("mcp-method", method),
        ("mcp-name", name),
    ];
    let answer = send(router, post(&headers, body.to_string())).await;
    (answer.status, answer.message())
}

fn with_tasks() -> Value {
    json!({"elicitation": {}, "extensions": {TASKS: {}}})
}

async fn call(router: &Router, user: &str, tool: &str) -> Value {
    let params = json!({"name": tool, "arguments": {}});
    let (status, answer) = request(router, user, "tools/call", tool, params, with_tasks()).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer
}

async fn task(router: &Router, user: &str, method: &str, id: &str, extra: Value) -> Value {
    let mut params = json!({"taskId": id});
    params
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    request(router, user, method, id, params, with_tasks())
        .await
        .1
}

/// `tasks/get` until the task's status is `status` (5 s at most).
async fn until(router: &Router, id: &str, status: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let got = task(router, "ana", "tasks/get", id, json!({})).await;
        if got["result"]["status"] == status {
            return got;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never {status}: {got}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_task_asks_through_tasks_get_and_resumes_on_tasks_update() {
    let router = router();
    let created = call(&router, "ana", "paint").await;
    assert_eq!(created["result"]["resultType"], "task", "{created}");
    let id = created["result"]["taskId"].as_str().unwrap().to_owned();
    for field in ["createdAt", "lastUpdatedAt"] {
        let at = created["result"][field].as_str().unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(at).is_ok(),
            "{field} is RFC 3339: {created}"
        );
    }

    let parked = until(&router, &id, "input_required").await;
    assert_eq!(
        parked["result"]["inputRequests"]["color"]["params"]["message"], "Which color?",
        "{parked}"
    );
    let answer =
        json!({"inputResponses": {"color": {"action": "accept", "content": {"color": "teal"}}}});
    let acked = task(&router, "ana", "tasks/update", &id, answer).await;
    assert_eq!(
        acked["result"],
        json!({"resultType": "complete"}),
        "{acked}"
    );

    let done = until(&router, &id, "completed").await;
    assert_eq!(
        done["result"]["result"]["content"][0]["text"], "painted teal",
        "{done}"
    );
    // Another user does not see it.
    let hidden = task(&router, "bo", "tasks/get", &id, json!({})).await;
    assert_eq!(hidden["error"]["code"], -32602, "{hidden}");
}

#[tokio::test]
async fn a_cancelled_task_stops_its_call_and_stays_cancelled() {
    let router = router();
    let stopped = STOPPED.load(Ordering::SeqCst);
    let created = call(&router, "ana", "wait").await;
    let id = created["result"]["taskId"].as_str().unwrap().to_owned();
    let working = task(&router, "ana", "tasks/get", &id, json!({})).await;
    assert_eq!(working["result"]["status"], "working", "{working}");
    assert!(
        working["result"].get("inputRequests").is_none(),
        "{working}"
    );
    let acked = task(&router, "ana", "tasks/cancel", &id, json!({})).await;
    assert_eq!(
        acked["result"],
        json!({"resultType": "complete"}),
        "{acked}"
    );
    until(&router, &id, "cancelled").await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let still = task(&router, "ana", "tasks/get", &id, json!({})).await;
    assert_eq!(still["result"]["status"], "cancelled", "{still}");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while STOPPED.load(Ordering::SeqCst) == stopped {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the call was not stopped"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn without_the_extension_a_required_task_is_refused_and_an_optional_one_runs_as_a_call() {
    let router = router();
    let params = json!({"name": "wait", "arguments": {}});
    let (status, refused) = request(&router, "ana", "tools/call", "wait", params, json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert_eq!(refused["error"]["code"], -32021, "{refused}");
    assert_eq!(
        refused["error"]["data"]["requiredCapabilities"],
        json!({"extensions": {TASKS: {}}})
    );
    let params = json!({"name": "paint", "arguments": {}});
    let caps = json!({"elicitation": {}});
    let (_, round) = request(&router, "ana", "tools/call", "paint", params, caps).await;
    assert_eq!(round["result"]["resultType"], "input_required", "{round}");
    let (status, refused) = request(
        &router,
        "ana",
        "tasks/get",
        "x",
        json!({"taskId": "x"}),
        json!({}),
    )
    .await;
    assert_eq!(
        (status, &refused["error"]["code"]),
        (StatusCode::BAD_REQUEST, &json!(-32021))
    );
}

#[tokio::test]
async fn a_user_holds_sixteen_running_tasks_at_most() {
    let router = router();
    let mut ids = Vec::new();
    for _ in 0..16 {
        let created = call(&router, "ana", "wait").await;
        ids.push(created["result"]["taskId"].as_str().unwrap().to_owned());
    }
    // Another user's finished task does not make room for `ana`: it is theirs to read.
    let bos = finished(&router, "bo").await;
    let refused = call(&router, "ana", "wait").await;
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("too many tasks still running (at most 16 per user"),
        "{refused}"
    );
    let kept = task(&router, "bo", "tasks/get", &bos, json!({})).await;
    assert_eq!(kept["result"]["status"], "completed", "{kept}");
    // Another user is not held back; a finished task makes room.
    let other = call(&router, "bo", "wait").await;
    assert_eq!(other["result"]["resultType"], "task", "{other}");
    task(&router, "ana", "tasks/cancel", &ids[0], json!({})).await;
    let again = call(&router, "ana", "wait").await;
    assert_eq!(again["result"]["resultType"], "task", "{again}");
    for id in &ids {
        task(&router, "ana", "tasks/cancel", id, json!({})).await;
    }
}

/// A finished task of `user` (`paint`, answered).
async fn finished(router: &Router, user: &str) -> String {
    let created = call(router, user, "paint").await;
    let id = created["result"]["taskId"].as_str().unwrap().to_owned();
    let answer =
        json!({"inputResponses": {"color": {"action": "accept", "content": {"color": "red"}}}});
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        task(router, user, "tasks/update", &id, answer.clone()).await;
        let got = task(router, user, "tasks/get", &id, json!({})).await;
        if got["result"]["status"] == "completed" {
            return id;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never completed: {got}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test(start_paused = true)]
async fn a_finished_task_is_kept_an_hour() {
    let router = router();
    let id = finished(&router, "ana").await;
    // Another task later: the finished one is still there within the hour.
    tokio::time::advance(Duration::from_secs(3599)).await;
    call(&router, "ana", "wait").await;
    let kept = task(&router, "ana", "tasks/get", &id, json!({})).await;
    assert_eq!(kept["result"]["status"], "completed", "{kept}");
    // Past the hour, the next task's creation forgets it.
    tokio::time::advance(Duration::from_secs(2)).await;
    call(&router, "ana", "wait").await;
    let gone = task(&router, "ana", "tasks/get", &id, json!({})).await;
    assert_eq!(gone["error"]["code"], -32602, "{gone}");
}

#[tokio::test]
async fn past_the_cap_in_all_a_finished_task_of_anyone_makes_room() {
    let router = router();
    // 1 024 tasks: 63 users with 16 running each, and `ana` with 15 running and 1 finished.
    let ana_finished = finished(&router, "ana").await;
    for _ in 0..15 {
        call(&router, "ana", "wait").await;
    }
    for user in 0..63 {
        for _ in 0..16 {
            let created = call(&router, &format!("u-{user}"), "wait").await;
            assert_eq!(created["result"]["resultType"], "task", "{created}");
        }
    }
    // `bo`, under its own cap, gets a task: `ana`'s finished one is forgotten for it.
    let bo = call(&router, "bo", "wait").await;
    assert_eq!(bo["result"]["resultType"], "task", "{bo}");
    let gone = task(&router, "ana", "tasks/get", &ana_finished, json!({})).await;
    assert_eq!(gone["error"]["code"], -32602, "{gone}");
    // Now every task runs: nobody gets another.
    let refused = call(&router, "u-0", "wait").await;
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("too many tasks"),
        "{refused}"
    );
}

#[tokio::test]
async fn unnamed_questions_are_numbered_and_a_crash_fails_the_task() {
    let router = router();
    let created = call(&router, "ana", "tint").await;
    let id = created["result"]["taskId"].as_str().unwrap().to_owned();
    let parked = until(&router, &id, "input_required").await;
    assert_eq!(
        parked["result"]["inputRequests"]["input-1"]["params"]["message"], "Which shade?",
        "{parked}"
    );

    let created = call(&router, "ana", "crash").await;
    let id = created["result"]["taskId"].as_str().unwrap().to_owned();
    let failed = until(&router, &id, "failed").await;
    assert_eq!(failed["result"]["error"]["code"], -32603, "{failed}");
    assert!(
        failed["result"]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("the brush broke"),
        "{failed}"
    );
    assert!(failed["result"].get("result").is_none(), "{failed}");

    // A tool error is a result: the task completes with it.
    let created = call(&router, "ana", "refuse").await;
    let id = created["result"]["taskId"].as_str().unwrap().to_owned();
    let done = until(&router, &id, "completed").await;
    assert_eq!(done["result"]["result"]["isError"], true, "{done}");
    assert_eq!(
        done["result"]["result"]["content"][0]["text"], "not today",
        "{done}"
    );
}

/// An accepted form answer of one `field`.
fn accepted(field: &str, value: &str) -> Value {
    json!({"action": "accept", "content": {field: value}})
}

/// The call of `tool` again, with the answer to `key` and the round's request state.
async fn retry(router: &Router, tool: &str, round: &Value, key: &str, answer: Value) -> Value {
    let params = json!({
        "name": tool,
        "arguments": {},
        "inputResponses": {key: answer},
        "requestState": round["result"]["requestState"],
    });
    let (status, answer) = request(router, "ana", "tools/call", tool, params, with_tasks()).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    answer
}

#[tokio::test]
async fn a_handler_asks_in_rounds_then_becomes_a_task_that_asks_through_it() {
    let router = router();
    let round = call(&router, "ana", "sketch").await;
    assert_eq!(round["result"]["resultType"], "input_required", "{round}");
    assert!(round["result"].get("taskId").is_none(), "{round}");
    assert_eq!(
        round["result"]["inputRequests"]["subject"]["params"]["message"], "Which subject?",
        "{round}"
    );

    let created = retry(
        &router,
        "sketch",
        &round,
        "subject",
        accepted("subject", "a cat"),
    )
    .await;
    assert_eq!(created["result"]["resultType"], "task", "{created}");
    for leftover in ["requestState", "inputRequests"] {
        assert!(created["result"].get(leftover).is_none(), "{created}");
    }
    let id = created["result"]["taskId"].as_str().unwrap().to_owned();
    let parked = until(&router, &id, "input_required").await;
    assert_eq!(
        parked["result"]["inputRequests"]["color"]["params"]["message"], "Which color?",
        "{parked}"
    );
    let answer = json!({"inputResponses": {"color": accepted("color", "teal")}});
    task(&router, "ana", "tasks/update", &id, answer).await;
    let done = until(&router, &id, "completed").await;
    assert_eq!(
        done["result"]["result"]["content"][0]["text"], "sketched a cat in teal",
        "{done}"
    );
}

#[tokio::test]
async fn an_optional_task_started_by_its_handler_is_a_plain_call_for_a_client_without_tasks() {
    let router = router();
    let caps = json!({"elicitation": {}});
    let params = json!({"name": "draw", "arguments": {}});
    let (_, round) = request(&router, "ana", "tools/call", "draw", params, caps.clone()).await;
    assert_eq!(round["result"]["resultType"], "input_required", "{round}");
    let params = json!({
        "name": "draw",
        "arguments": {},
        "inputResponses": {"subject": accepted("subject", "a boat")},
        "requestState": round["result"]["requestState"],
    });
    let (_, drawn) = request(&router, "ana", "tools/call", "draw", params, caps).await;
    assert_eq!(drawn["result"]["resultType"], "complete", "{drawn}");
    assert_eq!(
        drawn["result"]["content"][0]["text"], "drew a boat",
        "{drawn}"
    );

    // With the extension, the same call becomes a task once its question is answered.
    let round = call(&router, "ana", "draw").await;
    let created = retry(
        &router,
        "draw",
        &round,
        "subject",
        accepted("subject", "a boat"),
    )
    .await;
    let id = created["result"]["taskId"].as_str().unwrap().to_owned();
    let done = until(&router, &id, "completed").await;
    assert_eq!(
        done["result"]["result"]["content"][0]["text"],
        "drew a boat"
    );
}

#[tokio::test]
async fn an_optional_task_whose_handler_never_starts_it_answers_as_a_plain_call() {
    let router = router();
    let answered = call(&router, "ana", "glance").await;
    assert_eq!(answered["result"]["resultType"], "complete", "{answered}");
    assert_eq!(answered["result"]["content"][0]["text"], "glanced");
}

#[tokio::test]
async fn a_required_task_whose_handler_never_starts_it_is_answered_as_a_finished_task() {
    let router = router();
    let created = call(&router, "ana", "doodle").await;
    assert_eq!(created["result"]["resultType"], "task", "{created}");
    let id = created["result"]["taskId"].as_str().unwrap();
    let done = task(&router, "ana", "tasks/get", id, json!({})).await;
    assert_eq!(done["result"]["status"], "completed", "{done}");
    assert_eq!(done["result"]["result"]["content"][0]["text"], "doodled");
}

#[tokio::test]
async fn a_task_its_handler_started_is_stopped_by_tasks_cancel() {
    let router = router();
    let stopped = STOPPED.load(Ordering::SeqCst);
    let created = call(&router, "ana", "linger").await;
    assert_eq!(created["result"]["resultType"], "task", "{created}");
    let id = created["result"]["taskId"].as_str().unwrap().to_owned();
    let working = task(&router, "ana", "tasks/get", &id, json!({})).await;
    assert_eq!(working["result"]["status"], "working", "{working}");
    task(&router, "ana", "tasks/cancel", &id, json!({})).await;
    until(&router, &id, "cancelled").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while STOPPED.load(Ordering::SeqCst) == stopped {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the handler was not stopped"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_handler_asking_for_a_task_past_the_cap_gets_the_error_and_is_not_resumed() {
    let router = router();
    let mut ids = Vec::new();
    for _ in 0..16 {
        let created = call(&router, "bo", "wait").await;
        ids.push(created["result"]["taskId"].as_str().unwrap().to_owned());
    }
    let refused = call(&router, "bo", "linger").await;
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("too many tasks still running"),
        "{refused}"
    );
    for id in &ids {
        task(&router, "bo", "tasks/cancel", id, json!({})).await;
    }
}
