//! Split metadata: tools declared on a trait, handled by a server elsewhere.

use mcp_runtime::prelude::*;

/// Arguments of `get_page`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetPage {
    /// Page id.
    pub id: u64,
}

/// Arguments of `create_page`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CreatePage {
    /// Space key.
    pub space: String,
    /// Title.
    pub title: String,
}

/// Pages of a wiki; usable without the handler code.
#[mcp_tools]
pub trait WikiTools {
    /// Get a page by id.
    #[tool(stake = "never_ask")]
    async fn get_page(&self, ctx: &ToolContext, args: GetPage) -> ToolResult;

    /// Create a page in a space.
    #[tool(stake = "medium", approval_args(space), running = "Creating page")]
    async fn create_page(&self, ctx: &ToolContext, args: CreatePage) -> ToolResult;
}

/// The server handling the wiki tools.
#[derive(Debug, Default)]
pub struct Wiki;

/// A wiki.
#[mcp_server(id = 33, availability = "manual")]
impl WikiTools for Wiki {
    async fn get_page(&self, _ctx: &ToolContext, args: GetPage) -> ToolResult {
        Ok(ToolOutput::text(format!("page {}", args.id)))
    }

    async fn create_page(&self, _ctx: &ToolContext, args: CreatePage) -> ToolResult {
        Ok(ToolOutput::text(format!(
            "created {} in {}",
            args.title, args.space
        )))
    }
}
