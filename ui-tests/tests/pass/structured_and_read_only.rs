// A structured result with an output schema, a tool without arguments, and a write-sounding
// name that declares `read_only`.
use mcp_runtime::prelude::*;

#[derive(Serialize, JsonSchema)]
pub struct Totals {
    /// Open issues.
    pub open: u64,
}

#[derive(Default)]
pub struct Tracker;

/// Issue statistics.
#[mcp_server(id = 5, availability = "auto")]
impl Tracker {
    /// Count open issues.
    #[tool(stake = "never_ask")]
    async fn totals(&self, _ctx: &ToolContext) -> Result<Json<Totals>, McpError> {
        Ok(Json(Totals { open: 3 }))
    }

    /// Preview the issue a `create` would make, without making it.
    #[tool(stake = "never_ask", read_only)]
    async fn create_preview(&self, _ctx: &ToolContext) -> ToolOutput {
        ToolOutput::text("preview")
    }
}

fn main() {
    let listing = Tracker::catalog().listing();
    assert!(listing[0].get("outputSchema").is_some());
    assert!(listing[1].get("outputSchema").is_none());
}
