use mcp_runtime::prelude::*;

#[derive(Deserialize, JsonSchema)]
pub struct GetPage {
    /// Page id.
    pub id: u64,
}

/// Pages of a wiki.
#[mcp_tools]
pub trait WikiTools {
    /// Get a page.
    #[tool(stake = "never_ask")]
    async fn get_page(&self, ctx: &ToolContext, args: GetPage) -> ToolResult;
}

#[derive(Default)]
pub struct Wiki;

/// A wiki.
#[mcp_server(id = 33, availability = "manual")]
impl WikiTools for Wiki {
    async fn get_page(&self, _ctx: &ToolContext, args: GetPage) -> ToolResult {
        Ok(ToolOutput::text(args.id.to_string()))
    }
}

mcp_registry!(pub SERVERS = [Wiki]);

fn main() {
    assert_eq!(WikiTool::GetPage.metadata().stake, Stake::NeverAsk);
    assert_eq!(SERVERS.get("wiki").unwrap().metadata().id, 33);
}
