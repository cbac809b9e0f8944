//! `mcp_registry!(pub SERVERS = [Sqlite => Sqlite::from_settings, Conformance], retired = [4]);`
//!
//! One expansion cannot see another server's attributes, so uniqueness across servers is
//! checked by rustc: one constant assertion per pair, spanned on the later server's type, so the
//! error points at the entry to change.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Ident, LitInt, LitStr, Path, Token, Type, Visibility, bracketed};

use crate::paths::Runtime;

/// One server: its type, built with `Default`, or by `factory` from its settings.
struct Entry {
    ty: Type,
    factory: Option<Expr>,
}

impl Parse for Entry {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let ty = input.parse()?;
        let factory = match input.parse::<Option<Token![=>]>>()? {
            Some(_) => Some(input.parse()?),
            None => None,
        };
        Ok(Entry { ty, factory })
    }
}

/// The parsed invocation.
struct RegistryInput {
    attrs: Vec<Attribute>,
    vis: Visibility,
    ident: Ident,
    entries: Punctuated<Entry, Token![,]>,
    retired: Punctuated<LitInt, Token![,]>,
    krate: Option<Path>,
}

impl Parse for RegistryInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let ident = input.parse()?;
        input.parse::<Token![=]>()?;
        let content;
        bracketed!(content in input);
        let entries = content.parse_terminated(Entry::parse, Token![,])?;
        let mut retired = None;
        let mut krate = None;
        while input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
            if input.peek(Token![crate]) {
                let key = input.parse::<Token![crate]>()?;
                if krate.is_some() {
                    return Err(syn::Error::new(key.span, "duplicate `crate` key"));
                }
                input.parse::<Token![=]>()?;
                krate = Some(input.parse::<LitStr>()?.parse::<Path>()?);
                continue;
            }
            let key: Ident = input.parse()?;
            if key != "retired" {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown `mcp_registry!` key `{key}`; expected `retired = [..]` or `crate = \"..\"`"
                    ),
                ));
            }
            if retired.is_some() {
                return Err(syn::Error::new(key.span(), "duplicate `retired` key"));
            }
            input.parse::<Token![=]>()?;
            let content;
            bracketed!(content in input);
            retired = Some(content.parse_terminated(|input| input.parse::<LitInt>(), Token![,])?);
        }
        Ok(RegistryInput {
            attrs,
            vis,
            ident,
            entries,
            retired: retired.unwrap_or_default(),
            krate,
        })
    }
}

/// Expands `mcp_registry!`.
pub fn mcp_registry(input: TokenStream) -> TokenStream {
    let input: RegistryInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let RegistryInput {
        attrs,
        vis,
        ident,
        entries,
        retired,
        krate,
    } = input;
    let rt = Runtime::new(krate);
    let entries: Vec<&Entry> = entries.iter().collect();
    let built = entries.iter().map(|entry| entry_expr(&rt, entry));

    let mut checks = Vec::new();
    for (later, entry) in entries.iter().enumerate() {
        let ty = &entry.ty;
        let label = type_label(ty);
        let retired = format!(
            "server `{label}` reuses a retired id; retired ids are never reused, so give it an unused id"
        );
        checks.push(quote_spanned! {ty.span()=>
            ::core::assert!(!#rt::checks::contains(__MCP_RETIRED, __MCP_ENTRIES[#later].metadata().id), #retired);
        });
        for (earlier, earlier_entry) in entries[..later].iter().enumerate() {
            let earlier_label = type_label(&earlier_entry.ty);
            let same_id = format!(
                "servers `{earlier_label}` and `{label}` have the same id; ids are stable forever, so give `{label}` an unused id"
            );
            let same_name = format!(
                "servers `{earlier_label}` and `{label}` have the same name; set `name = \"...\"` on one of them"
            );
            checks.push(quote_spanned! {ty.span()=>
                ::core::assert!(
                    __MCP_ENTRIES[#later].metadata().id != __MCP_ENTRIES[#earlier].metadata().id,
                    #same_id,
                );
                ::core::assert!(
                    !#rt::checks::str_eq(
                        __MCP_ENTRIES[#later].metadata().name,
                        __MCP_ENTRIES[#earlier].metadata().name,
                    ),
                    #same_name,
                );
            });
        }
    }
    let checks = checks
        .into_iter()
        .map(|check| quote!(const _: () = { #check };));

    quote! {
        #(#attrs)*
        #vis static #ident: #rt::Registry = {
            const __MCP_ENTRIES: &[#rt::ServerEntry] = &[#(#built),*];
            const __MCP_RETIRED: &[u32] = &[#retired];
            #(#checks)*
            #rt::Registry::new(__MCP_ENTRIES)
        };
    }
}

/// The `ServerEntry` of one server, spanned on the user's tokens so that a type that is not a
/// server, or a factory of the wrong shape, is reported there.
fn entry_expr(rt: &Runtime, entry: &Entry) -> TokenStream {
    let ty = &entry.ty;
    let Some(factory) = &entry.factory else {
        return quote_spanned!(ty.span()=> #rt::ServerEntry::of::<#ty>());
    };
    let build = quote_spanned!(factory.span()=> __settings.build::<#ty, _, _>(#factory));
    let settings = quote_spanned!(factory.span()=> #rt::Setting::of_factory(#factory));
    quote! {{
        fn __build(
            __settings: &#rt::Settings,
        ) -> ::core::result::Result<#rt::host::SharedServer, #rt::host::BuildError> {
            #build
        }
        fn __settings() -> #rt::Vec<#rt::Setting> {
            #settings
        }
        #rt::ServerEntry::configured::<#ty>(__settings, __build)
    }}
}

fn type_label(ty: &Type) -> String {
    quote!(#ty).to_string().replace(' ', "")
}
