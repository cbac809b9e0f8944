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

    /// The readme.
    #[resource(uri = "file:///readme")]
    async fn readme(&self) -> ResourceResult {
        Ok(ResourceOutput::text("text/plain", "hi"))
    }

    /// The readme again.
    #[resource(uri = "file:///readme")]
    async fn readme_again(&self) -> ResourceResult {
        Ok(ResourceOutput::text("text/plain", "hi"))
    }
}

fn main() {}
