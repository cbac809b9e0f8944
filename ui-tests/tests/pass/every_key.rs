// Every optional key of both attributes, and `crate = ".."` as a re-exporting crate would use it.
use mcp_runtime::prelude::*;
use mcp_runtime::{Availability, Cost, RetryPolicy, Workspace};

#[derive(Deserialize, JsonSchema)]
pub struct PostMessage {
    /// Channel id.
    pub channel: String,
    /// Message text.
    pub text: String,
}

fn hidden_on_free_plans(workspace: &Workspace<'_>) -> bool {
    workspace.plan == "free"
}

#[derive(Default)]
pub struct Chat;

#[mcp_server(
    id = 18,
    availability = "auto_hidden_builder",
    name = "chat",
    version = "2.1.0",
    description = "Channels and messages.",
    icon = "ChatLogo",
    documentation_url = "https://example.invalid/chat",
    instructions = "Prefer threads.",
    authorization(provider = "chat", use_cases(personal_actions, platform_actions)),
    allow_multiple_instances,
    preview = true,
    restricted = hidden_on_free_plans,
    timeout_ms = 30_000,
    crate = "mcp_runtime",
)]
impl Chat {
    #[tool(
        stake = "medium",
        name = "post_message",
        description = "Post a message to a channel.",
        title = "Post message",
        running = "Posting message",
        done = "Post message",
        approval_args(channel),
        retry = "never",
        read_only = false,
        destructive = false,
        idempotent = false,
        open_world,
        cost = "advanced",
        eager,
    )]
    async fn post(&self, _ctx: &ToolContext, args: PostMessage) -> ToolResult {
        Ok(ToolOutput::text(format!("{}: {}", args.channel, args.text)))
    }

    /// Read the newest messages.
    #[tool(stake = "never_ask", retry = "on_interrupt", full_schema)]
    async fn read_messages(&self, _ctx: &ToolContext, _args: PostMessage) -> ToolResult {
        Ok(ToolOutput::text("no messages"))
    }
}

fn main() {
    let metadata = Chat::METADATA;
    assert_eq!(metadata.availability, Availability::AutoHiddenBuilder);
    assert_eq!(metadata.version, "2.1.0");
    assert!(metadata.is_restricted(&Workspace { plan: "free", ..Workspace::default() }));
    let post = ChatTool::Post.metadata();
    assert_eq!(post.name, "post_message");
    assert_eq!(post.cost, Cost::Advanced);
    assert_eq!(ChatTool::ReadMessages.metadata().retry, RetryPolicy::OnInterrupt);
}
