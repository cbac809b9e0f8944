//! `mcp-providers call SERVER TOOL JSON`: one tool, in-process, for manual testing.

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::Arc;

use mcp_runtime::host::approval::{ApprovalGate, Decision, MemoryStore};
use mcp_runtime::host::{CallOptions, Registry};
use mcp_runtime::{CallError, ToolContext};
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
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the runtime: {error}"))?;
    // The same gate as every host: `--approve` is the user answering "once".
    let gate = Arc::new(ApprovalGate::new(MemoryStore::default()));
    let options = CallOptions::new().with_gate(gate.clone());
    let ctx = ToolContext::new();
    let server = entry
        .build_from_env()
        .map_err(|error| super::chain(&error))?;
    let result = runtime.block_on(async {
        match server
            .call_tool(tool, arguments.clone(), ctx.clone(), &options)
            .await
        {
            Err(CallError::ApprovalRequired(request)) if approve => {
                gate.resolve(&request.id, &request.user_id, Decision::Once)
                    .await
                    .map_err(|error| error.to_string())?;
                let approved = options.with_approval(&request.id);
                server
                    .call_tool(tool, arguments, ctx, &approved)
                    .await
                    .map_err(|error| error.to_string())
            }
            Err(error @ CallError::ApprovalRequired(_)) => {
                Err(format!("{error}; pass `--approve` to run it"))
            }
            other => other.map_err(|error| error.to_string()),
        }
    })?;
    // A closed pipe (`| head`) is not an error worth a panic.
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{}", result.text());
    if let Some(structured) = &result.structured_content {
        let _ = writeln!(stdout, "{structured:#}");
    }
    Ok(if result.is_error {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
