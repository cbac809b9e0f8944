use mcp_runtime::prelude::*;

#[derive(JsonSchema)]
pub struct Issue {
    /// Issue key.
    pub key: String,
}

pub struct Jira;

/// Issues in Jira.
#[mcp_server(id = 22, availability = "manual")]
impl Jira {
    /// Get an issue.
    #[tool(stake = "never_ask")]
    async fn get_issue(&self, _ctx: &ToolContext) -> Json<Issue> {
        Json(Issue { key: "PROJ-1".to_owned() })
    }
}

fn main() {}
