//! `mcp-providers call SERVER TOOL JSON`: one tool, in-process, for manual testing.

use std::process::ExitCode;

use mcp_runtime::{Registry, Stake, ToolContext};
use serde_json::Value;

pub(super) fn run(
    registry: &Registry,
    server: &str,
    tool: &str,
    arguments: &str,
    approve: bool,
) -> Result<ExitCode, String> {
    let entry = registry
        .require(server)
        .map_err(|error| error.to_string())?;
    let arguments: Value = serde_json::from_str(arguments)
        .map_err(|error| format!("the arguments are not JSON: {error}"))?;
    if let Some(metadata) = entry.metadata().tool(tool)
        && metadata.stake != Stake::NeverAsk
        && !approve
    {
        return Err(format!(
            "`{tool}` has stake `{}` and needs approval; pass `--approve` to run it",
            metadata.stake
        ));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the runtime: {error}"))?;
    let ctx = ToolContext::new();
    let result = runtime
        .block_on(entry.server().call_tool(tool, arguments, ctx))
        .map_err(|error| error.to_string())?;
    println!("{}", result.text());
    if let Some(structured) = &result.structured_content {
        println!("{structured:#}");
    }
    Ok(if result.is_error {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
