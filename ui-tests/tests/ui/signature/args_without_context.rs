use mcp_runtime::prelude::*;

#[derive(Deserialize, JsonSchema)]
pub struct GetIssue {
    /// Issue key.
    pub key: String,
}

pub struct Jira;

/// Issues in Jira.
#[mcp_server(id = 22, availability = "manual")]
impl Jira {
    /// Get an issue.
    #[tool(stake = "never_ask")]
    async fn get_issue(&self, args: GetIssue) -> ToolResult {
        Ok(ToolOutput::text(args.key))
    }
}

fn main() {}
