//! Layers around every call (logging, metrics, rate limits, auditing): in-process and over MCP
//! alike, since every transport calls through the same path.

use std::sync::Arc;

use serde_json::Value;

use crate::{BoxFuture, CallError, CallToolResult, ServerMetadata, ToolContext, ToolMetadata};

/// A call on its way to the handler: a known tool of a server, its raw arguments and its
/// context. A layer may change the arguments or the context before passing the call on.
#[derive(Debug)]
pub struct Call {
    /// The server called.
    pub server: &'static ServerMetadata,
    /// The tool called.
    pub tool: &'static ToolMetadata,
    /// The arguments as the client sent them (not yet checked against the tool's type).
    pub arguments: Value,
    /// The handler's context.
    pub ctx: ToolContext,
}

/// The result of a call as a layer sees it.
pub type CallFuture<'a> = BoxFuture<'a, Result<CallToolResult, CallError>>;

/// Code around every call, installed by the host with
/// [`CallOptions::with_layer`](super::CallOptions::with_layer).
///
/// A layer runs before the approval gate and the handler: it can answer the call itself (a rate
/// limit answers with an error result the model reads), or pass it on with [`Next::run`] and look
/// at the result (timing, metrics, audit).
pub trait Layer: Send + Sync + 'static {
    /// Handles `call`, usually by running `next` with it.
    fn call<'a>(&'a self, call: Call, next: Next<'a>) -> CallFuture<'a>;

    /// The context of a resource read, a prompt or a completion: those are reads with no stake
    /// and no call to wrap, but a layer that gives calls something through their context (a
    /// user's connections) gives it to them here. By default, unchanged.
    fn context(&self, ctx: ToolContext) -> ToolContext {
        ctx
    }
}

/// The rest of the call: the layers inside this one, then the gate and the handler.
pub struct Next<'a> {
    layers: &'a [Arc<dyn Layer>],
    core: &'a (dyn Fn(Call) -> CallFuture<'a> + Send + Sync),
}

impl<'a> Next<'a> {
    pub(crate) fn new(
        layers: &'a [Arc<dyn Layer>],
        core: &'a (dyn Fn(Call) -> CallFuture<'a> + Send + Sync),
    ) -> Self {
        Next { layers, core }
    }

    /// Runs the call through the remaining layers and the handler.
    pub fn run(self, call: Call) -> CallFuture<'a> {
        match self.layers.split_first() {
            Some((layer, inner)) => layer.call(
                call,
                Next {
                    layers: inner,
                    core: self.core,
                },
            ),
            None => (self.core)(call),
        }
    }
}
