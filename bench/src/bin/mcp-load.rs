//! `mcp-load`: measures an MCP server spawned as a command, over stdio or Streamable HTTP.
//!
//! `mcp-load [--calls N] [--http] -- COMMAND [ARGS...]` prints one JSON line: cold start (spawn to
//! the `initialize` response), `tools/list` latency, sequential and pipelined (64 in flight)
//! `tools/call` throughput, the server's CPU time per call in each of those phases, and its peak RSS.
//!
//! Every call is [`call_params`]: `list_issue` of the 50-tool servers (`wide-ours`, `wide-rmcp`)
//! with arguments shaped like a real client's (a project, an enum state, sort and direction, a
//! list of labels, an assignee, a page size), so that the server parses several fields and
//! renders a markdown page, as a real tool call does.
//!
//! Over stdio it speaks raw newline-delimited JSON-RPC so that the client adds as little as
//! possible to the figures. With `--http` the command must print `serving MCP on URL` on stderr;
//! the driver then POSTs JSON-RPC to that URL with the session the server assigned, 64 requests
//! in flight on 64 keep-alive connections for the pipelined phase. With `--revision 2026-07-28`
//! it speaks that revision instead: no session and no `initialize` (the cold start is timed to
//! the `server/discover` response), each request carrying its version, the client's
//! capabilities in `_meta`, and the `Mcp-Method`/`Mcp-Name` headers.

use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::task::JoinSet;

/// Measure an MCP server over stdio or Streamable HTTP.
#[derive(Debug, Parser)]
struct Args {
    /// Calls in each throughput phase.
    #[arg(long, default_value_t = 20_000)]
    calls: usize,
    /// Cold starts to time.
    #[arg(long, default_value_t = 5)]
    starts: usize,
    /// `tools/list` requests to time.
    #[arg(long, default_value_t = 200)]
    lists: usize,
    /// Calls before the timed phases.
    #[arg(long, default_value_t = 500)]
    warmup: usize,
    /// Speak Streamable HTTP to the URL the server prints instead of stdio.
    #[arg(long)]
    http: bool,
    /// The protocol revision spoken: `2025-11-25` (sessions) or `2026-07-28` (stateless; HTTP
    /// only).
    #[arg(long, default_value = LEGACY)]
    revision: String,
    /// The server command and its arguments.
    #[arg(last = true, required = true)]
    command: Vec<String>,
}

const IN_FLIGHT: usize = 64;

/// The revision with `initialize` and sessions.
const LEGACY: &str = "2025-11-25";

/// What the server printed on stderr before its URL.
const URL_PREFIX: &str = "serving MCP on ";

/// A spawned server and the way to talk to it.
struct Server {
    child: Child,
    link: Link,
}

enum Link {
    Stdio(StdioLink),
    Http(HttpLink),
}

impl Server {
    async fn start(command: &[String], http: bool, revision: &str) -> (Server, Duration) {
        let started = Instant::now();
        let mut child = Command::new(&command[0])
            .args(&command[1..])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(if http { Stdio::piped() } else { Stdio::null() })
            .kill_on_drop(true)
            .spawn()
            .expect("the server command starts");
        let link = if http {
            Link::Http(HttpLink::connect(&mut child, revision).await)
        } else {
            assert_eq!(revision, LEGACY, "stdio speaks {LEGACY}");
            Link::Stdio(StdioLink::new(&mut child))
        };
        let mut server = Server { child, link };
        if revision != LEGACY {
            server.request("server/discover", json!({})).await;
            return (server, started.elapsed());
        }
        server
            .request(
                "initialize",
                json!({"protocolVersion": LEGACY, "capabilities": {}, "clientInfo": client_info()}),
            )
            .await;
        let cold = started.elapsed();
        server.notify("notifications/initialized").await;
        (server, cold)
    }

    async fn request(&mut self, method: &str, params: Value) -> Value {
        match &mut self.link {
            Link::Stdio(link) => link.request(method, &params).await,
            Link::Http(link) => link.request(method, &params).await,
        }
    }

    async fn notify(&mut self, method: &str) {
        let message = json!({"jsonrpc": "2.0", "method": method});
        match &mut self.link {
            Link::Stdio(link) => link.send(&message).await,
            Link::Http(link) => drop(link.post(&message).await),
        }
    }

    /// `calls` tool calls with [`IN_FLIGHT`] of them outstanding at any time.
    async fn pipelined(&mut self, calls: usize) {
        match &mut self.link {
            Link::Stdio(link) => link.pipelined(calls).await,
            Link::Http(link) => link.pipelined(calls).await,
        }
    }

    /// Seconds of CPU (user + system) the server has used, from `/proc`.
    fn cpu_seconds(&self) -> f64 {
        let pid = self.child.id().expect("running");
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc");
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .expect("stat format")
            .1
            .split_whitespace()
            .collect();
        let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
        // Linux reports in clock ticks of 1/100 s on every common configuration.
        ticks / 100.0
    }

    /// Peak resident memory in KiB, from `/proc`.
    fn peak_rss_kib(&self) -> u64 {
        let pid = self.child.id().expect("running");
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|value| value.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    }
}

/// Newline-delimited JSON-RPC on the child's stdin and stdout.
struct StdioLink {
    stdin: ChildStdin,
    lines: Lines<BufReader<ChildStdout>>,
    next_id: u64,
}

impl StdioLink {
    fn new(child: &mut Child) -> StdioLink {
        StdioLink {
            stdin: child.stdin.take().expect("piped stdin"),
            lines: BufReader::new(child.stdout.take().expect("piped stdout")).lines(),
            next_id: 0,
        }
    }

    async fn send(&mut self, message: &Value) {
        let mut line = serde_json::to_vec(message).expect("JSON");
        line.push(b'\n');
        self.stdin.write_all(&line).await.expect("the server reads");
    }

    fn message(&mut self, method: &str, params: &Value) -> Value {
        self.next_id += 1;
        json!({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
    }

    async fn receive(&mut self) -> Value {
        loop {
            let line = self
                .lines
                .next_line()
                .await
                .expect("the server writes")
                .expect("the server stays up");
            let message: Value = serde_json::from_str(&line).expect("JSON-RPC on stdout");
            // Notifications carry no id; only responses answer requests.
            if message.get("id").is_some() {
                return checked(message);
            }
        }
    }

    async fn request(&mut self, method: &str, params: &Value) -> Value {
        let message = self.message(method, params);
        self.send(&message).await;
        self.receive().await
    }

    async fn pipelined(&mut self, calls: usize) {
        let mut sent = 0;
        while sent < IN_FLIGHT.min(calls) {
            let message = self.message("tools/call", &call_params());
            self.send(&message).await;
            sent += 1;
        }
        for _ in 0..calls {
            self.receive().await;
            if sent < calls {
                let message = self.message("tools/call", &call_params());
                self.send(&message).await;
                sent += 1;
            }
        }
    }
}

/// JSON-RPC POSTed to a Streamable HTTP endpoint: within the session it assigned (2025-11-25),
/// or each request standing alone (2026-07-28).
#[derive(Clone)]
struct HttpLink {
    client: reqwest::Client,
    url: String,
    session: Option<String>,
    /// The 2026-07-28 revision, whose requests each carry it; `None` on 2025-11-25.
    stateless: Option<String>,
    next_id: Arc<AtomicU64>,
}

impl HttpLink {
    /// Waits for the server to print its URL, then keeps draining its stderr.
    async fn connect(child: &mut Child, revision: &str) -> HttpLink {
        let mut lines = BufReader::new(child.stderr.take().expect("piped stderr")).lines();
        let url = loop {
            let line = lines
                .next_line()
                .await
                .expect("the server writes stderr")
                .expect("the server prints its URL before exiting");
            if let Some(url) = line.strip_prefix(URL_PREFIX) {
                break url.trim().to_owned();
            }
        };
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        // The workspace's reqwest brings no TLS crypto of its own (the host picks ring); the
        // driver speaks plain HTTP on loopback, but reqwest needs one installed to build.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .no_proxy()
            .tcp_nodelay(true)
            .pool_max_idle_per_host(IN_FLIGHT)
            .build()
            .expect("an HTTP client");
        HttpLink {
            client,
            url,
            session: None,
            stateless: (revision != LEGACY).then(|| revision.to_owned()),
            next_id: Arc::new(AtomicU64::new(1)),
        }
    }

    /// POSTs `message`; returns the JSON-RPC response in the body, plain JSON or SSE.
    async fn post(&mut self, message: &Value) -> Value {
        let mut request = self
            .client
            .post(&self.url)
            .header("accept", "application/json, text/event-stream")
            .header("content-type", "application/json")
            .body(serde_json::to_vec(message).expect("JSON"));
        if let Some(session) = &self.session {
            // As clients do once a session has negotiated its revision.
            request = request
                .header("mcp-session-id", session)
                .header("mcp-protocol-version", LEGACY);
        }
        if let Some(revision) = &self.stateless {
            request = request.header("mcp-protocol-version", revision);
            if let Some(method) = message["method"].as_str() {
                request = request.header("mcp-method", method);
            }
            if let Some(name) = message["params"]["name"].as_str() {
                request = request.header("mcp-name", name);
            }
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status();
        assert!(status.is_success(), "HTTP {status} for {message}");
        if let Some(session) = response.headers().get("mcp-session-id") {
            self.session = Some(session.to_str().expect("ASCII session id").to_owned());
        }
        let body = response.text().await.expect("a body");
        response_in(&body).map(checked).unwrap_or(Value::Null)
    }

    async fn request(&mut self, method: &str, params: &Value) -> Value {
        // Ids stay unique across the workers sharing the session: the server routes by them.
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        if let Some(revision) = &self.stateless {
            message["params"]["_meta"] = json!({
                "io.modelcontextprotocol/protocolVersion": revision,
                "io.modelcontextprotocol/clientCapabilities": {},
                "io.modelcontextprotocol/clientInfo": client_info(),
            });
        }
        self.post(&message).await
    }

    async fn pipelined(&mut self, calls: usize) {
        let mut workers = JoinSet::new();
        for worker in 0..IN_FLIGHT {
            let mut link = self.clone();
            let share = calls / IN_FLIGHT + usize::from(worker < calls % IN_FLIGHT);
            workers.spawn(async move {
                for _ in 0..share {
                    link.request("tools/call", &call_params()).await;
                }
            });
        }
        while let Some(done) = workers.join_next().await {
            done.expect("a worker finished");
        }
    }
}

/// The JSON-RPC response in an HTTP body: the body itself, or the SSE event that carries an id.
fn response_in(body: &str) -> Option<Value> {
    if body.trim_start().starts_with('{') {
        return serde_json::from_str(body).ok();
    }
    body.lines()
        .filter_map(|line| line.strip_prefix("data:"))
        .filter_map(|data| serde_json::from_str::<Value>(data.trim()).ok())
        .find(|message| message.get("id").is_some())
}

fn checked(response: Value) -> Value {
    assert!(
        response.get("error").is_none(),
        "error response: {response}"
    );
    response
}

/// How the driver introduces itself.
fn client_info() -> Value {
    json!({"name": "mcp-load", "version": "1"})
}

/// The call every phase makes: a realistic `list_issue`.
fn call_params() -> Value {
    json!({
        "name": "list_issue",
        "arguments": {
            "project": "PROJ",
            "state": "open",
            "labels": ["bug", "customer-reported"],
            "assignee": "alice@example.com",
            "sort": "updated",
            "direction": "desc",
            "limit": 25
        }
    })
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = Args::parse();

    let mut cold = Vec::new();
    for _ in 0..args.starts {
        let (server, started) = Server::start(&args.command, args.http, &args.revision).await;
        cold.push(started);
        drop(server);
    }

    let (mut server, _) = Server::start(&args.command, args.http, &args.revision).await;
    let mut list = Vec::new();
    for _ in 0..args.lists {
        let started = Instant::now();
        let listing = server.request("tools/list", json!({})).await;
        list.push(started.elapsed());
        assert_eq!(
            listing["result"]["tools"].as_array().map(Vec::len),
            Some(50),
            "a 50-tool server"
        );
    }

    // Warm up, then sequential calls: one in flight.
    for _ in 0..args.warmup {
        server.request("tools/call", call_params()).await;
    }
    let cpu_before = server.cpu_seconds();
    let started = Instant::now();
    for _ in 0..args.calls {
        server.request("tools/call", call_params()).await;
    }
    let sequential = args.calls as f64 / started.elapsed().as_secs_f64();
    let sequential_cpu_per_call_us = (server.cpu_seconds() - cpu_before) / args.calls as f64 * 1e6;

    let cpu_before = server.cpu_seconds();
    let started = Instant::now();
    server.pipelined(args.calls).await;
    let pipelined = args.calls as f64 / started.elapsed().as_secs_f64();
    let cpu_per_call_us = (server.cpu_seconds() - cpu_before) / args.calls as f64 * 1e6;

    let transport = if args.http { "http" } else { "stdio" };
    let report = json!({
        "command": args.command.join(" "),
        "transport": transport,
        "revision": args.revision,
        "cold_start_ms": median(cold).as_secs_f64() * 1e3,
        "tools_list_us": median(list).as_secs_f64() * 1e6,
        "sequential_calls_per_s": sequential,
        "pipelined_calls_per_s": pipelined,
        "server_cpu_per_call_us": cpu_per_call_us,
        "server_cpu_per_sequential_call_us": sequential_cpu_per_call_us,
        "peak_rss_kib": server.peak_rss_kib(),
    });
    println!("{report}");
}
