//! `mcp_registry!(pub SERVERS = [Jira, Github], retired = [4, 28]);`
//!
//! One expansion cannot see another server's attributes, so uniqueness across servers is
//! checked by rustc: one constant assertion per pair, spanned on the later server's type, so the
//! error points at the entry to change.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Ident, LitInt, Token, Type, Visibility, bracketed};

use crate::paths::Runtime;

/// The parsed invocation.
struct RegistryInput {
    attrs: Vec<Attribute>,
    vis: Visibility,
    ident: Ident,
    servers: Punctuated<Type, Token![,]>,
    retired: Punctuated<LitInt, Token![,]>,
}

impl Parse for RegistryInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let ident = input.parse()?;
        input.parse::<Token![=]>()?;
        let content;
        bracketed!(content in input);
        let servers = content.parse_terminated(Type::parse, Token![,])?;
        let mut retired = Punctuated::new();
        if input.parse::<Option<Token![,]>>()?.is_some() && !input.is_empty() {
            let key: Ident = input.parse()?;
            if key != "retired" {
                return Err(syn::Error::new(
                    key.span(),
                    format!("unknown `mcp_registry!` key `{key}`; expected `retired = [..]`"),
                ));
            }
            input.parse::<Token![=]>()?;
            let content;
            bracketed!(content in input);
            retired = content.parse_terminated(|input| input.parse::<LitInt>(), Token![,])?;
            input.parse::<Option<Token![,]>>()?;
        }
        Ok(RegistryInput {
            attrs,
            vis,
            ident,
            servers,
            retired,
        })
    }
}

/// Expands `mcp_registry!`.
pub fn mcp_registry(input: TokenStream) -> TokenStream {
    let input: RegistryInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let rt = Runtime::new(None);
    let RegistryInput {
        attrs,
        vis,
        ident,
        servers,
        retired,
    } = input;
    let servers: Vec<&Type> = servers.iter().collect();
    let count = servers.len();
    let entries = servers
        .iter()
        .map(|ty| quote_spanned!(ty.span()=> #rt::ServerEntry::of::<#ty>()));

    let metadata = servers.iter().map(|ty| {
        quote_spanned!(ty.span()=> #rt::ServerEntry::into_metadata(#rt::ServerEntry::of::<#ty>()))
    });

    let mut checks = Vec::new();
    for (later, ty) in servers.iter().enumerate() {
        let label = type_label(ty);
        let retired = format!(
            "server `{label}` reuses a retired id; retired ids are never reused, so give it an unused id"
        );
        checks.push(quote_spanned! {ty.span()=>
            ::core::assert!(!#rt::checks::contains(__MCP_RETIRED, __MCP_SERVERS[#later].id), #retired);
        });
        for (earlier, earlier_ty) in servers[..later].iter().enumerate() {
            let earlier_label = type_label(earlier_ty);
            let same_id = format!(
                "servers `{earlier_label}` and `{label}` have the same id; ids are stable forever, so give `{label}` an unused id"
            );
            let same_name = format!(
                "servers `{earlier_label}` and `{label}` have the same name; set `name = \"...\"` on one of them"
            );
            checks.push(quote_spanned! {ty.span()=>
                ::core::assert!(__MCP_SERVERS[#later].id != __MCP_SERVERS[#earlier].id, #same_id);
                ::core::assert!(
                    !#rt::checks::str_eq(__MCP_SERVERS[#later].name, __MCP_SERVERS[#earlier].name),
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
            static ENTRIES: [#rt::ServerEntry; #count] = [#(#entries),*];
            #rt::Registry::new(&ENTRIES)
        };

        const _: () = {
            const __MCP_RETIRED: &[u32] = &[#retired];
            const __MCP_SERVERS: [&#rt::ServerMetadata; #count] = [#(#metadata),*];
            #(#checks)*
        };
    }
}

fn type_label(ty: &Type) -> String {
    quote!(#ty).to_string().replace(' ', "")
}
