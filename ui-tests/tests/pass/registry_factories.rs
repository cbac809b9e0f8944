//! Servers without `Default`, built by factories from their settings, beside one with `Default`;
//! the runtime reached through a re-export (`crate = ".."`).

mod runtime {
    pub use mcp_runtime::*;
}

use mcp_runtime::prelude::*;

pub struct Jira {
    site: String,
}

#[derive(Deserialize, JsonSchema)]
pub struct JiraSettings {
    /// The Cloud site.
    pub site: String,
}

impl Jira {
    pub fn from_settings(settings: JiraSettings) -> Result<Self, std::convert::Infallible> {
        Ok(Jira {
            site: settings.site,
        })
    }
}

/// The Jira server.
#[mcp_server(id = 22, availability = "auto")]
impl Jira {
    /// Ping.
    #[tool(stake = "never_ask")]
    async fn ping(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text(self.site.clone()))
    }
}

#[derive(Default)]
pub struct Echo;

/// Echoes.
#[mcp_server(id = 23, availability = "auto")]
impl Echo {
    /// Ping.
    #[tool(stake = "never_ask")]
    async fn ping(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("pong"))
    }
}

mcp_registry!(
    pub SERVERS = [Jira => Jira::from_settings, Echo],
    retired = [4],
    crate = "crate::runtime",
);

fn main() {
    let settings = mcp_runtime::host::Settings::new().with("site", "team.example");
    let jira = SERVERS.get("jira").unwrap().build(&settings).unwrap();
    assert_eq!(jira.metadata().id, 22);
    assert_eq!(SERVERS.get("jira").unwrap().settings()[0].key, "site");
}
