//! What the offers of a server generate: their metadata, the `McpServer` methods that find and
//! run them, and their part of the server's docs.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Offer, template_variables};
use crate::attr::OfferKind;
use crate::paths::Runtime;

fn opt(value: Option<&String>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

fn of<'o, 'a>(offers: &'o [Offer<'a>], kind: OfferKind) -> impl Iterator<Item = &'o Offer<'a>> {
    offers.iter().filter(move |offer| offer.kind == kind)
}

/// The `resources`, `resource_templates` and `prompts` fields of the server's metadata.
pub(crate) fn metadata(rt: &Runtime, offers: &[Offer<'_>]) -> TokenStream {
    let resources = of(offers, OfferKind::Resource).map(|offer| {
        let (uri, name, description) = (&offer.uri.as_ref().map(|(uri, _)| uri), &offer.name, &offer.description);
        let (title, mime_type) = (opt(offer.title.as_ref()), opt(offer.mime_type.as_ref()));
        let icon = opt(offer.icon.as_ref());
        let cfgs = &offer.cfgs;
        quote! {
            #(#cfgs)* #rt::ResourceMetadata {
                uri: #uri, name: #name, title: #title, description: #description, mime_type: #mime_type,
                icon: #icon,
            }
        }
    });
    let templates = of(offers, OfferKind::Template).map(|offer| {
        let (uri, name, description) = (
            &offer.uri.as_ref().map(|(uri, _)| uri),
            &offer.name,
            &offer.description,
        );
        let (title, mime_type) = (opt(offer.title.as_ref()), opt(offer.mime_type.as_ref()));
        let completions = offer.completions.iter().map(|(argument, _)| argument);
        let icon = opt(offer.icon.as_ref());
        let cfgs = &offer.cfgs;
        quote! {
            #(#cfgs)* #rt::ResourceTemplateMetadata {
                uri_template: #uri, name: #name, title: #title, description: #description,
                mime_type: #mime_type, completions: &[#(#completions),*], icon: #icon,
            }
        }
    });
    let prompts = of(offers, OfferKind::Prompt).map(|offer| {
        let (name, description, title) = (&offer.name, &offer.description, opt(offer.title.as_ref()));
        let arguments = offer.params.iter().map(|param| {
            let (name, required) = (&param.name, param.required);
            let description = param.description.as_deref().unwrap_or_default();
            quote!(#rt::PromptArgument { name: #name, description: #description, required: #required })
        });
        let completions = offer.completions.iter().map(|(argument, _)| argument);
        let icon = opt(offer.icon.as_ref());
        let cfgs = &offer.cfgs;
        quote! {
            #(#cfgs)* #rt::PromptMetadata {
                name: #name, title: #title, description: #description,
                arguments: &[#(#arguments),*], completions: &[#(#completions),*], icon: #icon,
            }
        }
    });
    quote! {
        resources: &[#(#resources),*],
        resource_templates: &[#(#templates),*],
        prompts: &[#(#prompts),*],
    }
}

/// The `McpServer` methods that find an offer and run its method; none without offers.
pub(crate) fn dispatch_methods(rt: &Runtime, offers: &[Offer<'_>]) -> TokenStream {
    if offers.is_empty() {
        return TokenStream::new();
    }
    let ctx = |offer: &Offer<'_>| offer.has_ctx.then(|| quote!(__ctx,));
    let resources = of(offers, OfferKind::Resource).map(|offer| {
        let (method, cfgs, ctx) = (offer.method, &offer.cfgs, ctx(offer));
        let uri = offer.uri.as_ref().map(|(uri, _)| uri);
        quote! {
            #(#cfgs)*
            if __uri == #uri {
                return ::core::option::Option::Some(#rt::Box::pin(self.#method(#ctx)));
            }
        }
    });
    let templates = of(offers, OfferKind::Template).map(|offer| {
        let (method, cfgs, ctx) = (offer.method, &offer.cfgs, ctx(offer));
        let uri = offer.uri.as_ref().map_or("", |(uri, _)| uri.as_str());
        let variables = template_variables(uri).unwrap_or_default();
        let values = offer.params.iter().map(|param| {
            let index = variables
                .iter()
                .position(|variable| *variable == param.name)
                .unwrap_or_default();
            quote!(::core::mem::take(&mut __values[#index]))
        });
        quote! {
            #(#cfgs)*
            if let ::core::option::Option::Some(mut __values) = #rt::match_template(#uri, __uri) {
                return ::core::option::Option::Some(#rt::Box::pin(self.#method(#ctx #(#values),*)));
            }
        }
    });
    let prompts = of(offers, OfferKind::Prompt).map(|offer| {
        let (method, cfgs, ctx, name) = (offer.method, &offer.cfgs, ctx(offer), &offer.name);
        // Bound to names of ours: the parameters' may not be snake case.
        let bindings: Vec<_> = (0..offer.params.len())
            .map(|index| quote::format_ident!("__argument_{index}"))
            .collect();
        let reads = offer.params.iter().zip(&bindings).map(|(param, binding)| {
            let name = &param.name;
            let read = if param.required {
                quote!(#rt::prompt_argument(__arguments, #name)?)
            } else {
                quote!(#rt::optional_prompt_argument(__arguments, #name))
            };
            quote!(let #binding = #read;)
        });
        quote! {
            #(#cfgs)*
            #name => ::core::option::Option::Some(#rt::Box::pin(async move {
                #(#reads)*
                self.#method(#ctx #(#bindings),*).await
            })),
        }
    });
    let completions = offers.iter().flat_map(|offer| {
        let target = match offer.kind {
            OfferKind::Prompt => {
                let name = &offer.name;
                quote!(#rt::CompletionTarget::Prompt(#name))
            }
            _ => {
                let uri = offer.uri.as_ref().map(|(uri, _)| uri);
                quote!(#rt::CompletionTarget::ResourceTemplate(#uri))
            }
        };
        let cfgs = &offer.cfgs;
        offer.completions.iter().map(move |(argument, completer)| {
            quote! {
                #(#cfgs)*
                (#target, #argument) => ::core::option::Option::Some(#rt::Box::pin(self.#completer(__ctx, __value))),
            }
        })
    });
    quote! {
        fn dispatch_resource<'__a>(
            &'__a self,
            __uri: &'__a str,
            __ctx: &'__a #rt::ToolContext,
        ) -> ::core::option::Option<#rt::BoxFuture<'__a, #rt::ResourceResult>> {
            let _ = __ctx;
            #(#resources)*
            #(#templates)*
            ::core::option::Option::None
        }

        fn dispatch_prompt<'__a>(
            &'__a self,
            __name: &'__a str,
            __arguments: &'__a #rt::Map<#rt::String, #rt::Value>,
            __ctx: &'__a #rt::ToolContext,
        ) -> ::core::option::Option<#rt::BoxFuture<'__a, #rt::PromptResult>> {
            let _ = (__arguments, __ctx);
            match __name {
                #(#prompts)*
                _ => ::core::option::Option::None,
            }
        }

        fn dispatch_completion<'__a>(
            &'__a self,
            __target: #rt::CompletionTarget<'__a>,
            __argument: &'__a str,
            __value: &'__a str,
            __ctx: &'__a #rt::ToolContext,
        ) -> ::core::option::Option<#rt::BoxFuture<'__a, ::core::result::Result<#rt::Vec<#rt::String>, #rt::McpError>>> {
            let _ = (__value, __ctx);
            match (__target, __argument) {
                #(#completions)*
                _ => ::core::option::Option::None,
            }
        }
    }
}

/// The server docs' sections on its resources and prompts (empty without them).
pub(crate) fn docs(offers: &[Offer<'_>]) -> String {
    let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
    let mut docs = String::new();
    let resources: Vec<&Offer<'_>> = offers
        .iter()
        .filter(|offer| offer.kind != OfferKind::Prompt)
        .collect();
    if !resources.is_empty() {
        docs.push_str("\n# Resources\n\n| URI | name | description |\n|---|---|---|\n");
        for offer in resources {
            let uri = offer.uri.as_ref().map_or("", |(uri, _)| uri.as_str());
            docs.push_str(&format!(
                "| `{uri}` | `{}` | {} |\n",
                offer.name,
                cell(&offer.description)
            ));
        }
    }
    let prompts: Vec<&Offer<'_>> = of(offers, OfferKind::Prompt).collect();
    if !prompts.is_empty() {
        docs.push_str("\n# Prompts\n\n| prompt | arguments | description |\n|---|---|---|\n");
        for offer in prompts {
            let arguments: Vec<String> = offer
                .params
                .iter()
                .map(|param| {
                    let optional = if param.required { "" } else { " (optional)" };
                    format!(
                        "`{}`{optional}: {}",
                        param.name,
                        cell(param.description.as_deref().unwrap_or_default())
                    )
                })
                .collect();
            docs.push_str(&format!(
                "| `{}` | {} | {} |\n",
                offer.name,
                arguments.join("<br>"),
                cell(&offer.description)
            ));
        }
    }
    docs
}
