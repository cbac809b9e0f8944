//! The shape of a tool method: `async fn name(&self, ctx: &ToolContext, args: T) -> R`.
//!
//! Only the shape is checked here; whether `T` deserializes, whether `R` converts and whether
//! `ctx` is a `&ToolContext` is left to rustc, through spanned obligations in the generated code,
//! so those errors point at the user's types.

use darling::Error;

use crate::diag::error_at;
use darling::error::Accumulator;
use syn::spanned::Spanned;
use syn::{FnArg, ReceiverKind, ReturnType, Signature, Type};

/// What a well-formed tool method takes and returns.
#[derive(Debug)]
pub(crate) struct ToolSignature<'a> {
    pub ctx_ty: &'a Type,
    pub args_ty: Option<&'a Type>,
    pub ret_ty: &'a Type,
}

const SHAPE: &str = "`async fn name(&self, ctx: &ToolContext, args: T) -> ToolResult`";

/// Checks the shape of `sig`; every problem goes to `acc`.
pub(crate) fn analyze<'a>(sig: &'a Signature, acc: &mut Accumulator) -> Option<ToolSignature<'a>> {
    let mut ok = true;
    if sig.asyncness.is_none() {
        acc.push(
            Error::custom("`#[tool]` methods must be `async fn`; add `async` before `fn`")
                .with_span(&sig.fn_token),
        );
        ok = false;
    }
    if sig.constness.is_some() || sig.abi.is_some() {
        acc.push(
            Error::custom(format!("`#[tool]` methods have the shape {SHAPE}"))
                .with_span(&sig.ident),
        );
        ok = false;
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        acc.push(
            Error::custom(
                "`#[tool]` methods cannot be generic; the arguments type must be concrete",
            )
            .with_span(&sig.generics.params),
        );
        ok = false;
    }

    let mut inputs = sig.inputs.iter().peekable();
    match inputs.peek() {
        Some(FnArg::Receiver(receiver)) => {
            inputs.next();
            let by_shared_ref = matches!(receiver.kind, ReceiverKind::Reference(_, _, None))
                && receiver.mutability.is_none();
            if !by_shared_ref {
                // Point at what makes it wrong: `mut`, a by-value `self`, or the explicit type.
                let culprit = match &receiver.kind {
                    ReceiverKind::Reference(_, _, Some(mutability)) => mutability.span,
                    ReceiverKind::Typed(_, ty) => ty.span(),
                    _ => receiver
                        .mutability
                        .map_or(receiver.self_token.span, |m| m.span),
                };
                acc.push(error_at(
                    culprit,
                    "`#[tool]` methods take `&self`; calls run concurrently on a shared server",
                ));
                ok = false;
            }
        }
        Some(first) => {
            acc.push(
                Error::custom("`#[tool]` methods take `&self` first; add `&self, `")
                    .with_span(first),
            );
            // The parameter is still read as the context, so one mistake gives one error.
            ok = false;
        }
        None => {
            acc.push(error_at(
                sig.paren_token.span.join(),
                format!("`#[tool]` methods take `&self` and a context: {SHAPE}"),
            ));
            return None;
        }
    }
    let typed: Vec<&Type> = inputs
        .filter_map(|input| match input {
            FnArg::Typed(pat) => Some(&*pat.ty),
            FnArg::Receiver(_) => None,
        })
        .collect();
    let (ctx_ty, args_ty) = match typed.as_slice() {
        [ctx] => (*ctx, None),
        [ctx, args] => (*ctx, Some(*args)),
        [] => {
            acc.push(error_at(
                sig.paren_token.span.join(),
                "`#[tool]` methods take a context after `&self`; add `ctx: &ToolContext`",
            ));
            return None;
        }
        [_, _, extra, ..] => {
            acc.push(
                Error::custom(format!(
                    "unexpected parameter; tool arguments are one type deriving `Deserialize` and `JsonSchema`: {SHAPE}"
                ))
                .with_span(extra),
            );
            return None;
        }
    };
    if let Some(variadic) = &sig.variadic {
        acc.push(
            Error::custom(format!("`#[tool]` methods have the shape {SHAPE}")).with_span(variadic),
        );
        ok = false;
    }
    let ret_ty = match &sig.output {
        ReturnType::Type(_, ty) => &**ty,
        ReturnType::Default => {
            acc.push(error_at(
                sig.paren_token.span.close(),
                "`#[tool]` methods return a tool result; add `-> ToolResult`",
            ));
            return None;
        }
    };
    ok.then_some(ToolSignature {
        ctx_ty,
        args_ty,
        ret_ty,
    })
}
