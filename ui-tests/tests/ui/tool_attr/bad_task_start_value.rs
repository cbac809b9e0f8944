use mcp_runtime::prelude::*;

pub struct Reports;

/// Reports.
#[mcp_server(id = 22, availability = "manual")]
impl Reports {
    /// Build a report.
    #[tool(stake = "never_ask", task = "required", task_start = "handlr")]
    async fn build_report(&self, ctx: &ToolContext) -> ToolResult {
        ctx.start_task().await;
        Ok(ToolOutput::text("report"))
    }
}

fn main() {}
