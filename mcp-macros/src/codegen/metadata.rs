//! `ServerMetadata` and `ToolMetadata` constants.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::tokens::{int_at, opt_str};
use crate::attr::{Availability, Cost, Retry, Stake, UseCase};
use crate::model::{Server, Tool};
use crate::paths::Runtime;

pub(crate) fn stake(rt: &Runtime, stake: Stake) -> TokenStream {
    match stake {
        Stake::NeverAsk => quote!(#rt::Stake::NeverAsk),
        Stake::Low => quote!(#rt::Stake::Low),
        Stake::Medium => quote!(#rt::Stake::Medium),
        Stake::High => quote!(#rt::Stake::High),
    }
}

/// The `ToolMetadata` expression of `tool`, whose `approval_args` (wire names) are `approval_args`
/// (see [`approval_args`]).
pub(crate) fn tool(rt: &Runtime, tool: &Tool<'_>, approval_args: TokenStream) -> TokenStream {
    let name = &tool.name;
    let description = &tool.description;
    let stake = stake(rt, tool.stake);
    let title = opt_str(tool.title.as_deref());
    let running = opt_str(tool.running.as_deref());
    let done = opt_str(tool.done.as_deref());
    let retry = match tool.retry {
        Retry::Never => quote!(#rt::RetryPolicy::Never),
        Retry::OnInterrupt => quote!(#rt::RetryPolicy::OnInterrupt),
    };
    let cost = match tool.cost {
        Cost::Basic => quote!(#rt::Cost::Basic),
        Cost::Advanced => quote!(#rt::Cost::Advanced),
    };
    let eager = tool.eager;
    let overrides = [
        ("read_only", tool.read_only.map(|(value, _)| value)),
        ("destructive", tool.destructive),
        ("idempotent", tool.idempotent),
        ("open_world", tool.open_world),
    ]
    .into_iter()
    .filter_map(|(field, value)| {
        let field = syn::Ident::new(field, proc_macro2::Span::call_site());
        value.map(|value| quote!(#field: #value,))
    });
    let task = match tool.task {
        crate::attr::TaskSupport::Forbidden => quote!(#rt::TaskSupport::Forbidden),
        crate::attr::TaskSupport::Optional => quote!(#rt::TaskSupport::Optional),
        crate::attr::TaskSupport::Required => quote!(#rt::TaskSupport::Required),
    };
    let task_start = match tool.task_start {
        crate::attr::TaskStart::Call => quote!(#rt::TaskStart::Call),
        crate::attr::TaskStart::Handler => quote!(#rt::TaskStart::Handler),
    };
    let icon = match &tool.icon {
        Some(icon) => quote!(::core::option::Option::Some(#icon)),
        None => quote!(::core::option::Option::None),
    };
    let toolset = match &tool.toolset {
        Some(toolset) => quote!(::core::option::Option::Some(#toolset)),
        None => quote!(::core::option::Option::None),
    };
    quote! {
        #rt::ToolMetadata {
            name: #name,
            title: #title,
            description: #description,
            stake: #stake,
            running: #running,
            done: #done,
            approval_args: #approval_args,
            retry: #retry,
            annotations: #rt::ToolAnnotations {
                #(#overrides)*
                ..#stake.default_annotations()
            },
            cost: #cost,
            eager: #eager,
            toolset: #toolset,
            icon: #icon,
            task: #task,
            task_start: #task_start,
        }
    }
}

/// The `ServerMetadata` expression of `server`, with `tools` as the tools slice.
pub(crate) fn server(rt: &Runtime, server: &Server<'_>, tools: TokenStream) -> TokenStream {
    let id = int_at(u64::from(server.id), server.id_lit.span());
    let name = &server.name;
    let version = match &server.version {
        Some(version) => quote!(#version),
        None => quote!(::core::env!("CARGO_PKG_VERSION")),
    };
    let description = &server.description;
    let availability = match server.availability {
        Availability::Manual => quote!(#rt::Availability::Manual),
        Availability::Auto => quote!(#rt::Availability::Auto),
        Availability::AutoHiddenBuilder => quote!(#rt::Availability::AutoHiddenBuilder),
    };
    let authorization = match &server.authorization {
        Some(auth) => {
            let provider = &auth.provider;
            let use_cases = auth.use_cases.iter().map(|case| match case {
                UseCase::PersonalActions => quote!(#rt::UseCase::PersonalActions),
                UseCase::PlatformActions => quote!(#rt::UseCase::PlatformActions),
            });
            quote!(::core::option::Option::Some(#rt::Authorization {
                provider: #provider,
                use_cases: &[#(#use_cases),*],
            }))
        }
        None => quote!(::core::option::Option::None),
    };
    let icon = opt_str(server.icon.as_deref());
    let title = opt_str(server.title.as_deref());
    let documentation_url = opt_str(server.documentation_url.as_deref());
    let instructions = opt_str(server.instructions.as_deref());
    let allow_multiple_instances = server.allow_multiple_instances;
    let preview = server.preview;
    // Spanned on the user's path, so a predicate of the wrong type is reported there as a
    // mismatch against the field's `fn(&Workspace<'_>) -> bool`.
    let restricted = match &server.restricted {
        Some(path) => quote_spanned!(path.span()=> ::core::option::Option::Some(#path)),
        None => quote!(::core::option::Option::None),
    };
    let timeout_ms = server.timeout_ms;
    let offers = crate::offer::metadata(rt, &server.offers);
    quote! {
        #rt::ServerMetadata {
            id: #id,
            name: #name,
            version: #version,
            description: #description,
            availability: #availability,
            authorization: #authorization,
            icon: #icon,
            title: #title,
            documentation_url: #documentation_url,
            instructions: #instructions,
            allow_multiple_instances: #allow_multiple_instances,
            preview: #preview,
            restricted: #restricted,
            timeout_ms: #timeout_ms,
            tools: #tools,
            #offers
        }
    }
}

/// The wire names of `tool`'s `approval_args`, where its arguments type is in scope: a field
/// renamed for serde (`#[serde(rename = "type")] kind`) is found under its wire name. The
/// prelude's `Deserialize` records the names; with serde's own derive they are the fields'.
pub(crate) fn approval_args(rt: &Runtime, tool: &Tool<'_>) -> TokenStream {
    let (Some(args_ty), false) = (tool.sig.args_ty, tool.approval_args.is_empty()) else {
        return quote!(&[]);
    };
    let fields = tool.approval_args.iter().map(ToString::to_string);
    quote! {{
        #[allow(unused_imports)]
        use #rt::NoWireNames as _;
        &[#(#rt::wire_name(<#args_ty>::__MCP_WIRE_FIELDS, #fields)),*]
    }}
}
