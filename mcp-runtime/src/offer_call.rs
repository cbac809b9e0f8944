//! Reading a resource, getting a prompt, completing an argument, in-process: with the server's
//! deadline, the caller's cancellation and panics contained, as tool calls.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use futures_util::FutureExt as _;
use serde_json::{Map, Value};

use crate::call::panic_message;
use crate::{
    CompletionTarget, ErrorKind, MAX_COMPLETIONS, McpError, McpServer, PromptOutput,
    ResourceContents, ToolContext,
};

/// Why a resource, a prompt or a completion was not given.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OfferError {
    /// The server has no resource at this URI.
    #[error("no resource at `{uri}`")]
    UnknownResource {
        /// The URI asked for.
        uri: String,
    },
    /// The server has no prompt of this name.
    #[error("unknown prompt `{name}`")]
    UnknownPrompt {
        /// The name asked for.
        name: String,
    },
    /// The caller cancelled.
    #[error("cancelled")]
    Cancelled,
    /// The handler failed, timed out or panicked; or the prompt's arguments were wrong.
    #[error(transparent)]
    Failed(McpError),
}

/// Runs `work` as a handler: the server's deadline, the caller's cancellation, panics contained.
async fn run<S: McpServer, T>(
    what: &str,
    ctx: &ToolContext,
    work: impl Future<Output = Result<T, McpError>>,
) -> Result<T, OfferError> {
    let timeout = Duration::from_millis(S::METADATA.timeout_ms);
    tokio::select! {
        biased;
        () = ctx.cancellation().cancelled() => Err(OfferError::Cancelled),
        finished = tokio::time::timeout(timeout, AssertUnwindSafe(work).catch_unwind()) => match finished {
            Ok(Ok(result)) => result.map_err(OfferError::Failed),
            Ok(Err(panic)) => Err(OfferError::Failed(McpError::of_kind(
                ErrorKind::Panicked,
                format!("{what} failed unexpectedly: {}", panic_message(&*panic)),
            ))),
            Err(_elapsed) => {
                ctx.cancellation().cancel();
                Err(OfferError::Failed(McpError::of_kind(
                    ErrorKind::Timeout,
                    format!("{what} timed out after {} ms", timeout.as_millis()),
                )))
            }
        },
    }
}

/// The contents of the resource at `uri`.
pub(crate) async fn read_resource<S: McpServer>(
    server: &S,
    uri: &str,
    ctx: ToolContext,
) -> Result<ResourceContents, OfferError> {
    let child = ctx.cancellation().child_token();
    let ctx = ctx.with_cancellation(child);
    let Some(read) = server.dispatch_resource(uri, &ctx) else {
        return Err(OfferError::UnknownResource {
            uri: uri.to_owned(),
        });
    };
    let output = run::<S, _>(&format!("reading `{uri}`"), &ctx, read).await?;
    Ok(output.at(uri))
}

/// The messages of the prompt `name` with `arguments`.
pub(crate) async fn get_prompt<S: McpServer>(
    server: &S,
    name: &str,
    arguments: &Map<String, Value>,
    ctx: ToolContext,
) -> Result<PromptOutput, OfferError> {
    let child = ctx.cancellation().child_token();
    let ctx = ctx.with_cancellation(child);
    let Some(get) = server.dispatch_prompt(name, arguments, &ctx) else {
        return Err(OfferError::UnknownPrompt {
            name: name.to_owned(),
        });
    };
    run::<S, _>(&format!("the prompt `{name}`"), &ctx, get).await
}

/// Values for `argument` of `target` that start like `value`, at most [`MAX_COMPLETIONS`];
/// none where the server completes nothing.
pub(crate) async fn complete<S: McpServer>(
    server: &S,
    target: CompletionTarget<'_>,
    argument: &str,
    value: &str,
    ctx: ToolContext,
) -> Result<Vec<String>, OfferError> {
    let child = ctx.cancellation().child_token();
    let ctx = ctx.with_cancellation(child);
    let Some(complete) = server.dispatch_completion(target, argument, value, &ctx) else {
        return Ok(Vec::new());
    };
    let mut values = run::<S, _>(&format!("completing `{argument}`"), &ctx, complete).await?;
    values.truncate(MAX_COMPLETIONS);
    Ok(values)
}
