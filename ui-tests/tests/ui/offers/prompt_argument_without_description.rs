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

    /// Summarize a file.
    #[prompt]
    async fn summarize(
        &self,
        /// The file to summarize.
        path: String,
        style: Option<String>,
    ) -> PromptResult {
        Ok(PromptOutput::user(format!("{path} {style:?}")))
    }
}

fn main() {}
