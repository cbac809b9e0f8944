//! Code generation from a validated model; nothing here fails.

mod dispatch;
mod docs;
mod metadata;
mod shims;
mod tokens;
mod tool_enum;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Ident, ItemImpl, parse_quote};

use crate::model::Server;
use crate::paths::Runtime;
pub(crate) use dispatch::{
    approval_args_check, check, direct_arm, dispatch_future, schemas as tool_schemas,
};
pub(crate) use docs::table as tools_table;
pub(crate) use metadata::{approval_args, tool as tool_metadata};
pub(crate) use shims::{declarations, shims};
pub(crate) use tool_enum::{Variant, tool_enum};

/// The enum variant of `tool`.
pub(crate) fn variant<'a>(tool: &'a crate::model::Tool<'a>) -> Variant<'a> {
    Variant {
        ident: &tool.variant,
        name: &tool.name,
        doc: docs::variant(tool),
        cfgs: tool.cfgs.clone(),
    }
}

/// The name of the tool enum of a server type or a `#[mcp_tools]` trait: `Jira` and
/// `JiraTools` both give `JiraTool`.
pub(crate) fn enum_ident(base: &Ident) -> Ident {
    let base = base.to_string();
    let stem = base.strip_suffix("Tools").unwrap_or(&base);
    format_ident!("{stem}Tool", span = proc_macro2::Span::call_site())
}

/// The user's impl block with its `#[tool(...)]` (and offer) attributes read (see
/// [`crate::attr::mark_expanded`]) and its prompt parameters' doc comments removed.
pub(crate) fn strip_tool_attrs(item: &ItemImpl) -> ItemImpl {
    let mut item = item.clone();
    for impl_item in &mut item.items {
        let attrs = match impl_item {
            syn::ImplItem::Fn(method) => &mut method.attrs,
            syn::ImplItem::Const(item) => &mut item.attrs,
            syn::ImplItem::Type(item) => &mut item.attrs,
            syn::ImplItem::Macro(item) => &mut item.attrs,
            _ => continue,
        };
        crate::attr::mark_expanded(attrs);
    }
    crate::offer::strip_param_docs(&mut item);
    item
}

/// Everything `#[mcp_server]` emits for a valid server: its impl block with the hidden methods
/// of its own tools, then either the server itself (enum, metadata, `McpServer`) or, when it has
/// parts, the first step of collecting their tools (see [`crate::compose`]).
pub(crate) fn server(rt: &Runtime, server: &Server<'_>) -> TokenStream {
    if let Some(trait_path) = server.trait_path {
        return trait_server(rt, server, trait_path);
    }
    let enum_ident = enum_ident(server.self_ident);
    let mut item = strip_tool_attrs(server.item);
    let doc = if server.parts.is_empty() {
        docs::server(server, &enum_ident.to_string())
    } else {
        docs::server_of_parts(server, &enum_ident.to_string())
    };
    item.attrs.push(parse_quote!(#[doc = #doc]));
    if server.parts.is_empty() {
        for row in docs::table_attrs(&server.tools) {
            item.attrs.push(parse_quote!(#row));
        }
    }
    let offers = crate::offer::docs(&server.offers);
    if !offers.is_empty() {
        item.attrs.push(parse_quote!(#[doc = #offers]));
    }
    let shims = shims(rt, &server.item.self_ty, &server.tools);
    let rest = if server.parts.is_empty() {
        compose(rt, server)
    } else {
        crate::compose::first_step(server)
    };
    quote! {
        #item

        #shims

        #rest
    }
}

/// The server of `server.tools`, all of which have their hidden methods on the server's type:
/// the tool enum, the metadata and the `McpServer` impl, and the proof that each part is served.
pub(crate) fn compose(rt: &Runtime, server: &Server<'_>) -> TokenStream {
    let self_ty = &server.item.self_ty;
    let enum_ident = enum_ident(server.self_ident);
    let enum_path = quote!(#enum_ident);

    let tools = server.tools.iter().map(|tool| {
        let cfgs = &tool.cfgs;
        let approval_args = if tool.approval_args.is_empty() {
            quote!(&[])
        } else {
            let ident = shims::approval_args_ident(tool);
            quote!(<#self_ty>::#ident)
        };
        let metadata = metadata::tool(rt, tool, approval_args);
        quote!(#(#cfgs)* #metadata)
    });
    let server_metadata = metadata::server(rt, server, quote!(&[#(#tools),*]));
    let arms = server
        .tools
        .iter()
        .map(|tool| dispatch::arm(&enum_path, tool));
    let dispatch = dispatch::dispatch_future(arms);
    let schemas = server.tools.iter().map(|tool| {
        let cfgs = &tool.cfgs;
        let schemas = shims::schemas_ident(tool);
        quote!(#(#cfgs)* Self::#schemas())
    });

    let variants: Vec<Variant<'_>> = server.tools.iter().map(variant).collect();
    let enum_doc = format!(
        "The tools of the MCP server `{}` ([`{}`]).\n",
        server.name, server.self_ident,
    );
    let mut table = docs::table_attrs(&server.tools);
    // The enum is what rustdoc shows of a server (its impl block's methods are private): its
    // resources and prompts are documented there, after its tools.
    let offers = crate::offer::docs(&server.offers);
    if !offers.is_empty() {
        table.push(quote!(#[doc = #offers]));
    }
    let tool_enum = tool_enum(
        rt,
        &enum_ident,
        &enum_doc,
        &table,
        &variants,
        Some(quote!(&<#self_ty as #rt::McpServer>::METADATA.tools[self as usize])),
    );

    let checks = server.tools.iter().map(|tool| {
        let cfgs = &tool.cfgs;
        let variant = &tool.variant;
        let check = shims::check_ident(tool);
        quote!(#(#cfgs)* #enum_path::#variant => Self::#check(__arguments),)
    });
    let check = quote!(match __tool { #(#checks)* });
    let server_impl = server_impl(
        rt,
        server,
        &enum_path,
        &server_metadata,
        quote!(#rt::Vec::from([#(#schemas),*])),
        check,
        quote!(#rt::Box::pin(#dispatch)),
    );
    let parts = part_proofs(rt, server);

    quote! {
        #tool_enum

        const _: () = {
            #server_impl

            #parts
        };
    }
}

/// For each part, the impl its `#[mcp_tools]` block asks for: a part left out of `parts(..)`
/// would have its tools silently missing, so its expansion requires this.
pub(crate) fn part_proofs(rt: &Runtime, server: &Server<'_>) -> TokenStream {
    let self_ty = &server.item.self_ty;
    let marker = part_marker(server.self_ident);
    let proofs = server.parts.iter().map(|part| {
        quote! {
            #[automatically_derived]
            impl #rt::Composes<#part::#marker> for #self_ty {}
        }
    });
    quote!(#(#proofs)*)
}

/// The marker type a part of `self_ident` defines in its module: `__McpPartOfJira`.
pub(crate) fn part_marker(self_ident: &Ident) -> Ident {
    format_ident!("__McpPartOf{}", self_ident)
}

/// The `macro_rules!` a part of `self_ident` defines, which the server's expansion calls to
/// collect the part's tools: `__mcp_tools_of_Jira`.
pub(crate) fn part_macro(self_ident: &Ident) -> Ident {
    format_ident!("__mcp_tools_of_{}", self_ident)
}

/// `#[mcp_server] impl JiraTools for Jira`: metadata, schemas and dispatch come from the
/// `#[mcp_tools]` trait; this adds the server's metadata and the `McpServer` impl.
fn trait_server(rt: &Runtime, server: &Server<'_>, trait_path: &syn::Path) -> TokenStream {
    let mut enum_path = trait_path.clone();
    if let Some(last) = enum_path.segments.last_mut() {
        last.ident = enum_ident(&last.ident);
        last.arguments = syn::PathArguments::None;
    }
    let trait_name = quote!(#trait_path).to_string().replace(' ', "");
    let enum_name = quote!(#enum_path).to_string().replace(' ', "");

    let mut item = strip_tool_attrs(server.item);
    let doc = docs::server(server, &enum_name)
        + &format!("\nThe tools are declared by [`{trait_name}`].\n");
    item.attrs.push(parse_quote!(#[doc = #doc]));
    let server_metadata = metadata::server(rt, server, quote!(#enum_path::__MCP_TOOLS));

    let budget = crate::names::room_for_tools(&server.name);
    let too_long = format!(
        "a tool of `{trait_name}` is too long for server `{}`: hosts call it `{}`, and that must stay within {} characters; shorten the tool names to at most {budget} characters",
        server.name,
        crate::names::host_name(&server.name, "<tool>"),
        crate::names::PREFIXED_NAME_BUDGET,
    );
    let name_span = server.name_span;
    let length_check = quote::quote_spanned! {name_span=>
        const _: () = ::core::assert!(#enum_path::__MCP_LONGEST_NAME <= #budget, #too_long);
    };

    let server_impl = server_impl(
        rt,
        server,
        &quote!(#enum_path),
        &server_metadata,
        quote!(<Self as #trait_path>::__mcp_schemas()),
        quote!(<Self as #trait_path>::__mcp_check(__tool, __arguments)),
        quote!(#rt::Box::pin(<Self as #trait_path>::__mcp_dispatch(
            self,
            __tool,
            __arguments,
            __ctx,
        ))),
    );

    quote! {
        #item

        #length_check

        const _: () = {
            #server_impl
        };
    }
}

/// `impl McpServer for T`: `schemas` builds the schema table (run once, behind the catalog's
/// `OnceLock`) and `dispatch` is the boxed future running `__tool`.
fn server_impl(
    rt: &Runtime,
    server: &Server<'_>,
    enum_path: &TokenStream,
    metadata: &TokenStream,
    schemas: TokenStream,
    check: TokenStream,
    dispatch: TokenStream,
) -> TokenStream {
    let self_ty = &server.item.self_ty;
    let offers = crate::offer::dispatch_methods(rt, &server.offers);
    let changes = server.changes.as_ref().map(|field| {
        // Spanned at the field's name, where a field of another type is reported, with the
        // method's hygiene (the name may come through a part's expansion).
        let span = field.span().resolved_at(proc_macro2::Span::call_site());
        let changes = quote::quote_spanned!(span=>
            let __changes: &#rt::ResourceChanges = &self.#field;
        );
        quote! {
            fn resource_changes(&self) -> ::core::option::Option<&#rt::ResourceChanges> {
                #changes
                ::core::option::Option::Some(__changes)
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #rt::McpServer for #self_ty {
            type Tool = #enum_path;

            const METADATA: &'static #rt::ServerMetadata = &#metadata;

            fn catalog() -> &'static #rt::Catalog {
                static CATALOG: #rt::OnceLock<#rt::Catalog> = #rt::OnceLock::new();
                CATALOG.get_or_init(|| {
                    #rt::Catalog::build(<Self as #rt::McpServer>::METADATA, #schemas)
                })
            }

            fn check(
                __tool: #enum_path,
                __arguments: &#rt::Value,
            ) -> ::core::result::Result<(), #rt::McpError> {
                #check
            }

            fn dispatch<'__a>(
                &'__a self,
                __tool: #enum_path,
                __arguments: #rt::Value,
                __ctx: &'__a #rt::ToolContext,
            ) -> #rt::BoxFuture<'__a, ::core::result::Result<#rt::ToolOutput, #rt::McpError>> {
                #dispatch
            }

            #offers
            #changes
        }
    }
}
