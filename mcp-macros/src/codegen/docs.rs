//! Generated rustdoc: every server documents its tools, stakes and arguments in `cargo doc`.

use quote::ToTokens;
use syn::Type;

use crate::model::{Server, Tool};

/// The section appended to the impl block's docs.
pub(crate) fn server(server: &Server<'_>, enum_name: &str) -> String {
    let mut doc = format!(
        "\n\n# MCP server `{}`\n\nId `{}`, availability `{}`, timeout {} ms. [`{enum_name}`] names its tools.\n",
        server.name,
        server.id,
        availability(server),
        server.timeout_ms,
    );
    if !server.tools.is_empty() {
        doc.push_str(&table(&server.tools));
    }
    doc
}

/// The tools table, shared by the impl block and the tool enum.
pub(crate) fn table(tools: &[Tool<'_>]) -> String {
    let mut doc = String::from("\n| Tool | Stake | Arguments | Description |\n|---|---|---|---|\n");
    for tool in tools {
        doc.push_str(&format!(
            "| `{}` | `{}` | {} | {} |\n",
            tool.name,
            tool.stake.as_str(),
            tool.sig
                .args_ty
                .map_or_else(|| "none".to_owned(), type_link),
            cell(&summary(&tool.description)),
        ));
    }
    doc
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
    let text: String = ty
        .to_token_stream()
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let is_plain_path = matches!(ty, Type::Path(path) if path.qself.is_none()
        && path.path.segments.iter().all(|segment| segment.arguments.is_empty()));
    if is_plain_path {
        format!("[`{text}`]")
    } else {
        format!("`{text}`")
    }
}
