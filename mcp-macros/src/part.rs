//! `#[mcp_tools] impl Github { .. }`: a part of a server, tools in a module of their own (one
//! area per file), served by the `#[mcp_server(.., parts(this_module))] impl Github` that lists
//! it (see [`crate::compose`]).

use darling::Error;
use darling::error::Accumulator;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{ImplItem, ItemImpl};

use crate::attr::is_tool_attr;
use crate::codegen;
use crate::model::{self, Tool};
use crate::paths::Runtime;

/// Expands `#[mcp_tools]` on an impl block, with `acc` holding the errors of its arguments.
pub(crate) fn part(rt: &Runtime, item: &ItemImpl, mut acc: Accumulator) -> TokenStream {
    if let Some((path, _)) = &item.trait_ {
        acc.push(
            Error::custom("`#[mcp_tools]` on an impl block adds tools to a server: write `impl Github { .. }`, not an impl of a trait")
                .with_span(path),
        );
    }
    if !item.generics.params.is_empty() {
        acc.push(
            Error::custom("`#[mcp_tools]` does not support generic impl blocks; implement it for the server's type")
                .with_span(&item.generics.params),
        );
    }
    let self_ident = model::self_ident(item, &mut acc);
    let mut tools = Vec::new();
    for impl_item in &item.items {
        if let ImplItem::Fn(method) = impl_item {
            model::reject_offer(&method.attrs, &mut acc);
            if let Some(tool) = Tool::from_fn(&method.attrs, &method.sig, &mut acc) {
                tools.extend(tool);
            }
        }
    }
    let has_tool_attr = item
        .items
        .iter()
        .any(|item| matches!(item, ImplItem::Fn(method) if method.attrs.iter().any(is_tool_attr)));
    if !has_tool_attr {
        acc.push(
            Error::custom("this `#[mcp_tools]` impl block has no tools; mark handler methods with `#[tool(stake = \"...\")]`")
                .with_span(&item.self_ty),
        );
    }
    crate::check::tools(&tools, &mut acc);

    let stripped = codegen::strip_tool_attrs(item);
    let Some(self_ident) = self_ident else {
        let errors = acc.finish().err().map(Error::write_errors);
        return quote!(#errors #stripped);
    };
    let self_ty = &item.self_ty;
    let marker = codegen::part_marker(self_ident);
    let part_macro = codegen::part_macro(self_ident);
    let (errors, generated, declarations) = match acc.finish() {
        Ok(()) => {
            let shims = codegen::shims(rt, self_ty, &tools);
            // A part no server lists would have its tools silently missing.
            let listed = quote_spanned! {self_ty.span()=>
                const _: () = {
                    fn __composed<T: #rt::Composes<#marker>>() {}
                    let _: fn() = __composed::<#self_ty>;
                };
            };
            let declarations = codegen::declarations(&tools);
            (None, quote!(#shims #listed), quote!(#declarations))
        }
        Err(errors) => (
            Some(errors.write_errors()),
            TokenStream::new(),
            quote!(@broken),
        ),
    };
    quote! {
        #errors
        #stripped
        #generated

        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        pub(crate) struct #marker;

        #[doc(hidden)]
        macro_rules! #part_macro {
            ([$($rest:tt)*] $($state:tt)*) => {
                #rt::mcp_compose! { [$($rest)*] $($state)* { #declarations } }
            };
        }
        // Unused only when no server lists the part, which `Composes` reports.
        #[doc(hidden)]
        #[allow(unused_imports)]
        pub(crate) use #part_macro;
    }
}
