// A tool switched off by `#[cfg]` between two others, a raw identifier as a method name, a
// dashed wire name, a destructured arguments pattern and the `#[tool]` attribute by full path.
use mcp_runtime::prelude::*;

#[derive(Deserialize, JsonSchema)]
pub struct GetIssue {
    /// Issue key.
    pub key: String,
}

#[derive(Default)]
pub struct Jira;

/// Issues in Jira.
#[mcp_server(id = 22, availability = "manual")]
impl Jira {
    /// Get an issue.
    #[mcp_runtime::tool(stake = "never_ask")]
    async fn get_issue(&self, _ctx: &ToolContext, GetIssue { key }: GetIssue) -> ToolResult {
        Ok(ToolOutput::text(key))
    }

    /// Never compiled in.
    #[cfg(any())]
    #[tool(stake = "never_ask")]
    async fn hidden(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("hidden"))
    }

    /// The type of an issue.
    #[tool(stake = "never_ask", name = "issue-type")]
    async fn r#type(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("bug"))
    }
}

fn main() {
    assert_eq!(JiraTool::ALL, &[JiraTool::GetIssue, JiraTool::Type]);
    assert_eq!(JiraTool::Type.name(), "issue-type");
    assert_eq!(JiraTool::Type.metadata().name, "issue-type");
    assert_eq!(Jira::METADATA.tools.len(), 2);
    assert_eq!("issue-type".parse::<JiraTool>().ok(), Some(JiraTool::Type));
}
