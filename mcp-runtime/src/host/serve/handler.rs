//! rmcp's server handler over one of our servers.

mod listing;
mod offers;
mod rounds;

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, OnceLock, Weak};

use rmcp::model::ProgressToken;
use rmcp::model::RequestStateCodec;
#[allow(deprecated)] // `SetLevelRequestParams`: logging is part of 2025-11-25 (see `notify`)
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult as WireResult, CancelTaskParams,
    ClientCapabilities, CompleteRequestParams, CompleteResult, ContentBlock,
    GetPromptRequestParams, GetPromptResponse, GetTaskParams, GetTaskResult, Icon, Implementation,
    ListPromptsResult, ListResourceTemplatesResult, ListResourcesResult, ListToolsResult,
    MetaObject, PaginatedRequestParams, ProtocolVersion, ReadResourceRequestParams,
    ReadResourceResponse, ResourcesCapability, ServerCapabilities, ServerConfig,
    SetLevelRequestParams, SubscribeRequestMethod, SubscribeRequestParams, SubscriptionFilter,
    Tool, ToolAnnotations, UnsubscribeRequestMethod, UnsubscribeRequestParams, UpdateTaskParams,
};
use rmcp::service::SubscriptionContext;
use rmcp::service::{NotificationContext, Peer, RequestContext};
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::Value;

use super::client::PeerClient;
use super::connect::{self, ConnectLinks};
use super::mcp_headers;
use super::notify::PeerNotifier;
use super::protect::Principal;
use super::session_calls::SessionCalls;
use super::sessions::Sessions;
use super::subscriptions::{self, SessionSubscriptions};
use super::tasks::Tasks;
use super::{ask, state};
use crate::host::approval::LOCAL_USER;
use crate::host::{CallOptions, ClientRequests, SharedServer};
use crate::{CallError, CallToolResult, Content, RunIds, ServerMetadata, ToolContext};
use listing::Listing;
use offers::Offers;
use rounds::Round;

/// Serves one server over MCP, one clone per session (see [`McpHandler::for_session`]): the
/// tool listing and server info are shared, built once from the server's catalog.
#[derive(Clone)]
pub struct McpHandler {
    server: SharedServer,
    /// The tools served, made on first use and shared by every session.
    listing: Arc<Listing>,
    /// Resources, templates and prompts, listed as built once.
    offers: Arc<Offers>,
    /// The calls running as tasks, shared by every session.
    tasks: Arc<Tasks>,
    /// The session's subscriptions to resources (2025-11-25).
    subscriptions: Arc<SessionSubscriptions>,
    info: Arc<ServerConfig>,
    /// The session's minimum log level (`logging/setLevel`), as a `notify::rank`.
    log_level: Arc<AtomicU8>,
    /// The session's client, for requests from tools; made on the session's first call.
    client: OnceLock<Arc<dyn ClientRequests>>,
    /// The host's gate (stakes enforced, asking the client's user where it can) and layers.
    options: CallOptions,
    /// Seals the request state that names a held call on 2026-07-28.
    request_state: Arc<RequestStateCodec>,
    /// Where users not connected to a platform are sent.
    connect: Option<Arc<dyn ConnectLinks>>,
    /// The HTTP transport's sessions, where a session's handler registers once its client has
    /// initialized, so that the transport answers its calls (see `session_calls`).
    sessions: Option<Weak<Sessions>>,
}

impl McpHandler {
    /// The handler of `server` (a server value, an `Arc` of one, or a [`SharedServer`]); builds
    /// its MCP tool listing once.
    pub fn new(server: impl Into<SharedServer>) -> Self {
        let server = server.into();
        let metadata = server.metadata();
        let offers = Offers::of(metadata);
        // Logging is deprecated in 2026-07-28 but part of 2025-11-25 (see `notify`).
        #[allow(deprecated)]
        let mut capabilities = ServerCapabilities::builder()
            .enable_tools()
            .enable_logging()
            .build();
        if !offers.resources.is_empty() || !offers.templates.is_empty() {
            let mut resources = ResourcesCapability::default();
            // Subscriptions are offered where the server tells of changes.
            resources.subscribe = server.resource_changes().map(|_| true);
            capabilities.resources = Some(resources);
        }
        if !offers.prompts.is_empty() {
            capabilities.prompts = Some(Default::default());
        }
        if offers.completes() {
            capabilities.completions = Some(Default::default());
        }
        if metadata
            .tools
            .iter()
            .any(|tool| tool.task != crate::TaskSupport::Forbidden)
        {
            capabilities.extensions =
                Some([(rounds::TASKS_EXTENSION.to_owned(), Default::default())].into());
        }
        let mut info = ServerConfig::new(capabilities).with_server_info(implementation(metadata));
        if let Some(instructions) = metadata.instructions {
            info = info.with_instructions(instructions);
        }
        McpHandler {
            server,
            listing: Arc::default(),
            offers: Arc::new(offers),
            tasks: Arc::default(),
            subscriptions: Arc::default(),
            info: Arc::new(info),
            log_level: Arc::default(),
            client: OnceLock::new(),
            options: CallOptions::new(),
            request_state: state::process_codec(),
            connect: None,
            sessions: None,
        }
    }

    /// Sends users whose call needs an account they have not connected to `links`, in band
    /// (a URL-mode elicitation), rather than only telling them.
    pub fn with_connect_links(mut self, links: Arc<dyn ConnectLinks>) -> Self {
        self.connect = Some(links);
        self
    }

    /// Seals the request state naming a held call (2026-07-28) with `codec`: the replicas of a
    /// host share its keys, so that any of them can take the answer. By default, a key of the
    /// process's own.
    pub fn with_request_state(mut self, codec: RequestStateCodec) -> Self {
        self.request_state = Arc::new(codec);
        self
    }

    /// Runs every call with the host's `options`. With a gate, held calls are put to the
    /// client's user (elicitation), or refused with a way to approve when the client cannot ask.
    pub fn with_options(mut self, options: CallOptions) -> Self {
        // What the host does not serve is not listed either.
        self.listing = Arc::default();
        self.options = options;
        self
    }

    /// The options every call runs with.
    pub(super) fn options(&self) -> &CallOptions {
        &self.options
    }

    /// A handler for a new session: shared listing, its own log level.
    pub fn for_session(&self) -> Self {
        McpHandler {
            log_level: Arc::default(),
            client: OnceLock::new(),
            subscriptions: Arc::default(),
            ..self.clone()
        }
    }

    /// A 2025-11-25 call: a held call is put to the client's user by a request on the session
    /// (where the client can ask), and runs once approved.
    async fn call_in_session(
        &self,
        request: CallToolRequestParams,
        ctx: ToolContext,
        can_elicit: bool,
    ) -> Result<CallToolResult, CallError> {
        let arguments = request.arguments.map_or(Value::Null, Value::Object);
        // Kept for the approved call only where a call can be held.
        let retry = self.options.gate().map(|_| arguments.clone());
        let called = self
            .server
            .call_tool(&request.name, arguments, ctx.clone(), &self.options)
            .await;
        match (called, self.options.gate(), retry) {
            // Boxed: the rare path's future would otherwise make every call's larger.
            (Err(CallError::ApprovalRequired(held)), Some(gate), Some(arguments)) => {
                Box::pin(async move {
                    match ask::approve(gate, &held, &arguments, &ctx, can_elicit).await {
                        Ok(()) => {
                            let approved = self.options.clone().with_approval(&held.id);
                            self.server
                                .call_tool(&request.name, arguments, ctx, &approved)
                                .await
                        }
                        Err(refused) => Ok(refused),
                    }
                })
                .await
            }
            (called, _, _) => called,
        }
    }

    /// A 2025-11-25 call in the session of `peer`: `ctx` runs for the caller `user_id` with
    /// the call's cancellation; the client is asked through the session, and the progress and
    /// log messages go to it ahead of the answer.
    pub(super) async fn call_on_session(
        &self,
        request: CallToolRequestParams,
        ctx: ToolContext,
        progress_token: Option<ProgressToken>,
        peer: &Peer<RoleServer>,
        user_id: &str,
    ) -> Result<CallToolResponse, ErrorData> {
        let notifier = PeerNotifier::new(peer.clone(), progress_token, self.log_level.clone());
        let client = self
            .client
            .get_or_init(|| Arc::new(PeerClient(peer.clone())));
        let ctx = ctx.with_notifier(notifier.clone());
        let declared = peer.peer_info();
        let declared = declared.as_ref().map(|info| &info.capabilities);
        let answer = self
            .call_with_client(request, ctx, Arc::clone(client), declared, user_id)
            .await;
        notifier.flush().await;
        answer
    }

    /// A 2025-11-25 call whose questions go to `client`, which `declared` its capabilities.
    pub(super) async fn call_with_client(
        &self,
        request: CallToolRequestParams,
        ctx: ToolContext,
        client: Arc<dyn ClientRequests>,
        declared: Option<&ClientCapabilities>,
        user_id: &str,
    ) -> Result<CallToolResponse, ErrorData> {
        let can_elicit = declared.is_some_and(can_ask_forms);
        let called = self
            .call_in_session(request, ctx.with_client(client), can_elicit)
            .await;
        self.answer(called, user_id, false, client_can_open_urls(declared))
    }

    /// The session's minimum log level, as a `notify::rank`.
    pub(super) fn log_level(&self) -> &Arc<AtomicU8> {
        &self.log_level
    }

    /// Lets the HTTP transport answer this session's calls itself (see `session_calls`).
    pub(super) fn with_sessions(mut self, sessions: &Arc<Sessions>) -> Self {
        self.sessions = Some(Arc::downgrade(sessions));
        self
    }
}

/// `ctx` running for the caller of the HTTP request `parts` (if it came over HTTP): a protected
/// server's user, or (unprotected) the bearer token as the user's platform token.
pub(super) fn with_caller(ctx: ToolContext, parts: Option<&http::request::Parts>) -> ToolContext {
    match principal(parts) {
        // A protected server's token speaks for a user; it is never handed to tools.
        Some(principal) => ctx.with_ids(RunIds {
            user_id: Some(principal.user_id.clone()),
            ..RunIds::default()
        }),
        // Unprotected (a local, single-user server), the bearer token is the user's platform
        // token.
        None => match bearer_token(parts) {
            Some(token) => ctx.with_token(token),
            None => ctx,
        },
    }
}

impl McpHandler {
    /// The task `id` of the request's user, for a client that declared the tasks extension.
    fn task_of(
        &self,
        id: &str,
        context: &RequestContext<RoleServer>,
    ) -> Result<Arc<super::tasks::TaskEntry>, ErrorData> {
        let declared = context
            .client_capabilities()
            .is_some_and(|client| client.supports_tasks());
        if !declared {
            return Err(rounds::tasks_required());
        }
        self.tasks.get(id, user_of(parts_of(context)))
    }

    /// The context of a resource read, a prompt or a completion: the caller, its cancellation,
    /// and what the host's layers give every call through its context.
    fn offer_context(&self, context: &RequestContext<RoleServer>) -> ToolContext {
        let ctx = with_caller(
            ToolContext::new().with_cancellation(context.ct.clone()),
            parts_of(context),
        );
        self.options
            .layers()
            .iter()
            .fold(ctx, |ctx, layer| layer.context(ctx))
    }
}

/// The tools of `server` that `options` serve, in rmcp's type.
fn listing(server: &SharedServer, options: &CallOptions) -> Box<[Tool]> {
    let metadata = server.metadata();
    server
        .catalog()
        .tools()
        .iter()
        .zip(metadata.tools)
        .filter(|(_, tool)| options.serves(metadata, tool))
        .map(|(entry, tool)| {
            // Built from the static metadata (texts borrowed, so listing clones copy none) and
            // the catalog's schemas, shared, not copied.
            let mut wire = Tool::new(tool.name, tool.description, Arc::clone(&entry.input_schema));
            wire.title = tool.title.map(String::from);
            wire.output_schema = entry.output_schema.clone();
            let hints = tool.annotations;
            wire.annotations = Some(ToolAnnotations::from_raw(
                tool.title.map(String::from),
                Some(hints.read_only),
                Some(hints.destructive),
                Some(hints.idempotent),
                Some(hints.open_world),
            ));
            wire.icons = entry.listed_icon().map(|icon| vec![Icon::new(icon)]);
            wire.meta = Some(MetaObject(entry.listing_meta()));
            wire
        })
        .collect()
}

/// The server as MCP introduces it: name, version, description, its icon (when `icon` is a URI;
/// a bare name, as Dust's icons are, stays in the metadata) and its documentation as
/// `websiteUrl`.
fn implementation(metadata: &ServerMetadata) -> Implementation {
    let mut implementation =
        Implementation::new(metadata.name, metadata.version).with_description(metadata.description);
    if let Some(icon) = metadata.icon.filter(|icon| crate::metadata::is_uri(icon)) {
        implementation = implementation.with_icons(vec![Icon::new(icon)]);
    }
    if let Some(url) = metadata.documentation_url {
        implementation = implementation.with_website_url(url);
    }
    if let Some(title) = metadata.title {
        implementation = implementation.with_title(title);
    }
    implementation
}

/// Whether the call speaks the 2026-07-28 protocol (or later), where servers ask through
/// input-required results.
fn speaks_2026(context: &RequestContext<RoleServer>) -> bool {
    context
        .protocol_version()
        .is_some_and(|version| version >= ProtocolVersion::V_2026_07_28)
}

/// The user sent to `url`, where the client can open links: on 2026-07-28 an input-required
/// result (under `key`), on 2025-11-25 the URL-elicitation-required error. `None` for a client
/// that cannot, which gets the link in the result's text instead.
fn url_elicitation(
    url: &str,
    message: &str,
    key: &str,
    in_rounds: bool,
    can_open_urls: bool,
) -> Result<Option<CallToolResponse>, ErrorData> {
    if !can_open_urls {
        return Ok(None);
    }
    if in_rounds {
        return Ok(connect::input_required(key, url, message).map(CallToolResponse::InputRequired));
    }
    Err(connect::url_required(url, message))
}

/// Whether the client can put a form to its user: it declared form elicitation, or elicitation
/// without a mode (which means forms). Approvals are forms.
pub(super) fn can_ask_forms(client: &ClientCapabilities) -> bool {
    client
        .elicitation
        .as_ref()
        .is_some_and(|elicitation| elicitation.form.is_some() || elicitation.url.is_none())
}

/// Whether a client of these capabilities can send its user to a URL (URL-mode elicitation).
fn client_can_open_urls(client: Option<&ClientCapabilities>) -> bool {
    client.is_some_and(|client| {
        client
            .elicitation
            .as_ref()
            .is_some_and(|elicitation| elicitation.url.is_some())
    })
}

/// The HTTP request that carried the call, if it came over HTTP.
fn parts_of(context: &RequestContext<RoleServer>) -> Option<&http::request::Parts> {
    context.extensions.get::<http::request::Parts>()
}

/// The user a protected server's validator found behind the request's token.
fn principal(parts: Option<&http::request::Parts>) -> Option<&Principal> {
    parts?.extensions.get::<Principal>()
}

/// The user a call runs for: a protected server's, else the local one.
pub(super) fn user_of(parts: Option<&http::request::Parts>) -> &str {
    principal(parts).map_or(LOCAL_USER, |principal| principal.user_id.as_str())
}

/// `Authorization: Bearer <token>` of the HTTP request that carried the call, if any.
fn bearer_token(parts: Option<&http::request::Parts>) -> Option<String> {
    let value = parts?
        .headers
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

/// Our result in rmcp's type (both are MCP's `CallToolResult` on the wire). Text, image and
/// audio blocks, the common case, are moved across; rarer blocks and `_meta` go through serde.
fn to_wire(result: CallToolResult) -> Result<WireResult, ErrorData> {
    let content = result
        .content
        .into_iter()
        .map(to_wire_block)
        .collect::<Result<Vec<_>, _>>()?;
    // The constructors set `resultType: "complete"`, which 2026-07-28 requires; rmcp drops it
    // again for peers of older revisions.
    let mut wire = if result.is_error {
        WireResult::error(content)
    } else {
        WireResult::success(content)
    };
    wire.structured_content = result.structured_content;
    if let Some(meta) = result.meta {
        wire.meta = Some(through_serde(&Value::Object(meta))?);
    }
    Ok(wire)
}

fn to_wire_block(block: Content) -> Result<ContentBlock, ErrorData> {
    Ok(match block {
        Content::Text { text } => ContentBlock::text(text),
        Content::Image { data, mime_type } => ContentBlock::image(data, mime_type),
        Content::Audio { data, mime_type } => ContentBlock::audio(data, mime_type),
        other => through_serde(&other)?,
    })
}

fn through_serde<T: serde::de::DeserializeOwned>(
    value: &impl serde::Serialize,
) -> Result<T, ErrorData> {
    serde_json::to_value(value)
        .and_then(serde_json::from_value)
        .map_err(|error| ErrorData::internal_error(error.to_string(), None))
}

impl ServerHandler for McpHandler {
    fn get_info(&self) -> ServerConfig {
        (*self.info).clone()
    }

    async fn on_initialized(&self, context: NotificationContext<RoleServer>) {
        let Some(sessions) = self.sessions.as_ref().and_then(Weak::upgrade) else {
            return;
        };
        let session = context
            .extensions
            .get::<http::request::Parts>()
            .and_then(|parts| parts.headers.get(mcp_headers::SESSION_ID))
            .and_then(|value| value.to_str().ok());
        if let Some(session) = session {
            let declared = context
                .peer
                .peer_info()
                .map(|info| info.capabilities.clone());
            sessions.register(session, SessionCalls::new(self.clone(), declared));
        }
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(
            self.listed_tools().to_vec(),
        ))
    }

    #[allow(deprecated)] // logging is part of 2025-11-25 (see `notify`)
    async fn set_level(
        &self,
        request: SetLevelRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        self.log_level
            .store(super::notify::rank(request.level), Ordering::Relaxed);
        Ok(())
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        Ok(ListResourcesResult::with_all_items(
            self.offers.resources.clone(),
        ))
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        Ok(ListResourceTemplatesResult::with_all_items(
            self.offers.templates.clone(),
        ))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let ctx = self.offer_context(&context);
        Ok(ReadResourceResponse::Complete(
            self.read(request, ctx).await?,
        ))
    }

    #[allow(deprecated)] // `resources/subscribe` is 2025-11-25's, served on its sessions
    async fn subscribe(
        &self,
        request: SubscribeRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        let Some(changes) = self.server.resource_changes() else {
            return Err(ErrorData::method_not_found::<SubscribeRequestMethod>());
        };
        self.subscriptions
            .subscribe(changes, self.server.metadata(), &request.uri, &context.peer)
    }

    #[allow(deprecated)]
    async fn unsubscribe(
        &self,
        request: UnsubscribeRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        if self.server.resource_changes().is_none() {
            return Err(ErrorData::method_not_found::<UnsubscribeRequestMethod>());
        }
        self.subscriptions.unsubscribe(&request.uri);
        Ok(())
    }

    fn accepted_subscription_filter(
        &self,
        requested: &SubscriptionFilter,
    ) -> Option<SubscriptionFilter> {
        self.server
            .resource_changes()
            .map(|_| subscriptions::accepted(self.server.metadata(), requested))
    }

    async fn listen(&self, subscription: SubscriptionContext) -> Result<(), ErrorData> {
        match self.server.resource_changes() {
            Some(changes) => subscriptions::listen(changes, subscription).await,
            None => Ok(()),
        }
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, ErrorData> {
        Ok(ListPromptsResult::with_all_items(
            self.offers.prompts.clone(),
        ))
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, ErrorData> {
        let ctx = self.offer_context(&context);
        let rounds = speaks_2026(&context).then(|| context.client_capabilities());
        self.prompt(request, ctx, rounds).await
    }

    async fn complete(
        &self,
        request: CompleteRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CompleteResult, ErrorData> {
        self.completion(request, self.offer_context(&context)).await
    }

    async fn get_task(
        &self,
        request: GetTaskParams,
        context: RequestContext<RoleServer>,
    ) -> Result<GetTaskResult, ErrorData> {
        let task = self.task_of(&request.task_id, &context)?;
        Ok(GetTaskResult::new(task.detailed()))
    }

    async fn update_task(
        &self,
        request: UpdateTaskParams,
        context: RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        let task = self.task_of(&request.task_id, &context)?;
        task.answer(request.input_responses);
        Ok(())
    }

    async fn cancel_task(
        &self,
        request: CancelTaskParams,
        context: RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        self.task_of(&request.task_id, &context)?.cancel();
        Ok(())
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.listed_tools()
            .iter()
            .find(|tool| tool.name == name)
            .cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let parts = parts_of(&context);
        let progress_token = request
            .meta
            .as_ref()
            .and_then(|meta| meta.get_progress_token())
            .or_else(|| context.meta.get_progress_token());
        let ctx = with_caller(
            ToolContext::new().with_cancellation(context.ct.clone()),
            parts,
        );
        if !speaks_2026(&context) {
            return self
                .call_on_session(request, ctx, progress_token, &context.peer, user_of(parts))
                .await;
        }
        // The request's own level (`_meta` `logLevel`); without one, no messages are sent.
        let level = context
            .meta
            .log_level()
            .map_or(super::notify::SILENT, super::notify::rank);
        let notifier = PeerNotifier::new(
            context.peer.clone(),
            progress_token,
            Arc::new(AtomicU8::new(level)),
        );
        let ctx = ctx.with_notifier(notifier.clone());
        let answer = self
            .call_2026(request, ctx, context.client_capabilities(), parts)
            .await;
        notifier.flush().await;
        answer
    }
}

impl McpHandler {
    /// A 2026-07-28 call, in as many rounds as it takes: the request's `client` capabilities
    /// say what it can be asked.
    pub(super) async fn call_2026(
        &self,
        request: CallToolRequestParams,
        ctx: ToolContext,
        client: Option<ClientCapabilities>,
        parts: Option<&http::request::Parts>,
    ) -> Result<CallToolResponse, ErrorData> {
        let can_open_urls = client_can_open_urls(client.as_ref());
        let called = match self.call_in_rounds(request, ctx, client).await? {
            Round::Done(called) => called,
            Round::Input(input_required) => {
                return Ok(CallToolResponse::InputRequired(input_required));
            }
            Round::Task(task) => return Ok(CallToolResponse::Task(task)),
        };
        self.answer(called, user_of(parts), true, can_open_urls)
    }

    /// The answer to a call that ran (or was refused) for `user_id`. `in_rounds` on 2026-07-28,
    /// where the client can be asked to call again.
    fn answer(
        &self,
        called: Result<CallToolResult, CallError>,
        user_id: &str,
        in_rounds: bool,
        can_open_urls: bool,
    ) -> Result<CallToolResponse, ErrorData> {
        match called {
            Ok(result) => {
                // A held call with a page of its own: the user is sent there, where the client
                // can open links (else the link is in the refusal's text).
                if let Some(url) = ask::page_link(&result) {
                    let message = ask::PAGE_MESSAGE;
                    return Ok(
                        match url_elicitation(
                            url,
                            message,
                            ask::PAGE_KEY,
                            in_rounds,
                            can_open_urls,
                        )? {
                            Some(elicitation) => elicitation,
                            None => CallToolResponse::Complete(to_wire(result)?),
                        },
                    );
                }
                // Not connected, where the host offers a connection: the user is sent there.
                let link = connect::not_connected(&result).and_then(|provider| {
                    let links = self.connect.as_ref()?;
                    Some((provider.to_owned(), links.link(user_id, provider)?))
                });
                let Some((provider, url)) = link else {
                    return Ok(CallToolResponse::Complete(to_wire(result)?));
                };
                let message = connect::message(&provider);
                Ok(
                    match url_elicitation(&url, &message, "connect", in_rounds, can_open_urls)? {
                        Some(elicitation) => elicitation,
                        None => {
                            CallToolResponse::Complete(to_wire(connect::with_link(result, &url))?)
                        }
                    },
                )
            }
            Err(error @ CallError::UnknownTool { .. }) => {
                Err(ErrorData::invalid_params(error.to_string(), None))
            }
            Err(error) => Err(ErrorData::internal_error(error.to_string(), None)),
        }
    }
}
