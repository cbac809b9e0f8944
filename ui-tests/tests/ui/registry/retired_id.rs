use mcp_runtime::prelude::*;

#[derive(Default)]
pub struct Databricks;

/// The Databricks server.
#[mcp_server(id = 45, availability = "auto")]
impl Databricks {
    /// Ping.
    #[tool(stake = "never_ask")]
    async fn ping(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("pong"))
    }
}

mcp_registry!(pub SERVERS = [Databricks], retired = [4, 28, 45]);

fn main() {}
