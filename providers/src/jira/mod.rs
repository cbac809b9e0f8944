//! `jira`: issues, projects, transitions, links, users and attachments in Jira Cloud (through the
//! site's cloud id) or Data Center (at its base URL), REST API v3. Rich text is written from
//! markdown as Atlassian Document Format and read back as markdown.

pub mod adf;
pub mod args;
mod client;
mod jql;
mod render;
mod types;

use base64::Engine as _;
use mcp_runtime::prelude::*;
use serde_json::{Map, Value, json};

pub use client::{Client, GATEWAY_URL, JiraPlatform, OAUTH, Site};

use crate::kit::{RetrySettings, page_size};
use args::*;

/// The default and the largest page of searches and user lookups.
const PAGE: (u32, u32) = (50, 100);

/// The largest attachment `read_attachment` returns.
const ATTACHMENT_LIMIT: u64 = 5 * 1024 * 1024;

/// The `jira` server.
#[derive(Debug, Clone)]
pub struct Jira {
    client: Client,
}

impl Jira {
    /// Jira Cloud through the gateway at `gateway`; the site comes from the call's context
    /// ([`Site`]) or `site`.
    pub fn cloud(gateway: &str, site: Option<String>, token: Option<String>) -> Self {
        Jira {
            client: client::cloud(gateway, site, token),
        }
    }

    /// Jira Data Center at `base`.
    pub fn data_center(base: &str, token: Option<String>) -> Self {
        Jira {
            client: client::data_center(base, token),
        }
    }

    /// Takes each user's Jira token from `connections` (OAuth tokens are renewed there).
    pub fn with_connections(
        mut self,
        connections: std::sync::Arc<dyn crate::connect::ConnectionStore>,
    ) -> Self {
        self.client = self.client.with_connections(connections);
        self
    }

    /// Replaces the retry settings of its upstream requests (tests shorten the backoff).
    pub fn with_retry(mut self, retry: RetrySettings) -> Self {
        self.client = self.client.with_retry(retry);
        self
    }

    async fn search(
        &self,
        ctx: &ToolContext,
        jql: &str,
        max_results: Option<u32>,
        extra_fields: &[String],
        next_page_token: Option<&str>,
    ) -> ToolResult {
        let max_results = page_size("maxResults", max_results, PAGE)?;
        let mut fields: Vec<&str> = render::LIST_FIELDS.to_vec();
        fields.extend(extra_fields.iter().map(String::as_str));
        let mut body = json!({"jql": jql, "maxResults": max_results, "fields": fields});
        if let Some(token) = next_page_token {
            body["nextPageToken"] = json!(token);
        }
        let page: types::SearchPage = self
            .client
            .post("/search/jql")
            .json(&body)
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::search(&page, jql)))
    }

    /// The id of the issue type named (or numbered) `wanted` in the project: issue type names
    /// are per project, so `Bug` in one project is not `Bug` in another.
    async fn issue_type_id(
        &self,
        ctx: &ToolContext,
        project_key: &str,
        wanted: &str,
    ) -> Result<String, McpError> {
        let types: types::IssueTypes = self
            .client
            .get(format!(
                "/issue/createmeta/{}/issuetypes",
                key("projectKey", project_key)?
            ))
            .send(ctx)
            .await?;
        let found = types.issue_types.iter().find(|issue_type| {
            issue_type.id == wanted || issue_type.name.eq_ignore_ascii_case(wanted)
        });
        match found {
            Some(issue_type) => Ok(issue_type.id.clone()),
            None => {
                let names: Vec<&str> = types
                    .issue_types
                    .iter()
                    .map(|issue_type| issue_type.name.as_str())
                    .collect();
                Err(McpError::invalid_arguments(format!(
                    "{project_key} has no issue type `{wanted}`; it has {}",
                    names.join(", ")
                )))
            }
        }
    }
}

/// The settings of the `jira` server (in the environment: `JIRA_TOKEN`, `JIRA_SITE`, `JIRA_URL`).
#[derive(Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The token used when neither the call nor the user's connection carries one.
    pub token: Option<String>,
    /// The Cloud site, e.g. `your-team.atlassian.net`.
    pub site: Option<String>,
    /// The base URL of a Data Center deployment, e.g. `https://jira.example.com`; when set, the
    /// server speaks to it instead of a Cloud site.
    pub url: Option<String>,
}

impl Jira {
    /// The server `settings` describe: Data Center at `url` when it is given, else the Cloud
    /// `site`; what the registry builds.
    pub fn from_settings(settings: Settings) -> Result<Self, std::convert::Infallible> {
        Ok(match settings.url.filter(|url| !url.is_empty()) {
            Some(base) => Jira::data_center(&base, settings.token),
            None => Jira::cloud(GATEWAY_URL, settings.site, settings.token),
        })
    }
}

/// Issues, projects, transitions, links, users and attachments in Jira.
#[mcp_server(
    id = 1002,
    availability = "manual",
    name = "jira",
    authorization(provider = "jira", use_cases(personal_actions, platform_actions)),
    documentation_url = "https://developer.atlassian.com/cloud/jira/platform/rest/v3/",
    timeout_ms = 60_000
)]
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
            .get(format!("/issue/{}", key("issueKey", &args.issue_key)?))
            .query("fields", fields.join(","))
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::issue(&issue, &extra)))
    }

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
            .get(format!(
                "/project/{}",
                key("projectKey", &args.project_key)?
            ))
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
            .get(format!(
                "/project/{}/versions",
                key("projectKey", &args.project_key)?
            ))
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::versions(
            &args.project_key,
            &versions,
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
            .get(format!(
                "/issue/{}/transitions",
                key("issueKey", &args.issue_key)?
            ))
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::transitions(
            &args.issue_key,
            &transitions.transitions,
        )))
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
                key("projectKey", &args.project_key)?
            ))
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::issue_types(
            &args.project_key,
            &types.issue_types,
        )))
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
                key("projectKey", &args.project_key)?,
                key("issueTypeId", &args.issue_type_id)?
            ))
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::create_fields(&fields.fields)))
    }

    /// Say which Jira site this connection reaches and as whom.
    #[tool(
        stake = "never_ask",
        running = "Checking connection",
        done = "Check connection"
    )]
    async fn get_connection_info(&self, ctx: &ToolContext) -> ToolResult {
        let me: types::User = self.client.get("/myself").send(ctx).await?;
        let email = me
            .email_address
            .map(|email| format!(" <{email}>"))
            .unwrap_or_default();
        Ok(ToolOutput::markdown(format!(
            "Connected to {} as {}{email} (account id `{}`).",
            self.client.platform().site_name(self.client.base(), ctx),
            me.display_name,
            me.account_id
        )))
    }

    /// List the kinds of links between issues (blocks, duplicates, relates to, ...).
    #[tool(
        stake = "never_ask",
        running = "Listing link types",
        done = "List link types"
    )]
    async fn get_issue_link_types(&self, ctx: &ToolContext) -> ToolResult {
        let types: types::LinkTypes = self.client.get("/issueLinkType").send(ctx).await?;
        Ok(ToolOutput::markdown(render::link_types(
            &types.issue_link_types,
        )))
    }

    /// Find users by exact email address or by part of their name, with the account ids
    /// assignments take.
    #[tool(stake = "never_ask", running = "Finding users", done = "Find users")]
    async fn get_users(&self, ctx: &ToolContext, args: GetUsers) -> ToolResult {
        let max_results = page_size("maxResults", args.max_results, PAGE)?;
        let start_at = args.start_at.unwrap_or(0);
        let query = match (&args.email_address, &args.name) {
            (Some(email), _) => email.clone(),
            (None, Some(name)) => name.clone(),
            (None, None) => {
                return Err(McpError::invalid_arguments("give `emailAddress` or `name`"));
            }
        };
        let found: Vec<types::User> = self
            .client
            .get("/user/search")
            .query("query", &query)
            .query("startAt", start_at)
            .query("maxResults", max_results)
            .send(ctx)
            .await?;
        let more = found.len() == max_results as usize;
        // The search matches prefixes of names and emails; an email lookup wants that one user.
        let users: Vec<types::User> = match &args.email_address {
            Some(email) => found
                .into_iter()
                .filter(|user| {
                    user.email_address
                        .as_deref()
                        .is_some_and(|address| address.eq_ignore_ascii_case(email))
                })
                .collect(),
            None => found,
        };
        Ok(ToolOutput::markdown(render::users(
            &users,
            start_at,
            more && args.email_address.is_none(),
        )))
    }

    /// List an issue's attachments with the ids `read_attachment` takes.
    #[tool(
        stake = "never_ask",
        running = "Listing attachments",
        done = "List attachments"
    )]
    async fn get_attachments(&self, ctx: &ToolContext, args: IssueKey) -> ToolResult {
        let issue: types::Issue = self
            .client
            .get(format!("/issue/{}", key("issueKey", &args.issue_key)?))
            .query("fields", "attachment")
            .send(ctx)
            .await?;
        let attachments: Vec<types::Attachment> = match issue.fields.get("attachment") {
            Some(list) => serde_json::from_value(list.clone()).map_err(|error| {
                McpError::provider(
                    None,
                    format!("unexpected attachment list from Jira: {error}"),
                )
            })?,
            None => Vec::new(),
        };
        Ok(ToolOutput::markdown(render::attachments(
            &args.issue_key,
            &attachments,
        )))
    }

    /// Read an attachment: text as text, images as images; other files are described.
    #[tool(
        stake = "never_ask",
        running = "Reading attachment",
        done = "Read attachment"
    )]
    async fn read_attachment(&self, ctx: &ToolContext, args: ReadAttachment) -> ToolResult {
        let id = key("attachmentId", &args.attachment_id)?;
        let attachment: types::Attachment = self
            .client
            .get(format!("/attachment/{id}"))
            .send(ctx)
            .await?;
        let summary = format!(
            "{} ({}, {})",
            attachment.filename,
            attachment.mime_type,
            render::size(attachment.size)
        );
        let readable = attachment.mime_type.starts_with("text/")
            || attachment.mime_type.starts_with("image/")
            || matches!(
                attachment.mime_type.as_str(),
                "application/json" | "application/xml"
            );
        if !readable || attachment.size > ATTACHMENT_LIMIT {
            return Ok(ToolOutput::markdown(format!(
                "{summary} cannot be shown here: only text and images up to {} are read.",
                render::size(ATTACHMENT_LIMIT)
            )));
        }
        let bytes = self
            .client
            .get(format!("/attachment/content/{id}"))
            .accept("*/*")
            .bytes(ctx)
            .await?;
        if attachment.mime_type.starts_with("image/") {
            return Ok(ToolOutput::markdown(summary).with_image(&bytes, attachment.mime_type));
        }
        Ok(ToolOutput::markdown(format!(
            "{summary}\n\n{}",
            String::from_utf8_lossy(&bytes)
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
            .post(format!(
                "/issue/{}/comment",
                key("issueKey", &args.issue_key)?
            ))
            .json(&body)
            .send(ctx)
            .await?;
        let id = comment.get("id").and_then(Value::as_str).unwrap_or("?");
        Ok(ToolOutput::markdown(format!(
            "Commented on {} (comment {id}).",
            args.issue_key
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
            .post(format!(
                "/issue/{}/transitions",
                key("issueKey", &args.issue_key)?
            ))
            .json(&json!({"transition": {"id": args.transition_id}}))
            .empty(ctx)
            .await?;
        Ok(ToolOutput::markdown(format!(
            "Transitioned {} with transition {}.",
            args.issue_key, args.transition_id
        )))
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
            .put(format!("/issue/{}", key("issueKey", &args.issue_key)?))
            .json(&json!({"fields": fields}))
            .empty(ctx)
            .await?;
        Ok(ToolOutput::markdown(format!(
            "Updated {}: {}.",
            args.issue_key,
            changed.join(", ")
        )))
    }

    /// Link two issues with a link type from `get_issue_link_types`.
    #[tool(stake = "low", running = "Linking issues", done = "Link issues")]
    async fn create_issue_link(&self, ctx: &ToolContext, args: CreateIssueLink) -> ToolResult {
        self.client
            .post("/issueLink")
            .json(&json!({
                "type": {"name": args.link_type},
                "inwardIssue": {"key": args.inward_issue_key},
                "outwardIssue": {"key": args.outward_issue_key},
            }))
            .empty(ctx)
            .await?;
        Ok(ToolOutput::markdown(format!(
            "Linked {} → {} ({}).",
            args.outward_issue_key, args.inward_issue_key, args.link_type
        )))
    }

    /// Remove a link between two issues, by the link id `get_issue` shows.
    #[tool(stake = "low", running = "Unlinking issues", done = "Unlink issues")]
    async fn delete_issue_link(&self, ctx: &ToolContext, args: DeleteIssueLink) -> ToolResult {
        self.client
            .delete(format!("/issueLink/{}", key("linkId", &args.link_id)?))
            .empty(ctx)
            .await?;
        Ok(ToolOutput::markdown(format!(
            "Deleted link {}.",
            args.link_id
        )))
    }

    /// Attach a file (given as base64) to an issue.
    #[tool(
        stake = "low",
        running = "Uploading attachment",
        done = "Upload attachment"
    )]
    async fn upload_attachment(&self, ctx: &ToolContext, args: UploadAttachment) -> ToolResult {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(args.content_base64.trim())
            .map_err(|error| {
                McpError::invalid_arguments(format!("`contentBase64` is not base64: {error}"))
            })?;
        let media_type = args
            .mime_type
            .as_deref()
            .unwrap_or("application/octet-stream");
        let size = bytes.len() as u64;
        let attached: Vec<types::Attachment> = self
            .client
            .post(format!(
                "/issue/{}/attachments",
                key("issueKey", &args.issue_key)?
            ))
            // Jira refuses uploads without it (XSRF protection).
            .header("x-atlassian-token", "no-check")
            .file(&args.filename, media_type, bytes)
            .send(ctx)
            .await?;
        let id = attached
            .first()
            .map_or("?".to_owned(), types::Attachment::id);
        Ok(ToolOutput::markdown(format!(
            "Attached {} ({}) to {} (attachment {id}).",
            args.filename,
            render::size(size),
            args.issue_key
        )))
    }
}

/// The fields `create_issue` and `update_issue` share.
fn common_fields(
    fields: &mut Map<String, Value>,
    description: Option<&str>,
    priority: Option<&str>,
    assignee: Option<&str>,
    labels: Option<Vec<String>>,
) {
    if let Some(description) = description {
        fields.insert("description".into(), adf::from_markdown(description));
    }
    if let Some(priority) = priority {
        fields.insert("priority".into(), json!({"name": priority}));
    }
    if let Some(assignee) = assignee {
        fields.insert("assignee".into(), json!({"accountId": assignee}));
    }
    if let Some(labels) = labels {
        fields.insert("labels".into(), json!(labels));
    }
}

/// An issue key, project key or id, checked before it goes into a URL path.
fn key<'a>(field: &str, value: &'a str) -> Result<&'a str, McpError> {
    let valid = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
    if valid {
        Ok(value)
    } else {
        Err(McpError::invalid_arguments(format!(
            "`{field}` must be a Jira key or id such as `PROJ-42` or `10001`, not `{value}`"
        )))
    }
}
