use mcp_runtime::prelude::*;

/// Pages of a wiki.
#[mcp_tools]
pub trait WikiTools {
    /// Get a page.
    #[tool(stake = "never_ask")]
    async fn get_page(&self, ctx: &ToolContext) -> ToolResult;

    /// List pages.
    #[tool(stake = "never_ask")]
    async fn list_pages(&self, ctx: &ToolContext) -> ToolResult;
}

pub struct Wiki;

/// A wiki.
#[mcp_server(id = 33, availability = "manual")]
impl WikiTools for Wiki {
    async fn get_page(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("page"))
    }
}

fn main() {}
