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

    /// A file by name.
    #[resource_template(uri = "file:///{name}")]
    async fn file(&self, name: String, version: String) -> ResourceResult {
        Ok(ResourceOutput::text("text/plain", format!("{name}@{version}")))
    }
}

fn main() {}
