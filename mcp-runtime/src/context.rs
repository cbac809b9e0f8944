//! What a tool handler knows about the call it serves.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use crate::{BoxFuture, McpError, ToolMetadata};

/// The default bound on a tool's output, in bytes (see [`crate::ToolOutput::bounded`]).
pub const DEFAULT_OUTPUT_LIMIT: usize = 512 * 1024;

/// Level of a log message sent to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    /// Detailed diagnostics.
    Debug,
    /// Normal progress.
    Info,
    /// Something unusual that the tool recovered from.
    Warning,
    /// A failure.
    Error,
}

/// Where a context's progress and log notifications go: the transport, a test, or nowhere.
pub trait Notifier: Send + Sync {
    /// A progress notification (`progress` increases with every call).
    fn progress(&self, progress: f64, total: Option<f64>, message: Option<&str>);
    /// A log message for the client.
    fn log(&self, level: LogLevel, message: &str);
}

/// Requests from a tool to the client that called it (sampling, elicitation, roots), answered by
/// the transport. In-process calls have none.
pub trait ClientRequests: Send + Sync {
    /// Sends the MCP request `method` with `params` to the client and returns its result.
    /// `key` names the request among the call's input requests (2026-07-28, where the question
    /// goes back in an input-required result and the answer comes with the client's retry);
    /// `None` lets the transport number it.
    fn request<'a>(
        &'a self,
        key: Option<&'a str>,
        method: &'a str,
        params: Value,
    ) -> BoxFuture<'a, Result<Value, McpError>>;

    /// Makes the call a task its client polls, where the transport may (see
    /// [`ToolContext::start_task`]); resolves once it is one. By default, nothing to do.
    fn start_task(&self) -> BoxFuture<'_, ()> {
        Box::pin(std::future::ready(()))
    }
}

/// The notifier of a context nobody listens to.
struct Silent;

impl Notifier for Silent {
    fn progress(&self, _: f64, _: Option<f64>, _: Option<&str>) {}
    fn log(&self, _: LogLevel, _: &str) {}
}

/// Who triggered a call and on whose behalf it runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunIds {
    /// The user who triggered the call (the only one who may approve it).
    pub user_id: Option<String>,
    /// The agent that chose the tool.
    pub agent_id: Option<String>,
    /// The agent run (conversation, message) the call belongs to.
    pub run_id: Option<String>,
}

/// Values of any type that a host or a layer attaches to a call, one per type.
type Extensions = HashMap<TypeId, Arc<dyn Any + Send + Sync>>;

/// What a tool handler knows about the call it serves: who made it, their platform token,
/// cancellation, progress and logging, requests to the client, and typed extensions the host put
/// there.
///
/// The host builds it (`with_*`); handlers read it. How the call is run (the approval gate, the
/// approval presented, layers) is the host's business and travels apart, in
/// [`CallOptions`](crate::host::CallOptions).
///
/// Cloning is cheap; clones share the cancellation token and the notifier.
#[derive(Clone)]
pub struct ToolContext {
    token: Option<SecretString>,
    extensions: Arc<Extensions>,
    ids: RunIds,
    cancellation: CancellationToken,
    notifier: Arc<dyn Notifier>,
    client: Option<Arc<dyn ClientRequests>>,
    output_limit: usize,
    tool: Option<&'static ToolMetadata>,
    instance: Option<&'static str>,
}

impl Default for ToolContext {
    fn default() -> Self {
        ToolContext {
            token: None,
            extensions: Arc::default(),
            ids: RunIds::default(),
            cancellation: CancellationToken::new(),
            notifier: Arc::new(Silent),
            client: None,
            output_limit: DEFAULT_OUTPUT_LIMIT,
            tool: None,
            instance: None,
        }
    }
}

impl ToolContext {
    /// A context with no credentials, no run ids and nobody listening.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the access token of the platform connection.
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(SecretString::from(token.into()));
        self
    }

    /// Attaches `value` for handlers to read with [`ToolContext::get`] (one value per type; a
    /// second of the same type replaces the first). Use a type of your own, so that nobody else's
    /// value is taken for yours.
    pub fn with_extension<T: Send + Sync + 'static>(mut self, value: T) -> Self {
        Arc::make_mut(&mut self.extensions).insert(TypeId::of::<T>(), Arc::new(value));
        self
    }

    /// Sets who triggered the call.
    pub fn with_ids(mut self, ids: RunIds) -> Self {
        self.ids = ids;
        self
    }

    /// Cancels the call when `token` is cancelled.
    pub fn with_cancellation(mut self, token: CancellationToken) -> Self {
        self.cancellation = token;
        self
    }

    /// Sends progress and log notifications to `notifier`.
    pub fn with_notifier(mut self, notifier: Arc<dyn Notifier>) -> Self {
        self.notifier = notifier;
        self
    }

    /// Lets the tool send requests (sampling, elicitation) to `client`.
    pub fn with_client(mut self, client: Arc<dyn ClientRequests>) -> Self {
        self.client = Some(client);
        self
    }

    /// Bounds the call's output to `bytes` (default [`DEFAULT_OUTPUT_LIMIT`]).
    pub fn with_output_limit(mut self, bytes: usize) -> Self {
        self.output_limit = bytes;
        self
    }

    /// Names the tool being called; the call path sets it before running the handler.
    pub(crate) fn with_tool(mut self, tool: &'static ToolMetadata) -> Self {
        self.tool = Some(tool);
        self
    }

    /// The tool being called (its retry policy decides whether upstream requests are retried).
    pub fn tool(&self) -> Option<&'static ToolMetadata> {
        self.tool
    }

    /// Names the instance the server is served as; the call path sets it for an instance.
    pub(crate) fn with_instance(mut self, name: &'static str) -> Self {
        self.instance = Some(name);
        self
    }

    /// The instance's name when the server is served as one of several instances (two Jira
    /// sites), else `None`: what keeps each instance's user connections apart.
    pub fn instance(&self) -> Option<&'static str> {
        self.instance
    }

    /// The platform access token, if the user connected an account.
    pub fn token(&self) -> Option<&str> {
        self.token.as_ref().map(|token| token.expose_secret())
    }

    /// The value of type `T` the host or a layer attached, if any.
    pub fn get<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.extensions.get(&TypeId::of::<T>())?.downcast_ref()
    }

    /// Who triggered the call.
    pub fn ids(&self) -> &RunIds {
        &self.ids
    }

    /// Cancelled when the client cancels the call or it times out.
    pub fn cancellation(&self) -> &CancellationToken {
        &self.cancellation
    }

    /// Whether the call was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.cancellation.is_cancelled()
    }

    /// Reports progress to the client.
    pub fn progress(&self, progress: f64, total: Option<f64>, message: Option<&str>) {
        self.notifier.progress(progress, total, message);
    }

    /// Sends a log message to the client.
    pub fn log(&self, level: LogLevel, message: &str) {
        self.notifier.log(level, message);
    }

    /// Sends the MCP request `method` to the client that made the call.
    pub async fn request_client(&self, method: &str, params: Value) -> Result<Value, McpError> {
        self.ask(None).request(method, params).await
    }

    /// Asks the client's model for a completion (`sampling/createMessage`); `params` are the
    /// request's parameters, e.g. `{"messages": [...], "maxTokens": 100}`.
    pub async fn create_message(&self, params: Value) -> Result<Value, McpError> {
        self.ask(None).create_message(params).await
    }

    /// Asks the user for structured input (`elicitation/create`, form mode); the result carries
    /// `action` (`accept`, `decline`, `cancel`) and, when accepted, `content`.
    pub async fn elicit(&self, message: &str, requested_schema: Value) -> Result<Value, McpError> {
        self.ask(None).elicit(message, requested_schema).await
    }

    /// The client's roots (`roots/list`): the result carries `roots`, each with a `uri`.
    pub async fn list_roots(&self) -> Result<Value, McpError> {
        self.ask(None).list_roots().await
    }

    /// Requests to the client under the name `key`, for a handler that asks several things and
    /// wants each answer named (on 2026-07-28 the key is the input request's; questions asked
    /// without a key are numbered in the order they are asked).
    ///
    /// On 2026-07-28 a question goes back to the client as an input-required result, and the
    /// client's retry runs the handler again from the start with the answers it has so far:
    /// ask before acting, so that a handler does nothing twice.
    pub fn input<'a>(&'a self, key: &'a str) -> ClientInput<'a> {
        self.ask(Some(key))
    }

    /// Makes the call a task, for a tool declared with `task_start = "handler"`: the client is
    /// answered with a task at once, and the handler goes on in the background; what it asks
    /// from then on goes through the task (`tasks/update`), and cancelling the task cancels
    /// [`cancellation`](Self::cancellation).
    ///
    /// Call it once the handler has asked what it needs to decide (those questions go back in
    /// input-required rounds, the retry running the handler again with the answers) and before
    /// the long part. Where the call cannot become a task it does nothing and the handler goes
    /// on answering the call itself: in-process, on 2025-11-25, for a client without the tasks
    /// extension (an `optional` task), or when the call is a task already. If the host cannot
    /// hold one more task, the call ends with that error and the handler does not resume.
    pub async fn start_task(&self) {
        if let Some(client) = &self.client {
            client.start_task().await;
        }
    }

    fn ask<'a>(&'a self, key: Option<&'a str>) -> ClientInput<'a> {
        ClientInput { ctx: self, key }
    }

    /// The output bound of this call.
    pub fn output_limit(&self) -> usize {
        self.output_limit
    }
}

/// Requests to the client of a call, under one key (see [`ToolContext::input`]).
#[derive(Clone, Copy)]
pub struct ClientInput<'a> {
    ctx: &'a ToolContext,
    key: Option<&'a str>,
}

impl ClientInput<'_> {
    /// Sends the MCP request `method` with `params` and returns the client's result.
    pub async fn request(self, method: &str, params: Value) -> Result<Value, McpError> {
        let Some(client) = &self.ctx.client else {
            return Err(McpError::new(format!(
                "`{method}` needs a client to ask, and this call has none (it runs in-process)"
            ))
            .untracked());
        };
        client.request(self.key, method, params).await
    }

    /// Asks the client's model for a completion (`sampling/createMessage`).
    pub async fn create_message(self, params: Value) -> Result<Value, McpError> {
        self.request("sampling/createMessage", params).await
    }

    /// Asks the user for structured input (`elicitation/create`, form mode).
    pub async fn elicit(self, message: &str, requested_schema: Value) -> Result<Value, McpError> {
        let params = serde_json::json!({
            "mode": "form",
            "message": message,
            "requestedSchema": requested_schema,
        });
        self.request("elicitation/create", params).await
    }

    /// The client's roots (`roots/list`).
    pub async fn list_roots(self) -> Result<Value, McpError> {
        self.request("roots/list", serde_json::json!({})).await
    }
}

impl fmt::Debug for ToolContext {
    // The token is never printed, not even its length.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ToolContext")
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .field("extensions", &self.extensions.len())
            .field("ids", &self.ids)
            .field("cancelled", &self.cancellation.is_cancelled())
            .field("client", &self.client.is_some())
            .field("output_limit", &self.output_limit)
            .field("tool", &self.tool.map(|tool| tool.name))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Site(&'static str);

    #[test]
    fn extensions_are_found_by_type() {
        let ctx = ToolContext::new()
            .with_extension(Site("a.example"))
            .with_extension(7_u32);
        assert_eq!(ctx.get::<Site>(), Some(&Site("a.example")));
        assert_eq!(ctx.get::<u32>(), Some(&7));
        assert_eq!(ctx.get::<String>(), None);
        let replaced = ctx.clone().with_extension(Site("b.example"));
        assert_eq!(replaced.get::<Site>(), Some(&Site("b.example")));
        assert_eq!(
            ctx.get::<Site>(),
            Some(&Site("a.example")),
            "clones keep their own"
        );
    }

    #[tokio::test]
    async fn in_process_calls_have_no_client_to_ask() {
        let error = ToolContext::new()
            .elicit("Your name?", serde_json::json!({"type": "object"}))
            .await
            .unwrap_err();
        assert_eq!(
            error.message(),
            "`elicitation/create` needs a client to ask, and this call has none (it runs in-process)"
        );
        assert!(!error.is_tracked());
    }
}
