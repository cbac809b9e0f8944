//! `serve_http` embedded in a host of its own, which passes it no register of running calls: at
//! shutdown the calls running still get the grace period, and their answers reach their clients
//! before `serve_http` returns (after which the host's process may end at once).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use mcp_runtime::CancellationToken;
use mcp_runtime::host::SharedServer;
use mcp_runtime::host::serve::{HttpConfig, HttpLimits, ServeError, serve_http};
use mcp_runtime::prelude::*;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio::sync::Notify;

/// Arguments of `wait`.
#[derive(Debug, Deserialize, JsonSchema)]
struct Wait {
    /// How long to wait.
    millis: u64,
}

/// A server whose one tool says when it has started.
#[derive(Debug, Default)]
struct Slow {
    started: Arc<Notify>,
}

/// Waits.
#[mcp_server(id = 90, availability = "manual")]
impl Slow {
    /// Waits `millis`, then says so.
    #[tool(stake = "never_ask")]
    async fn wait(&self, _ctx: &ToolContext, args: Wait) -> ToolResult {
        self.started.notify_one();
        tokio::time::sleep(Duration::from_millis(args.millis)).await;
        Ok(ToolOutput::text("waited"))
    }
}

/// An HTTP/1.1 request to `/mcp` with `headers` besides the usual ones.
fn request(method: &str, headers: &[(&str, &str)], body: &str) -> String {
    let mut request = format!(
        "{method} /mcp HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n\
         accept: application/json, text/event-stream\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request + "\r\n" + body
}

/// A stateless (2026-07-28) call of `wait`.
fn wait_request(millis: u64) -> String {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {
    "name": "wait", "arguments": {"millis": millis},
    "_meta": {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": {"name": "shutdown", "version": "1"}
    }}});
    let headers = [
        ("mcp-protocol-version", "2026-07-28"),
        ("mcp-method", "tools/call"),
        ("mcp-name", "wait"),
    ];
    request("POST", &headers, &body.to_string())
}

/// Sends `request` on a new connection and reads what comes back until the connection closes,
/// failing the test if it takes 10 s.
async fn exchange(address: SocketAddr, request: &str) -> String {
    let mut socket = TcpStream::connect(address).await.unwrap();
    socket.write_all(request.as_bytes()).await.unwrap();
    read_to_end(&mut socket).await
}

async fn read_to_end(socket: &mut TcpStream) -> String {
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(10), socket.read_to_string(&mut answer))
        .await
        .expect("closed within 10 s")
        .unwrap();
    answer
}

/// `serve_http` serving `server` on a runtime of its own, dropped the moment it returns as when
/// a binary's `main` ends: what the server has not sent by then is never sent.
fn serve(
    server: SharedServer,
    shutdown: CancellationToken,
) -> (SocketAddr, std::thread::JoinHandle<Result<(), ServeError>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let address = listener.local_addr().unwrap();
    let config = HttpConfig {
        shutdown,
        // A grace period (10 s by default) a call of a moment needs a fraction of.
        limits: HttpLimits::default(),
        ..HttpConfig::default()
    };
    let serving = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            serve_http(listener, &[server], config).await
        })
    });
    (address, serving)
}

/// Runs `client` on a runtime of its own.
fn client<T>(client: impl Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(client)
}

#[test]
fn a_call_running_at_shutdown_is_answered_before_serve_http_returns() {
    let started = Arc::new(Notify::new());
    let shutdown = CancellationToken::new();
    let server = SharedServer::new(Slow {
        started: started.clone(),
    });
    let (address, serving) = serve(server, shutdown.clone());
    let answer = client(async {
        let mut socket = TcpStream::connect(address).await.unwrap();
        let call = wait_request(300);
        socket.write_all(call.as_bytes()).await.unwrap();
        tokio::time::timeout(Duration::from_secs(10), started.notified())
            .await
            .expect("the call started within 10 s");
        shutdown.cancel();
        read_to_end(&mut socket).await
    });
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""text":"waited""#), "{answer}");
    serving.join().unwrap().unwrap();
}

#[test]
fn an_answer_in_one_body_states_its_length() {
    let shutdown = CancellationToken::new();
    let (address, serving) = serve(SharedServer::new(Slow::default()), shutdown.clone());
    let answer = client(async {
        let call = wait_request(0).replace("\r\n\r\n", "\r\nconnection: close\r\n\r\n");
        exchange(address, &call).await
    });
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    let length = format!("content-length: {}", body.len());
    assert!(head.lines().any(|line| line == length), "{answer}");
    shutdown.cancel();
    serving.join().unwrap().unwrap();
}

#[test]
fn an_event_stream_open_at_shutdown_ends_cleanly_before_serve_http_returns() {
    let shutdown = CancellationToken::new();
    let (address, serving) = serve(SharedServer::new(Slow::default()), shutdown.clone());
    let stream = client(async {
        let initialize = json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {},
            "clientInfo": {"name": "shutdown", "version": "1"}}});
        let close = [("connection", "close")];
        let answer = exchange(address, &request("POST", &close, &initialize.to_string())).await;
        let session = answer
            .lines()
            .find_map(|line| line.strip_prefix("mcp-session-id: "))
            .unwrap_or_else(|| panic!("no session in {answer}"))
            .to_owned();
        let in_session = [
            ("mcp-session-id", session.as_str()),
            ("mcp-protocol-version", "2025-11-25"),
        ];
        let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
        let headers = [&in_session[..], &close].concat();
        let answer = exchange(
            address,
            &request("POST", &headers, &initialized.to_string()),
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 202"), "{answer}");
        let mut socket = TcpStream::connect(address).await.unwrap();
        let open = request("GET", &in_session, "");
        socket.write_all(open.as_bytes()).await.unwrap();
        let mut head = [0; 12];
        socket.read_exact(&mut head).await.unwrap();
        assert_eq!(&head, b"HTTP/1.1 200");
        shutdown.cancel();
        read_to_end(&mut socket).await
    });
    // The chunked body's last chunk: the stream was ended, not cut.
    assert!(stream.ends_with("\r\n0\r\n\r\n"), "{stream:?}");
    serving.join().unwrap().unwrap();
}
