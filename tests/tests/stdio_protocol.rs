//! MCP over stdio, line by line through `serve_lines` in-process: lines that are not messages
//! get the right error and the server goes on, an endless line is skipped unbuffered, ids in
//! flight are unique and at most so many, a cancelled request frees its id, and closing the
//! input with calls running names them. (`providers/tests/limits.rs` drives the binary.)

use std::sync::Arc;
use std::time::Duration;

use mcp_runtime::host::serve::{MAX_LINE_BYTES, MAX_REQUESTS_IN_FLIGHT, McpHandler};
use mcp_runtime::host::{CallOptions, RunningCalls};
use serde_json::{Value, json};
use tests::jira::Jira;

mod support;
use support::stdio::Client;

/// A client of Jira's test server (its calls stop at 500 ms), connected and initialized.
async fn start(options: CallOptions) -> Client {
    Client::start(McpHandler::new(Jira).with_options(options), json!({})).await
}

/// The answer to a `ping` under `id`: the server still serves.
async fn pings(client: &mut Client, id: u64) {
    client
        .send(&json!({"jsonrpc": "2.0", "id": id, "method": "ping"}))
        .await;
    assert_eq!(
        client.next().await,
        json!({"jsonrpc": "2.0", "id": id, "result": {}})
    );
}

/// Calls `sleep` for `millis` under `id`.
async fn sleep(client: &mut Client, id: Value, millis: u64) {
    client
        .send(&json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": {"name": "sleep", "arguments": {"millis": millis}}}))
        .await;
}

fn error(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

#[tokio::test]
async fn lines_that_are_not_messages_get_an_error_and_the_server_goes_on() {
    let mut client = start(CallOptions::new()).await;
    client.write(b"\n   \n{not json\n").await;
    assert_eq!(
        client.next().await,
        error(
            Value::Null,
            -32700,
            "parse error: each line must be one JSON-RPC message"
        )
    );
    client.write(b"{\"hello\": 1}\n").await;
    assert_eq!(
        client.next().await,
        error(
            Value::Null,
            -32600,
            "invalid request: not a JSON-RPC 2.0 message"
        )
    );
    client
        .send(&json!({"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": {}}))
        .await;
    let answer = client.next().await;
    assert_eq!(
        (answer["id"].clone(), answer["error"]["code"].clone()),
        (json!(9), json!(-32602))
    );
    pings(&mut client, 1).await;
}

#[tokio::test]
async fn a_line_arriving_in_pieces_while_answers_go_out_is_read_whole() {
    let mut client = start(CallOptions::new()).await;
    // Answers going out while the line comes in: rmcp's loop then drops the read in progress,
    // which must lose nothing of the line.
    for id in 0..8 {
        sleep(&mut client, json!(100 + id), 2 + id).await;
    }
    let ping = json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}).to_string() + "\n";
    for byte in ping.as_bytes() {
        client.write(&[*byte]).await;
        tokio::time::sleep(Duration::from_micros(500)).await;
    }
    let mut answered = Vec::new();
    for _ in 0..9 {
        let answer = client.next().await;
        assert!(answer.get("error").is_none(), "{answer}");
        answered.push(answer["id"].as_u64().unwrap());
    }
    answered.sort_unstable();
    assert_eq!(answered, [1, 100, 101, 102, 103, 104, 105, 106, 107]);
}

/// The documented limit, 16 MiB, written out rather than read from the constant.
const LIMIT: usize = 16 * 1024 * 1024;

/// `message` padded with spaces in front to `length` bytes.
fn padded(message: &Value, length: usize) -> Vec<u8> {
    let text = message.to_string();
    let mut line = vec![b' '; length - text.len()];
    line.extend_from_slice(text.as_bytes());
    line
}

#[tokio::test]
async fn an_endless_line_is_skipped_and_one_at_the_limit_is_read() {
    assert_eq!(MAX_LINE_BYTES, LIMIT);
    let mut client = start(CallOptions::new()).await;
    // Well over the limit: none of it is read as a message.
    let mut long = vec![b'x'; LIMIT + 100];
    long.push(b'\n');
    client.write(&long).await;
    assert_eq!(
        client.next().await,
        error(
            Value::Null,
            -32600,
            "request too large: a line may hold at most 16 MiB"
        )
    );
    pings(&mut client, 1).await;
    // 16 MiB and its newline.
    let mut line = padded(&json!({"jsonrpc": "2.0", "id": 2, "method": "ping"}), LIMIT);
    line.push(b'\n');
    client.write(&line).await;
    assert_eq!(
        client.next().await,
        json!({"jsonrpc": "2.0", "id": 2, "result": {}})
    );
    // 16 MiB without a newline, the input's last line.
    let line = padded(&json!({"jsonrpc": "2.0", "id": 3, "method": "ping"}), LIMIT);
    client.write(&line).await;
    client.close().await;
    assert_eq!(
        client.next().await,
        json!({"jsonrpc": "2.0", "id": 3, "result": {}})
    );
}

#[tokio::test]
async fn an_id_answered_with_an_error_is_free_again() {
    let mut client = start(CallOptions::new()).await;
    client
        .send(&json!({"jsonrpc": "2.0", "id": 3, "method": "no/such/method"}))
        .await;
    assert_eq!(client.next().await["error"]["code"], -32601);
    pings(&mut client, 3).await;
}

#[tokio::test]
async fn ids_in_flight_are_unique_and_at_most_so_many() {
    let mut client = start(CallOptions::new()).await;
    for id in 1..=MAX_REQUESTS_IN_FLIGHT as u64 {
        sleep(&mut client, json!(id), 300).await;
    }
    sleep(&mut client, json!(1), 300).await;
    assert_eq!(
        client.next().await,
        error(
            Value::Null,
            -32600,
            "invalid request: a request with id 1 is already in flight; ids must be unique \
             among requests in flight"
        )
    );
    sleep(&mut client, json!("extra"), 300).await;
    assert_eq!(
        client.next().await,
        error(
            json!("extra"),
            -32000,
            "64 requests are in flight, the most there may be; send this one when one of them \
             has been answered"
        )
    );
    for _ in 1..=MAX_REQUESTS_IN_FLIGHT {
        assert_eq!(client.next().await["result"]["content"][0]["text"], "slept");
    }
    // Answered, they free their ids.
    sleep(&mut client, json!(1), 10).await;
    assert_eq!(client.next().await["id"], 1);
}

#[tokio::test]
async fn a_cancelled_request_is_not_answered_and_frees_its_id() {
    let mut client = start(CallOptions::new()).await;
    sleep(&mut client, json!(7), 400).await;
    client
        .send(
            &json!({"jsonrpc": "2.0", "method": "notifications/cancelled",
            "params": {"requestId": 7}}),
        )
        .await;
    // The cancelled call stops at once and its answer is dropped (rmcp drops the answers of
    // cancelled requests); its id is free. (Reused within that moment, the id may be given the
    // cancelled call's answer: ARCHITECTURE.md, "Known gaps".)
    tokio::time::sleep(Duration::from_millis(100)).await;
    sleep(&mut client, json!(7), 10).await;
    let answer = client.next().await;
    assert_eq!(answer["id"], 7, "{answer}");
    assert_eq!(answer["result"]["content"][0]["text"], "slept", "{answer}");
}

#[tokio::test]
async fn closing_the_input_names_the_calls_running() {
    let logs = support::logs::Logs::capture();
    let running = Arc::new(RunningCalls::default());
    let mut client = start(CallOptions::new().with_running(running.clone())).await;
    sleep(&mut client, json!(1), 400).await;
    while running.snapshot().is_empty() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    client.close().await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !logs.text().contains("closed its input") {
        assert!(tokio::time::Instant::now() < deadline, "{}", logs.text());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(
        logs.text().contains(
            "the client closed its input with 1 call(s) running; they are cancelled unless they \
             end within 5 s: jira/sleep (running 0."
        ),
        "{}",
        logs.text()
    );
}
