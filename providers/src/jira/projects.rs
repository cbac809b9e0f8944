//! Projects, their versions and issue types.

use mcp_runtime::prelude::*;

use super::*;

#[mcp_tools]
impl Jira {
    /// List the projects, optionally those whose key or name contains some text.
    #[tool(
        stake = "never_ask",
        running = "Listing projects",
        done = "List projects"
    )]
    async fn get_projects(&self, ctx: &ToolContext, args: GetProjects) -> ToolResult {
        let start_at = args.start_at.unwrap_or(0);
        let page: types::ProjectPage = self
            .client
            .get("/project/search")
            .query_opt("query", args.query)
            .query("startAt", start_at)
            .query("maxResults", 50)
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::projects(&page, start_at)))
    }

    /// Get a project: its lead, description and issue types.
    #[tool(
        stake = "never_ask",
        running = "Retrieving project",
        done = "Retrieve project"
    )]
    async fn get_project(&self, ctx: &ToolContext, args: ProjectKey) -> ToolResult {
        let project: types::Project = self
            .client
            .get(format!("/project/{}", &args.project_key))
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::project(&project)))
    }

    /// List a project's versions (releases) with their state and release dates.
    #[tool(
        stake = "never_ask",
        running = "Listing versions",
        done = "List versions"
    )]
    async fn get_project_versions(&self, ctx: &ToolContext, args: ProjectKey) -> ToolResult {
        let versions: Vec<types::Version> = self
            .client
            .get(format!("/project/{}/versions", &args.project_key))
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::versions(
            &args.project_key,
            &versions,
        )))
    }

    /// List the issue types of a project, with the ids `get_issue_create_fields` takes.
    #[tool(
        stake = "never_ask",
        running = "Listing issue types",
        done = "List issue types"
    )]
    async fn get_issue_types(&self, ctx: &ToolContext, args: ProjectKey) -> ToolResult {
        let types: types::IssueTypes = self
            .client
            .get(format!(
                "/issue/createmeta/{}/issuetypes",
                &args.project_key
            ))
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::issue_types(
            &args.project_key,
            &types.issue_types,
        )))
    }
}
