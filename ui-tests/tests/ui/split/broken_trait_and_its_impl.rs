// A mistake in an `#[mcp_tools]` trait is one error: the server implementing it adds none.
use mcp_runtime::prelude::*;

/// Pages of a wiki.
#[mcp_tools]
pub trait WikiTools {
    /// Get a page.
    #[tool(stake = "never_ask", retry = "always")]
    async fn get_page(&self, ctx: &ToolContext) -> ToolResult;
}

#[derive(Default)]
pub struct Wiki;

/// A wiki.
#[mcp_server(id = 33, availability = "manual")]
impl WikiTools for Wiki {
    async fn get_page(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("page"))
    }
}

mcp_registry!(pub SERVERS = [Wiki]);

fn main() {
    let _ = WikiTool::GetPage;
}
