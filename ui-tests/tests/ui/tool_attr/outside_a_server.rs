use mcp_runtime::prelude::*;

/// Get an issue.
#[tool(stake = "never_ask")]
async fn get_issue(_ctx: &ToolContext) -> ToolResult {
    Ok(ToolOutput::text("issue"))
}

fn main() {}
