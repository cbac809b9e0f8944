use mcp_runtime::prelude::*;

pub struct Files;

mod extra {
    use mcp_runtime::prelude::*;

    #[mcp_tools]
    impl super::Files {
        /// Count the files.
        #[tool(stake = "never_ask")]
        async fn count(&self) -> ToolResult {
            Ok(ToolOutput::text("2"))
        }

        /// The readme.
        #[resource(uri = "file:///readme")]
        async fn readme(&self) -> ResourceResult {
            Ok(ResourceOutput::text("text/plain", "hi"))
        }
    }
}

/// Files.
#[mcp_server(id = 42, availability = "manual", parts(extra))]
impl Files {
    /// List the files.
    #[tool(stake = "never_ask")]
    async fn list(&self) -> ToolResult {
        Ok(ToolOutput::text("a, b"))
    }
}

fn main() {}
