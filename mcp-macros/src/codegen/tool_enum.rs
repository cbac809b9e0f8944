//! The typed tool names: `JiraTool::GetIssue`, with `name()`, `ALL`, `FromStr` and `metadata()`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

use crate::paths::Runtime;

/// One variant: its identifier, wire name, docs and `#[cfg]`s.
pub(crate) struct Variant<'a> {
    pub ident: &'a Ident,
    pub name: &'a str,
    pub doc: String,
    pub cfgs: Vec<&'a syn::Attribute>,
}

/// The enum `enum_ident`; `metadata` is the body of `fn metadata(self)`, or `None` in the
/// fallback, where no metadata exists.
pub(crate) fn tool_enum(
    rt: &Runtime,
    enum_ident: &Ident,
    doc: &str,
    table: &[TokenStream],
    variants: &[Variant<'_>],
    metadata: Option<TokenStream>,
) -> TokenStream {
    let idents: Vec<&Ident> = variants.iter().map(|v| v.ident).collect();
    let names: Vec<&str> = variants.iter().map(|v| v.name).collect();
    let docs = variants.iter().map(|v| &v.doc);
    let cfgs: Vec<TokenStream> = variants
        .iter()
        .map(|v| {
            let cfgs = &v.cfgs;
            quote!(#(#cfgs)*)
        })
        .collect();
    let metadata = metadata.unwrap_or_else(|| quote!(::core::unreachable!()));
    let name_match = if idents.is_empty() {
        quote!(match self {})
    } else {
        quote!(match self { #(#cfgs Self::#idents => #names,)* })
    };
    quote! {
        #[doc = #doc]
        #(#table)*
        #[derive(
            ::core::clone::Clone,
            ::core::marker::Copy,
            ::core::cmp::PartialEq,
            ::core::cmp::Eq,
            ::core::hash::Hash,
            ::core::fmt::Debug,
        )]
        pub enum #enum_ident {
            #( #[doc = #docs] #cfgs #idents, )*
        }

        #[automatically_derived]
        impl #enum_ident {
            /// Every tool, in declaration order.
            pub const ALL: &'static [Self] = &[#(#cfgs Self::#idents),*];

            /// The tool's wire name.
            pub const fn name(self) -> &'static str {
                #name_match
            }

            /// The tool's metadata: stake, description, labels, annotations.
            pub const fn metadata(self) -> &'static #rt::ToolMetadata {
                #metadata
            }
        }

        #[automatically_derived]
        impl ::core::str::FromStr for #enum_ident {
            type Err = #rt::UnknownToolName;

            fn from_str(name: &str) -> ::core::result::Result<Self, Self::Err> {
                match name {
                    #( #cfgs #names => ::core::result::Result::Ok(Self::#idents), )*
                    _ => ::core::result::Result::Err(#rt::UnknownToolName(
                        ::core::convert::Into::into(name),
                    )),
                }
            }
        }

        #[automatically_derived]
        impl ::core::fmt::Display for #enum_ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.name())
            }
        }

        #[automatically_derived]
        impl #rt::ToolName for #enum_ident {
            const ALL: &'static [Self] = Self::ALL;

            fn name(self) -> &'static str {
                Self::name(self)
            }

            fn metadata(self) -> &'static #rt::ToolMetadata {
                Self::metadata(self)
            }

            fn index(self) -> usize {
                self as usize
            }
        }
    }
}
