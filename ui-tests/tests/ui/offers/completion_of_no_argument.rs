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
    #[prompt(complete(file = complete_path))]
    async fn summarize(
        &self,
        /// The file to summarize.
        path: String,
    ) -> PromptResult {
        Ok(PromptOutput::user(path))
    }

    async fn complete_path(&self, _ctx: &ToolContext, value: &str) -> Result<Vec<String>, McpError> {
        Ok(vec![value.to_owned()])
    }
}

fn main() {}
