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

    /// Greet someone.
    #[prompt]
    async fn greet(&self) -> PromptResult {
        Ok(PromptOutput::user("hi"))
    }

    /// Greet someone else.
    #[prompt(name = "greet")]
    async fn greet_again(&self) -> PromptResult {
        Ok(PromptOutput::user("hi"))
    }
}

fn main() {}
