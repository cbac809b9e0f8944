//! Generated rustdoc: every server documents its tools, stakes and arguments in `cargo doc`.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::Type;

use crate::model::{Server, Tool};

/// The section appended to the impl block's docs, before the table of its tools.
pub(crate) fn server(server: &Server<'_>, enum_name: &str) -> String {
    format!(
        "\n\n# MCP server `{}`\n\nId `{}`, availability `{}`, timeout {} ms. [`{enum_name}`] names its tools.\n",
        server.name,
        server.id,
        availability(server),
        server.timeout_ms,
    )
}

/// The section appended to the impl block's docs of a server made of parts, whose tools only
/// the tool enum lists.
pub(crate) fn server_of_parts(server: &Server<'_>, enum_name: &str) -> String {
    format!(
        "\n\n# MCP server `{}`\n\nId `{}`, availability `{}`, timeout {} ms. Its tools are declared here and in its parts; [`{enum_name}`] lists them all with their stakes.\n",
        server.name,
        server.id,
        availability(server),
        server.timeout_ms,
    )
}

/// The tools table, shared by the impl block and the tool enum: one `#[doc]` attribute a row,
/// and a `#[cfg]`-gated tool's row gated the same way, so that it is listed only where it
/// exists.
pub(crate) fn table_attrs(tools: &[Tool<'_>]) -> Vec<TokenStream> {
    if tools.is_empty() {
        return Vec::new();
    }
    let header = "\n| Tool | Stake | Arguments | Description |\n|---|---|---|---|";
    let mut attrs = vec![quote!(#[doc = #header])];
    for tool in tools {
        let row = table_row(tool);
        let predicates: Vec<TokenStream> = tool
            .cfgs
            .iter()
            .filter_map(|cfg| cfg.meta.require_list().ok().map(|list| list.tokens.clone()))
            .collect();
        attrs.push(match predicates.as_slice() {
            [] => quote!(#[doc = #row]),
            predicates => quote!(#[cfg_attr(all(#(#predicates),*), doc = #row)]),
        });
    }
    attrs
}

/// The table as one text, for docs that cannot carry attributes (an `#[mcp_tools]` trait).
pub(crate) fn table(tools: &[Tool<'_>]) -> String {
    let mut doc = String::from("\n| Tool | Stake | Arguments | Description |\n|---|---|---|---|\n");
    for tool in tools {
        doc.push_str(&table_row(tool));
        doc.push('\n');
    }
    doc
}

fn table_row(tool: &Tool<'_>) -> String {
    let arguments = match tool.sig.args_ty {
        None => "none".to_owned(),
        Some(ty) if tool.linked => type_link(ty),
        Some(ty) => format!("`{}`", type_text(ty)),
    };
    format!(
        "| `{}` | `{}` | {} | {} |",
        tool.name,
        tool.stake.as_str(),
        arguments,
        cell(&summary(&tool.description)),
    )
}

/// The docs of one enum variant.
pub(crate) fn variant(tool: &Tool<'_>) -> String {
    format!(
        "`{}`, stake `{}`: {}",
        tool.name,
        tool.stake.as_str(),
        summary(&tool.description)
    )
}

fn availability(server: &Server<'_>) -> &'static str {
    match server.availability {
        crate::attr::Availability::Manual => "manual",
        crate::attr::Availability::Auto => "auto",
        crate::attr::Availability::AutoHiddenBuilder => "auto_hidden_builder",
    }
}

/// The first paragraph, on one line.
fn summary(description: &str) -> String {
    description
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// An intra-doc link for a plain path, the type's text otherwise.
fn type_link(ty: &Type) -> String {
    let text = type_text(ty);
    let is_plain_path = matches!(ty, Type::Path(path) if path.qself.is_none()
        && path.path.segments.iter().all(|segment| segment.arguments.is_empty()));
    if is_plain_path {
        format!("[`{text}`]")
    } else {
        format!("`{text}`")
    }
}

fn type_text(ty: &Type) -> String {
    ty.to_token_stream()
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}
