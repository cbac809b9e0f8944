//! `github`: issues, pull requests and reviews, search, files and commits, organization projects
//! and discussions.
//! REST where GitHub offers it, GraphQL where it is the only way (projects v2, discussions).

pub mod args;
mod client;
mod diff;
mod discussions;
mod graphql;
mod issues;
mod projects;
mod pulls;
mod render;
mod repos;
mod types;

use mcp_runtime::prelude::*;
use serde_json::Value;

pub use client::{Client, DEFAULT_URL, OAUTH};
use client::{Partial, with_errors};

use crate::kit::page_size;
use args::*;
use graphql::InRepository;

/// The default and the largest page of REST listings.
const PAGE: (u32, u32) = (30, 100);
/// The default and the largest page of GraphQL listings.
const GRAPHQL_PAGE: (u32, u32) = (20, 50);

/// The `github` server.
#[derive(Debug, Clone)]
pub struct Github {
    client: Client,
}

impl Github {
    /// The server reaching the REST API at `base`, with `token` when a call carries none.
    pub fn new(base: &str, token: Option<String>) -> Self {
        Github {
            client: Client::new(base, token),
        }
    }

    fn rest(&self) -> &crate::kit::Api<client::GithubPlatform> {
        self.client.rest()
    }

    async fn issue(
        &self,
        ctx: &ToolContext,
        owner: &str,
        repo: &str,
        number: u64,
    ) -> Result<types::Issue, McpError> {
        self.rest()
            .get(format!("{}/issues/{number}", repository(owner, repo)))
            .send(ctx)
            .await
    }

    /// A repository's GraphQL data, or a not-found error naming it.
    async fn in_repository<T: serde::de::DeserializeOwned>(
        &self,
        ctx: &ToolContext,
        query: &str,
        variables: Value,
    ) -> Result<Partial<T>, McpError> {
        let owner = variables["owner"].as_str().unwrap_or_default().to_owned();
        let repo = variables["repo"].as_str().unwrap_or_default().to_owned();
        let found: Partial<InRepository<T>> = self.client.graphql(ctx, query, variables).await?;
        let data = found.data.repository.ok_or_else(|| {
            let said = if found.errors.is_empty() {
                String::new()
            } else {
                format!(": {}", found.errors.join("; "))
            };
            McpError::not_found(format!(
                "GitHub has no repository `{owner}/{repo}` this token can see{said}"
            ))
        })?;
        Ok(Partial {
            data,
            errors: found.errors,
        })
    }
}

impl crate::kit::Remote for Github {
    type Platform = client::GithubPlatform;

    fn api_mut(&mut self) -> &mut crate::kit::Api<client::GithubPlatform> {
        self.client.rest_mut()
    }
}

/// The settings of the `github` server (in the environment: `GITHUB_API_URL`, `GITHUB_TOKEN`).
#[derive(Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The REST API's base URL: `https://HOST/api/v3` for GitHub Enterprise Server (default:
    /// `https://api.github.com`).
    pub api_url: Option<String>,
    /// The token used when neither the call nor the user's connection carries one.
    pub token: Option<String>,
}

impl Github {
    /// The server `settings` describe; what the registry builds.
    pub fn from_settings(settings: Settings) -> Result<Self, std::convert::Infallible> {
        let base = settings.api_url.as_deref().unwrap_or(DEFAULT_URL);
        Ok(Github::new(base, settings.token))
    }
}

/// Issues, pull requests and reviews, search, files and commits, organization projects and
/// discussions on GitHub.
#[mcp_server(
    id = 1001,
    availability = "manual",
    allow_multiple_instances,
    name = "github",
    title = "GitHub",
    authorization(provider = "github", use_cases(platform_actions, personal_actions)),
    documentation_url = "https://docs.github.com/en/rest",
    timeout_ms = 60_000,
    parts(issues, pulls, repos, projects, discussions)
)]
impl Github {
    /// A file of a repository at its default branch: its text, or its bytes; a directory's
    /// listing.
    #[resource_template(
        uri = "github://repos/{owner}/{repo}/contents/{+path}",
        title = "Repository file"
    )]
    async fn file(
        &self,
        ctx: &ToolContext,
        owner: String,
        repo: String,
        path: String,
    ) -> ResourceResult {
        let contents: types::Contents = self
            .rest()
            .get(format!(
                "{}/contents/{}",
                repository(&owner, &repo),
                repository_path(&path)?
            ))
            .send(ctx)
            .await?;
        let types::Contents::File(file) = &contents else {
            return Ok(ResourceOutput::text(
                "text/markdown",
                render::contents(&contents, None),
            ));
        };
        let bytes = match file.encoding.as_deref() {
            Some("base64") => render::base64_bytes(&file.content),
            _ => None,
        };
        let Some(bytes) = bytes else {
            return Err(McpError::new(format!(
                "`{}` is {} bytes, over what GitHub sends through this API (1 MB){}",
                file.path,
                file.size,
                file.html_url
                    .as_deref()
                    .map_or(String::new(), |url| format!("; see {url}"))
            )));
        };
        Ok(match String::from_utf8(bytes) {
            Ok(text) => ResourceOutput::text("text/plain", text),
            Err(binary) => ResourceOutput::blob("application/octet-stream", binary.into_bytes()),
        })
    }

    /// Review a pull request: what it changes, its risks, and what to ask its author.
    #[prompt(title = "Review a pull request")]
    async fn review_pull_request(
        &self,
        /// The repository's owner (a user or an organization).
        owner: String,
        /// The repository's name.
        repo: String,
        /// The pull request's number.
        number: String,
    ) -> PromptResult {
        Ok(PromptOutput::user(format!(
            "Review pull request #{number} of {owner}/{repo}. Read it with `get_pull_request` \
             (its description, commits, reviews and diff) and the files it touches with \
             `get_file_contents` where the diff is not enough. Then summarize what it changes, \
             point out risks (behaviour, security, tests missing), and list the questions to ask \
             its author. Do not review or comment on GitHub yourself."
        )))
    }

    /// Triage the open issues of a repository: group them, and say which need attention first.
    #[prompt(title = "Triage issues")]
    async fn triage_issues(
        &self,
        /// The repository's owner (a user or an organization).
        owner: String,
        /// The repository's name.
        repo: String,
        /// Only issues with this label, if given.
        label: Option<String>,
    ) -> PromptResult {
        let filter = label.map_or(String::new(), |label| format!(" labelled `{label}`"));
        Ok(PromptOutput::user(format!(
            "Triage the open issues{filter} of {owner}/{repo}: list them with `list_issues`, read \
             the unclear ones with `get_issue`, group them by theme, and say which three need \
             attention first and why. Change nothing on GitHub."
        )))
    }
}

/// `/repos/{owner}/{repo}`, both names checked.
fn repository(owner: &str, repo: &str) -> String {
    format!("/repos/{owner}/{repo}")
}

fn repository_path(path: &str) -> Result<String, McpError> {
    let path = path.trim_matches('/');
    if path.is_empty() {
        return Ok(String::new());
    }
    path.split('/')
        .map(|part| {
            if part.is_empty() || part == "." || part == ".." {
                return Err(McpError::invalid_arguments(format!(
                    "`path` must be a path inside the repository such as `src/main.rs`, not `{path}`"
                )));
            }
            Ok(part
                .bytes()
                .map(|byte| match byte {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                        char::from(byte).to_string()
                    }
                    _ => format!("%{byte:02X}"),
                })
                .collect::<String>())
        })
        .collect::<Result<Vec<_>, _>>()
        .map(|parts| parts.join("/"))
}

/// The page of a REST listing a call asked for, checked.
struct Paging {
    per_page: u32,
    page: u32,
}

impl Paging {
    fn of(per_page: Option<u32>, page: Option<u32>) -> Result<Self, McpError> {
        Ok(Paging {
            per_page: page_size("perPage", per_page, PAGE)?,
            page: page.unwrap_or(1).max(1),
        })
    }

    /// Sends `request` for this page; the answer, and the next page GitHub names in its `Link`
    /// header, if any.
    async fn fetch<T: serde::de::DeserializeOwned>(
        &self,
        request: crate::kit::Request<'_, client::GithubPlatform>,
        ctx: &ToolContext,
    ) -> Result<(T, Option<u32>), McpError> {
        let paged = request
            .query("per_page", self.per_page)
            .query("page", self.page)
            .send_paged::<T>(ctx)
            .await?;
        let next = paged
            .next_parameter("page")
            .and_then(|page| page.parse().ok());
        Ok((paged.value, next))
    }
}

/// An enum argument as GitHub spells it (its serde name).
fn wire(value: impl Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(text)) => text,
        _ => String::new(),
    }
}

fn no_discussion(owner: &str, repo: &str, number: u64) -> McpError {
    McpError::not_found(format!("`{owner}/{repo}` has no discussion #{number}"))
}
