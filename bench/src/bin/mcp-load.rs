//! `mcp-load`: measures an MCP server spawned as a stdio command.
//!
//! `mcp-load [--calls N] -- COMMAND [ARGS...]` prints one JSON line: cold start (spawn to the
//! `initialize` response), `tools/list` latency, sequential and pipelined (64 in flight)
//! `tools/call` throughput, the server's CPU time per call, and its peak RSS. It speaks raw
//! newline-delimited JSON-RPC so that the client adds as little as possible to the figures.

use std::process::Stdio;
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

/// Measure an MCP server over stdio.
#[derive(Debug, Parser)]
struct Args {
    /// Calls in each throughput phase.
    #[arg(long, default_value_t = 20_000)]
    calls: usize,
    /// Cold starts to time.
    #[arg(long, default_value_t = 5)]
    starts: usize,
    /// The server command and its arguments.
    #[arg(last = true, required = true)]
    command: Vec<String>,
}

const IN_FLIGHT: usize = 64;

struct Server {
    child: Child,
    stdin: ChildStdin,
    lines: Lines<BufReader<ChildStdout>>,
    next_id: u64,
}

impl Server {
    async fn start(command: &[String]) -> (Server, Duration) {
        let started = Instant::now();
        let mut child = Command::new(&command[0])
            .args(&command[1..])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("the server command starts");
        let stdin = child.stdin.take().expect("piped stdin");
        let lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
        let mut server = Server {
            child,
            stdin,
            lines,
            next_id: 0,
        };
        server
            .request(
                "initialize",
                json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "mcp-load", "version": "1"}}),
            )
            .await;
        let cold = started.elapsed();
        server
            .send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            .await;
        (server, cold)
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
                assert!(message.get("error").is_none(), "error response: {message}");
                return message;
            }
        }
    }

    async fn request(&mut self, method: &str, params: Value) -> Value {
        let message = self.message(method, &params);
        self.send(&message).await;
        self.receive().await
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

fn call_params() -> Value {
    json!({"name": "get_issue", "arguments": {"id": "PROJ-42"}})
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
        let (server, started) = Server::start(&args.command).await;
        cold.push(started);
        drop(server);
    }

    let (mut server, _) = Server::start(&args.command).await;
    let mut list = Vec::new();
    for _ in 0..200 {
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
    for _ in 0..500 {
        server.request("tools/call", call_params()).await;
    }
    let started = Instant::now();
    for _ in 0..args.calls {
        server.request("tools/call", call_params()).await;
    }
    let sequential = args.calls as f64 / started.elapsed().as_secs_f64();

    // Pipelined: keep 64 in flight.
    let cpu_before = server.cpu_seconds();
    let started = Instant::now();
    let mut sent = 0;
    let mut received = 0;
    while sent < IN_FLIGHT.min(args.calls) {
        let message = server.message("tools/call", &call_params());
        server.send(&message).await;
        sent += 1;
    }
    while received < args.calls {
        server.receive().await;
        received += 1;
        if sent < args.calls {
            let message = server.message("tools/call", &call_params());
            server.send(&message).await;
            sent += 1;
        }
    }
    let pipelined = args.calls as f64 / started.elapsed().as_secs_f64();
    let cpu_per_call_us = (server.cpu_seconds() - cpu_before) / args.calls as f64 * 1e6;

    let report = json!({
        "command": args.command.join(" "),
        "cold_start_ms": median(cold).as_secs_f64() * 1e3,
        "tools_list_us": median(list).as_secs_f64() * 1e6,
        "sequential_calls_per_s": sequential,
        "pipelined_calls_per_s": pipelined,
        "server_cpu_per_call_us": cpu_per_call_us,
        "peak_rss_kib": server.peak_rss_kib(),
    });
    println!("{report}");
}
