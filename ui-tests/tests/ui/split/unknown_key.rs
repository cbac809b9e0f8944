use mcp_runtime::prelude::*;

/// Pages of a wiki.
#[mcp_tools(crat = "mcp_runtime")]
pub trait WikiTools {
    /// Get a page.
    #[tool(stake = "never_ask")]
    async fn get_page(&self, ctx: &ToolContext) -> ToolResult;
}

fn main() {}
