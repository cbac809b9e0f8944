use mcp_runtime::prelude::*;

pub struct Files;

/// Files.
#[mcp_server(id = 40, availability = "manual")]
impl Files {
    /// List the files.
    #[tool(stake = "never_ask")]
    async fn list(&self) -> ToolResult {
        Ok(ToolOutput::text("a, b"))
    }

    /// A file.
    #[resource(uri = "file:///{name}")]
    async fn file(&self) -> ResourceResult {
        Ok(ResourceOutput::text("text/plain", "x"))
    }
}

fn main() {}
