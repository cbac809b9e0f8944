//! Resources, templates, prompts and completions in a server's own block, beside tools and
//! parts; the optional context; optional prompt arguments; `{+name}` variables.

use mcp_runtime::prelude::*;

pub struct Files;

mod extra {
    use mcp_runtime::prelude::*;

    #[mcp_tools]
    impl super::Files {
        /// Count the files.
        #[tool(stake = "never_ask")]
        async fn count(&self) -> ToolResult {
            Ok(ToolOutput::text("2"))
        }
    }
}

/// Files, as tools, resources and prompts.
#[mcp_server(id = 41, availability = "manual", parts(extra))]
impl Files {
    /// List the files.
    #[tool(stake = "never_ask")]
    async fn list(&self) -> ToolResult {
        Ok(ToolOutput::text("a, b"))
    }

    /// The readme.
    #[resource(uri = "file:///readme", mime_type = "text/markdown", title = "Readme")]
    async fn readme(&self, _ctx: &ToolContext) -> ResourceResult {
        Ok(ResourceOutput::text("text/markdown", "# Files"))
    }

    /// A file under a directory.
    #[resource_template(uri = "file:///{dir}/files/{+path}", complete(dir = directories))]
    async fn file(&self, path: String, dir: String) -> ResourceResult {
        Ok(ResourceOutput::blob("application/octet-stream", format!("{dir}/{path}").into_bytes()))
    }

    /// Directories starting as typed.
    async fn directories(&self, _ctx: &ToolContext, value: &str) -> Result<Vec<String>, McpError> {
        Ok(vec![format!("{value}docs")])
    }

    /// Summarize a file.
    #[prompt(name = "summarize", title = "Summarize", complete(path = directories))]
    async fn summary(
        &self,
        _ctx: &ToolContext,
        /// The file to summarize.
        path: String,
        /// How to write it, if not plainly.
        style: Option<String>,
    ) -> PromptResult {
        Ok(PromptOutput::user(format!("Summarize {path} {}", style.unwrap_or_default())))
    }
}

fn main() {
    let metadata = <Files as McpServer>::METADATA;
    assert_eq!(metadata.resources[0].uri, "file:///readme");
    assert_eq!(metadata.resource_templates[0].completions, ["dir"]);
    assert_eq!(metadata.prompts[0].name, "summarize");
    assert!(!metadata.prompts[0].arguments[1].required);
    assert_eq!(metadata.tools.len(), 2);
}
