//! What a client can make the `sqlite` server hold is bounded: a runaway statement stops when
//! its call is cancelled, concurrent work is capped, one value cannot grow past a limit, and a
//! broken view is reported as broken without hiding the other tables.

use std::time::{Duration, Instant};

use mcp_runtime::{CallError, CancellationToken, McpServer, ToolContext};
use providers::sqlite::Sqlite;
use rusqlite::Connection;
use serde_json::json;

/// A query that would run for hours: counting to a trillion.
const RUNAWAY: &str = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n \
                       WHERE i < 1000000000000) SELECT count(*) FROM n";

fn database() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("limits.sqlite");
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "CREATE TABLE kept (id INTEGER);
             CREATE TABLE gone (id INTEGER);
             CREATE VIEW orphan AS SELECT * FROM gone;
             DROP TABLE gone;
             INSERT INTO kept VALUES (1), (2);",
        )
        .unwrap();
    (dir, path)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_runaway_query_stops_and_frees_its_worker() {
    let (_dir, path) = database();
    // One worker: the next query can only run once the runaway has really stopped.
    let sqlite = Sqlite::open(&path).with_concurrency(1);
    let cancel = CancellationToken::new();
    let runaway = {
        let sqlite = sqlite.clone();
        let ctx = ToolContext::new().with_cancellation(cancel.clone());
        tokio::spawn(async move {
            sqlite
                .call_tool("query", json!({"sql": RUNAWAY}), ctx)
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let busy = sqlite
        .call_tool("query", json!({"sql": "SELECT 1"}), ToolContext::new())
        .await
        .unwrap();
    assert!(busy.is_error);
    assert_eq!(
        busy.text(),
        "the database is busy with 1 queries; try again in a moment"
    );

    let cancelled_at = Instant::now();
    cancel.cancel();
    let outcome = runaway.await.unwrap();
    assert!(
        matches!(outcome, Err(CallError::Cancelled { .. })),
        "{outcome:?}"
    );
    // The statement itself stopped: its worker is free again within a second.
    loop {
        let result = sqlite
            .call_tool(
                "query",
                json!({"sql": "SELECT 1 AS one"}),
                ToolContext::new(),
            )
            .await
            .unwrap();
        if !result.is_error {
            break;
        }
        assert!(
            cancelled_at.elapsed() < Duration::from_secs(1),
            "the runaway query still holds its worker: {}",
            result.text()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_value_cannot_grow_past_the_limit() {
    let (_dir, path) = database();
    let result = Sqlite::open(&path)
        .call_tool(
            "query",
            json!({"sql": "SELECT length(zeroblob(100000000)) AS n"}),
            ToolContext::new(),
        )
        .await
        .unwrap();
    assert!(result.is_error);
    assert!(result.text().contains("too big"), "{}", result.text());
    // Long text is cut in the answer, saying how long it was.
    let result = Sqlite::open(&path)
        .call_tool(
            "query",
            json!({"sql": "SELECT printf('%.10000c', 'x') AS long"}),
            ToolContext::new(),
        )
        .await
        .unwrap();
    assert!(
        result.text().contains("… (10000 bytes in all)"),
        "{}",
        result.text()
    );
}

#[tokio::test]
async fn a_broken_view_is_reported_and_the_other_tables_still_served() {
    let (_dir, path) = database();
    let sqlite = Sqlite::open(&path);
    let tables = sqlite
        .call_tool("list_tables", json!({}), ToolContext::new())
        .await
        .unwrap();
    assert!(!tables.is_error, "{}", tables.text());
    let text = tables.text();
    assert!(text.contains("kept (2 rows)"), "{text}");
    assert!(text.contains("orphan (broken)"), "{text}");
    assert!(text.contains("no such table: main.gone"), "{text}");
    let kept = sqlite
        .call_tool(
            "describe_table",
            json!({"table": "kept"}),
            ToolContext::new(),
        )
        .await
        .unwrap();
    assert!(!kept.is_error, "{}", kept.text());
}

#[tokio::test]
async fn a_row_of_many_large_values_is_refused_within_the_memory_limit() {
    let (_dir, path) = database();
    // Sixty values of 16 MB each: under the value limit one by one, about a gigabyte together.
    let columns: Vec<String> = (0..60)
        .map(|n| format!("randomblob(16000000) AS c{n}"))
        .collect();
    let sql = format!("SELECT {}", columns.join(", "));
    let result = Sqlite::open(&path)
        .call_tool("query", json!({ "sql": sql }), ToolContext::new())
        .await
        .unwrap();
    assert!(result.is_error);
    assert_eq!(
        result.text(),
        "the statement needs more memory than SQLite may use in this server (256 MiB, shared by \
         all queries); select fewer or smaller values"
    );
    // nextest runs each test in its own process: its peak is this statement's.
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let peak_kib: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.split_whitespace().next())
        .and_then(|value| value.parse().ok())
        .unwrap();
    assert!(peak_kib < 400 * 1024, "peak RSS {peak_kib} KiB");
}
