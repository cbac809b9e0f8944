//! The register of running calls a stopping host reads: a call is in it exactly while it runs,
//! and `settle` waits for the calls to end, at most for the grace period.

use std::sync::Arc;
use std::time::Duration;

use mcp_runtime::host::{CallOptions, RunningCalls};
use mcp_runtime::{McpServer, ToolContext};
use serde_json::json;
use tests::jira::Jira;
use tokio::time::Instant;

/// Starts Jira's `sleep` for `millis` under `running`.
fn sleep(running: &Arc<RunningCalls>, millis: u64) -> tokio::task::JoinHandle<()> {
    let options = CallOptions::new().with_running(running.clone());
    tokio::spawn(async move {
        let result = Jira
            .call_tool_with(
                "sleep",
                json!({"millis": millis}),
                ToolContext::new(),
                &options,
            )
            .await
            .unwrap();
        assert_eq!(result.text(), "slept");
    })
}

#[tokio::test(start_paused = true)]
async fn a_call_is_registered_while_it_runs() {
    let running = Arc::new(RunningCalls::default());
    let call = sleep(&running, 300);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let now = running.snapshot();
    assert_eq!(now.len(), 1);
    assert_eq!((now[0].server, now[0].tool), ("jira", "sleep"));
    assert_eq!(now[0].to_string(), "jira/sleep (running 0.1 s)");
    assert_eq!(format!("{running:?}"), "RunningCalls { running: 1 }");
    call.await.unwrap();
    assert!(running.snapshot().is_empty(), "gone when it ends");
}

#[tokio::test(start_paused = true)]
async fn the_longest_running_comes_first() {
    let running = Arc::new(RunningCalls::default());
    let calls = [sleep(&running, 400), sleep(&running, 50)];
    tokio::time::sleep(Duration::from_millis(10)).await;
    let third = sleep(&running, 400);
    tokio::time::sleep(Duration::from_millis(10)).await;
    let started: Vec<Instant> = running.snapshot().iter().map(|call| call.started).collect();
    assert_eq!(started.len(), 3);
    assert!(started.is_sorted(), "{started:?}");
    for call in calls.into_iter().chain([third]) {
        call.await.unwrap();
    }
}

#[tokio::test(start_paused = true)]
async fn settle_returns_at_once_when_nothing_runs() {
    let running = RunningCalls::default();
    let started = Instant::now();
    assert!(running.settle(Duration::from_secs(10)).await.is_empty());
    assert_eq!(started.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn settle_waits_for_calls_that_end_within_the_grace() {
    let running = Arc::new(RunningCalls::default());
    let call = sleep(&running, 300);
    tokio::task::yield_now().await;
    let started = Instant::now();
    assert!(running.settle(Duration::from_secs(1)).await.is_empty());
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_secs(1),
        "{waited:?}"
    );
    call.await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn settle_gives_up_after_the_grace_naming_the_calls() {
    let running = Arc::new(RunningCalls::default());
    let call = sleep(&running, 450);
    tokio::task::yield_now().await;
    let started = Instant::now();
    let abandoned = running.settle(Duration::from_millis(200)).await;
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(200) && waited < Duration::from_millis(450),
        "{waited:?}"
    );
    assert_eq!(abandoned.len(), 1);
    assert_eq!(abandoned[0].tool, "sleep");
    call.await.unwrap();
}
