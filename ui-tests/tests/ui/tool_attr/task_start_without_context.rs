use mcp_runtime::prelude::*;

pub struct Reports;

/// Reports.
#[mcp_server(id = 22, availability = "manual")]
impl Reports {
    /// Build a report.
    #[tool(stake = "never_ask", task = "required", task_start = "handler")]
    async fn build_report(&self) -> ToolResult {
        Ok(ToolOutput::text("report"))
    }
}

fn main() {}
