//! The shape of a tool method: `async fn name(&self, ctx: &ToolContext, args: T) -> R`, where the
//! context and the arguments are each optional.
//!
//! Only the shape is checked here; whether `T` deserializes, whether `R` converts and whether
//! `ctx` is a `&ToolContext` is left to rustc, through spanned obligations in the generated code,
//! so those errors point at the user's types.

use darling::Error;

use crate::diag::error_at;
use darling::error::Accumulator;
use syn::spanned::Spanned;
use syn::{FnArg, ReceiverKind, ReturnType, Safety, Signature, Type};

/// What a well-formed tool method takes and returns.
#[derive(Debug)]
pub(crate) struct ToolSignature<'a> {
    pub ctx_ty: Option<&'a Type>,
    pub args_ty: Option<&'a Type>,
    pub ret_ty: &'a Type,
}

const SHAPE: &str = "`async fn name(&self, ctx: &ToolContext, args: T) -> ToolResult` (the context and the arguments are optional)";

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
    // `const async fn` is rustc's own error; reporting it too would make two for one mistake.
    if let (Some(constness), None) = (&sig.constness, &sig.asyncness) {
        acc.push(Error::custom("`#[tool]` methods cannot be `const`").with_span(constness));
        ok = false;
    }
    if let Some(abi) = &sig.abi {
        acc.push(
            Error::custom("`#[tool]` methods use the Rust ABI; remove the `extern`").with_span(abi),
        );
        ok = false;
    }
    if let Safety::Unsafe(unsafety) = &sig.safety {
        acc.push(
            Error::custom(
                "`#[tool]` methods cannot be `unsafe`; the runtime calls them from safe code",
            )
            .with_span(unsafety),
        );
        ok = false;
    }
    if !sig.generics.params.is_empty() {
        acc.push(
            Error::custom(
                "`#[tool]` methods cannot be generic; the arguments type must be concrete",
            )
            .with_span(&sig.generics.params),
        );
        ok = false;
    } else if let Some(where_clause) = &sig.generics.where_clause {
        acc.push(
            Error::custom("`#[tool]` methods cannot have a `where` clause; the arguments type must be concrete")
                .with_span(&where_clause.where_token),
        );
        ok = false;
    }

    let mut inputs = sig.inputs.iter().peekable();
    match inputs.peek() {
        Some(FnArg::Receiver(receiver)) => {
            inputs.next();
            let by_shared_ref = receiver.mutability.is_none()
                && match &receiver.kind {
                    ReceiverKind::Reference(_, _, None) => true,
                    // `self: &Self` is `&self` spelt out.
                    ReceiverKind::Typed(_, ty) => is_shared_ref_to_self(ty),
                    _ => false,
                };
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
                format!("`#[tool]` methods take `&self`: {SHAPE}"),
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
        [ctx] if names_tool_context(ctx) => {
            acc.push(
                Error::custom("the context is borrowed; write `&ToolContext`").with_span(*ctx),
            );
            return None;
        }
        // The context is a reference; a lone parameter that is not one is the arguments.
        [args] if !matches!(args, Type::Reference(_)) => (None, Some(*args)),
        [ctx] => (Some(*ctx), None),
        [ctx, _] if !matches!(ctx, Type::Reference(_)) => {
            acc.push(
                Error::custom("the context is borrowed; write `ctx: &ToolContext`").with_span(*ctx),
            );
            return None;
        }
        [ctx, args] => (Some(*ctx), Some(*args)),
        [] => (None, None),
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

/// `&Self` (not `&mut Self`).
fn is_shared_ref_to_self(ty: &Type) -> bool {
    matches!(ty, Type::Reference(reference) if reference.mutability.is_none()
        && matches!(&*reference.elem, Type::Path(path) if path.qself.is_none() && path.path.is_ident("Self")))
}

/// A by-value `ToolContext` (however the path to it is spelt).
fn names_tool_context(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|last| last.ident == "ToolContext"))
}
