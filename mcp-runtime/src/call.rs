//! The in-process call path, the same under every transport: look up the tool, deserialize the
//! arguments, run the handler under the server's timeout and the caller's cancellation, contain
//! panics, bound the output, log.

use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use futures_util::FutureExt as _;
use serde_json::{Map, Value, json};
use tracing::Instrument as _;

use crate::error::closest;
use crate::host::approval::NotAdmitted;
use crate::host::{Call, CallFuture, CallOptions, Next};
use crate::{
    CallError, CallToolResult, ErrorKind, McpError, McpServer, ServerMetadata, Stake, ToolContext,
    ToolMetadata, ToolName, ToolOutput,
};

/// The `_meta` key under which error results say what kind of failure they are.
pub const ERROR_META_KEY: &str = "mcp-runtime/error";

/// What the handler future came to.
enum Outcome {
    Finished(Result<ToolOutput, McpError>),
    Cancelled,
}

/// Calls the tool named `name` of `server`, served as `metadata` says (its own, or an
/// instance's: approvals, audit and logs go by that name); an unknown name is an error naming
/// the closest tool.
pub(crate) async fn call_tool<S: McpServer>(
    server: &S,
    metadata: &'static ServerMetadata,
    name: &str,
    arguments: Value,
    ctx: ToolContext,
    options: &CallOptions,
) -> Result<CallToolResult, CallError> {
    // A tool the host does not serve is unknown, and never suggested.
    let served = |tool: &ToolMetadata| options.serves(metadata, tool);
    let unknown = || CallError::UnknownTool {
        server: metadata.name,
        name: name.to_owned(),
        suggestion: closest(
            name,
            metadata
                .tools
                .iter()
                .filter(|tool| served(tool))
                .map(|tool| tool.name),
        ),
    };
    let tool: S::Tool = name.parse().map_err(|_| unknown())?;
    if !served(tool.metadata()) {
        return Err(unknown());
    }
    call(server, metadata, tool, arguments, ctx, options).await
}

/// Calls `tool` through the host's layers, then the gate and the handler.
pub(crate) async fn call<S: McpServer>(
    server: &S,
    metadata: &'static ServerMetadata,
    tool: S::Tool,
    arguments: Value,
    ctx: ToolContext,
    options: &CallOptions,
) -> Result<CallToolResult, CallError> {
    let span = tracing::info_span!(
        "tool_call",
        server = metadata.name,
        tool = tool.name(),
        user_id = ctx.ids().user_id.as_deref(),
        agent_id = ctx.ids().agent_id.as_deref(),
        run_id = ctx.ids().run_id.as_deref(),
    );
    if options.layers().is_empty() {
        return run(server, metadata, tool, arguments, ctx, options)
            .instrument(span)
            .await;
    }
    let core = |call: Call| -> CallFuture<'_> {
        Box::pin(run(
            server,
            metadata,
            tool,
            call.arguments,
            call.ctx,
            options,
        ))
    };
    let call = Call {
        server: metadata,
        tool: tool.metadata(),
        arguments,
        ctx,
    };
    Next::new(options.layers(), &core)
        .run(call)
        .instrument(span)
        .await
}

async fn run<S: McpServer>(
    server: &S,
    metadata: &'static ServerMetadata,
    tool: S::Tool,
    arguments: Value,
    ctx: ToolContext,
    options: &CallOptions,
) -> Result<CallToolResult, CallError> {
    let tool_name = tool.name();
    tracing::debug!("tool call started");
    let started = Instant::now();

    if let Some(gate) = options.gate() {
        // Nobody is asked to approve a call that would then fail on its arguments.
        if gate.effective_stake(metadata, tool.metadata()) != Stake::NeverAsk
            && let Err(error) = S::check(tool, &arguments)
        {
            let duration_ms = elapsed_ms(started);
            log_error(&error, duration_ms);
            return Ok(error_result(&error));
        }
        let admitted = gate
            .admit(
                metadata,
                tool.metadata(),
                &arguments,
                ctx.ids(),
                options.approval(),
            )
            .await;
        match admitted {
            Ok(()) => {}
            Err(NotAdmitted::Held(request)) => return Err(CallError::ApprovalRequired(request)),
            Err(NotAdmitted::Rejected(request)) => {
                let error = McpError::of_kind(
                    ErrorKind::ApprovalRequired {
                        stake: request.stake,
                    },
                    format!(
                        "the user rejected this call of `{}` ({}) on its approval page; do not \
                         call it again unless they ask",
                        request.tool, request.label
                    ),
                )
                .untracked();
                log_error(&error, elapsed_ms(started));
                return Ok(error_result(&error));
            }
        }
    }

    let _running = options
        .running()
        .map(|running| running.enter(metadata.name, tool_name));
    // The handler gets a child token: a timeout cancels it without cancelling the caller's.
    let caller_token = ctx.cancellation().clone();
    let limit = ctx.output_limit();
    let handler_ctx = ctx
        .with_cancellation(caller_token.child_token())
        .with_tool(tool.metadata());
    let timeout = options.timeout(Duration::from_millis(metadata.timeout_ms));
    let handler = AssertUnwindSafe(server.dispatch(tool, arguments, &handler_ctx)).catch_unwind();

    let outcome = tokio::select! {
        biased;
        () = caller_token.cancelled() => Outcome::Cancelled,
        finished = tokio::time::timeout(timeout, handler) => Outcome::Finished(match finished {
            Ok(Ok(result)) => result,
            Ok(Err(panic)) => Err(McpError::of_kind(
                ErrorKind::Panicked,
                format!("the tool `{tool_name}` failed unexpectedly: {}", panic_message(&*panic)),
            )),
            Err(_elapsed) => {
                handler_ctx.cancellation().cancel();
                Err(McpError::of_kind(
                    ErrorKind::Timeout,
                    format!("the tool `{tool_name}` timed out after {} ms", timeout.as_millis()),
                ))
            }
        }),
    };
    let duration_ms = elapsed_ms(started);

    match outcome {
        Outcome::Cancelled => {
            handler_ctx.cancellation().cancel();
            tracing::info!(duration_ms, outcome = "cancelled", "tool call cancelled");
            Err(CallError::Cancelled { tool: tool_name })
        }
        Outcome::Finished(Ok(output)) => {
            tracing::info!(duration_ms, outcome = "ok", "tool call succeeded");
            Ok(output.bounded(limit).into())
        }
        Outcome::Finished(Err(error)) => {
            log_error(&error, duration_ms);
            Ok(error_result(&error))
        }
    }
}

/// Milliseconds since `started`, as logs report durations.
fn elapsed_ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

fn log_error(error: &McpError, duration_ms: f64) {
    // Messages can quote upstream bodies; keep log lines short.
    let message: String = error.message().chars().take(200).collect();
    let kind = kind_name(error.kind());
    if error.is_tracked() {
        tracing::error!(duration_ms, outcome = "error", kind, code = error.code(), %message, "tool call failed");
    } else {
        tracing::warn!(duration_ms, outcome = "error", kind, code = error.code(), %message, "tool call failed");
    }
}

/// The `isError` result the model reads, with the failure kind under [`ERROR_META_KEY`].
pub fn error_result(error: &McpError) -> CallToolResult {
    let mut detail = json!({ "kind": kind_name(error.kind()) });
    match error.kind() {
        ErrorKind::PersonalAuthenticationRequired { provider } => {
            detail["provider"] = provider.as_str().into();
        }
        ErrorKind::Provider {
            status: Some(status),
        } => {
            detail["status"] = (*status).into();
        }
        ErrorKind::ApprovalRequired { stake } => {
            detail["stake"] = stake.to_string().into();
        }
        ErrorKind::RateLimited {
            retry_after: Some(wait),
        } => {
            detail["retry_after_ms"] = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).into();
        }
        ErrorKind::MissingClientCapability { capability } => {
            detail["capability"] = capability.as_str().into();
        }
        _ => {}
    }
    let mut meta = Map::new();
    meta.insert(ERROR_META_KEY.into(), detail);
    CallToolResult {
        content: ToolOutput::text(error.message()).content().to_vec(),
        structured_content: None,
        is_error: true,
        meta: Some(meta),
    }
}

fn kind_name(kind: &ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Tool => "tool",
        ErrorKind::InvalidArguments => "invalid_arguments",
        ErrorKind::Provider { .. } => "provider",
        ErrorKind::NotFound => "not_found",
        ErrorKind::PersonalAuthenticationRequired { .. } => "personal_authentication_required",
        ErrorKind::ApprovalRequired { .. } => "approval_required",
        ErrorKind::RateLimited { .. } => "rate_limited",
        ErrorKind::Timeout => "timeout",
        ErrorKind::Panicked => "panicked",
        ErrorKind::MissingClientCapability { .. } => "missing_client_capability",
    }
}

pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("the handler panicked")
}
