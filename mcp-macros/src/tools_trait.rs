//! `#[mcp_tools]`: tools declared on a trait, apart from their handlers; on an impl block, a
//! part of a server (see [`crate::part`]).
//!
//! The trait carries the metadata (through its tool enum, usable without any handler code) and,
//! as hidden provided methods, the schema table and the dispatch; `#[mcp_server] impl ThatTrait
//! for Type` supplies the handlers, and rustc reports a missing handler (E0046) or a misnamed
//! one (E0407) on the user's impl.

use darling::Error;
use darling::ast::NestedMeta;
use darling::error::Accumulator;
use proc_macro2::TokenStream;
use quote::quote;
use syn::{ItemImpl, ItemTrait, TraitItem, parse_quote};

use crate::attr::is_tool_attr;
use crate::codegen::{self, Variant};
use crate::model::Tool;
use crate::paths::Runtime;
use crate::{check, expand};

/// Expands `#[mcp_tools(args)] item`: parse → model → check → generate, or on any error the
/// fallback (the trait as written, and stubs of what a server implementing it refers to).
pub fn mcp_tools(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut acc = darling::Error::accumulator();
    let krate = parse_args(args, &mut acc);
    let rt = Runtime::new(krate);
    if let Ok(item_impl) = syn::parse2::<ItemImpl>(item.clone()) {
        let output = crate::part::part(&rt, &item_impl, acc);
        expand::debug_print(&output);
        return output;
    }
    let item_trait: ItemTrait = match syn::parse2(item.clone()) {
        Ok(item_trait) => item_trait,
        Err(_) => {
            let error = syn::Error::new(
                proc_macro2::Span::call_site(),
                "`#[mcp_tools]` applies to a trait (`trait JiraTools { .. }`) or to an impl block of a server's part (`impl Jira { .. }`)",
            )
            .to_compile_error();
            let _ = acc.finish();
            return quote!(#error #item);
        }
    };

    let mut tools = Vec::new();
    for trait_item in &item_trait.items {
        let TraitItem::Fn(method) = trait_item else {
            continue;
        };
        crate::model::reject_offer(&method.attrs, &mut acc);
        let Some(tool) = Tool::from_fn(&method.attrs, &method.sig, &mut acc) else {
            continue;
        };
        if let Some(body) = &method.default {
            acc.push(
                Error::custom("a tool declaration has no body; the handler goes in the `#[mcp_server]` impl of this trait")
                    .with_span(body),
            );
        }
        tools.extend(tool);
    }
    if tools.is_empty() && !has_tool_attr(&item_trait) {
        acc.push(
            Error::custom("this `#[mcp_tools]` trait declares no tools; mark declarations with `#[tool(stake = \"...\")]`")
                .with_span(&item_trait.ident),
        );
    }
    check::tools(&tools, &mut acc);

    let output = match acc.finish() {
        Ok(()) => generate(&rt, &item_trait, &tools),
        Err(errors) => {
            let errors = errors.write_errors();
            let stubs = fallback(&rt, &item_trait);
            quote!(#errors #stubs)
        }
    };
    expand::debug_print(&output);
    output
}

/// The arguments of `#[mcp_tools(..)]`, through the same key vocabulary as the other attributes.
fn parse_args(args: TokenStream, acc: &mut Accumulator) -> Option<syn::Path> {
    let items = acc
        .handle(NestedMeta::parse_meta_list(args).map_err(darling::Error::from))
        .unwrap_or_default();
    crate::attr::Keys::new("#[mcp_tools]", &["crate"], items, acc).path("crate")
}

fn has_tool_attr(item: &ItemTrait) -> bool {
    item.items
        .iter()
        .any(|item| matches!(item, TraitItem::Fn(method) if method.attrs.iter().any(is_tool_attr)))
}

/// The trait with its `#[tool(...)]` attributes read (see [`crate::attr::mark_expanded`]).
fn strip_tool_attrs(item: &ItemTrait) -> ItemTrait {
    let mut item = item.clone();
    for trait_item in &mut item.items {
        if let TraitItem::Fn(method) = trait_item {
            crate::attr::mark_expanded(&mut method.attrs);
        }
    }
    item
}

fn generate(rt: &Runtime, item: &ItemTrait, tools: &[Tool<'_>]) -> TokenStream {
    let trait_ident = &item.ident;
    let vis = &item.vis;
    let enum_ident = codegen::enum_ident(trait_ident);
    let enum_path = quote!(#enum_ident);

    let metadata = tools.iter().map(|tool| {
        let cfgs = &tool.cfgs;
        let approval_args = codegen::approval_args(rt, tool);
        let metadata = codegen::tool_metadata(rt, tool, approval_args);
        quote!(#(#cfgs)* #metadata)
    });
    let longest = tools.iter().map(|tool| tool.name.len()).max().unwrap_or(0);
    let schemas = tools.iter().map(|tool| codegen::tool_schemas(rt, tool));
    let arms = tools.iter().map(|tool| {
        let method = tool.method;
        codegen::direct_arm(
            rt,
            &enum_path,
            quote!(<Self as #trait_ident>::#method),
            tool,
        )
    });
    let dispatch = codegen::dispatch_future(arms);
    let checks = tools.iter().filter_map(codegen::approval_args_check);

    let mut item = strip_tool_attrs(item);
    let table = codegen::tools_table(tools);
    let doc = format!(
        "\n\n# Tools\n\nImplement this trait with `#[mcp_server]` to serve them; [`{enum_ident}`] names them.\n{table}"
    );
    item.attrs.push(parse_quote!(#[doc = #doc]));
    item.attrs.push(parse_quote!(#[allow(async_fn_in_trait)]));
    let argument_checks = tools.iter().map(|tool| {
        let cfgs = &tool.cfgs;
        let variant = &tool.variant;
        let check = codegen::check(rt, tool);
        quote!(#(#cfgs)* #enum_path::#variant => #check,)
    });
    item.items.extend(hidden_methods(
        rt,
        &enum_path,
        quote!(#rt::Vec::from([#(#schemas),*])),
        quote!(match __tool { #(#argument_checks)* }),
        dispatch,
    ));

    let variants: Vec<Variant<'_>> = tools.iter().map(|tool| codegen::variant(tool)).collect();
    let enum_doc = format!("The tools declared by [`{trait_ident}`].\n{table}");
    let tool_enum = codegen::tool_enum(
        rt,
        &enum_ident,
        &enum_doc,
        &[],
        &variants,
        Some(quote!(&Self::__MCP_TOOLS[self as usize])),
    );

    quote! {
        #item

        #tool_enum

        #[automatically_derived]
        impl #enum_ident {
            /// The metadata of every tool, in declaration order.
            #[doc(hidden)]
            #vis const __MCP_TOOLS: &'static [#rt::ToolMetadata] = &[#(#metadata),*];

            /// The longest tool name, for the `mcp__<server>__<tool>` budget of each implementing server.
            #[doc(hidden)]
            #vis const __MCP_LONGEST_NAME: usize = #longest;
        }

        const _: () = {
            #(#checks)*
        };
    }
}

/// What an erroneous trait expands to besides its errors: the trait as written, with stubs of
/// the enum and the hidden methods its `#[mcp_server]` impl refers to, so that the impl adds no
/// errors of its own.
fn fallback(rt: &Runtime, item: &ItemTrait) -> TokenStream {
    let trait_ident = &item.ident;
    let vis = &item.vis;
    let enum_ident = codegen::enum_ident(trait_ident);
    let mut item = strip_tool_attrs(item);
    item.attrs.push(parse_quote!(#[allow(async_fn_in_trait)]));
    item.items.extend(hidden_methods(
        rt,
        &quote!(#enum_ident),
        quote!(::core::unreachable!()),
        quote!(::core::unreachable!()),
        quote!(async move { ::core::unreachable!() }),
    ));
    let methods = item.items.iter().filter_map(|trait_item| match trait_item {
        TraitItem::Fn(method) if method.attrs.iter().any(is_tool_attr) => Some(&method.sig.ident),
        _ => None,
    });
    let tool_enum = crate::fallback::stub_enum(rt, &enum_ident, methods);

    quote! {
        #item

        #tool_enum

        #[automatically_derived]
        impl #enum_ident {
            #[doc(hidden)]
            #vis const __MCP_TOOLS: &'static [#rt::ToolMetadata] = &[];

            #[doc(hidden)]
            #vis const __MCP_LONGEST_NAME: usize = 0;
        }
    }
}

/// The hidden provided methods a trait's `#[mcp_server]` impl calls: the schema table, the
/// arguments check and the dispatch, with the given bodies.
fn hidden_methods(
    rt: &Runtime,
    enum_path: &TokenStream,
    schemas: TokenStream,
    check: TokenStream,
    dispatch: TokenStream,
) -> [TraitItem; 3] {
    [
        parse_quote! {
            #[doc(hidden)]
            fn __mcp_schemas() -> #rt::Vec<#rt::ToolSchemas>
            where
                Self: ::core::marker::Sized,
            {
                #schemas
            }
        },
        parse_quote! {
            #[doc(hidden)]
            fn __mcp_check(
                __tool: #enum_path,
                __arguments: &#rt::Value,
            ) -> ::core::result::Result<(), #rt::McpError>
            where
                Self: ::core::marker::Sized,
            {
                #check
            }
        },
        parse_quote! {
            #[doc(hidden)]
            fn __mcp_dispatch<'__a>(
                &'__a self,
                __tool: #enum_path,
                __arguments: #rt::Value,
                __ctx: &'__a #rt::ToolContext,
            ) -> impl ::core::future::Future<
                Output = ::core::result::Result<#rt::ToolOutput, #rt::McpError>,
            > + '__a
            where
                Self: ::core::marker::Sized,
            {
                #dispatch
            }
        },
    ]
}
