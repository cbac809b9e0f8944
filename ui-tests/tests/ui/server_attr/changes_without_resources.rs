use mcp_runtime::prelude::*;

#[derive(Default)]
pub struct Board {
    changes: ResourceChanges,
}

/// A board.
#[mcp_server(id = 22, availability = "manual", changes = "changes")]
impl Board {
    /// Count the notices.
    #[tool(stake = "never_ask")]
    async fn count(&self) -> ToolResult {
        self.changes.updated("board://index");
        Ok(ToolOutput::text("0"))
    }
}

fn main() {}
