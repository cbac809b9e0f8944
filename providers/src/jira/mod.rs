//! `jira`: issues, projects, transitions, links, users and attachments in Jira Cloud (through the
//! site's cloud id) with an OAuth token, or at the site itself with an API token; REST API v3. Rich text is written from
//! markdown as Atlassian Document Format and read back as markdown.

pub mod adf;
pub mod args;
mod attachments;
mod client;
mod issues;
mod jql;
mod links;
mod projects;
mod render;
mod types;
mod users;

use base64::Engine as _;
use mcp_runtime::prelude::*;
use serde_json::{Map, Value, json};

pub use client::{Client, GATEWAY_URL, JiraPlatform, OAUTH, Site};

use crate::kit::page_size;
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
    /// Jira Cloud, reached through the gateway at `gateway` with OAuth tokens; the site comes
    /// from the call's context ([`Site`]) or `site`.
    pub fn cloud(gateway: &str, site: Option<String>, token: Option<String>) -> Self {
        Jira {
            client: client::cloud(gateway, site, None, token),
        }
    }

    /// Jira Cloud with an API token: Basic `email:token` to the site itself (a host name or a
    /// URL); users' OAuth connections still go through the gateway at `gateway`.
    pub fn with_api_token(gateway: &str, site: String, email: String, token: String) -> Self {
        Jira {
            client: client::cloud(gateway, Some(site), Some(email), Some(token)),
        }
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
        if jql::is_unbounded(jql) {
            return Err(McpError::invalid_arguments(
                "the search restricts nothing, and Jira Cloud refuses unbounded searches: add a \
                 filter (a project, an assignee, a status, a date such as `updated >= -30d`)",
            ));
        }
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
            .get(format!("/issue/createmeta/{}/issuetypes", project_key))
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

impl crate::kit::Remote for Jira {
    type Platform = JiraPlatform;

    fn api_mut(&mut self) -> &mut Client {
        &mut self.client
    }
}

/// The settings of the `jira` server (in the environment: `JIRA_SITE`, `JIRA_EMAIL`, `JIRA_TOKEN`,
/// `JIRA_GATEWAY_URL`).
#[derive(Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The Cloud site: a host name (`your-team.atlassian.net`) or its URL.
    pub site: Option<String>,
    /// The email of the account whose API token `token` is; with it, requests go to the site
    /// with Basic authentication. Without it, `token` is taken for an OAuth access token.
    pub email: Option<String>,
    /// The token used when neither the call nor the user's connection carries one.
    pub token: Option<String>,
    /// Atlassian's API gateway, through which OAuth tokens reach the site (default:
    /// `https://api.atlassian.com`; a proxy or a test server in its place).
    pub gateway_url: Option<String>,
}

impl Jira {
    /// The server `settings` describe; what the registry builds.
    pub fn from_settings(settings: Settings) -> Result<Self, std::convert::Infallible> {
        let gateway = settings.gateway_url.as_deref().unwrap_or(GATEWAY_URL);
        Ok(Jira {
            client: client::cloud(gateway, settings.site, settings.email, settings.token),
        })
    }
}

/// Issues, projects, transitions, links, users and attachments in Jira.
#[mcp_server(
    id = 1002,
    availability = "manual",
    allow_multiple_instances,
    name = "jira",
    title = "Jira",
    authorization(provider = "jira", use_cases(personal_actions, platform_actions)),
    documentation_url = "https://developer.atlassian.com/cloud/jira/platform/rest/v3/",
    timeout_ms = 60_000,
    parts(issues, projects, links, users, attachments)
)]
impl Jira {
    /// Summarize an issue for someone new to it: where it stands, who is on it, what is next.
    #[prompt(title = "Summarize an issue")]
    async fn summarize_issue(
        &self,
        /// The issue's key, such as `PROJ-123`.
        key: String,
    ) -> PromptResult {
        Ok(PromptOutput::user(format!(
            "Summarize Jira issue {key} for someone new to it. Read it with `get_issue` (its \
             description and comments) and what it links to with `get_issues` where that matters. \
             Say in a few sentences what it is about, where it stands, who is on it, what is \
             blocking it, and what the next step is. Change nothing in Jira."
        )))
    }

    /// Draft a status report of a project from its issues updated recently.
    #[prompt(title = "Project status report")]
    async fn status_report(
        &self,
        /// The project's key, such as `PROJ`.
        project: String,
        /// How far back to look, as JQL puts it (`7d`, `2w`); a week if not given.
        since: Option<String>,
    ) -> PromptResult {
        let since = since.unwrap_or_else(|| "7d".to_owned());
        Ok(PromptOutput::user(format!(
            "Draft a status report of Jira project {project}: find the issues updated in the last \
             {since} with `get_issues_using_jql` (`project = {project} AND updated >= -{since} \
             ORDER BY updated DESC`), then report what was done, what is in progress, what is \
             blocked and by what, in short sections with issue keys. Change nothing in Jira."
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
