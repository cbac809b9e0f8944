//! `mcp-providers list`: the registry as a table, or as JSON for machines.

use std::io::Write as _;
use std::process::ExitCode;

use mcp_runtime::host::Registry;
use serde_json::json;

use providers::markdown::{one_line, plural};

pub(super) fn run(registry: &Registry, as_json: bool) -> Result<ExitCode, String> {
    let text = if as_json {
        json(registry)
    } else {
        table(registry)
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    Ok(ExitCode::SUCCESS)
}

fn json(registry: &Registry) -> String {
    let servers: Vec<_> = registry
        .iter()
        .map(|entry| {
            let metadata = entry.metadata();
            json!({
                "id": metadata.id,
                "name": metadata.name,
                "version": metadata.version,
                "description": metadata.description,
                "availability": metadata.availability,
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

fn table(registry: &Registry) -> String {
    let mut rows = vec![[
        "SERVER".to_owned(),
        "ID".to_owned(),
        "TOOL".to_owned(),
        "STAKE".to_owned(),
        "DESCRIPTION".to_owned(),
    ]];
    for entry in registry.iter() {
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
        "\n{} {}, {tools} {}\n",
        registry.len(),
        plural(registry.len() as u64, "server"),
        plural(tools as u64, "tool")
    ));
    text
}

/// The first paragraph, on one line.
fn summary(text: &str) -> String {
    one_line(text.split("\n\n").next().unwrap_or_default())
}
