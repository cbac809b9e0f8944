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

#[derive(Default)]
pub struct Github;

/// The GitHub server.
#[mcp_server(id = 23, availability = "auto")]
impl Github {
    /// Ping.
    #[tool(stake = "never_ask")]
    async fn ping(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("pong"))
    }
}

#[derive(Deserialize, JsonSchema)]
pub struct Settings {
    pub token: String,
}

fn github(_settings: Settings) -> Result<Github, std::convert::Infallible> {
    Ok(Github)
}

mcp_registry!(pub SERVERS = [Jira => github]);

fn main() {}
