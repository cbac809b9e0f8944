//! The limits of issue #10 driven through the real binary, as a client on loopback would find
//! them: idle and stalled connections, sessions, requests in flight, protocol versions,
//! runaway queries, held approvals and shutdown, over HTTP and stdio.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{ChildStdin, ChildStdout, Command};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use support::host::{Host, JsonBody, answer, client};

/// A query that would run for hours.
const RUNAWAY: &str = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n \
                       WHERE i < 1000000000000) SELECT count(*) FROM n";

/// Starts `mcp-providers serve --server SERVER` with a small SQLite database, a GitHub token
/// and a GitHub that is nowhere.
fn spawn(server: &str, flags: &[&str], open_files: Option<u32>) -> Host {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("limits.sqlite");
    rusqlite::Connection::open(&database)
        .unwrap()
        .execute_batch("CREATE TABLE t (id INTEGER); INSERT INTO t VALUES (1), (2);")
        .unwrap();
    let mut command = match open_files {
        Some(limit) => {
            let mut shell = Command::new("sh");
            shell.args([
                "-c",
                &format!("ulimit -n {limit} && exec \"$0\" \"$@\""),
                env!("CARGO_BIN_EXE_mcp-providers"),
            ]);
            shell
        }
        None => Host::command(),
    };
    command
        .args(["serve", "--server", server])
        .args(flags)
        .env("SQLITE_PATH", &database)
        .env("GITHUB_TOKEN", "a-token")
        // Nothing may leave the machine: a call that got past its approval fails here.
        .env("GITHUB_API_URL", "http://127.0.0.1:9")
        .env("RUST_LOG", "warn");
    Host::spawn(&mut command, Some(dir))
}

/// Serves one server over HTTP on a loopback port.
fn http(server: &str, flags: &[&str]) -> Host {
    http_with(server, flags, None)
}

/// Serves one server over HTTP, the process allowed `open_files` descriptors if given.
fn http_with(server: &str, flags: &[&str], open_files: Option<u32>) -> Host {
    let flags = [&["--http", "127.0.0.1:0"], flags].concat();
    spawn(server, &flags, open_files).serving()
}

/// Serves `server` over stdio.
fn stdio(server: &str, flags: &[&str]) -> (Host, ChildStdin, BufReader<ChildStdout>) {
    let mut host = spawn(server, &[&["--stdio"], flags].concat(), None);
    let input = host.child.stdin.take().unwrap();
    let output = BufReader::new(host.child.stdout.take().unwrap());
    (host, input, output)
}

/// A 2025-11-25 session over HTTP.
struct Session {
    http: reqwest::Client,
    url: String,
    id: String,
}

/// The `initialize` request of a 2025-11-25 client.
fn initialize() -> Value {
    json!({
        "jsonrpc": "2.0", "id": 0, "method": "initialize",
        "params": {
            "protocolVersion": "2025-11-25", "capabilities": {},
            "clientInfo": {"name": "limits", "version": "1"}
        }
    })
}

/// Opens a session over HTTP; the response carries its id.
async fn post_initialize(http: &reqwest::Client, url: &str) -> reqwest::Response {
    let response = http
        .post(url)
        .header("accept", "application/json, text/event-stream")
        .json_body(&initialize())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response
}

impl Session {
    async fn open(http: &reqwest::Client, url: &str) -> Session {
        let response = post_initialize(http, url).await;
        let id = response.headers()["mcp-session-id"]
            .to_str()
            .unwrap()
            .to_owned();
        let _ = response.bytes().await;
        let session = Session {
            http: http.clone(),
            url: url.to_owned(),
            id,
        };
        let (status, _) = session
            .send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            .await;
        assert_eq!(status, StatusCode::ACCEPTED);
        session
    }

    async fn send(&self, message: Value) -> (StatusCode, Value) {
        self.send_as("2025-11-25", message).await
    }

    async fn send_as(&self, version: &str, message: Value) -> (StatusCode, Value) {
        let response = self
            .http
            .post(&self.url)
            .header("accept", "application/json, text/event-stream")
            .header("mcp-session-id", &self.id)
            .header("mcp-protocol-version", version)
            .json_body(&message)
            .send()
            .await
            .unwrap();
        answer(response).await
    }

    async fn call(&self, id: u64, tool: &str, arguments: Value) -> (StatusCode, Value) {
        self.send(json!({
            "jsonrpc": "2.0", "id": id, "method": "tools/call",
            "params": {"name": tool, "arguments": arguments}
        }))
        .await
    }
}

/// The text of a tool result.
fn text(message: &Value) -> &str {
    message["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("not a tool result: {message}"))
}

/// This process's open-file limit (the idle sockets must fit under it).
fn open_file_limit() -> usize {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap();
    let line = limits
        .lines()
        .find(|line| line.starts_with("Max open files"))
        .unwrap();
    line.split_whitespace().nth(3).unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn thousands_of_idle_sockets_do_not_keep_a_client_out() {
    let host = http("sqlite", &["--max-connections", "100"]);
    let before = host.open_files();
    let mut idle = Vec::new();
    let connecting = Instant::now();
    let sockets = 5000.min(open_file_limit().saturating_sub(200));
    for n in 0..sockets {
        let connect = TcpStream::connect(host.address());
        if let Ok(Ok(mut socket)) = tokio::time::timeout(Duration::from_secs(2), connect).await {
            // Half of them silent, half sending part of their headers and stalling.
            if n % 2 == 1 {
                let _ = socket.write_all(b"POST /mcp HTTP/1.1\r\n").await;
            }
            idle.push(socket);
        }
    }
    assert!(
        idle.len() > sockets * 4 / 5,
        "only {} sockets connected",
        idle.len()
    );
    eprintln!(
        "{} sockets connected in {:?}",
        idle.len(),
        connecting.elapsed()
    );

    let started = Instant::now();
    let session = Session::open(&client(), &host.url).await;
    let (_, listed) = session.call(1, "list_tables", json!({})).await;
    assert!(text(&listed).contains('t'), "{listed}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let open = host.open_files();
    assert!(
        open <= before + 100 + 5,
        "{open} files open with a cap of 100 connections ({before} before)"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn out_of_descriptors_idle_connections_make_way_for_a_client() {
    // 64 descriptors, and 70 silent sockets: past a few dozen, accepting fails (EMFILE).
    let host = http_with("sqlite", &[], Some(64));
    let mut idle = Vec::new();
    for _ in 0..70 {
        idle.push(TcpStream::connect(host.address()).await.unwrap());
    }
    served_within(&host, 15, "although the server ran out of descriptors").await;
    assert!(
        host.stderr().contains("cannot accept a connection"),
        "{}",
        host.stderr()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn silent_stalled_and_idle_connections_are_closed_after_the_header_timeout() {
    let host = http("sqlite", &["--header-timeout", "1"]);
    let silent = TcpStream::connect(host.address()).await.unwrap();
    let mut stalled = TcpStream::connect(host.address()).await.unwrap();
    stalled
        .write_all(b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .await
        .unwrap();
    let mut idle = TcpStream::connect(host.address()).await.unwrap();
    idle.write_all(b"GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    for (name, mut socket) in [("silent", silent), ("stalled", stalled), ("idle", idle)] {
        let mut received = Vec::new();
        let closed =
            tokio::time::timeout(Duration::from_secs(4), socket.read_to_end(&mut received)).await;
        assert!(closed.is_ok(), "the {name} connection is still open");
        if name == "idle" {
            assert!(received.starts_with(b"HTTP/1.1 404"), "{received:?}");
        }
    }
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900),
        "closed too early: {waited:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sessions_past_the_cap_end_the_idlest_and_memory_stays_flat() {
    let host = http("sqlite", &["--max-sessions", "100"]);
    let http = client();
    let first = Session::open(&http, &host.url).await;
    let mut rss_after_the_cap = 0;
    for opened in 1..=20_000 {
        let _ = post_initialize(&http, &host.url).await.bytes().await;
        if opened == 1000 {
            rss_after_the_cap = host.rss_kib();
        }
    }
    let grown = host.rss_kib().saturating_sub(rss_after_the_cap);
    // Unbounded, 19 000 more sessions would take about a gigabyte.
    assert!(grown < 32 * 1024, "RSS grew by {grown} KiB");
    let (status, _) = first
        .send(json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}))
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "the idlest session was ended"
    );
    let last = Session::open(&http, &host.url).await;
    let (status, pong) = last
        .send(json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}))
        .await;
    assert_eq!((status, &pong["result"]), (StatusCode::OK, &json!({})));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_session_refuses_a_duplicate_id_too_many_requests_and_another_version() {
    let host = http(
        "sqlite",
        &["--max-requests-per-session", "2", "--call-timeout", "2"],
    );
    let session = Arc::new(Session::open(&client(), &host.url).await);
    let runaway = |id| {
        let session = session.clone();
        tokio::spawn(async move { session.call(id, "query", json!({"sql": RUNAWAY})).await })
    };
    let first = runaway(1);
    tokio::time::sleep(Duration::from_millis(300)).await;

    let (status, duplicate) = session
        .send(json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(duplicate["error"]["code"], -32600);
    assert_eq!(duplicate["id"], Value::Null, "never the other request's id");

    // Whatever its parameters look like, a request is admitted (or refused) by its id.
    let (status, _) = session
        .send(
            json!({"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"protocolVersion": 5}}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let second = runaway(2);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, refused) = session
        .send(json!({"jsonrpc": "2.0", "id": 3, "method": "ping"}))
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("2 requests in flight"),
        "{refused}"
    );

    let (status, other) = session
        .send_as(
            "2025-06-18",
            json!({"jsonrpc": "2.0", "id": 4, "method": "ping"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{other}");
    assert!(
        other["error"]["message"]
            .as_str()
            .unwrap()
            .contains("negotiated protocol version 2025-11-25")
    );

    for call in [first, second] {
        let (status, timed_out) = call.await.unwrap();
        assert_eq!(status, StatusCode::OK);
        assert_eq!(text(&timed_out), "the tool `query` timed out after 2000 ms");
    }
    // Answered, the ids are free again.
    let (status, pong) = session
        .send(json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}))
        .await;
    assert_eq!((status, &pong["result"]), (StatusCode::OK, &json!({})));
}

/// Sends `message` as a POST of `session` on a socket of its own, and returns the socket
/// once the answer's headers have come (the request is running).
async fn post_raw(host: &Host, session: &str, message: &Value) -> TcpStream {
    let body = message.to_string();
    let request = format!(
        "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Accept: application/json, text/event-stream\r\nMcp-Session-Id: {session}\r\n\
         Mcp-Protocol-Version: 2025-11-25\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut socket = TcpStream::connect(host.address()).await.unwrap();
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut head = [0; 12];
    socket.read_exact(&mut head).await.unwrap();
    assert_eq!(&head, b"HTTP/1.1 200");
    socket
}

#[tokio::test(flavor = "multi_thread")]
async fn hanging_up_frees_no_slot_and_cancelling_does() {
    let host = http("sqlite", &["--max-requests-per-session", "2"]);
    let session = Session::open(&client(), &host.url).await;
    for id in 1..=2 {
        let call = json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
            "params": {"name": "query", "arguments": {"sql": RUNAWAY}}});
        drop(post_raw(&host, &session.id, &call).await);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The calls go on after their streams closed (a session's requests outlive them): they
    // still hold the session's two slots.
    let (status, _) = session
        .send(json!({"jsonrpc": "2.0", "id": 3, "method": "ping"}))
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    for id in 1..=2 {
        let cancel = json!({"jsonrpc": "2.0", "method": "notifications/cancelled",
            "params": {"requestId": id}});
        assert_eq!(session.send(cancel).await.0, StatusCode::ACCEPTED);
    }
    let (status, pong) = session
        .send(json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}))
        .await;
    assert_eq!((status, &pong["result"]), (StatusCode::OK, &json!({})));
}

/// A new client opens a session and gets its `ping` answered within `seconds`.
async fn served_within(host: &Host, seconds: u64, when: &str) {
    let served = async {
        let session = Session::open(&client(), &host.url).await;
        session
            .send(json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}))
            .await
    };
    let (_, pong) = tokio::time::timeout(Duration::from_secs(seconds), served)
        .await
        .unwrap_or_else(|_| panic!("a new client is not served within {seconds} s {when}"));
    assert_eq!(pong["result"], json!({}), "{when}");
}

/// Whether the server closes `socket` (it ends or resets) within `limit`; an event stream's
/// events are read past. Closing is awaited for `limit` however loaded the machine; staying
/// open is judged over a short `limit`.
async fn closed_within(socket: &mut TcpStream, limit: Duration) -> bool {
    let mut buffer = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline, socket.read(&mut buffer)).await {
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
            Err(_still_open) => return false,
        }
    }
}

/// A GET event stream of `session`, on its own connection.
async fn event_stream(host: &Host, session: &str) -> TcpStream {
    let mut socket = TcpStream::connect(host.address()).await.unwrap();
    let request = format!(
        "GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\
         Mcp-Session-Id: {session}\r\nMcp-Protocol-Version: 2025-11-25\r\n\r\n"
    );
    socket.write_all(request.as_bytes()).await.unwrap();
    socket
}

#[tokio::test(flavor = "multi_thread")]
async fn past_the_cap_the_idlest_close_two_at_a_time_and_event_streams_last() {
    // A cap of 32 closes 32 / 16 = 2 connections at a time.
    let host = http("sqlite", &["--max-connections", "32"]);
    // An event stream, then 31 silent connections, each idle a little less long than the one
    // before: 32, the cap. (The client that opened the session is gone: how many connections
    // it used is its own business.)
    let session = Session::open(&client(), &host.url).await.id;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut stream = event_stream(&host, &session).await;
    let mut idle = Vec::new();
    for _ in 0..31 {
        tokio::time::sleep(Duration::from_millis(5)).await;
        idle.push(TcpStream::connect(host.address()).await.unwrap());
    }
    let moment = Duration::from_millis(300);
    assert!(
        !closed_within(&mut idle[0], moment).await,
        "at the cap, nothing closes"
    );

    let _new = TcpStream::connect(host.address()).await.unwrap();
    for closing in &mut idle[..2] {
        assert!(
            closed_within(closing, Duration::from_secs(5)).await,
            "the two idlest silent ones close"
        );
    }
    assert!(
        !closed_within(&mut idle[2], moment).await,
        "two at a time: idle[0] and idle[1]"
    );
    assert!(
        !closed_within(&mut stream, moment).await,
        "event streams go last"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn event_streams_do_not_keep_a_new_client_out() {
    let host = http("sqlite", &["--max-connections", "8"]);
    let session = Session::open(&client(), &host.url).await;
    let mut streams = Vec::new();
    for _ in 0..8 {
        streams.push(event_stream(&host, &session.id).await);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    served_within(&host, 5, "while event streams fill the connections").await;
    // And another: each new connection closes the oldest event stream.
    served_within(&host, 5, "after another").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn only_a_new_session_ends_the_idlest() {
    let host = http("sqlite", &["--max-sessions", "2"]);
    let http = client();
    let first = Session::open(&http, &host.url).await;
    let second = Session::open(&http, &host.url).await;
    // Requests without a session that open none: not JSON, and a stateless (2026-07-28) call.
    let garbage = http
        .post(&host.url)
        .header("accept", "application/json, text/event-stream")
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), StatusCode::BAD_REQUEST);
    let stateless = http
        .post(&host.url)
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2026-07-28")
        .header("mcp-method", "tools/list")
        .json_body(
            &json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": {
                "io.modelcontextprotocol/protocolVersion": "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities": {},
                "io.modelcontextprotocol/clientInfo": {"name": "limits", "version": "1"}
            }}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(stateless.status(), StatusCode::OK);
    for session in [&first, &second] {
        let (status, _) = session
            .send(json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}))
            .await;
        assert_eq!(status, StatusCode::OK, "a session was ended");
    }
    // A third session ends the idlest.
    Session::open(&http, &host.url).await;
    let (status, _) = first
        .send(json!({"jsonrpc": "2.0", "id": 2, "method": "ping"}))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread")]
async fn runaway_queries_stop_at_their_deadline_and_free_their_workers() {
    let host = http("sqlite", &["--call-timeout", "1"]);
    let session = Arc::new(Session::open(&client(), &host.url).await);
    // As many runaways as the server has SQLite workers: if one kept running, `SELECT 1` below
    // would be told the database is busy.
    let runaways: Vec<_> = (1..=8)
        .map(|id| {
            let session = session.clone();
            tokio::spawn(async move {
                let started = Instant::now();
                let (_, answer) = session.call(id, "query", json!({"sql": RUNAWAY})).await;
                (started.elapsed(), answer)
            })
        })
        .collect();
    for runaway in runaways {
        let (took, answer) = runaway.await.unwrap();
        assert_eq!(text(&answer), "the tool `query` timed out after 1000 ms");
        assert!(took < Duration::from_secs(2), "answered after {took:?}");
    }
    let timed_out = Instant::now();
    let mut id = 100;
    loop {
        id += 1;
        let (_, answer) = session
            .call(id, "query", json!({"sql": "SELECT 1 AS one"}))
            .await;
        if !answer["result"]["isError"].as_bool().unwrap_or(false) {
            break;
        }
        assert!(
            timed_out.elapsed() < Duration::from_secs(1),
            "the runaway statements still hold the workers: {answer}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_stops_runaway_calls_within_the_grace_and_names_them() {
    let mut host = http("sqlite", &["--shutdown-grace", "1"]);
    let session = Arc::new(Session::open(&client(), &host.url).await);
    for id in 1..=3 {
        let session = session.clone();
        tokio::spawn(async move { session.call(id, "query", json!({"sql": RUNAWAY})).await });
    }
    // A connection sending its headers slowly does not hold the shutdown up either.
    let mut stalled = TcpStream::connect(host.address()).await.unwrap();
    stalled.write_all(b"POST /mcp HTTP/1.1\r\n").await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    host.terminate();
    let took = host.exit_within(Duration::from_secs(4));
    assert!(
        took >= Duration::from_millis(900),
        "no grace given: {took:?}"
    );
    let stderr = host.stderr();
    assert!(
        stderr.contains("stopping 3 call(s) still running after the grace period")
            && stderr.contains("sqlite/query (running"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn at_shutdown_idle_connections_close_at_once_while_calls_get_the_grace() {
    let mut host = http("sqlite", &["--shutdown-grace", "3"]);
    let session = Arc::new(Session::open(&client(), &host.url).await);
    tokio::spawn(async move { session.call(1, "query", json!({"sql": RUNAWAY})).await });
    let mut idle = TcpStream::connect(host.address()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    host.terminate();
    assert!(
        closed_within(&mut idle, Duration::from_secs(2)).await,
        "an idle connection is closed at once"
    );
    let took = host.exit_within(Duration::from_secs(6));
    assert!(
        took >= Duration::from_secs(2),
        "the call got no grace: {took:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn calls_whose_clients_hung_up_still_get_the_grace_and_are_named() {
    let mut host = http("sqlite", &["--shutdown-grace", "1"]);
    let session = Session::open(&client(), &host.url).await;
    for id in 1..=3 {
        let call = json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
            "params": {"name": "query", "arguments": {"sql": RUNAWAY}}});
        drop(post_raw(&host, &session.id, &call).await);
    }
    drop(session);
    tokio::time::sleep(Duration::from_millis(300)).await;
    host.terminate();
    let took = host.exit_within(Duration::from_secs(4));
    assert!(
        took >= Duration::from_millis(900),
        "no grace given: {took:?}"
    );
    let stderr = host.stderr();
    assert!(
        stderr.contains("stopping 3 call(s) still running after the grace period"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn held_calls_stay_under_the_cap() {
    let host = http("github", &[]);
    let http = client();
    let call = |id: u64, answer: Option<(&str, &str)>| {
        let mut params = json!({
            "name": "create_issue",
            "arguments": {"owner": "octo", "repo": "hello", "title": format!("issue {id}")},
            "_meta": {
                "io.modelcontextprotocol/protocolVersion": "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities": {"elicitation": {}},
                "io.modelcontextprotocol/clientInfo": {"name": "limits", "version": "1"}
            }
        });
        if let Some((state, action)) = answer {
            params["requestState"] = json!(state);
            params["inputResponses"] =
                json!({"approval": {"action": action, "content": {"decision": "reject"}}});
        }
        http.post(&host.url)
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2026-07-28")
            .header("mcp-method", "tools/call")
            .header("mcp-name", "create_issue")
            .json_body(
                &json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": params}),
            )
            .send()
    };
    let mut states = Vec::new();
    let mut rss_at_the_cap = 0;
    for id in 0..10_000 {
        let (status, held) = answer(call(id, None).await.unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{held}");
        let state = held["result"]["requestState"]
            .as_str()
            .unwrap_or_else(|| panic!("not held: {held}"));
        assert!(!state.contains("approval-"), "a sealed state: {state}");
        if id == 0 || id == 9_999 {
            states.push(state.to_owned());
        }
        if id == 1_000 {
            rss_at_the_cap = host.rss_kib();
        }
    }
    let grown = host.rss_kib().saturating_sub(rss_at_the_cap);
    assert!(grown < 16 * 1024, "RSS grew by {grown} KiB");
    // The oldest was forgotten to make room (64 per user); the newest is still held.
    let (_, oldest) = answer(call(0, Some((&states[0], "accept"))).await.unwrap()).await;
    assert!(text(&oldest).contains("could not be recorded"), "{oldest}");
    let (_, newest) = answer(call(9_999, Some((&states[1], "accept"))).await.unwrap()).await;
    assert_eq!(text(&newest), "the user did not approve the call");
}

/// One JSON-RPC line to the server.
fn send_line(input: &mut ChildStdin, message: Value) {
    writeln!(input, "{message}").unwrap();
    input.flush().unwrap();
}

fn read_message(output: &mut BufReader<ChildStdout>) -> Value {
    let mut line = String::new();
    output.read_line(&mut line).unwrap();
    serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON: {line:?}"))
}

fn initialize_stdio(input: &mut ChildStdin, output: &mut BufReader<ChildStdout>) {
    send_line(input, initialize());
    assert_eq!(read_message(output)["id"], 0);
    send_line(
        input,
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
    );
}

fn runaway_line(id: u64) -> Value {
    json!({
        "jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": {"name": "query", "arguments": {"sql": RUNAWAY}}
    })
}

#[test]
fn on_stdio_a_duplicate_id_in_flight_is_refused_and_the_first_still_answered() {
    let (_host, mut input, mut output) = stdio("sqlite", &["--call-timeout", "1"]);
    initialize_stdio(&mut input, &mut output);
    send_line(&mut input, runaway_line(7));
    send_line(
        &mut input,
        json!({"jsonrpc": "2.0", "id": 7, "method": "ping"}),
    );
    let refused = read_message(&mut output);
    assert_eq!(refused["id"], Value::Null, "{refused}");
    assert_eq!(refused["error"]["code"], -32600);
    let answered = read_message(&mut output);
    assert_eq!(answered["id"], 7);
    assert_eq!(text(&answered), "the tool `query` timed out after 1000 ms");
    send_line(
        &mut input,
        json!({"jsonrpc": "2.0", "id": 7, "method": "ping"}),
    );
    assert_eq!(
        read_message(&mut output),
        json!({"jsonrpc": "2.0", "id": 7, "result": {}})
    );
}

#[test]
fn on_stdio_the_end_of_input_stops_runaway_calls_and_names_them() {
    let (mut host, mut input, mut output) = stdio("sqlite", &[]);
    initialize_stdio(&mut input, &mut output);
    for id in 1..=3 {
        send_line(&mut input, runaway_line(id));
    }
    std::thread::sleep(Duration::from_millis(500));
    drop(input);
    // rmcp gives calls 5 s to answer once the input ends, then cancels them.
    host.exit_within(Duration::from_secs(8));
    let stderr = host.stderr();
    assert!(
        stderr.contains("the client closed its input with 3 call(s) running")
            && stderr.contains("sqlite/query (running"),
        "{stderr}"
    );
}

#[test]
fn on_stdio_cancelled_requests_free_their_ids() {
    let (_host, mut input, mut output) = stdio("sqlite", &[]);
    initialize_stdio(&mut input, &mut output);
    // More cancelled requests than may be in flight at once.
    for id in 1..=80 {
        send_line(&mut input, runaway_line(id));
        send_line(
            &mut input,
            json!({"jsonrpc": "2.0", "method": "notifications/cancelled",
                "params": {"requestId": id}}),
        );
    }
    send_line(
        &mut input,
        json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}),
    );
    loop {
        let message = read_message(&mut output);
        assert_ne!(message["error"]["code"], -32600, "{message}");
        assert_ne!(message["error"]["code"], -32000, "{message}");
        if message["result"] == json!({}) {
            assert_eq!(message["id"], 1);
            break;
        }
    }
}

#[test]
fn on_stdio_sigterm_gives_the_grace_and_names_the_calls_it_stops() {
    let (mut host, mut input, mut output) = stdio("sqlite", &["--shutdown-grace", "1"]);
    initialize_stdio(&mut input, &mut output);
    send_line(&mut input, runaway_line(1));
    std::thread::sleep(Duration::from_millis(300));
    host.terminate();
    let took = host.exit_within(Duration::from_secs(4));
    assert!(
        took >= Duration::from_millis(900),
        "no grace given: {took:?}"
    );
    let stderr = host.stderr();
    assert!(
        stderr
            .contains("stopping 1 call(s) still running after the 1 s grace period: sqlite/query"),
        "{stderr}"
    );
}
