//! A server made of parts, one of them in a nested module, through a re-exported runtime.

mod runtime {
    pub use mcp_runtime::*;
}

use mcp_runtime::prelude::*;

#[derive(Default)]
pub struct Tracker;

/// Issues and comments.
#[mcp_server(id = 40, availability = "manual", parts(issues, areas::comments), crate = "crate::runtime")]
impl Tracker {}

mod issues {
    use mcp_runtime::prelude::*;

    #[derive(Deserialize, JsonSchema)]
    pub struct GetIssue {
        /// The number.
        pub number: u64,
    }

    #[mcp_tools(crate = "crate::runtime")]
    impl super::Tracker {
        /// Get an issue.
        #[tool(stake = "never_ask")]
        async fn get_issue(&self, _ctx: &ToolContext, args: GetIssue) -> ToolResult {
            Ok(ToolOutput::text(args.number.to_string()))
        }
    }
}

mod areas {
    pub mod comments {
        use mcp_runtime::prelude::*;

        #[mcp_tools]
        impl crate::Tracker {
            /// Delete a comment.
            #[tool(stake = "high")]
            async fn delete_comment(&self, _ctx: &ToolContext) -> ToolResult {
                Ok(ToolOutput::text("deleted"))
            }
        }
    }
}

mcp_registry!(pub SERVERS = [Tracker]);

fn main() {
    assert_eq!(TrackerTool::ALL, [TrackerTool::GetIssue, TrackerTool::DeleteComment]);
    assert_eq!(Tracker::METADATA.tools[1].stake, Stake::High);
}
