//! Issues: reading, searching, creating, updating, transitions and comments.

use mcp_runtime::prelude::*;
use serde_json::{Value, json};

use super::*;

#[mcp_tools]
impl Jira {
    /// List the fields issues can have on this site, with their ids (custom fields included),
    /// to read them with `get_issue` or search them with JQL.
    #[tool(stake = "never_ask", running = "Listing fields", done = "List fields")]
    async fn get_issue_read_fields(&self, ctx: &ToolContext) -> ToolResult {
        let fields: Vec<types::Field> = self.client.get("/field").send(ctx).await?;
        Ok(ToolOutput::markdown(render::read_fields(&fields)))
    }

    /// Get an issue: its fields, description, links and comments.
    #[tool(
        stake = "never_ask",
        running = "Retrieving issue",
        done = "Retrieve issue"
    )]
    async fn get_issue(&self, ctx: &ToolContext, args: GetIssue) -> ToolResult {
        let extra = args.fields.unwrap_or_default();
        let mut fields: Vec<&str> = render::ISSUE_FIELDS.to_vec();
        fields.extend(extra.iter().map(String::as_str));
        let issue: types::Issue = self
            .client
            .get(format!("/issue/{}", &args.issue_key))
            .query("fields", fields.join(","))
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::issue(&issue, &extra)))
    }

    /// Find issues matching every filter (project, status, assignee, dates, text, ...), a page
    /// at a time; the JQL it ran is shown.
    #[tool(
        stake = "never_ask",
        running = "Searching issues",
        done = "Search issues"
    )]
    async fn get_issues(&self, ctx: &ToolContext, args: GetIssues) -> ToolResult {
        let jql = jql::from_filters(&args.filters, args.sort_by.as_ref());
        self.search(
            ctx,
            &jql,
            args.max_results,
            &[],
            args.next_page_token.as_deref(),
        )
        .await
    }

    /// Find issues with a JQL query, a page at a time.
    #[tool(
        stake = "never_ask",
        running = "Searching issues",
        done = "Search issues"
    )]
    async fn get_issues_using_jql(&self, ctx: &ToolContext, args: GetIssuesUsingJql) -> ToolResult {
        let extra = args.fields.unwrap_or_default();
        self.search(
            ctx,
            &args.jql,
            args.max_results,
            &extra,
            args.next_page_token.as_deref(),
        )
        .await
    }

    /// List the fields of the create screen of an issue type in a project: which are
    /// required, their types and allowed values.
    #[tool(
        stake = "never_ask",
        running = "Listing create fields",
        done = "List create fields"
    )]
    async fn get_issue_create_fields(
        &self,
        ctx: &ToolContext,
        args: GetIssueCreateFields,
    ) -> ToolResult {
        let fields: types::CreateFields = self
            .client
            .get(format!(
                "/issue/createmeta/{}/issuetypes/{}",
                &args.project_key, &args.issue_type_id
            ))
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::create_fields(&fields.fields)))
    }

    /// Create an issue; the issue type may be given by name, the description in markdown.
    #[tool(stake = "low", running = "Creating issue", done = "Create issue")]
    async fn create_issue(&self, ctx: &ToolContext, args: CreateIssue) -> ToolResult {
        let data = args.issue_data;
        let issue_type = self
            .issue_type_id(ctx, &data.project_key, &data.issue_type)
            .await?;
        let mut fields = data.fields.unwrap_or_default();
        fields.insert("project".into(), json!({"key": data.project_key}));
        fields.insert("issuetype".into(), json!({"id": issue_type}));
        fields.insert("summary".into(), json!(data.summary));
        common_fields(
            &mut fields,
            data.description.as_deref(),
            data.priority.as_deref(),
            data.assignee_account_id.as_deref(),
            data.labels,
        );
        if let Some(parent) = data.parent_key {
            fields.insert("parent".into(), json!({"key": parent}));
        }
        let created: types::Created = self
            .client
            .post("/issue")
            .json(&json!({"fields": fields}))
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(format!(
            "Created {}: {}",
            created.key, data.summary
        )))
    }

    /// Update an issue's summary, description, priority, assignee, labels or other fields.
    /// Fields left out are not changed.
    #[tool(stake = "low", running = "Updating issue", done = "Update issue")]
    async fn update_issue(&self, ctx: &ToolContext, args: UpdateIssue) -> ToolResult {
        let mut fields = args.fields.unwrap_or_default();
        if let Some(summary) = &args.summary {
            fields.insert("summary".into(), json!(summary));
        }
        common_fields(
            &mut fields,
            args.description.as_deref(),
            args.priority.as_deref(),
            args.assignee_account_id.as_deref(),
            args.labels,
        );
        if fields.is_empty() {
            return Err(McpError::invalid_arguments(
                "nothing to change: give at least one of `summary`, `description`, `priority`, `assigneeAccountId`, `labels`, `fields`",
            ));
        }
        let changed: Vec<String> = fields.keys().cloned().collect();
        self.client
            .put(format!("/issue/{}", &args.issue_key))
            .json(&json!({"fields": fields}))
            .empty(ctx)
            .await?;
        Ok(ToolOutput::markdown(format!(
            "Updated {}: {}.",
            args.issue_key,
            changed.join(", ")
        )))
    }

    /// List the transitions an issue can take now, with the ids `transition_issue` takes.
    #[tool(
        stake = "never_ask",
        running = "Listing transitions",
        done = "List transitions"
    )]
    async fn get_transitions(&self, ctx: &ToolContext, args: IssueKey) -> ToolResult {
        let transitions: types::Transitions = self
            .client
            .get(format!("/issue/{}/transitions", &args.issue_key))
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::transitions(
            &args.issue_key,
            &transitions.transitions,
        )))
    }

    /// Move an issue through its workflow with one of the transitions `get_transitions` lists.
    #[tool(
        stake = "low",
        running = "Transitioning issue",
        done = "Transition issue"
    )]
    async fn transition_issue(&self, ctx: &ToolContext, args: TransitionIssue) -> ToolResult {
        self.client
            .post(format!("/issue/{}/transitions", &args.issue_key))
            .json(&json!({"transition": {"id": args.transition_id}}))
            .empty(ctx)
            .await?;
        Ok(ToolOutput::markdown(format!(
            "Transitioned {} with transition {}.",
            args.issue_key, args.transition_id
        )))
    }

    /// Comment on an issue, in markdown, optionally visible to a group or a role only.
    #[tool(stake = "low", running = "Commenting", done = "Comment")]
    async fn create_comment(&self, ctx: &ToolContext, args: CreateComment) -> ToolResult {
        let mut body = json!({"body": adf::from_markdown(&args.body)});
        if let Some(visibility) = &args.visibility {
            body["visibility"] = json!(visibility);
        }
        let comment: Value = self
            .client
            .post(format!("/issue/{}/comment", &args.issue_key))
            .json(&body)
            .send(ctx)
            .await?;
        let id = comment.get("id").and_then(Value::as_str).unwrap_or("?");
        Ok(ToolOutput::markdown(format!(
            "Commented on {} (comment {id}).",
            args.issue_key
        )))
    }
}
