//! `wide-ours` and `wide-rmcp` are the same fifty tools: the same names, descriptions and
//! argument fields, and the same answer, byte for byte, to the same call. Both binaries are
//! spawned and spoken to over stdio, as `mcp-load` does.

use std::io::{BufRead, BufReader, Lines, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::{Value, json};

/// A server spawned with piped stdio, spoken to one request at a time.
struct Server {
    child: Child,
    stdin: ChildStdin,
    lines: Lines<BufReader<ChildStdout>>,
    next_id: u64,
}

impl Server {
    fn start(program: &str, args: &[&str]) -> Server {
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().expect("piped stdin");
        let lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
        let mut server = Server {
            child,
            stdin,
            lines,
            next_id: 0,
        };
        server.request(
            "initialize",
            json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "same-answers", "version": "1"}}),
        );
        server.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        server
    }

    /// One write per line, as `mcp-load` does. (A line written in pieces can be lost by
    /// `wide-ours` today: rmcp's service loop drops `LineTransport::receive` when another event
    /// wins its `select!`, and `read_line` clears the half-read line when called again.)
    fn send(&mut self, message: &Value) {
        let mut line = serde_json::to_vec(message).expect("JSON");
        line.push(b'\n');
        self.stdin.write_all(&line).expect("the server reads");
    }

    /// The `result` of a request; panics on an error response.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let line = self
                .lines
                .next()
                .expect("the server stays up")
                .expect("the server writes");
            let message: Value = serde_json::from_str(&line).expect("JSON-RPC on stdout");
            if message.get("id") == Some(&json!(id)) {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ours() -> Server {
    Server::start(env!("CARGO_BIN_EXE_wide-ours"), &[])
}

fn theirs() -> Server {
    Server::start(env!("CARGO_BIN_EXE_wide-rmcp"), &["--pipes"])
}

/// What a client reads of an input schema: each field's description, type, item type and enum
/// values, and the required fields. The two derives spell these differently (ours inlines enums
/// and lists their values in the description; schemars refers to `$defs` and adds `null` to an
/// option's type), so both are brought to one form.
fn fields(schema: &Value) -> Value {
    let definitions = &schema["$defs"];
    let property = |property: &Value| -> Value {
        let description = property["description"]
            .as_str()
            .map(|text| text.split("\n- `").next().unwrap_or(text));
        // `Option<Enum>` is `anyOf` a reference and null; an enum alone, a reference.
        let reference = property
            .get("$ref")
            .or_else(|| property.pointer("/anyOf/0/$ref"))
            .and_then(Value::as_str);
        let (kind, values) = match reference {
            Some(reference) => {
                let definition = &definitions[reference.rsplit('/').next().unwrap()];
                let values: Vec<Value> = definition["oneOf"]
                    .as_array()
                    .expect("an enum's variants")
                    .iter()
                    .map(|variant| variant["const"].clone())
                    .collect();
                (json!("string"), json!(values))
            }
            None => {
                let kind = match &property["type"] {
                    Value::Array(kinds) => kinds
                        .iter()
                        .find(|kind| *kind != "null")
                        .cloned()
                        .unwrap_or(Value::Null),
                    kind => kind.clone(),
                };
                (kind, property["enum"].clone())
            }
        };
        json!({"description": description, "type": kind, "items": property["items"], "enum": values})
    };
    let properties: serde_json::Map<String, Value> = schema["properties"]
        .as_object()
        .expect("properties")
        .iter()
        .map(|(name, schema)| (name.clone(), property(schema)))
        .collect();
    let mut required = schema["required"].as_array().cloned().unwrap_or_default();
    required.sort_by_key(Value::to_string);
    json!({"properties": properties, "required": required})
}

/// Arguments for a tool: every field set, and only the required ones.
fn arguments(tool: &str) -> [Value; 2] {
    match tool.split_once('_').expect("verb_kind").0 {
        "get" => [
            json!({"id": "PROJ-42", "fields": ["title", "state", "priority"], "expand": ["comments", "links"]}),
            json!({"id": "PROJ-7"}),
        ],
        "list" => [
            json!({"project": "PROJ", "state": "closed", "labels": ["bug", "customer-reported"], "assignee": "alice@example.com", "sort": "priority", "direction": "asc", "limit": 2, "cursor": "c2"}),
            json!({"project": "OPS"}),
        ],
        "search" => [
            json!({"query": "login fails", "projects": ["WEB", "APP"], "state": "all", "updated_since": "2026-11-01", "limit": 50, "cursor": "n1"}),
            json!({"query": "crash"}),
        ],
        "count" => [
            json!({"project": "PROJ", "state": "open", "labels": ["bug"], "assignee": "bob"}),
            json!({"project": "OPS"}),
        ],
        "preview" => [
            json!({"title": "Export times out", "body": "Exports over 10k rows fail.\n\nSeen since Monday.", "labels": ["bug", "export"], "priority": "high", "due": "2026-12-15"}),
            json!({"title": "Tidy up", "labels": [], "priority": "lowest"}),
        ],
        verb => panic!("no arguments for `{verb}` tools"),
    }
}

#[test]
fn both_servers_list_the_same_tools_and_answer_the_same_calls() {
    let mut ours = ours();
    let mut theirs = theirs();
    let our_tools = ours.request("tools/list", json!({}))["tools"].clone();
    let their_tools = theirs.request("tools/list", json!({}))["tools"].clone();
    let our_tools = our_tools.as_array().expect("tools");
    let their_tools = their_tools.as_array().expect("tools");
    assert_eq!(our_tools.len(), 50);
    assert_eq!(their_tools.len(), 50);
    let mut calls = 0;
    for our_tool in our_tools {
        let name = our_tool["name"].as_str().expect("a name");
        let their_tool = their_tools
            .iter()
            .find(|tool| tool["name"] == name)
            .unwrap_or_else(|| panic!("wide-rmcp lists no `{name}`"));
        assert_eq!(our_tool["description"], their_tool["description"], "{name}");
        assert_eq!(
            fields(&our_tool["inputSchema"]),
            fields(&their_tool["inputSchema"]),
            "{name}"
        );
        for arguments in arguments(name) {
            let params = json!({"name": name, "arguments": arguments});
            let our_answer = ours.request("tools/call", params.clone());
            let their_answer = theirs.request("tools/call", params);
            assert_eq!(our_answer["content"], their_answer["content"], "{name}");
            assert_eq!(
                our_answer["structuredContent"], their_answer["structuredContent"],
                "{name}"
            );
            assert_eq!(our_answer["isError"], json!(false), "{name}: {our_answer}");
            assert_eq!(
                their_answer["isError"],
                json!(false),
                "{name}: {their_answer}"
            );
            calls += 1;
        }
    }
    assert_eq!(calls, 100);
}

/// The call `mcp-load` makes is answered with a page of markdown, the same from both servers.
#[test]
fn the_benchmarked_call_renders_a_page() {
    let params = json!({"name": "list_issue", "arguments": {"project": "PROJ", "state": "open", "labels": ["bug", "customer-reported"], "assignee": "alice@example.com", "sort": "updated", "direction": "desc", "limit": 25}});
    let ours = ours().request("tools/call", params.clone());
    let theirs = theirs().request("tools/call", params);
    assert_eq!(ours["content"], theirs["content"]);
    assert_eq!(
        ours["content"][0]["text"],
        "# issues in PROJ\n\n\
         **state:** open\n\
         **labels:** bug, customer-reported\n\
         **assignee:** alice@example.com\n\
         **sort:** updated desc\n\
         **page:** 25 from the start\n\n\
         - PROJ-1: issue 1 of PROJ · open · @alice@example.com · bug, customer-reported\n\
         - PROJ-2: issue 2 of PROJ · open · @alice@example.com · bug, customer-reported\n\
         - PROJ-3: issue 3 of PROJ · open · @alice@example.com · bug, customer-reported\n"
    );
}
