//! The stdio line transport under any input (proptest): it never panics, every line that is not
//! a message gets an error, every request with an id gets exactly one answer, and the server goes
//! on to answer a good request after them.

use mcp_runtime::host::serve::{McpHandler, serve_lines};
use proptest::prelude::*;
use serde_json::{Value, json};
use tests::registry::Echo;

/// Lines of the kinds clients send, good and bad; requests carry id 0 until `with_distinct_ids`.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[ -~]{0,40}",
        Just("{".to_owned()),
        Just("[]".to_owned()),
        Just("null".to_owned()),
        Just(r#"{"jsonrpc":"2.0"}"#.to_owned()),
        Just(json!({"jsonrpc": "2.0", "id": 0, "method": "ping"}).to_string()),
        Just(json!({"jsonrpc": "2.0", "id": 0, "method": "tools/list"}).to_string()),
        "[a-z_]{0,8}".prop_map(|name| json!({
            "jsonrpc": "2.0", "id": 0, "method": "tools/call",
            "params": {"name": name, "arguments": {"text": "x"}}
        })
        .to_string()),
        Just(
            json!({
                "jsonrpc": "2.0", "id": 0, "method": "tools/call", "params": {"arguments": 5}
            })
            .to_string()
        ),
        "[a-z/]{1,12}".prop_map(|method| json!({
            "jsonrpc": "2.0", "id": 0, "method": method
        })
        .to_string()),
    ]
}

/// Each request numbered by its position: JSON-RPC ids are unique among requests in flight, and
/// a server may answer only one of two requests that share an id.
fn with_distinct_ids(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .enumerate()
        .map(
            |(position, line)| match serde_json::from_str::<Value>(&line) {
                Ok(Value::Object(mut message)) if message.contains_key("id") => {
                    message.insert("id".to_owned(), json!(position));
                    Value::Object(message).to_string()
                }
                _ => line,
            },
        )
        .collect()
}

fn initialize() -> String {
    json!({"jsonrpc": "2.0", "id": "init", "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {},
        "clientInfo": {"name": "proptest", "version": "1"}
    }})
    .to_string()
}

/// The answers the server wrote for `lines`, after initializing.
fn answers(lines: &[String]) -> Vec<Value> {
    let mut input = vec![
        initialize(),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}).to_string(),
    ];
    input.extend(lines.iter().cloned());
    input.push(json!({"jsonrpc": "2.0", "id": "last", "method": "ping"}).to_string());
    let input = input.join("\n") + "\n";
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (mut client, server_output) = tokio::io::duplex(1 << 20);
        let served = tokio::spawn(serve_lines(
            McpHandler::new(Echo),
            std::io::Cursor::new(input.into_bytes()),
            server_output,
        ));
        let _ = served.await;
        let mut output = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut client, &mut output)
            .await
            .unwrap();
        String::from_utf8(output)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).expect("every answer is JSON"))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn every_line_is_answered_and_the_server_goes_on(lines in prop::collection::vec(line(), 0..12).prop_map(with_distinct_ids)) {
        let answers = answers(&lines);
        // The last request is answered: nothing before it stopped the server.
        prop_assert!(answers.iter().any(|answer| answer["id"] == "last"), "{answers:?}");
        let requests = lines
            .iter()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter(|value| value.get("id").is_some() && value.get("method").is_some())
            .count();
        let answered = answers
            .iter()
            .filter(|answer| answer.get("id").is_some_and(|id| !id.is_null()) && answer["id"] != "init" && answer["id"] != "last")
            .count();
        prop_assert_eq!(answered, requests, "{:?}", answers);
    }
}
