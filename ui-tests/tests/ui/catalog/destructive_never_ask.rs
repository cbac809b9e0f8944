use mcp_runtime::prelude::*;

pub struct Jira;

/// Issues in Jira.
#[mcp_server(id = 22, availability = "manual")]
impl Jira {
    /// Purge the cache.
    #[tool(stake = "never_ask", destructive)]
    async fn purge_cache(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("purged"))
    }
}

fn main() {}
