//! `mcp-providers docs`: a markdown catalogue of every server, its tools, stakes and arguments.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use mcp_runtime::host::{Registry, ServerEntry, Settings, ToolEntry};
use serde_json::Value;

use providers::markdown::one_line;

pub(super) fn run(registry: &Registry, all: bool) -> Result<ExitCode, String> {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = stdout.write_all(catalogue(registry, all).as_bytes());
    Ok(ExitCode::SUCCESS)
}

/// The catalogue of the servers builders browse, or of `all`.
fn catalogue(registry: &Registry, all: bool) -> String {
    let mut text = String::from("# MCP servers\n");
    for entry in registry
        .iter()
        .filter(|entry| all || entry.metadata().is_browsed())
    {
        server_section(&mut text, entry);
    }
    text
}

fn server_section(text: &mut String, entry: &ServerEntry) {
    let metadata = entry.metadata();
    let authorization = metadata.authorization.map_or("none".to_owned(), |auth| {
        format!("OAuth `{}`", auth.provider)
    });
    // The wire spelling (`manual`, `auto`, ...), as the metadata serializes it.
    let availability = serde_json::to_value(metadata.availability)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default();
    let _ = write!(
        text,
        "\n## `{}` (id {})\n\n{}\n\nAvailability: `{}`. Authorization: {authorization}. \
         Timeout: {} s.\n",
        metadata.name,
        metadata.id,
        metadata.description.trim(),
        availability,
        metadata.timeout_ms / 1000,
    );
    let flags = [
        (
            metadata.preview,
            "A preview: served only where the host opts into previews.",
        ),
        (
            metadata.restricted.is_some(),
            "Restricted: served only to the workspaces (or principals) its predicate admits.",
        ),
        (
            metadata.allow_multiple_instances,
            "A host may serve several instances of it, each with its own settings.",
        ),
    ];
    for (_, sentence) in flags.iter().filter(|(set, _)| *set) {
        let _ = writeln!(text, "{sentence}");
    }
    settings_section(text, entry);
    let _ = write!(
        text,
        "\n| tool | stake | description | arguments |\n|---|---|---|---|\n"
    );
    for tool in entry.catalog().tools() {
        let _ = writeln!(
            text,
            "| `{}` | `{}` | {} | {} |",
            tool.metadata.name,
            tool.metadata.stake,
            cell(tool.metadata.description),
            arguments(tool)
        );
    }
}

/// The settings the server is built from, with the environment variables that carry them.
fn settings_section(text: &mut String, entry: &ServerEntry) {
    let settings = entry.settings();
    if settings.is_empty() {
        return;
    }
    let _ = write!(
        text,
        "\n| setting | environment | required | description |\n|---|---|---|---|\n"
    );
    for setting in settings {
        let _ = writeln!(
            text,
            "| `{}` | `{}` | {} | {} |",
            setting.key,
            Settings::variable(entry.metadata().name, &setting.key),
            if setting.required { "yes" } else { "no" },
            cell(setting.description.as_deref().unwrap_or_default()),
        );
    }
}

/// The tool's arguments as `name` (type, required): description; one per line of the cell.
fn arguments(tool: &ToolEntry) -> String {
    let Some(Value::Object(properties)) = tool.input_schema.get("properties") else {
        return "none".to_owned();
    };
    if properties.is_empty() {
        return "none".to_owned();
    }
    let required: Vec<&str> = tool
        .input_schema
        .get("required")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    properties
        .iter()
        .map(|(name, schema)| {
            let kind = schema.get("type").map_or("any".to_owned(), type_name);
            let needed = if required.contains(&name.as_str()) {
                ", required"
            } else {
                ""
            };
            let description = schema
                .get("description")
                .and_then(Value::as_str)
                .map(|description| format!(": {}", cell(description)))
                .unwrap_or_default();
            format!("`{name}` ({kind}{needed}){description}")
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

fn type_name(kind: &Value) -> String {
    match kind {
        Value::Array(kinds) => kinds
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" or "),
        other => other.as_str().unwrap_or("any").to_owned(),
    }
}

/// Text fit for a table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}
