//! Organization projects (v2) and the fields issues have in them.

use mcp_runtime::prelude::*;
use serde_json::json;

use super::*;

#[mcp_tools]
impl Github {
    /// Get the project fields (status, priority, iteration, ...) of an issue in the GitHub
    /// projects it belongs to.
    #[tool(
        stake = "never_ask",
        running = "Retrieving project fields",
        done = "Retrieve project fields"
    )]
    async fn get_issue_custom_fields(
        &self,
        ctx: &ToolContext,
        args: IssueCustomFields,
    ) -> ToolResult {
        let Partial {
            data: found,
            errors,
        } = self
            .in_repository::<graphql::IssueWithProjects>(
                ctx,
                graphql::ISSUE_PROJECT_FIELDS,
                json!({"owner": args.owner, "repo": args.repo, "number": args.issue_number}),
            )
            .await?;
        let issue = found.issue.ok_or_else(|| {
            McpError::not_found(format!(
                "`{}/{}` has no issue #{}",
                args.owner, args.repo, args.issue_number
            ))
        })?;
        Ok(with_errors(
            render::custom_fields(args.issue_number, &issue, args.project_id.as_deref()),
            &errors,
        ))
    }

    /// List an organization's GitHub projects with their fields and the options of
    /// single-select fields (the ids `add_issue_to_project` takes).
    #[tool(
        stake = "never_ask",
        running = "Listing projects",
        done = "List projects"
    )]
    async fn list_organization_projects(
        &self,
        ctx: &ToolContext,
        args: OrganizationRef,
    ) -> ToolResult {
        let Partial {
            data: found,
            errors,
        } = self
            .client
            .graphql::<graphql::OrganizationProjects>(
                ctx,
                graphql::ORGANIZATION_PROJECTS,
                json!({"owner": args.owner}),
            )
            .await?;
        let organization = found.organization.ok_or_else(|| {
            McpError::not_found(format!(
                "GitHub has no organization `{}` this token can see",
                args.owner
            ))
        })?;
        Ok(with_errors(
            render::projects(&args.owner, &organization.projects_v2),
            &errors,
        ))
    }

    /// Add an issue to a GitHub project, optionally setting a single-select field (such as its
    /// status) on the new item.
    #[tool(
        stake = "low",
        running = "Adding issue to project",
        done = "Add issue to project"
    )]
    async fn add_issue_to_project(&self, ctx: &ToolContext, args: AddIssueToProject) -> ToolResult {
        let issue = self
            .issue(ctx, &args.owner, &args.repo, args.issue_number)
            .await?;
        let Partial {
            data: added,
            mut errors,
        } = self
            .client
            .graphql::<graphql::AddedToProject>(
                ctx,
                graphql::ADD_TO_PROJECT,
                json!({"projectId": args.project_id, "contentId": issue.node_id}),
            )
            .await?;
        let item = added.add_project_v2_item_by_id.item.id;
        if let Some(field) = &args.field {
            let set = self
                .client
                .graphql::<serde::de::IgnoredAny>(
                    ctx,
                    graphql::SET_SINGLE_SELECT_FIELD,
                    json!({"projectId": args.project_id, "itemId": item, "fieldId": field.field_id, "optionId": field.option_id}),
                )
                .await?;
            errors.extend(set.errors);
        }
        let field_note = if args.field.is_some() {
            " and set its field"
        } else {
            ""
        };
        Ok(with_errors(
            format!(
                "Added #{} to the project (item `{item}`){field_note}.",
                args.issue_number
            ),
            &errors,
        ))
    }
}
