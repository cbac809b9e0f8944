use mcp_runtime::prelude::*;

/// Pages of a wiki.
#[mcp_tools]
pub trait WikiTools {
    /// Get the complete revision history of a page.
    #[tool(stake = "never_ask")]
    async fn get_the_complete_revision_history_of_a_page(&self, ctx: &ToolContext) -> ToolResult;
}

pub struct Wiki;

/// A wiki.
#[mcp_server(id = 33, availability = "manual", name = "enterprise_knowledge_base")]
impl WikiTools for Wiki {
    async fn get_the_complete_revision_history_of_a_page(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("history"))
    }
}

fn main() {}
