use mcp_runtime::prelude::*;

#[derive(Default)]
pub struct Board {
    changes: Vec<String>,
}

/// A board.
#[mcp_server(id = 22, availability = "manual", changes = "changes")]
impl Board {
    /// Count the notices.
    #[tool(stake = "never_ask")]
    async fn count(&self) -> ToolResult {
        Ok(ToolOutput::text(self.changes.len().to_string()))
    }

    /// The index.
    #[resource(uri = "board://index")]
    async fn index(&self) -> ResourceResult {
        Ok(ResourceOutput::text("text/plain", ""))
    }
}

fn main() {}
