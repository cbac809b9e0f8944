use mcp_runtime::prelude::*;

/// Pages of a wiki.
#[mcp_tools]
pub trait WikiTools {
    /// Get a page.
    #[tool(stake = "never_ask")]
    async fn get_page(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("page"))
    }
}

fn main() {}
