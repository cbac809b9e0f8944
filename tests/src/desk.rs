//! A server with one tool per stake, for the approval tests (in-process and over MCP).

use mcp_runtime::prelude::*;

/// Arguments of `add_note`.
#[derive(Deserialize, JsonSchema)]
pub struct Note {
    /// The note.
    pub text: String,
}

/// Arguments of `post_message`.
#[derive(Deserialize, JsonSchema)]
pub struct Message {
    /// Where to post.
    pub channel: String,
    /// What to say.
    pub text: String,
}

/// Arguments of `send_email`: approval values of every shape.
#[derive(Deserialize, JsonSchema)]
pub struct Email {
    /// The recipients.
    pub to: Vec<String>,
    /// Copied recipients, if any.
    pub cc: Option<Vec<String>>,
    /// Extra headers.
    pub headers: Option<std::collections::BTreeMap<String, String>>,
    /// The body.
    pub body: String,
}

/// A server with one tool per stake.
#[derive(Debug, Default)]
pub struct Desk;

/// Notes and messages, one tool per stake.
#[mcp_server(id = 70, availability = "manual")]
impl Desk {
    /// Read the notes.
    #[tool(stake = "never_ask")]
    async fn read_notes(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("ran read_notes"))
    }

    /// Add a note.
    #[tool(stake = "low", done = "Add a note")]
    async fn add_note(&self, _ctx: &ToolContext, args: Note) -> ToolResult {
        Ok(ToolOutput::text(format!("ran add_note {}", args.text)))
    }

    /// Post a message to a channel.
    #[tool(stake = "medium", approval_args(channel), title = "Post a message")]
    async fn post_message(&self, _ctx: &ToolContext, args: Message) -> ToolResult {
        Ok(ToolOutput::text(format!(
            "ran post_message {}",
            args.channel
        )))
    }

    /// Send an email.
    #[tool(stake = "medium", approval_args(to, cc, headers))]
    async fn send_email(&self, _ctx: &ToolContext, args: Email) -> ToolResult {
        Ok(ToolOutput::text(format!(
            "ran send_email to {}",
            args.to.join(", ")
        )))
    }

    /// Say who the call runs for, and whether a platform token reached the tool.
    #[tool(stake = "never_ask")]
    async fn whoami(&self, ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text(format!(
            "user {}, platform token: {}",
            ctx.ids().user_id.as_deref().unwrap_or("none"),
            if ctx.token().is_some() {
                "present"
            } else {
                "none"
            }
        )))
    }

    /// Delete every note.
    #[tool(stake = "high", destructive)]
    async fn delete_notes(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("ran delete_notes"))
    }
}
