//! A registry of the test servers.

use mcp_runtime::prelude::*;

use crate::jira::Jira;

/// A second server, to have more than one.
#[derive(Debug, Default)]
pub struct Echo;

/// Echoes its input.
#[mcp_server(id = 7, availability = "auto", name = "echo")]
impl Echo {
    /// Echo a text back.
    #[tool(stake = "never_ask")]
    pub async fn echo(&self, _ctx: &ToolContext, args: EchoArgs) -> ToolResult {
        Ok(ToolOutput::text(args.text))
    }
}

/// Arguments of `echo`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct EchoArgs {
    /// What to echo.
    pub text: String,
}

mcp_registry!(
    /// The servers of the tests.
    pub SERVERS = [Jira, Echo],
    retired = [4, 28, 45],
);
