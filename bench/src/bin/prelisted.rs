//! The floor for `tools/list` over stdio: a bare loop that answers `tools/list` by writing the
//! 50-tool listing serialized once at start, the same bytes `wide-ours` lists. It answers
//! `initialize` and `tools/call` with fixed results so the load driver can run against it; it is
//! a baseline for the benchmark, not an MCP server.

use std::io::{BufRead, Write};

use mcp_runtime::McpServer;
use serde_json::Value;
use wide_server::Wide;

fn main() {
    let listing = Wide::catalog().listing_json();
    let stdin = std::io::stdin().lock();
    let mut stdout = std::io::stdout().lock();
    for line in stdin.lines() {
        let Ok(message) = serde_json::from_str::<Value>(&line.expect("stdin")) else {
            continue;
        };
        let Some(id) = message.get("id") else {
            continue;
        };
        let result = match message["method"].as_str() {
            Some("initialize") => r#"{"protocolVersion":"2025-11-25","capabilities":{"tools":{}},"serverInfo":{"name":"prelisted","version":"1"}}"#.to_owned(),
            Some("tools/list") => format!(r#"{{"tools":{listing}}}"#),
            _ => r#"{"content":[{"type":"text","text":"PROJ-42"}]}"#.to_owned(),
        };
        writeln!(stdout, r#"{{"jsonrpc":"2.0","id":{id},"result":{result}}}"#).expect("stdout");
        stdout.flush().expect("stdout");
    }
}
