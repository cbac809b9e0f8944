//! Dispatch from a tool to its method, and the schema table, with spans on the user's types.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::model::Tool;
use crate::paths::Runtime;

/// The future running the tool named by `__tool`, as one state machine over all tools.
pub(crate) fn dispatch_future(arms: impl Iterator<Item = TokenStream>) -> TokenStream {
    quote! {
        async move {
            match __tool {
                #(#arms)*
            }
        }
    }
}

/// The match arm running `tool` through its hidden run method (see [`super::shims`]).
pub(crate) fn arm(enum_path: &TokenStream, tool: &Tool<'_>) -> TokenStream {
    let cfgs = &tool.cfgs;
    let variant = &tool.variant;
    let run = super::shims::run_ident(tool);
    quote! {
        #(#cfgs)*
        #enum_path::#variant => self.#run(__ctx, __arguments).await,
    }
}

/// The match arm running `tool` by calling `handler` directly (an `#[mcp_tools]` trait's
/// dispatch, where the handler is the trait's method).
pub(crate) fn direct_arm(
    rt: &Runtime,
    enum_path: &TokenStream,
    handler: TokenStream,
    tool: &Tool<'_>,
) -> TokenStream {
    let cfgs = &tool.cfgs;
    let variant = &tool.variant;
    let call = call(rt, handler, tool);
    quote! {
        #(#cfgs)*
        #enum_path::#variant => { #call }
    }
}

/// Deserializes `__arguments`, calls `handler` with `self` and `__ctx`, and converts its result.
pub(crate) fn call(rt: &Runtime, handler: TokenStream, tool: &Tool<'_>) -> TokenStream {
    let name = &tool.name;
    let ret_ty = tool.sig.ret_ty;
    // The context and return conversions carry the user's spans: a wrong context type or a
    // return type that is not a tool result is reported on the user's tokens.
    let ctx = tool
        .sig
        .ctx_ty
        .map(|ctx_ty| quote_spanned!(ctx_ty.span()=> __ctx,));
    let convert =
        quote_spanned!(ret_ty.span()=> <#ret_ty as #rt::IntoToolResult>::into_tool_result);
    let unused_ctx = ctx.is_none().then(|| quote!(let _ = __ctx;));
    match tool.sig.args_ty {
        Some(args_ty) => {
            let deserialize = quote_spanned!(args_ty.span()=>
                <#args_ty as #rt::ToolArguments>::from_arguments
            );
            quote! {
                #unused_ctx
                let __args = #deserialize(#name, __arguments)?;
                #convert(#handler(self, #ctx __args).await)
            }
        }
        None => quote! {
            #unused_ctx
            #rt::check_no_arguments(#name, &__arguments)?;
            #convert(#handler(self, #ctx).await)
        },
    }
}

/// Whether `__arguments` are valid for `tool`, without running it.
pub(crate) fn check(rt: &Runtime, tool: &Tool<'_>) -> TokenStream {
    let name = &tool.name;
    match tool.sig.args_ty {
        Some(args_ty) => {
            let check = quote_spanned!(args_ty.span()=>
                <#args_ty as #rt::ToolArguments>::check_arguments
            );
            quote!(#check(#name, __arguments))
        }
        None => quote!(#rt::check_no_arguments(#name, __arguments)),
    }
}

/// The schemas of `tool`, for the catalog, under the tool's `#[cfg]`s.
pub(crate) fn schemas(rt: &Runtime, tool: &Tool<'_>) -> TokenStream {
    let cfgs = &tool.cfgs;
    let schemas = schemas_expr(rt, tool);
    quote!(#(#cfgs)* #schemas)
}

/// The expression building the schemas of `tool`.
pub(crate) fn schemas_expr(rt: &Runtime, tool: &Tool<'_>) -> TokenStream {
    let ret_ty = tool.sig.ret_ty;
    let output = quote_spanned!(ret_ty.span()=> <#ret_ty as #rt::IntoToolResult>::output_schema());
    match tool.sig.args_ty {
        Some(args_ty) => {
            let input = if tool.full_schema {
                quote_spanned!(args_ty.span()=> <#args_ty as #rt::ToolArguments>::full_input_schema())
            } else {
                quote_spanned!(args_ty.span()=> <#args_ty as #rt::ToolArguments>::input_schema())
            };
            quote!(#rt::ToolSchemas::new(#input, #output))
        }
        None => quote!(#rt::ToolSchemas::without_arguments(#output)),
    }
}

/// Compile-time proof that each `approval_args` name is a field of the arguments type: rustc
/// reports a misspelt one on the user's identifier, with its own "available fields" help.
pub(crate) fn approval_args_check(tool: &Tool<'_>) -> Option<TokenStream> {
    let args_ty = tool.sig.args_ty?;
    if tool.approval_args.is_empty() {
        return None;
    }
    let cfgs = &tool.cfgs;
    let fields = &tool.approval_args;
    Some(quote! {
        #(#cfgs)*
        const _: fn(&#args_ty) = |__args| {
            #( let _ = &__args.#fields; )*
        };
    })
}
