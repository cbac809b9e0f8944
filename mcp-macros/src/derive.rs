//! `Deserialize`, `Serialize` and `JsonSchema` derives that need no `serde` or `schemars` in the
//! user's dependencies: the prelude's derives.
//!
//! serde's and schemars' derives name their crate by an absolute path (`extern crate serde`),
//! which only resolves in crates that depend on it. A derive cannot add attributes to the item
//! it is on, so each of these derives the real trait on a private copy of the item (the
//! "shadow") that carries `crate = "::mcp_runtime::__private::.."`, and implements the trait for
//! the user's type by delegating to it: serde's `remote` derive reads and writes the user's type
//! through the shadow; schemars' schema of the shadow, renamed, is the user type's schema.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Attribute, Data, DeriveInput, Fields, parse_quote};

use crate::paths::Runtime;

/// The trait to derive.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Derive {
    Deserialize,
    Serialize,
    JsonSchema,
}

/// The attributes each real derive reads; everything else stays on the user's item only (an
/// attribute only schemars reads would be unknown to serde's derive, and the reverse).
fn kept_attributes(which: Derive) -> &'static [&'static str] {
    match which {
        Derive::Deserialize | Derive::Serialize => &["doc", "serde", "cfg"],
        Derive::JsonSchema => &["doc", "serde", "schemars", "validate", "garde", "cfg"],
    }
}

/// Expands `#[derive(..)]` of the prelude's `Deserialize`, `Serialize` or `JsonSchema`.
pub(crate) fn derive(input: TokenStream, which: Derive) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let rt = Runtime::new(None);
    let shadow = shadow(&input, which, &rt);
    let shadow_ident = &shadow.ident;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let type_params: Vec<_> = input.generics.type_params().map(|p| &p.ident).collect();
    let implementation = match which {
        Derive::Deserialize => {
            let renamed = crate::wire_names::renamed_fields(&input);
            let wire_fields = (!renamed.is_empty()).then(|| {
                let (fields, wires): (Vec<_>, Vec<_>) = renamed.into_iter().unzip();
                quote! {
                    #[automatically_derived]
                    impl #impl_generics #ident #ty_generics #where_clause {
                        /// The fields serde reads under another name; approval arguments are
                        /// looked up by these.
                        #[doc(hidden)]
                        pub const __MCP_WIRE_FIELDS: &'static [(&'static str, &'static str)] =
                            &[#((#fields, #wires)),*];
                    }
                }
            });
            let mut generics = input.generics.clone();
            generics.params.insert(0, parse_quote!('__de));
            let (de_impl_generics, _, _) = generics.split_for_impl();
            let mut where_clause = where_clause.cloned().unwrap_or_else(|| parse_quote!(where));
            for param in &type_params {
                where_clause
                    .predicates
                    .push(parse_quote!(#param: #rt::serde::Deserialize<'__de>));
            }
            quote! {
                #wire_fields

                #[automatically_derived]
                impl #de_impl_generics #rt::serde::Deserialize<'__de> for #ident #ty_generics
                #where_clause
                {
                    fn deserialize<__D>(
                        __deserializer: __D,
                    ) -> ::core::result::Result<Self, <__D as #rt::serde::Deserializer<'__de>>::Error>
                    where
                        __D: #rt::serde::Deserializer<'__de>,
                    {
                        <#shadow_ident #ty_generics>::deserialize(__deserializer)
                    }
                }
            }
        }
        Derive::Serialize => {
            let mut where_clause = where_clause.cloned().unwrap_or_else(|| parse_quote!(where));
            for param in &type_params {
                where_clause
                    .predicates
                    .push(parse_quote!(#param: #rt::serde::Serialize));
            }
            quote! {
                #[automatically_derived]
                impl #impl_generics #rt::serde::Serialize for #ident #ty_generics #where_clause {
                    fn serialize<__S>(
                        &self,
                        __serializer: __S,
                    ) -> ::core::result::Result<
                        <__S as #rt::serde::Serializer>::Ok,
                        <__S as #rt::serde::Serializer>::Error,
                    >
                    where
                        __S: #rt::serde::Serializer,
                    {
                        <#shadow_ident #ty_generics>::serialize(self, __serializer)
                    }
                }
            }
        }
        Derive::JsonSchema => {
            let mut where_clause = where_clause.cloned().unwrap_or_else(|| parse_quote!(where));
            where_clause
                .predicates
                .push(parse_quote!(#shadow_ident #ty_generics: #rt::schemars::JsonSchema));
            let schemars = quote!(#rt::schemars);
            let shadow_ty = quote!(<#shadow_ident #ty_generics as #schemars::JsonSchema>);
            quote! {
                #[automatically_derived]
                impl #impl_generics #schemars::JsonSchema for #ident #ty_generics #where_clause {
                    fn inline_schema() -> bool {
                        #shadow_ty::inline_schema()
                    }

                    fn schema_name() -> #rt::Cow<'static, str> {
                        #shadow_ty::schema_name()
                    }

                    fn schema_id() -> #rt::Cow<'static, str> {
                        #shadow_ty::schema_id()
                    }

                    fn json_schema(generator: &mut #schemars::SchemaGenerator) -> #schemars::Schema {
                        #shadow_ty::json_schema(generator)
                    }

                    fn _schemars_private_non_optional_json_schema(
                        generator: &mut #schemars::SchemaGenerator,
                    ) -> #schemars::Schema {
                        #shadow_ty::_schemars_private_non_optional_json_schema(generator)
                    }

                    fn _schemars_private_is_option() -> bool {
                        #shadow_ty::_schemars_private_is_option()
                    }
                }
            }
        }
    };
    quote! {
        #[doc(hidden)]
        const _: () = {
            #shadow
            #implementation
        };
    }
}

/// The private copy the real derive runs on.
fn shadow(input: &DeriveInput, which: Derive, rt: &Runtime) -> DeriveInput {
    let ident = &input.ident;
    let mut shadow = input.clone();
    shadow.ident = format_ident!("__McpShadow{}", ident);
    shadow.vis = syn::Visibility::Inherited;
    keep_read_attributes(&mut shadow.attrs, which);
    match &mut shadow.data {
        Data::Struct(data) => fields(&mut data.fields, which),
        Data::Enum(data) => {
            for variant in &mut data.variants {
                keep_read_attributes(&mut variant.attrs, which);
                fields(&mut variant.fields, which);
            }
        }
        Data::Union(_) => {}
    }
    let remote = ident.to_string();
    let attrs: Vec<Attribute> = match which {
        Derive::Deserialize | Derive::Serialize => {
            let krate = format!("{}::serde", quote!(#rt)).replace(' ', "");
            let derive = match which {
                Derive::Deserialize => quote!(#rt::serde::Deserialize),
                _ => quote!(#rt::serde::Serialize),
            };
            vec![
                parse_quote!(#[derive(#derive)]),
                parse_quote!(#[serde(crate = #krate, remote = #remote)]),
            ]
        }
        Derive::JsonSchema => {
            let krate = format!("{}::schemars", quote!(#rt)).replace(' ', "");
            let mut attrs: Vec<Attribute> = vec![
                parse_quote!(#[derive(#rt::schemars::JsonSchema)]),
                parse_quote!(#[schemars(crate = #krate)]),
            ];
            if !renames_itself(&input.attrs) {
                attrs.push(parse_quote!(#[schemars(rename = #remote)]));
            }
            attrs
        }
    };
    shadow.attrs.splice(0..0, attrs);
    shadow
        .attrs
        .push(parse_quote!(#[allow(dead_code, non_camel_case_types)]));
    shadow
}

fn fields(fields: &mut Fields, which: Derive) {
    for field in fields.iter_mut() {
        keep_read_attributes(&mut field.attrs, which);
    }
}

fn keep_read_attributes(attrs: &mut Vec<Attribute>, which: Derive) {
    let kept = kept_attributes(which);
    attrs.retain(|attr| kept.iter().any(|name| attr.path().is_ident(name)));
}

/// Whether the container names its own schema (`#[serde(rename = ..)]`, `#[schemars(rename = ..)]`).
fn renames_itself(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        (attr.path().is_ident("serde") || attr.path().is_ident("schemars"))
            && attr.meta.require_list().is_ok_and(|list| {
                list.tokens
                    .clone()
                    .into_iter()
                    .any(|token| matches!(token, proc_macro2::TokenTree::Ident(ident) if ident == "rename"))
            })
    })
}
