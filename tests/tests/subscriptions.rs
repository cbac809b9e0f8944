//! Subscriptions to resources, for a server that announces their changes: on a 2025-11-25
//! session (`resources/subscribe`, over stdio's line transport) and on a 2026-07-28
//! `subscriptions/listen` stream (over HTTP). Only subscribers of a changed URI hear of it, only
//! offered URIs are subscribed to, and a session holds 64 subscriptions at most.

use std::time::Duration;

use axum::Router;
use http::StatusCode;
use http_body_util::BodyExt as _;
use mcp_runtime::host::SharedServer;
use mcp_runtime::host::serve::{HttpConfig, McpHandler, http_router, serve_lines};
use serde_json::{Value, json};
use tests::board::Board;
use tests::library::Library;
use tokio::io::{
    AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines, ReadHalf, WriteHalf,
};

mod support;
use support::http::{post, respond, send};

/// A 2025-11-25 client over a pair of pipes.
struct Session {
    input: WriteHalf<DuplexStream>,
    output: Lines<BufReader<ReadHalf<DuplexStream>>>,
    next_id: u64,
    /// The capabilities the server declared.
    capabilities: Value,
}

impl Session {
    async fn start(handler: McpHandler) -> Session {
        let (client, server) = tokio::io::duplex(1 << 20);
        let (server_input, server_output) = tokio::io::split(server);
        tokio::spawn(serve_lines(handler, server_input, server_output));
        let (output, input) = tokio::io::split(client);
        let mut session = Session {
            input,
            output: BufReader::new(output).lines(),
            next_id: 1,
            capabilities: Value::Null,
        };
        let initialized = session
            .request(
                "initialize",
                json!({"protocolVersion": "2025-11-25", "capabilities": {},
                    "clientInfo": {"name": "t", "version": "1"}}),
            )
            .await;
        session.capabilities = initialized["result"]["capabilities"].clone();
        session
            .send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            .await;
        session
    }

    async fn send(&mut self, message: &Value) {
        let line = format!("{message}\n");
        self.input.write_all(line.as_bytes()).await.unwrap();
    }

    /// The server's next message, failing the test if none comes within 5 s.
    async fn next(&mut self) -> Value {
        let line = tokio::time::timeout(Duration::from_secs(5), self.output.next_line())
            .await
            .expect("the server sends within 5 s")
            .unwrap()
            .expect("the server is still serving");
        serde_json::from_str(&line).unwrap()
    }

    /// Sends a request and returns its answer; the notifications before it go to `heard`.
    async fn request_hearing(
        &mut self,
        method: &str,
        params: Value,
        heard: &mut Vec<Value>,
    ) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        loop {
            let message = self.next().await;
            if message["id"] == id {
                return message;
            }
            heard.push(message);
        }
    }

    async fn request(&mut self, method: &str, params: Value) -> Value {
        let mut heard = Vec::new();
        let answer = self.request_hearing(method, params, &mut heard).await;
        assert!(heard.is_empty(), "unexpected: {heard:?}");
        answer
    }

    async fn subscribe(&mut self, uri: &str) -> Value {
        self.request("resources/subscribe", json!({"uri": uri}))
            .await
    }

    /// Pins notice `id`, and returns the URIs the session was told changed, up to a `ping`
    /// after the call (the updates are sent as the call announces them, before its answer).
    async fn pin(&mut self, id: &str) -> Vec<String> {
        let mut heard = Vec::new();
        let pinned = self
            .request_hearing(
                "tools/call",
                json!({"name": "pin", "arguments": {"id": id, "text": "hello"}}),
                &mut heard,
            )
            .await;
        assert_eq!(
            pinned["result"]["content"][0]["text"],
            format!("pinned {id}")
        );
        self.request_hearing("ping", json!({}), &mut heard).await;
        heard
            .iter()
            .map(|message| {
                assert_eq!(
                    message["method"], "notifications/resources/updated",
                    "{message}"
                );
                message["params"]["uri"].as_str().unwrap().to_owned()
            })
            .collect()
    }
}

#[tokio::test]
async fn a_session_hears_of_the_resources_it_subscribes_to_until_it_unsubscribes() {
    let mut session = Session::start(McpHandler::new(Board::default())).await;
    assert_eq!(session.capabilities["resources"]["subscribe"], true);
    assert_eq!(
        session.pin("a").await,
        Vec::<String>::new(),
        "nobody subscribed"
    );

    let subscribed = session.subscribe("board://notices/a").await;
    assert_eq!(subscribed["result"], json!({}), "{subscribed}");
    assert_eq!(session.pin("a").await, ["board://notices/a"]);
    assert_eq!(
        session.pin("b").await,
        Vec::<String>::new(),
        "not subscribed to b"
    );

    session.subscribe("board://index").await;
    let unsubscribed = session
        .request("resources/unsubscribe", json!({"uri": "board://notices/a"}))
        .await;
    assert_eq!(unsubscribed["result"], json!({}), "{unsubscribed}");
    assert_eq!(session.pin("a").await, ["board://index"]);
}

#[tokio::test]
async fn a_session_hears_only_of_its_own_subscriptions_not_another_sessions() {
    let handler = McpHandler::new(Board::default());
    let mut ana = Session::start(handler.for_session()).await;
    let mut bo = Session::start(handler.for_session()).await;
    ana.subscribe("board://notices/a").await;
    bo.subscribe("board://notices/b").await;
    assert_eq!(
        ana.pin("b").await,
        Vec::<String>::new(),
        "b is bo's subscription"
    );
    assert_eq!(ana.pin("a").await, ["board://notices/a"]);
    // bo heard of b when ana pinned it, and nothing of a.
    assert_eq!(bo.pin("c").await, ["board://notices/b"]);
}

#[tokio::test]
async fn only_offered_resources_are_subscribed_to_and_at_most_64_per_session() {
    let mut session = Session::start(McpHandler::new(Board::default())).await;
    let refused = session.subscribe("board://elsewhere").await;
    assert_eq!(refused["error"]["code"], -32602, "{refused}");
    assert_eq!(refused["error"]["data"]["uri"], "board://elsewhere");

    for n in 0..64 {
        let subscribed = session.subscribe(&format!("board://notices/{n}")).await;
        assert_eq!(subscribed["result"], json!({}), "{subscribed}");
    }
    let refused = session.subscribe("board://notices/64").await;
    assert_eq!(refused["error"]["code"], -32600, "{refused}");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("a session subscribes to at most 64 resources"),
        "{refused}"
    );
    let again = session.subscribe("board://notices/0").await;
    assert_eq!(
        again["result"],
        json!({}),
        "a subscription held is no new one"
    );
    session
        .request("resources/unsubscribe", json!({"uri": "board://notices/0"}))
        .await;
    let room = session.subscribe("board://notices/64").await;
    assert_eq!(room["result"], json!({}), "{room}");
}

#[tokio::test]
async fn a_server_that_announces_no_changes_offers_no_subscriptions() {
    let mut session = Session::start(McpHandler::new(Library)).await;
    assert!(
        session.capabilities["resources"].get("subscribe").is_none(),
        "{}",
        session.capabilities
    );
    let refused = session.subscribe("library://reader").await;
    assert_eq!(refused["error"]["code"], -32601, "{refused}");
}

/// A 2026-07-28 request's body, from a client declaring no capabilities.
fn stateless(method: &str, params: Value) -> String {
    let mut params = params;
    params["_meta"] = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": {"name": "t", "version": "1"}
    });
    json!({"jsonrpc": "2.0", "id": 7, "method": method, "params": params}).to_string()
}

fn headers<'a>(method: &'a str, name: &'a str) -> [(&'a str, &'a str); 3] {
    [
        ("mcp-protocol-version", "2026-07-28"),
        ("mcp-method", method),
        ("mcp-name", name),
    ]
}

/// The messages of an event stream as they come, failing the test after 5 s without one.
struct Events {
    body: axum::body::Body,
    buffer: String,
}

impl Events {
    async fn next(&mut self) -> Value {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let event: String = self.buffer.drain(..end + 2).collect();
                if let Some(data) = event.lines().find_map(|line| line.strip_prefix("data: "))
                    && let Ok(message) = serde_json::from_str(data)
                {
                    return message;
                }
                continue;
            }
            let frame = tokio::time::timeout(Duration::from_secs(5), self.body.frame())
                .await
                .expect("the stream sends within 5 s")
                .expect("the stream is open")
                .unwrap();
            if let Ok(data) = frame.into_data() {
                self.buffer.push_str(std::str::from_utf8(&data).unwrap());
            }
        }
    }
}

/// A `subscriptions/listen` stream opened with `listen`.
async fn open(router: &Router, listen: String) -> Events {
    let response = respond(router, post(&headers("subscriptions/listen", ""), listen)).await;
    assert_eq!(response.status(), StatusCode::OK);
    Events {
        body: response.into_body(),
        buffer: String::new(),
    }
}

async fn pin(router: &Router, id: &str) {
    let body = stateless(
        "tools/call",
        json!({"name": "pin", "arguments": {"id": id, "text": "hello"}}),
    );
    let answer = send(router, post(&headers("tools/call", "pin"), body)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

#[tokio::test]
async fn a_listen_stream_hears_of_the_offered_resources_it_names() {
    let router = http_router(
        &[SharedServer::new(Board::default())],
        &HttpConfig::default(),
    );
    let listen = stateless(
        "subscriptions/listen",
        json!({"notifications": {"resourceSubscriptions": ["board://notices/a", "board://elsewhere"]}}),
    );
    let mut events = open(&router, listen).await;
    // Another stream watches b: this one must still hear only of what it named.
    let other = stateless(
        "subscriptions/listen",
        json!({"notifications": {"resourceSubscriptions": ["board://notices/b"]}}),
    );
    let mut others = open(&router, other).await;
    others.next().await;
    let acknowledged = events.next().await;
    assert_eq!(
        acknowledged["method"],
        "notifications/subscriptions/acknowledged"
    );
    assert_eq!(
        acknowledged["params"]["notifications"]["resourceSubscriptions"],
        json!(["board://notices/a"]),
        "only what the server offers: {acknowledged}"
    );

    pin(&router, "b").await;
    pin(&router, "a").await;
    let updated = events.next().await;
    assert_eq!(
        updated["method"], "notifications/resources/updated",
        "{updated}"
    );
    assert_eq!(
        updated["params"]["uri"], "board://notices/a",
        "b was not named: {updated}"
    );
    assert_eq!(
        updated["params"]["_meta"]["io.modelcontextprotocol/subscriptionId"], 7,
        "{updated}"
    );
}
