//! A 50-tool server: it must compile, list its tools with valid schemas, and serve the
//! benchmarks.

use mcp_runtime::prelude::*;

/// Arguments identifying one object.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ById {
    /// The object's id.
    pub id: String,
}

/// Arguments of a paged listing.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct Page {
    /// Filter text.
    pub query: Option<String>,
    /// Page size, at most 100.
    pub limit: Option<u32>,
    /// Cursor from the previous page.
    pub cursor: Option<String>,
}

/// A structured count.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Count {
    /// How many.
    pub total: u64,
}

/// The server.
#[derive(Debug, Default)]
pub struct Wide;

/// Fifty read tools over a tracker.
#[mcp_server(id = 50, availability = "auto")]
impl Wide {
    /// Get a issue by its id.
    #[tool(stake = "never_ask")]
    async fn get_issue(&self, _ctx: &ToolContext, args: ById) -> ToolResult {
        Ok(ToolOutput::text(args.id))
    }

    /// List issues, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_issue(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Search issues, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_issue(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Count the issues matching a query.
    #[tool(stake = "never_ask")]
    async fn count_issue(&self, _ctx: &ToolContext, args: Page) -> ToolResult<Json<Count>> {
        Ok(Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        }))
    }

    /// Describe the fields of a issue.
    #[tool(stake = "never_ask")]
    async fn describe_issue(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("issue"))
    }

    /// Get a project by its id.
    #[tool(stake = "never_ask")]
    async fn get_project(&self, _ctx: &ToolContext, args: ById) -> ToolResult {
        Ok(ToolOutput::text(args.id))
    }

    /// List projects, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_project(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Search projects, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_project(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Count the projects matching a query.
    #[tool(stake = "never_ask")]
    async fn count_project(&self, _ctx: &ToolContext, args: Page) -> ToolResult<Json<Count>> {
        Ok(Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        }))
    }

    /// Describe the fields of a project.
    #[tool(stake = "never_ask")]
    async fn describe_project(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("project"))
    }

    /// Get a comment by its id.
    #[tool(stake = "never_ask")]
    async fn get_comment(&self, _ctx: &ToolContext, args: ById) -> ToolResult {
        Ok(ToolOutput::text(args.id))
    }

    /// List comments, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_comment(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Search comments, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_comment(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Count the comments matching a query.
    #[tool(stake = "never_ask")]
    async fn count_comment(&self, _ctx: &ToolContext, args: Page) -> ToolResult<Json<Count>> {
        Ok(Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        }))
    }

    /// Describe the fields of a comment.
    #[tool(stake = "never_ask")]
    async fn describe_comment(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("comment"))
    }

    /// Get a user by its id.
    #[tool(stake = "never_ask")]
    async fn get_user(&self, _ctx: &ToolContext, args: ById) -> ToolResult {
        Ok(ToolOutput::text(args.id))
    }

    /// List users, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_user(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Search users, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_user(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Count the users matching a query.
    #[tool(stake = "never_ask")]
    async fn count_user(&self, _ctx: &ToolContext, args: Page) -> ToolResult<Json<Count>> {
        Ok(Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        }))
    }

    /// Describe the fields of a user.
    #[tool(stake = "never_ask")]
    async fn describe_user(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("user"))
    }

    /// Get a board by its id.
    #[tool(stake = "never_ask")]
    async fn get_board(&self, _ctx: &ToolContext, args: ById) -> ToolResult {
        Ok(ToolOutput::text(args.id))
    }

    /// List boards, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_board(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Search boards, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_board(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Count the boards matching a query.
    #[tool(stake = "never_ask")]
    async fn count_board(&self, _ctx: &ToolContext, args: Page) -> ToolResult<Json<Count>> {
        Ok(Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        }))
    }

    /// Describe the fields of a board.
    #[tool(stake = "never_ask")]
    async fn describe_board(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("board"))
    }

    /// Get a sprint by its id.
    #[tool(stake = "never_ask")]
    async fn get_sprint(&self, _ctx: &ToolContext, args: ById) -> ToolResult {
        Ok(ToolOutput::text(args.id))
    }

    /// List sprints, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_sprint(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Search sprints, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_sprint(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Count the sprints matching a query.
    #[tool(stake = "never_ask")]
    async fn count_sprint(&self, _ctx: &ToolContext, args: Page) -> ToolResult<Json<Count>> {
        Ok(Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        }))
    }

    /// Describe the fields of a sprint.
    #[tool(stake = "never_ask")]
    async fn describe_sprint(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("sprint"))
    }

    /// Get a version by its id.
    #[tool(stake = "never_ask")]
    async fn get_version(&self, _ctx: &ToolContext, args: ById) -> ToolResult {
        Ok(ToolOutput::text(args.id))
    }

    /// List versions, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_version(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Search versions, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_version(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Count the versions matching a query.
    #[tool(stake = "never_ask")]
    async fn count_version(&self, _ctx: &ToolContext, args: Page) -> ToolResult<Json<Count>> {
        Ok(Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        }))
    }

    /// Describe the fields of a version.
    #[tool(stake = "never_ask")]
    async fn describe_version(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("version"))
    }

    /// Get a component by its id.
    #[tool(stake = "never_ask")]
    async fn get_component(&self, _ctx: &ToolContext, args: ById) -> ToolResult {
        Ok(ToolOutput::text(args.id))
    }

    /// List components, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_component(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Search components, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_component(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Count the components matching a query.
    #[tool(stake = "never_ask")]
    async fn count_component(&self, _ctx: &ToolContext, args: Page) -> ToolResult<Json<Count>> {
        Ok(Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        }))
    }

    /// Describe the fields of a component.
    #[tool(stake = "never_ask")]
    async fn describe_component(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("component"))
    }

    /// Get a label by its id.
    #[tool(stake = "never_ask")]
    async fn get_label(&self, _ctx: &ToolContext, args: ById) -> ToolResult {
        Ok(ToolOutput::text(args.id))
    }

    /// List labels, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_label(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Search labels, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_label(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Count the labels matching a query.
    #[tool(stake = "never_ask")]
    async fn count_label(&self, _ctx: &ToolContext, args: Page) -> ToolResult<Json<Count>> {
        Ok(Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        }))
    }

    /// Describe the fields of a label.
    #[tool(stake = "never_ask")]
    async fn describe_label(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("label"))
    }

    /// Get a attachment by its id.
    #[tool(stake = "never_ask")]
    async fn get_attachment(&self, _ctx: &ToolContext, args: ById) -> ToolResult {
        Ok(ToolOutput::text(args.id))
    }

    /// List attachments, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn list_attachment(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Search attachments, a page at a time.
    #[tool(stake = "never_ask", retry = "on_interrupt")]
    async fn search_attachment(&self, _ctx: &ToolContext, args: Page) -> ToolResult {
        Ok(ToolOutput::text(args.query.unwrap_or_default()))
    }

    /// Count the attachments matching a query.
    #[tool(stake = "never_ask")]
    async fn count_attachment(&self, _ctx: &ToolContext, args: Page) -> ToolResult<Json<Count>> {
        Ok(Json(Count {
            total: u64::from(args.limit.unwrap_or(0)),
        }))
    }

    /// Describe the fields of a attachment.
    #[tool(stake = "never_ask")]
    async fn describe_attachment(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("attachment"))
    }
}
