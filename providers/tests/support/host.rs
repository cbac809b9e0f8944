//! `mcp-providers serve` running as a process, its stderr collected, and an HTTP client for it.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

/// `mcp-providers` running, its stderr collected.
pub struct Host {
    pub child: Child,
    /// The MCP endpoint (HTTP), once [`Host::serving`] found it.
    pub url: String,
    stderr: Arc<Mutex<String>>,
    _dir: Option<tempfile::TempDir>,
}

impl Host {
    /// The binary, to be given its arguments.
    pub fn command() -> Command {
        Command::new(env!("CARGO_BIN_EXE_mcp-providers"))
    }

    /// Starts `command` (stdin and stdout piped), keeping `dir` as long as it runs.
    pub fn spawn(command: &mut Command, dir: Option<tempfile::TempDir>) -> Host {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut lines = BufReader::new(child.stderr.take().unwrap());
        let collected = stderr.clone();
        std::thread::spawn(move || {
            let mut line = String::new();
            while lines.read_line(&mut line).is_ok_and(|read| read > 0) {
                collected.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        Host {
            child,
            url: String::new(),
            stderr,
            _dir: dir,
        }
    }

    /// Waits (10 s at most) until the host says where it serves MCP over HTTP; its first URL.
    pub fn serving(mut self) -> Host {
        let started = Instant::now();
        while self.url.is_empty() {
            if let Some(line) = self
                .stderr()
                .lines()
                .find(|line| line.contains("serving MCP on"))
            {
                let urls = line.split("serving MCP on ").nth(1).unwrap();
                self.url = urls.split(' ').next().unwrap().to_owned();
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        self
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn proc(&self, entry: &str) -> String {
        std::fs::read_to_string(format!("/proc/{}/{entry}", self.child.id())).unwrap()
    }

    pub fn rss_kib(&self) -> u64 {
        let status = self.proc("status");
        let line = status
            .lines()
            .find(|line| line.starts_with("VmRSS:"))
            .unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    pub fn open_files(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.child.id()))
            .unwrap()
            .count()
    }

    /// `host:port` of the endpoint.
    pub fn address(&self) -> String {
        self.url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_owned()
    }

    pub fn terminate(&self) {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
    }

    /// Waits for the process to exit successfully; how long it took.
    pub fn exit_within(&mut self, limit: Duration) -> Duration {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "{status}: {}", self.stderr());
                return started.elapsed();
            }
            assert!(
                started.elapsed() < limit,
                "still running after {limit:?}: {}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A client whose requests fail after 30 s rather than hang the test (no request here should
/// take more than a few).
pub fn client() -> reqwest::Client {
    providers::kit::http_client(reqwest::Client::builder().timeout(Duration::from_secs(30)))
}

/// A JSON body (reqwest is built without its `json` feature).
pub trait JsonBody {
    fn json_body(self, message: &Value) -> Self;
}

impl JsonBody for reqwest::RequestBuilder {
    fn json_body(self, message: &Value) -> Self {
        self.header("content-type", "application/json")
            .body(message.to_string())
    }
}

/// An answer: the HTTP status and the JSON-RPC message (from a JSON body or the last SSE event).
pub async fn answer(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.unwrap();
    let message = match serde_json::from_str(&text) {
        Ok(message) => message,
        Err(_) => text
            .lines()
            .rev()
            .filter_map(|line| line.strip_prefix("data:"))
            .find_map(|data| serde_json::from_str(data.trim()).ok())
            .unwrap_or(Value::Null),
    };
    (status, message)
}

/// A stateless (2026-07-28) `tools/call` of `tool` with `params` (its `arguments`, maybe a
/// `requestState` and `inputResponses`), from a client declaring `capabilities`.
pub fn stateless_call(
    http: &reqwest::Client,
    url: &str,
    tool: &str,
    mut params: Value,
    capabilities: Value,
) -> reqwest::RequestBuilder {
    params["name"] = json!(tool);
    params["_meta"] = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": capabilities,
        "io.modelcontextprotocol/clientInfo": {"name": "tests", "version": "1"}
    });
    http.post(url)
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2026-07-28")
        .header("mcp-method", "tools/call")
        .header("mcp-name", tool)
        .json_body(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params}))
}
