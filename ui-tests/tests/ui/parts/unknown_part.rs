use mcp_runtime::prelude::*;

#[derive(Default)]
pub struct Tracker;

/// Issues.
#[mcp_server(id = 40, availability = "manual", parts(isues))]
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

fn main() {}
