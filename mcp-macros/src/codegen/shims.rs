//! What each tool's own impl block gets, wherever it is: a hidden method running the tool on raw
//! arguments and one building its schemas. The server's dispatch and catalog call these, so a
//! tool can live in another module (a part) than the server's `McpServer` impl, where its
//! private method and its arguments type are out of reach.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Ident, Type};

use super::dispatch;
use crate::attr::is_tool_attr;
use crate::model::Tool;
use crate::paths::Runtime;

/// `__mcp_run_<method>`: runs the tool on raw arguments.
pub(crate) fn run_ident(tool: &Tool<'_>) -> Ident {
    format_ident!("__mcp_run_{}", tool.method)
}

/// `__MCP_APPROVAL_ARGS_<method>`: the wire names of the tool's `approval_args`.
pub(crate) fn approval_args_ident(tool: &Tool<'_>) -> Ident {
    format_ident!("__MCP_APPROVAL_ARGS_{}", tool.method)
}

/// `__mcp_check_<method>`: whether raw arguments are valid for the tool.
pub(crate) fn check_ident(tool: &Tool<'_>) -> Ident {
    format_ident!("__mcp_check_{}", tool.method)
}

/// `__mcp_schemas_<method>`: the tool's input and output schemas.
pub(crate) fn schemas_ident(tool: &Tool<'_>) -> Ident {
    format_ident!("__mcp_schemas_{}", tool.method)
}

/// The hidden methods of `tools`, on `self_ty`, with the `approval_args` field checks.
pub(crate) fn shims(rt: &Runtime, self_ty: &Type, tools: &[Tool<'_>]) -> TokenStream {
    let methods = tools.iter().map(|tool| {
        let cfgs = &tool.cfgs;
        let run = run_ident(tool);
        let schemas = schemas_ident(tool);
        let method = tool.method;
        let body = dispatch::call(rt, quote!(Self::#method), tool);
        let schema_expr = dispatch::schemas_expr(rt, tool);
        let approval_args = (!tool.approval_args.is_empty()).then(|| {
            let ident = approval_args_ident(tool);
            let names = super::metadata::approval_args(rt, tool);
            quote! {
                #(#cfgs)*
                #[doc(hidden)]
                #[allow(non_upper_case_globals)]
                pub(crate) const #ident: &'static [&'static str] = #names;
            }
        });
        let check = check_ident(tool);
        let check_body = dispatch::check(rt, tool);
        quote! {
            #approval_args

            #(#cfgs)*
            #[doc(hidden)]
            pub(crate) fn #check(
                __arguments: &#rt::Value,
            ) -> ::core::result::Result<(), #rt::McpError> {
                #check_body
            }

            #(#cfgs)*
            #[doc(hidden)]
            pub(crate) fn #run<'__a>(
                &'__a self,
                __ctx: &'__a #rt::ToolContext,
                __arguments: #rt::Value,
            ) -> impl ::core::future::Future<
                Output = ::core::result::Result<#rt::ToolOutput, #rt::McpError>,
            > + '__a {
                async move { #body }
            }

            #(#cfgs)*
            #[doc(hidden)]
            pub(crate) fn #schemas() -> #rt::ToolSchemas {
                #schema_expr
            }
        }
    });
    let checks = tools.iter().filter_map(dispatch::approval_args_check);
    quote! {
        #[automatically_derived]
        impl #self_ty {
            #(#methods)*
        }

        const _: () = {
            #(#checks)*
        };
    }
}

/// The declarations of `tools` (their `#[doc]`, `#[tool]` and `#[cfg]` attributes and their
/// signatures, without bodies), as a server made of parts reads them again.
pub(crate) fn declarations(tools: &[Tool<'_>]) -> TokenStream {
    let declarations = tools.iter().map(|tool| {
        let sig = tool.signature;
        let attrs = tool.attrs.iter().filter(|attr| {
            is_tool_attr(attr) || attr.path().is_ident("doc") || attr.path().is_ident("cfg")
        });
        quote!(#(#attrs)* #sig;)
    });
    quote!(#(#declarations)*)
}
