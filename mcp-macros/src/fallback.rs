//! What `#[mcp_server]` emits when the input has errors: the errors, the user's impl block as
//! written (without `#[tool]`), and stubs of what other code may refer to (the tool enum, the
//! `McpServer` impl), so that one mistake gives one error and the IDE keeps working.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{ImplItem, ItemImpl};

use crate::attr::is_tool_attr;
use crate::codegen::{self, Variant};
use crate::model::Server;
use crate::names;
use crate::paths::Runtime;

pub(crate) fn server(
    rt: &Runtime,
    item: &ItemImpl,
    parts: &[syn::Path],
    errors: TokenStream,
) -> TokenStream {
    let stripped = codegen::strip_tool_attrs(item);
    let Some(self_ident) = self_ident(item) else {
        return quote!(#stripped #errors);
    };
    if !item.generics.params.is_empty() {
        return quote!(#stripped #errors);
    }
    let self_ty = &item.self_ty;
    let name = names::snake_case(&self_ident.to_string());

    let (enum_tokens, enum_path) = match &item.trait_ {
        Some((path, _)) => {
            let mut enum_path = path.clone();
            if let Some(last) = enum_path.segments.last_mut() {
                last.ident = codegen::enum_ident(&last.ident);
                last.arguments = syn::PathArguments::None;
            }
            (TokenStream::new(), quote!(#enum_path))
        }
        None => {
            let enum_ident = codegen::enum_ident(self_ident);
            let methods = item.items.iter().filter_map(|impl_item| match impl_item {
                ImplItem::Fn(method) if method.attrs.iter().any(is_tool_attr) => {
                    Some(&method.sig.ident)
                }
                _ => None,
            });
            let tokens = stub_enum(rt, &enum_ident, methods);
            (tokens, quote!(#enum_ident))
        }
    };

    let self_ty = &**self_ty;
    let stub = stub(rt, self_ty, &name, &enum_path, parts, self_ident);
    quote! {
        #errors
        #stripped
        #enum_tokens
        #stub
    }
}

/// The tool enum of an erroneous input, from the identifiers of its `#[tool]` methods (one
/// variant each, without metadata), so that code naming its tools still compiles.
pub(crate) fn stub_enum<'a>(
    rt: &Runtime,
    enum_ident: &syn::Ident,
    methods: impl Iterator<Item = &'a syn::Ident>,
) -> TokenStream {
    let idents: Vec<(syn::Ident, String)> = methods
        .map(|method| {
            (
                syn::Ident::new(&names::camel_case(&method.to_string()), method.span()),
                method.to_string(),
            )
        })
        .collect();
    let mut variants: Vec<Variant<'_>> = Vec::new();
    for (ident, name) in &idents {
        if variants.iter().all(|v| v.ident != ident) {
            variants.push(Variant {
                ident,
                name,
                doc: String::new(),
                cfgs: Vec::new(),
            });
        }
    }
    codegen::tool_enum(rt, enum_ident, "", &[], &variants, None)
}

/// The stand-in of a server made of parts when one of them, or the whole, has errors: the tool
/// enum of every tool that could be read, and a stub `McpServer` impl.
pub(crate) fn server_stub(rt: &Runtime, server: &Server<'_>) -> TokenStream {
    let enum_ident = codegen::enum_ident(server.self_ident);
    let mut variants: Vec<Variant<'_>> = Vec::new();
    for tool in &server.tools {
        if variants.iter().all(|v| *v.ident != tool.variant) {
            variants.push(codegen::variant(tool));
        }
    }
    let tool_enum = codegen::tool_enum(rt, &enum_ident, "", &[], &variants, None);
    let stub = stub(
        rt,
        &server.item.self_ty,
        &server.name,
        &quote!(#enum_ident),
        &server.parts,
        server.self_ident,
    );
    quote! {
        #tool_enum
        #stub
    }
}

/// A `McpServer` impl that is never run, and the impls the listed parts ask for.
fn stub(
    rt: &Runtime,
    self_ty: &syn::Type,
    name: &str,
    enum_path: &TokenStream,
    parts: &[syn::Path],
    self_ident: &syn::Ident,
) -> TokenStream {
    let marker = codegen::part_marker(self_ident);
    quote! {
        const _: () = {
            #(
                #[automatically_derived]
                impl #rt::Composes<#parts::#marker> for #self_ty {}
            )*

            #[automatically_derived]
            impl #rt::McpServer for #self_ty {
                type Tool = #enum_path;

                const METADATA: &'static #rt::ServerMetadata = &#rt::ServerMetadata {
                    id: 0,
                    name: #name,
                    version: "",
                    description: "",
                    availability: #rt::Availability::Manual,
                    authorization: ::core::option::Option::None,
                    icon: ::core::option::Option::None,
                    title: ::core::option::Option::None,
                    documentation_url: ::core::option::Option::None,
                    instructions: ::core::option::Option::None,
                    allow_multiple_instances: false,
                    preview: false,
                    restricted: ::core::option::Option::None,
                    timeout_ms: 1,
                    tools: &[],
                    resources: &[],
                    resource_templates: &[],
                    prompts: &[],
                };

                fn catalog() -> &'static #rt::Catalog {
                    ::core::unreachable!()
                }

                fn check(
                    _: #enum_path,
                    _: &#rt::Value,
                ) -> ::core::result::Result<(), #rt::McpError> {
                    ::core::unreachable!()
                }

                fn dispatch<'__a>(
                    &'__a self,
                    _: #enum_path,
                    _: #rt::Value,
                    _: &'__a #rt::ToolContext,
                ) -> #rt::BoxFuture<'__a, ::core::result::Result<#rt::ToolOutput, #rt::McpError>> {
                    ::core::unreachable!()
                }
            }
        };
    }
}

fn self_ident(item: &ItemImpl) -> Option<&syn::Ident> {
    match &*item.self_ty {
        syn::Type::Path(path) if path.qself.is_none() => {
            path.path.segments.last().map(|s| &s.ident)
        }
        _ => None,
    }
}
