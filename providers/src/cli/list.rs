//! `mcp-providers list`: the registry as a table, or as JSON for machines.

use std::io::Write as _;
use std::process::ExitCode;

use mcp_runtime::host::{Registry, ServerEntry};
use serde_json::json;

use providers::markdown::{one_line, plural};

pub(super) fn run(registry: &Registry, as_json: bool, all: bool) -> Result<ExitCode, String> {
    let text = text(registry, as_json, all);
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    Ok(ExitCode::SUCCESS)
}

/// The listing of what builders pick from (every server but those served hidden from them), or
/// of `all`.
fn text(registry: &Registry, as_json: bool, all: bool) -> String {
    let entries = super::browsed(registry, all);
    if as_json {
        json(&entries)
    } else {
        table(&entries, registry.len() - entries.len())
    }
}

fn json(entries: &[&ServerEntry]) -> String {
    let servers: Vec<_> = entries
        .iter()
        .map(|entry| {
            let metadata = entry.metadata();
            json!({
                "id": metadata.id,
                "name": metadata.name,
                "version": metadata.version,
                "description": metadata.description,
                "availability": metadata.availability,
                "preview": metadata.preview,
                "restricted": metadata.restricted.is_some(),
                "allowMultipleInstances": metadata.allow_multiple_instances,
                "authorization": metadata.authorization,
                "timeoutMs": metadata.timeout_ms,
                "tools": entry.catalog().listing(),
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&servers).expect("JSON values serialize");
    text.push('\n');
    text
}

/// The tools of `entries` as a table; `hidden`: how many servers were left out.
fn table(entries: &[&ServerEntry], hidden: usize) -> String {
    let mut rows = vec![[
        "SERVER".to_owned(),
        "ID".to_owned(),
        "TOOL".to_owned(),
        "STAKE".to_owned(),
        "DESCRIPTION".to_owned(),
    ]];
    for entry in entries {
        let metadata = entry.metadata();
        for tool in metadata.tools {
            rows.push([
                metadata.name.to_owned(),
                metadata.id.to_string(),
                tool.name.to_owned(),
                tool.stake.to_string(),
                summary(tool.description),
            ]);
        }
    }
    let widths: Vec<usize> = (0..4)
        .map(|column| {
            rows.iter()
                .map(|row| row[column].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in &rows {
        for (cell, width) in row.iter().zip(&widths) {
            text.push_str(&format!("{cell:<width$}  "));
        }
        text.push_str(&row[4]);
        text.push('\n');
    }
    let tools = rows.len() - 1;
    text.push_str(&format!(
        "\n{} {}, {tools} {}",
        entries.len(),
        plural(entries.len() as u64, "server"),
        plural(tools as u64, "tool")
    ));
    if hidden > 0 {
        text.push_str(&format!(
            "; {hidden} more served hidden from builders (`--all` lists {})",
            if hidden == 1 { "it" } else { "them" }
        ));
    }
    text.push('\n');
    text
}

/// The first paragraph, on one line.
fn summary(text: &str) -> String {
    one_line(text.split("\n\n").next().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use mcp_runtime::mcp_registry;
    use mcp_runtime::prelude::*;

    /// Offered to builders.
    #[derive(Default)]
    pub struct Shown;

    /// Offered to builders.
    #[mcp_server(id = 1, availability = "auto")]
    impl Shown {
        /// Say hello.
        #[tool(stake = "never_ask")]
        async fn greet(&self, _ctx: &ToolContext) -> ToolResult {
            Ok(ToolOutput::text("hello"))
        }
    }

    /// Served, but not offered to builders.
    #[derive(Default)]
    pub struct Hidden;

    /// Served, but not offered to builders.
    #[mcp_server(id = 2, availability = "auto_hidden_builder")]
    impl Hidden {
        /// Route a question.
        #[tool(stake = "never_ask")]
        async fn route(&self, _ctx: &ToolContext) -> ToolResult {
            Ok(ToolOutput::text("routed"))
        }
    }

    mcp_registry!(BOTH = [Shown, Hidden]);

    #[test]
    fn builders_see_the_hidden_servers_only_when_asking_for_all() {
        let table = super::text(&BOTH, false, false);
        assert!(table.contains("\nshown "), "{table}");
        assert!(!table.contains("\nhidden "), "{table}");
        assert!(
            table.ends_with(
                "1 server, 1 tool; 1 more served hidden from builders (`--all` lists it)\n"
            ),
            "{table}"
        );
        let all = super::text(&BOTH, false, true);
        assert!(all.contains("\nhidden "), "{all}");
        assert!(all.ends_with("\n2 servers, 2 tools\n"), "{all}");

        let listed: serde_json::Value =
            serde_json::from_str(&super::text(&BOTH, true, false)).unwrap();
        assert_eq!(listed.as_array().unwrap().len(), 1);
        assert_eq!(listed[0]["name"], "shown");
    }
}
