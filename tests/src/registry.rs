//! A registry of the test servers.

use mcp_runtime::prelude::*;

use crate::jira::Jira;

/// A second server, to have more than one.
#[derive(Debug, Default)]
pub struct Echo;

/// Echoes its input.
#[mcp_server(
    id = 7,
    availability = "auto",
    name = "echo",
    icon = "https://example.com/echo.svg",
    documentation_url = "https://example.com/docs/echo"
)]
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

/// A server that needs settings: no `Default`, built by a factory.
#[derive(Debug)]
pub struct Greeter {
    greeting: String,
}

/// The settings of [`Greeter`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GreeterSettings {
    /// How to greet, e.g. `Hello`.
    pub greeting: String,
    /// Whom to greet when the call names nobody.
    pub default_name: Option<String>,
}

/// Why a [`Greeter`] cannot be built.
#[derive(Debug, thiserror::Error)]
#[error("the greeting is empty")]
pub struct EmptyGreeting;

impl Greeter {
    /// The server `settings` describe.
    pub fn from_settings(settings: GreeterSettings) -> Result<Self, EmptyGreeting> {
        if settings.greeting.trim().is_empty() {
            return Err(EmptyGreeting);
        }
        Ok(Greeter {
            greeting: settings.greeting,
        })
    }
}

/// Greets.
#[mcp_server(id = 8, availability = "auto", icon = "GreeterLogo")]
impl Greeter {
    /// Greet someone.
    #[tool(stake = "never_ask")]
    async fn greet(&self, _ctx: &ToolContext, args: EchoArgs) -> ToolResult {
        Ok(ToolOutput::text(format!(
            "{}, {}",
            self.greeting, args.text
        )))
    }
}

mcp_registry!(
    /// The servers of the tests.
    pub SERVERS = [Jira, Echo, Greeter => Greeter::from_settings],
    retired = [4, 28, 45],
);
