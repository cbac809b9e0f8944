use mcp_runtime::prelude::*;

#[derive(Default)]
pub struct Jira;

/// The Jira server.
#[mcp_server(id = 22, availability = "auto", name = "tracker")]
impl Jira {
    /// Ping.
    #[tool(stake = "never_ask")]
    async fn ping(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("pong"))
    }
}

#[derive(Default)]
pub struct Linear;

/// The Linear server.
#[mcp_server(id = 23, availability = "auto", name = "tracker")]
impl Linear {
    /// Ping.
    #[tool(stake = "never_ask")]
    async fn ping(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("pong"))
    }
}

mcp_registry!(pub SERVERS = [Jira, Linear]);

fn main() {}
