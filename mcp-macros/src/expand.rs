//! `#[mcp_server]`: parse → model → check → generate; on any error, the fallback.

use darling::ast::NestedMeta;
use proc_macro2::TokenStream;
use quote::quote;
use syn::ItemImpl;

use crate::attr::ServerArgs;
use crate::model::Server;
use crate::paths::Runtime;
use crate::{check, codegen, fallback};

/// Expands `#[mcp_server(args)] item`. Never fails: errors become `compile_error!`s beside the
/// user's code.
pub fn mcp_server(args: TokenStream, item: TokenStream) -> TokenStream {
    let item_impl: ItemImpl = match syn::parse2(item.clone()) {
        Ok(item_impl) => item_impl,
        Err(_) => {
            let error = syn::Error::new(
                proc_macro2::Span::call_site(),
                "`#[mcp_server]` applies to an impl block, such as `impl Jira { .. }`",
            )
            .to_compile_error();
            return quote!(#error #item);
        }
    };
    let mut acc = darling::Error::accumulator();
    let items = acc.handle(NestedMeta::parse_meta_list(args.clone()).map_err(darling::Error::from));
    let server_args = ServerArgs::parse(items, &mut acc);
    let rt = Runtime::new(server_args.krate.clone());
    let server = Server::from_syn(&item_impl, server_args, args, &mut acc);
    if let Some(server) = &server {
        check::server(server, &mut acc);
    }
    let output = match (acc.finish(), server) {
        (Ok(()), Some(server)) => codegen::server(&rt, &server),
        (Err(errors), server) => fallback::server(
            &rt,
            &item_impl,
            server.as_ref().map_or(&[][..], |server| &server.parts),
            errors.write_errors(),
        ),
        (Ok(()), None) => {
            let error = syn::Error::new(
                proc_macro2::Span::call_site(),
                "`#[mcp_server]` could not read this impl block",
            )
            .to_compile_error();
            fallback::server(&rt, &item_impl, &[], error)
        }
    };
    debug_print(&output);
    output
}

/// `MCP_MACROS_DEBUG=1` prints every expansion to stderr.
pub(crate) fn debug_print(output: &TokenStream) {
    if std::env::var_os("MCP_MACROS_DEBUG").is_some() {
        eprintln!("{output}");
    }
}
