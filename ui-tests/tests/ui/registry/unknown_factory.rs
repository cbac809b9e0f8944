use mcp_runtime::prelude::*;

pub struct Jira;

/// The Jira server.
#[mcp_server(id = 22, availability = "auto")]
impl Jira {
    /// Ping.
    #[tool(stake = "never_ask")]
    async fn ping(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("pong"))
    }
}

mcp_registry!(pub SERVERS = [Jira => Jira::from_setings]);

fn main() {}
