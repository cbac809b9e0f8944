//! `mcp-providers schema SERVER [TOOL]`: the input and output JSON Schemas of a server's tools.

use std::io::Write as _;
use std::process::ExitCode;

use mcp_runtime::host::{Registry, ToolEntry};
use serde_json::{Value, json};

pub(super) fn run(
    registry: &Registry,
    server: &str,
    tool: Option<&str>,
) -> Result<ExitCode, String> {
    let entry = registry
        .require(server)
        .map_err(|error| error.to_string())?;
    let tools = entry.catalog().tools();
    let schemas: Vec<Value> = match tool {
        Some(name) => {
            let tool = tools
                .iter()
                .find(|tool| tool.metadata.name == name)
                .ok_or_else(|| {
                    format!("`{server}` has no tool `{name}`; `mcp-providers list` shows its tools")
                })?;
            vec![schemas_of(tool)]
        }
        None => tools.iter().map(schemas_of).collect(),
    };
    let shown = match schemas.as_slice() {
        [only] if tool.is_some() => only.clone(),
        _ => Value::Array(schemas),
    };
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = writeln!(std::io::stdout().lock(), "{shown:#}");
    Ok(ExitCode::SUCCESS)
}

fn schemas_of(tool: &ToolEntry) -> Value {
    let mut schemas = json!({
        "name": tool.metadata.name,
        "inputSchema": tool.input_schema,
    });
    if let Some(output) = &tool.output_schema {
        schemas["outputSchema"] = json!(output);
    }
    schemas
}
