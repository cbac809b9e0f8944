//! A server offering resources and prompts, for the tests of reads and gets over MCP.

use mcp_runtime::prelude::*;

/// Attached by a host layer: what the reader's context carries.
#[derive(Debug, Clone)]
pub struct Shelf(pub &'static str);

/// Arguments of `shelve`.
#[derive(Deserialize, JsonSchema)]
pub struct Shelving {
    /// The book.
    pub title: String,
    /// Where it goes; mirrored in the `Mcp-Param-Shelf` header for routers.
    #[schemars(extend("x-mcp-header" = "Shelf"))]
    pub shelf: Option<String>,
}

/// A server of resources and prompts.
#[derive(Debug, Default)]
pub struct Library;

/// Books and what to ask about them.
#[mcp_server(
    id = 72,
    availability = "manual",
    title = "The Library",
    timeout_ms = 200
)]
impl Library {
    /// Count the books.
    #[tool(stake = "never_ask", icon = "https://library.example/count.svg")]
    async fn count(&self) -> ToolResult {
        Ok(ToolOutput::text("3"))
    }

    /// Put a book on a shelf.
    #[tool(stake = "never_ask")]
    async fn shelve(&self, args: Shelving) -> ToolResult {
        Ok(ToolOutput::text(format!(
            "{} on {}",
            args.title,
            args.shelf.as_deref().unwrap_or("the cart")
        )))
    }

    /// Who reads, and from which shelf (the host's layer says).
    #[resource(
        uri = "library://reader",
        mime_type = "text/plain",
        icon = "https://library.example/reader.svg"
    )]
    async fn reader(&self, ctx: &ToolContext) -> ResourceResult {
        Ok(ResourceOutput::text(
            "text/plain",
            format!(
                "{} at {}",
                ctx.ids().user_id.as_deref().unwrap_or("nobody"),
                ctx.get::<Shelf>().map_or("no shelf", |shelf| shelf.0)
            ),
        ))
    }

    /// A resource whose handler panics.
    #[resource(uri = "library://broken")]
    async fn broken(&self) -> ResourceResult {
        panic!("the shelf fell")
    }

    /// A resource that takes longer than the server's deadline.
    #[resource(uri = "library://slow")]
    async fn slow(&self) -> ResourceResult {
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        Ok(ResourceOutput::text("text/plain", "late"))
    }

    /// A book by its title.
    #[resource_template(
        uri = "library://books/{title}",
        mime_type = "text/plain",
        complete(title = titles)
    )]
    async fn book(&self, title: String) -> ResourceResult {
        if title == "missing" {
            return Err(McpError::not_found("no such book"));
        }
        Ok(ResourceOutput::text(
            "text/plain",
            format!("the text of {title}"),
        ))
    }

    /// Recommend a book in the genre the user names when asked.
    #[prompt]
    async fn recommend(&self, ctx: &ToolContext) -> PromptResult {
        let genre = ctx
            .input("genre")
            .elicit(
                "Which genre?",
                json!({"type": "object", "properties": {"genre": {"type": "string"}}}),
            )
            .await?;
        Ok(PromptOutput::user(format!(
            "Recommend a {} book.",
            genre["content"]["genre"].as_str().unwrap_or("good")
        )))
    }

    /// Titles starting as typed.
    async fn titles(&self, _ctx: &ToolContext, value: &str) -> Result<Vec<String>, McpError> {
        Ok(["Dune", "Dune Messiah", "Emma"]
            .into_iter()
            .filter(|title| title.starts_with(value))
            .map(str::to_owned)
            .collect())
    }

    /// Ask for a summary of a book.
    #[prompt(complete(title = titles))]
    async fn summarize(
        &self,
        /// The book's title.
        title: String,
        /// How long, in words.
        words: Option<String>,
    ) -> PromptResult {
        Ok(PromptOutput::user(format!(
            "Summarize {title} in {} words.",
            words.as_deref().unwrap_or("100")
        )))
    }
}
