use mcp_runtime::prelude::*;

#[derive(Default)]
pub struct Tracker;

/// Issues and comments.
#[mcp_server(id = 40, availability = "manual", parts(issues, comments))]
impl Tracker {}

mod issues {
    use mcp_runtime::prelude::*;

    #[mcp_tools]
    impl super::Tracker {
        /// Get an issue.
        #[tool(stake = "never_ask")]
        async fn get_issue(&self, _ctx: &ToolContext) -> ToolResult {
            Ok(ToolOutput::text("issue"))
        }
    }
}

mod comments {
    use mcp_runtime::prelude::*;

    #[mcp_tools]
    impl super::Tracker {
        /// Get a comment.
        #[tool(stake = "never_ask", name = "get_issue")]
        async fn get_comment(&self, _ctx: &ToolContext) -> ToolResult {
            Ok(ToolOutput::text("comment"))
        }
    }
}

fn main() {}
