// One mistake in a part is one error: the server made of it reports nothing more.
use mcp_runtime::prelude::*;

#[derive(Default)]
pub struct Tracker;

/// Issues.
#[mcp_server(id = 40, availability = "manual", parts(issues))]
impl Tracker {
    /// Count issues.
    #[tool(stake = "never_ask")]
    async fn count_issues(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("0"))
    }
}

mod issues {
    use mcp_runtime::prelude::*;

    #[mcp_tools]
    impl super::Tracker {
        /// Get an issue.
        #[tool(stake = "nevr_ask")]
        async fn get_issue(&self, _ctx: &ToolContext) -> ToolResult {
            Ok(ToolOutput::text("issue"))
        }
    }
}

fn main() {
    let _ = TrackerTool::CountIssues;
}
