// The `mcp__<server>__<tool>` budget counts the server's name with every part's tools.
use mcp_runtime::prelude::*;

#[derive(Default)]
pub struct Tracker;

/// Issues.
#[mcp_server(id = 40, availability = "manual", name = "a_tracker_with_a_rather_long_name", parts(issues))]
impl Tracker {}

mod issues {
    use mcp_runtime::prelude::*;

    #[mcp_tools]
    impl super::Tracker {
        /// Get an issue.
        #[tool(stake = "never_ask")]
        async fn get_issue_with_all_its_comments(&self, _ctx: &ToolContext) -> ToolResult {
            Ok(ToolOutput::text("issue"))
        }
    }
}

fn main() {}
