//! A client speaking newline-delimited JSON-RPC to `serve_lines`, in-process over a pair of pipes.

use std::time::Duration;

use mcp_runtime::host::serve::{McpHandler, ServeError, serve_lines};
use serde_json::{Value, json};
use tokio::io::{
    AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream, Lines, ReadHalf, WriteHalf,
};

use super::http::VERSION;

pub struct Client {
    input: WriteHalf<DuplexStream>,
    output: Lines<BufReader<ReadHalf<DuplexStream>>>,
    served: tokio::task::JoinHandle<Result<(), ServeError>>,
}

impl Client {
    /// Connected to `handler` and initialized at `VERSION`, declaring `capabilities`.
    pub async fn start(handler: McpHandler, capabilities: Value) -> Client {
        let (client, server) = tokio::io::duplex(1 << 20);
        let (server_input, server_output) = tokio::io::split(server);
        let served = tokio::spawn(serve_lines(handler, server_input, server_output));
        let (output, input) = tokio::io::split(client);
        let mut client = Client {
            input,
            output: BufReader::new(output).lines(),
            served,
        };
        client
            .send(
                &json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
                "protocolVersion": VERSION, "capabilities": capabilities,
                "clientInfo": {"name": "t", "version": "1"}}}),
            )
            .await;
        client.next().await;
        client
            .send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}))
            .await;
        client
    }

    pub async fn write(&mut self, bytes: &[u8]) {
        self.input.write_all(bytes).await.unwrap();
    }

    /// Closes the server's input.
    pub async fn close(&mut self) {
        self.input.shutdown().await.unwrap();
    }

    pub async fn send(&mut self, message: &Value) {
        self.write(format!("{message}\n").as_bytes()).await;
    }

    /// The server's next line, failing the test if none comes within 5 s.
    pub async fn next(&mut self) -> Value {
        self.next_within(Duration::from_secs(5)).await
    }

    /// The server's next line, failing the test if none comes within `time`.
    pub async fn next_within(&mut self, time: Duration) -> Value {
        let line = tokio::time::timeout(time, self.output.next_line())
            .await
            .expect("the server answers in time")
            .unwrap()
            .expect("the server wrote a line");
        serde_json::from_str(&line).unwrap()
    }

    /// Waits until the server has stopped serving (within 10 s).
    pub async fn ended(&mut self) {
        tokio::time::timeout(Duration::from_secs(10), &mut self.served)
            .await
            .expect("the server ends within 10 s")
            .unwrap()
            .unwrap();
    }
}
