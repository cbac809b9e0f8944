//! The servers of a host: `mcp_registry!` lists their types with compile-time checks across them,
//! and the host builds them from their settings.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde_json::{Map, Value};

use super::instance::InstanceError;
use super::{BuildError, CallOptions, Setting, Settings};
use crate::catalog::Catalog;
use crate::changes::ResourceChanges;
use crate::error::closest;
use crate::server::BoxFuture;
use crate::{
    CallError, CallToolResult, CompletionTarget, McpServer, OfferError, PromptOutput,
    ResourceContents, ServerMetadata, ToolContext,
};

/// A server behind a pointer: what transports and hosts hold.
pub trait DynServer: Send + Sync + 'static {
    /// The server's metadata.
    fn metadata(&self) -> &'static ServerMetadata;
    /// The tools with their schemas.
    fn catalog(&self) -> &'static Catalog;
    /// Calls a tool in-process with the host's `options` (see [`McpServer::call_tool_with`]).
    fn call_tool<'a>(
        &'a self,
        name: &'a str,
        arguments: Value,
        ctx: ToolContext,
        options: &'a CallOptions,
    ) -> BoxFuture<'a, Result<CallToolResult, CallError>>;
    /// Reads a resource in-process (see [`McpServer::read_resource`]).
    fn read_resource<'a>(
        &'a self,
        uri: &'a str,
        ctx: ToolContext,
    ) -> BoxFuture<'a, Result<ResourceContents, OfferError>>;
    /// Gets a prompt in-process (see [`McpServer::get_prompt`]).
    fn get_prompt<'a>(
        &'a self,
        name: &'a str,
        arguments: &'a Map<String, Value>,
        ctx: ToolContext,
    ) -> BoxFuture<'a, Result<PromptOutput, OfferError>>;
    /// Completes an argument in-process (see [`McpServer::complete`]).
    fn complete<'a>(
        &'a self,
        target: CompletionTarget<'a>,
        argument: &'a str,
        value: &'a str,
        ctx: ToolContext,
    ) -> BoxFuture<'a, Result<Vec<String>, OfferError>>;
    /// Where it announces changes to its resources (see [`McpServer::resource_changes`]).
    fn resource_changes(&self) -> Option<&ResourceChanges>;
    /// The same server, served as `metadata` says (an instance's); see
    /// [`SharedServer::instance`], which checks what this does not. Callable only here: its
    /// last parameter's type cannot be named elsewhere.
    #[doc(hidden)]
    fn served_as(
        &self,
        metadata: &'static ServerMetadata,
        _: sealed::Checked,
    ) -> Arc<dyn DynServer>;
}

mod sealed {
    /// That an instance's metadata was checked by [`super::SharedServer::served_as`].
    pub struct Checked;
}

/// Erases a server's type; a wrapper rather than a blanket impl, so that calling `call_tool` on
/// a concrete server is never ambiguous between this trait and [`McpServer`]. `metadata` is
/// `S::METADATA`, or an instance's copy of it under another name.
struct Erased<S> {
    server: Arc<S>,
    metadata: &'static ServerMetadata,
}

impl<S: McpServer> Erased<S> {
    /// `ctx` naming the instance this server is served as, if it is one: what keeps each
    /// instance's user connections apart (see [`ToolContext::instance`]).
    fn served_ctx(&self, ctx: ToolContext) -> ToolContext {
        if self.metadata.name == S::METADATA.name {
            return ctx;
        }
        ctx.with_instance(self.metadata.name)
    }
}

impl<S: McpServer> DynServer for Erased<S> {
    fn metadata(&self) -> &'static ServerMetadata {
        self.metadata
    }

    fn catalog(&self) -> &'static Catalog {
        S::catalog()
    }

    fn call_tool<'a>(
        &'a self,
        name: &'a str,
        arguments: Value,
        ctx: ToolContext,
        options: &'a CallOptions,
    ) -> BoxFuture<'a, Result<CallToolResult, CallError>> {
        Box::pin(crate::call::call_tool(
            &*self.server,
            self.metadata,
            name,
            arguments,
            self.served_ctx(ctx),
            options,
        ))
    }

    fn read_resource<'a>(
        &'a self,
        uri: &'a str,
        ctx: ToolContext,
    ) -> BoxFuture<'a, Result<ResourceContents, OfferError>> {
        Box::pin(crate::offer_call::read_resource(
            &*self.server,
            uri,
            self.served_ctx(ctx),
        ))
    }

    fn get_prompt<'a>(
        &'a self,
        name: &'a str,
        arguments: &'a Map<String, Value>,
        ctx: ToolContext,
    ) -> BoxFuture<'a, Result<PromptOutput, OfferError>> {
        Box::pin(crate::offer_call::get_prompt(
            &*self.server,
            name,
            arguments,
            self.served_ctx(ctx),
        ))
    }

    fn complete<'a>(
        &'a self,
        target: CompletionTarget<'a>,
        argument: &'a str,
        value: &'a str,
        ctx: ToolContext,
    ) -> BoxFuture<'a, Result<Vec<String>, OfferError>> {
        Box::pin(crate::offer_call::complete(
            &*self.server,
            target,
            argument,
            value,
            self.served_ctx(ctx),
        ))
    }

    fn resource_changes(&self) -> Option<&ResourceChanges> {
        self.server.resource_changes()
    }

    fn served_as(
        &self,
        metadata: &'static ServerMetadata,
        _: sealed::Checked,
    ) -> Arc<dyn DynServer> {
        Arc::new(Erased {
            server: self.server.clone(),
            metadata,
        })
    }
}

/// Any server, shared: what the serve functions and hosts take. Made from a server value or an
/// `Arc` of one (`SharedServer::from(Jira::new(config))`); cloning shares it.
#[derive(Clone)]
pub struct SharedServer(Arc<dyn DynServer>);

impl SharedServer {
    /// Shares `server`.
    pub fn new<S: McpServer>(server: S) -> Self {
        SharedServer::from(Arc::new(server))
    }

    /// This server served as an instance named `name`: under that name it has its own path,
    /// approvals, audit and users' connections, as each of two Jira sites does. It shares this
    /// server's value; for settings of its own, build another value and make that the instance.
    /// See [`ServerMetadata::instance`] for the rules the name follows.
    pub fn instance(&self, name: &str) -> Result<SharedServer, InstanceError> {
        let metadata = self.metadata().instance(name)?;
        self.served_as(metadata)
    }

    /// This server served as `metadata` says: its own, or an instance's that
    /// [`ServerMetadata::instance`] made of it (a host that checks names before it builds
    /// servers makes each instance's metadata once).
    pub fn served_as(
        &self,
        metadata: &'static ServerMetadata,
    ) -> Result<SharedServer, InstanceError> {
        let own = self.metadata();
        // An instance's metadata is its server's under another name. (Not compared by address:
        // a constant's tables may be emitted once per codegen unit.)
        let same_tools = metadata.tools.len() == own.tools.len()
            && metadata
                .tools
                .iter()
                .zip(own.tools)
                .all(|(a, b)| a.name == b.name);
        if metadata.id != own.id || !same_tools {
            return Err(InstanceError::OfAnotherServer {
                server: own.name,
                other: metadata.name,
            });
        }
        if metadata.name != own.name {
            super::instance::check(own, metadata.name)?;
        }
        Ok(SharedServer(self.0.served_as(metadata, sealed::Checked)))
    }
}

impl<S: McpServer> From<S> for SharedServer {
    fn from(server: S) -> Self {
        SharedServer::new(server)
    }
}

impl<S: McpServer> From<Arc<S>> for SharedServer {
    fn from(server: Arc<S>) -> Self {
        SharedServer(Arc::new(Erased {
            server,
            metadata: S::METADATA,
        }))
    }
}

impl Deref for SharedServer {
    type Target = dyn DynServer;

    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}

impl fmt::Debug for SharedServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SharedServer")
            .field(&self.metadata().name)
            .finish()
    }
}

/// One registered server type: its metadata, its settings, and how to build it.
#[derive(Clone, Copy)]
pub struct ServerEntry {
    metadata: &'static ServerMetadata,
    catalog: fn() -> &'static Catalog,
    settings: fn() -> Vec<Setting>,
    build: fn(&Settings) -> Result<SharedServer, BuildError>,
}

impl ServerEntry {
    /// The entry of a server built with `S::default()`, without settings.
    pub const fn of<S: McpServer + BuiltByDefault>() -> Self {
        ServerEntry {
            metadata: S::METADATA,
            catalog: S::catalog,
            settings: Vec::new,
            build: build_default::<S>,
        }
    }

    /// The entry of a server built by a factory from its settings; `mcp_registry!` writes it
    /// for `Type => factory`.
    #[doc(hidden)]
    pub const fn configured<S: McpServer>(
        settings: fn() -> Vec<Setting>,
        build: fn(&Settings) -> Result<SharedServer, BuildError>,
    ) -> Self {
        ServerEntry {
            metadata: S::METADATA,
            catalog: S::catalog,
            settings,
            build,
        }
    }

    /// The server's metadata.
    pub const fn metadata(&self) -> &'static ServerMetadata {
        self.metadata
    }

    /// The tools with their schemas.
    pub fn catalog(&self) -> &'static Catalog {
        (self.catalog)()
    }

    /// The settings the server reads (none for a server built with `Default`).
    pub fn settings(&self) -> Vec<Setting> {
        (self.settings)()
    }

    /// Builds the server from `settings`.
    pub fn build(&self, settings: &Settings) -> Result<SharedServer, BuildError> {
        (self.build)(settings)
    }

    /// Builds the server from its settings in the environment (see [`Settings::from_env`]).
    pub fn build_from_env(&self) -> Result<SharedServer, BuildError> {
        let keys = self.settings();
        let settings = Settings::from_env(
            self.metadata.name,
            keys.iter().map(|setting| setting.key.as_str()),
        );
        self.build(&settings)
    }
}

impl fmt::Debug for ServerEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ServerEntry")
            .field(&self.metadata.name)
            .finish()
    }
}

/// A server the registry can build without settings: one with `Default`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no `Default`, so `mcp_registry!` cannot build it without settings",
    label = "needs `Default`, or a factory",
    note = "give it a factory from its settings: `{Self} => {Self}::from_settings` (any `fn(T) -> Result<{Self}, E>` whose `T` derives `Deserialize` and `JsonSchema`), or derive `Default`"
)]
pub trait BuiltByDefault: Default {}

impl<S: Default> BuiltByDefault for S {}

fn build_default<S: McpServer + Default>(_: &Settings) -> Result<SharedServer, BuildError> {
    Ok(SharedServer::new(S::default()))
}

/// The server types of a host, with lookup by name and id.
///
/// Ids and names are unique and no retired id is reused: `mcp_registry!` checks that at compile
/// time. The host builds the servers it serves with [`Registry::build`] or
/// [`ServerEntry::build`].
#[derive(Debug)]
pub struct Registry {
    entries: &'static [ServerEntry],
}

impl Registry {
    /// A registry of `entries`; use `mcp_registry!`, which also checks them.
    #[doc(hidden)]
    pub const fn new(entries: &'static [ServerEntry]) -> Self {
        Registry { entries }
    }

    /// Every server, in registration order.
    pub fn iter(&self) -> impl Iterator<Item = &ServerEntry> {
        self.entries.iter()
    }

    /// The number of servers.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the registry has no server.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The server named `name`.
    pub fn get(&self, name: &str) -> Option<&ServerEntry> {
        self.entries
            .iter()
            .find(|entry| entry.metadata.name == name)
    }

    /// The server with id `id`.
    pub fn by_id(&self, id: u32) -> Option<&ServerEntry> {
        self.entries.iter().find(|entry| entry.metadata.id == id)
    }

    /// The server named `name`, or an error naming the closest one.
    pub fn require(&self, name: &str) -> Result<&ServerEntry, CallError> {
        self.get(name).ok_or_else(|| CallError::UnknownServer {
            name: name.to_owned(),
            suggestion: closest(name, self.entries.iter().map(|entry| entry.metadata.name)),
        })
    }

    /// Builds every server, each from the settings `settings` gives for it.
    pub fn build(
        &self,
        mut settings: impl FnMut(&ServerEntry) -> Settings,
    ) -> Result<Servers, BuildError> {
        let servers = self
            .entries
            .iter()
            .map(|entry| entry.build(&settings(entry)))
            .collect::<Result<_, _>>()?;
        Ok(Servers { servers })
    }
}

/// Built servers, with lookup by name and in-process calls.
#[derive(Debug, Clone, Default)]
pub struct Servers {
    servers: Vec<SharedServer>,
}

impl Servers {
    /// The servers `servers`.
    pub fn new(servers: impl IntoIterator<Item = SharedServer>) -> Self {
        Servers {
            servers: servers.into_iter().collect(),
        }
    }

    /// The server named `name`, or an error naming the closest one.
    pub fn require(&self, name: &str) -> Result<&SharedServer, CallError> {
        self.servers
            .iter()
            .find(|server| server.metadata().name == name)
            .ok_or_else(|| CallError::UnknownServer {
                name: name.to_owned(),
                suggestion: closest(name, self.servers.iter().map(|s| s.metadata().name)),
            })
    }

    /// Calls `tool` of `server` in-process with the host's `options`.
    pub async fn call_tool(
        &self,
        server: &str,
        tool: &str,
        arguments: Value,
        ctx: ToolContext,
        options: &CallOptions,
    ) -> Result<CallToolResult, CallError> {
        self.require(server)?
            .call_tool(tool, arguments, ctx, options)
            .await
    }
}

impl Deref for Servers {
    type Target = [SharedServer];

    fn deref(&self) -> &Self::Target {
        &self.servers
    }
}

/// Compile-time helpers for `mcp_registry!`.
#[doc(hidden)]
pub mod checks {
    /// `a == b`, usable in constants.
    pub const fn str_eq(a: &str, b: &str) -> bool {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut i = 0;
        while i < a.len() {
            if a[i] != b[i] {
                return false;
            }
            i += 1;
        }
        true
    }

    /// Whether `ids` contains `id`, usable in constants.
    pub const fn contains(ids: &[u32], id: u32) -> bool {
        let mut i = 0;
        while i < ids.len() {
            if ids[i] == id {
                return true;
            }
            i += 1;
        }
        false
    }
}
