//! Rules that look at more than one attribute: each one exists because Dust's runbook lists the
//! mistake it prevents, or because a client breaks without it.

use darling::Error;
use darling::error::Accumulator;

use crate::attr::{OfferKind, Stake, TaskStart, TaskSupport};
use crate::diag::error_at;
use crate::model::{Server, Tool};
use crate::names::{self, PREFIXED_NAME_BUDGET};

/// Runs every rule on `server`, reporting to `acc`.
pub(crate) fn server(server: &Server<'_>, acc: &mut Accumulator) {
    server_name(server, acc);
    changes(server, acc);
    tools(&server.tools, acc);
    for tool in &server.tools {
        prefixed_length(&server.name, tool, acc);
    }
}

/// The rules that need only the tools (all of them, for an `#[mcp_tools]` trait).
pub(crate) fn tools(tools: &[Tool<'_>], acc: &mut Accumulator) {
    for (index, tool) in tools.iter().enumerate() {
        unique_name(&tools[..index], tool, acc);
        wire_safe(tool, acc);
        stake_fits_name(tool, acc);
        approval_args(tool, acc);
        task_start(tool, acc);
    }
}

/// Clients build `<server>__<tool>` from it, so it follows the tool-name charset.
fn server_name(server: &Server<'_>, acc: &mut Accumulator) {
    if !names::is_wire_safe(&server.name) {
        acc.push(error_at(
            server.name_span,
            format!(
                "server name `{}` must use only `A-Z`, `a-z`, `0-9`, `_` and `-`; set `name = \"...\"`",
                server.name
            ),
        ));
    }
}

/// Subscriptions are to resources: announcing changes of a server without any is a mistake.
fn changes(server: &Server<'_>, acc: &mut Accumulator) {
    let Some(field) = &server.changes else {
        return;
    };
    let has_resources = server
        .offers
        .iter()
        .any(|offer| offer.kind != OfferKind::Prompt);
    if !has_resources {
        acc.push(
            Error::custom(format!(
                "`changes` announces changes to resources, and `{}` offers none; add a `#[resource]` or `#[resource_template]`, or remove `changes`",
                server.name
            ))
            .with_span(field),
        );
    }
}

/// A duplicate silently replaced the first tool in other SDKs (a read-only preview tool was
/// once replaced by a write-capable one in production).
fn unique_name(earlier: &[Tool<'_>], tool: &Tool<'_>, acc: &mut Accumulator) {
    if let Some(first) = earlier.iter().find(|other| other.name == tool.name) {
        acc.push(error_at(
            tool.name_span,
            format!(
                "duplicate tool name `{}`; `fn {}` already has it, so rename one with `name = \"...\"`",
                tool.name, first.method
            ),
        ));
    } else if let Some(first) = earlier.iter().find(|other| other.variant == tool.variant) {
        acc.push(
            Error::custom(format!(
                "`fn {}` and `fn {}` would share the tool enum variant `{}`; rename one of the methods",
                first.method, tool.method, tool.variant
            ))
            .with_span(tool.method),
        );
    }
}

/// The conformance-safe charset.
fn wire_safe(tool: &Tool<'_>, acc: &mut Accumulator) {
    if tool.name.is_empty() {
        acc.push(error_at(tool.name_span, "a tool name cannot be empty"));
    } else if !names::is_wire_safe(&tool.name) {
        acc.push(error_at(
            tool.name_span,
            format!(
                "tool name `{}` must use only `A-Z`, `a-z`, `0-9`, `_` and `-`",
                tool.name
            ),
        ));
    }
}

/// The length budget once a host prefixes the server name (Claude Code's
/// `mcp__<server>__<tool>` is capped at 64 characters).
fn prefixed_length(server: &str, tool: &Tool<'_>, acc: &mut Accumulator) {
    if !names::is_wire_safe(&tool.name) {
        return;
    }
    let prefixed = names::host_name(server, &tool.name);
    if prefixed.len() > PREFIXED_NAME_BUDGET {
        acc.push(error_at(
            tool.name_span,
            format!(
                "tool name `{}` is too long: hosts call it `{prefixed}` ({} characters, over their limit of {PREFIXED_NAME_BUDGET}); shorten it to at most {} characters",
                tool.name,
                prefixed.len(),
                names::room_for_tools(server),
            ),
        ));
    }
}

/// "Picked the wrong stake" is in Dust's runbook: a write that never asks runs unapproved.
fn stake_fits_name(tool: &Tool<'_>, acc: &mut Accumulator) {
    if tool.stake == Stake::NeverAsk && tool.destructive == Some(true) {
        acc.push(error_at(
            tool.stake_span,
            format!(
                "tool `{}` is `destructive` but has stake `never_ask`, so it would destroy without asking; use `high`",
                tool.name
            ),
        ));
        return;
    }
    let declared_read_only = matches!(tool.read_only, Some((true, _)));
    if tool.stake != Stake::NeverAsk || declared_read_only {
        return;
    }
    if let Some(verb) = names::write_verb(&tool.name) {
        acc.push(error_at(
            tool.stake_span,
            format!(
                "tool `{}` sounds like a write (`{verb}`) but has stake `never_ask`; use `low`, `medium` or `high`, or add `read_only` if it changes nothing",
                tool.name
            ),
        ));
    }
}

/// Approval arguments scope remembered `medium` approvals and mean nothing elsewhere.
fn approval_args(tool: &Tool<'_>, acc: &mut Accumulator) {
    let Some(span) = tool.approval_args_span else {
        return;
    };
    if tool.stake != Stake::Medium {
        acc.push(error_at(
            span,
            format!(
                "`approval_args` only applies to stake `medium`, and `{}` has stake `{}`; remove it or change the stake",
                tool.name,
                tool.stake.as_str()
            ),
        ));
    } else if tool.sig.args_ty.is_none() {
        acc.push(error_at(
            span,
            format!(
                "`approval_args` names fields of the arguments type, and `{}` takes no arguments",
                tool.name
            ),
        ));
    }
}

/// A handler that starts its own task does so through its context, in a tool that runs as one.
fn task_start(tool: &Tool<'_>, acc: &mut Accumulator) {
    let (TaskStart::Handler, Some(span)) = (tool.task_start, tool.task_start_span) else {
        return;
    };
    if tool.task == TaskSupport::Forbidden {
        acc.push(error_at(
            span,
            format!(
                "`task_start = \"handler\"` needs a tool that runs as a task, and `{}` never does; add `task = \"optional\"` or `task = \"required\"`",
                tool.name
            ),
        ));
    } else if tool.sig.ctx_ty.is_none() {
        acc.push(error_at(
            span,
            format!(
                "`task_start = \"handler\"` starts the task when the handler calls `ctx.start_task()`, and `fn {}` takes no context; add `ctx: &ToolContext`",
                tool.method
            ),
        ));
    }
}
