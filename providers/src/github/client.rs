//! GitHub's REST and GraphQL APIs over one connection.

use mcp_runtime::{McpError, ToolContext, ToolOutput};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::connect::{AccountLookup, OAuthEndpoints};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::kit::{Api, Identity, Platform};

/// GitHub.com's REST API.
pub const DEFAULT_URL: &str = "https://api.github.com";

/// GitHub's OAuth app endpoints and the scopes the tools need (GitHub Enterprise Server: the
/// same paths on its host, see [`crate::connect::OAuthApp::with_token_url`]).
pub const OAUTH: OAuthEndpoints = OAuthEndpoints {
    authorize_url: "https://github.com/login/oauth/authorize",
    token_url: "https://github.com/login/oauth/access_token",
    scopes: &["repo", "read:org", "project", "write:discussion"],
    authorize_params: &[],
    account: Some(AccountLookup {
        url: "https://api.github.com/user",
        pointer: "/login",
    }),
    // GitHub's token revocation (`DELETE /applications/{client_id}/token`) is not RFC 7009's.
    revocation_url: None,
};

static GITHUB: Identity = Identity {
    name: "GitHub",
    provider: "github",
    connect_hint: "set `GITHUB_TOKEN` in the server's environment, or send \
                   `Authorization: Bearer <token>` to its HTTP endpoint",
};

/// What is GitHub's own in talking to it: its error format and its throttling.
#[derive(Debug, Clone, Copy)]
pub struct GithubPlatform;

impl Platform for GithubPlatform {
    fn identity(&self) -> &'static Identity {
        &GITHUB
    }

    /// `message`, and each of `errors` (`{"resource": "Issue", "field": "title", "code":
    /// "missing_field"}` or `{"message": ".."}`).
    fn error_messages(&self, body: &Value) -> Vec<String> {
        let mut messages: Vec<String> = body
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .into_iter()
            .collect();
        if let Some(Value::Array(errors)) = body.get("errors") {
            messages.extend(errors.iter().map(|error| {
                match error.get("message").and_then(Value::as_str) {
                    Some(message) => message.to_owned(),
                    None => ["resource", "field", "code"]
                        .iter()
                        .filter_map(|key| error.get(*key).and_then(Value::as_str))
                        .collect::<Vec<_>>()
                        .join(" "),
                }
            }));
        }
        messages
    }

    /// 429; and 403 with an exhausted rate limit or a `Retry-After` (GitHub's primary and
    /// secondary rate limits), which is not a permission failure.
    fn is_throttled(&self, status: StatusCode, headers: &HeaderMap, _body: &[u8]) -> bool {
        status == StatusCode::TOO_MANY_REQUESTS
            || (status == StatusCode::FORBIDDEN
                && (headers.contains_key(RETRY_AFTER)
                    || headers
                        .get("x-ratelimit-remaining")
                        .is_some_and(|remaining| remaining == "0")))
    }
}

/// A connection to GitHub.com or a GitHub Enterprise Server.
#[derive(Debug, Clone)]
pub struct Client {
    rest: Api<GithubPlatform>,
    graphql_url: String,
}

impl Client {
    /// The REST API at `base`; the GraphQL endpoint is derived from it as GitHub lays them out
    /// (`/graphql` on GitHub.com, `/api/graphql` beside Enterprise Server's `/api/v3`).
    pub fn new(base: &str, token: Option<String>) -> Self {
        let rest = Api::new(GithubPlatform, base, token);
        let graphql_url = match rest.base().strip_suffix("/api/v3") {
            Some(host) => format!("{host}/api/graphql"),
            None => format!("{}/graphql", rest.base()),
        };
        Client { rest, graphql_url }
    }

    /// The REST API, for the host's settings.
    pub(super) fn rest_mut(&mut self) -> &mut Api<GithubPlatform> {
        &mut self.rest
    }

    /// The REST API.
    pub fn rest(&self) -> &Api<GithubPlatform> {
        &self.rest
    }

    /// Runs a GraphQL `query`; GraphQL's own errors become the same errors as REST's.
    pub async fn graphql<T: DeserializeOwned>(
        &self,
        ctx: &ToolContext,
        query: &str,
        variables: Value,
    ) -> Result<Partial<T>, McpError> {
        let response: GraphqlResponse<T> = self
            .rest
            .post(self.graphql_url.clone())
            .json(&json!({"query": query, "variables": variables}))
            .send(ctx)
            .await?;
        let messages: Vec<String> = response
            .errors
            .iter()
            .map(|error| error.message.clone())
            .collect();
        match (response.data, response.errors.first()) {
            // Some of it came: what came, with what GitHub said about the rest.
            (Some(data), _) => Ok(Partial {
                data,
                errors: messages,
            }),
            (None, Some(error)) => {
                let message = messages.join("; ");
                Err(match error.kind.as_deref() {
                    Some("NOT_FOUND") => McpError::not_found(format!(
                        "GitHub found nothing: {message}; check the names and numbers in the arguments"
                    )),
                    Some("FORBIDDEN" | "INSUFFICIENT_SCOPES") => {
                        McpError::personal_authentication_required(GITHUB.connection_key(ctx))
                    }
                    _ => McpError::provider(None, format!("GitHub refused the query: {message}")),
                })
            }
            (None, None) => Err(McpError::provider(
                None,
                "GitHub answered the query with no data",
            )),
        }
    }
}

/// A GraphQL answer: its data, and the errors GitHub reported beside it (a field it could not
/// resolve is `null` in the data and named in the errors).
#[derive(Debug)]
pub struct Partial<T> {
    pub data: T,
    pub errors: Vec<String>,
}

/// `markdown`, followed by what GitHub reported it could not answer, if anything.
pub fn with_errors(mut markdown: String, errors: &[String]) -> ToolOutput {
    if !errors.is_empty() {
        markdown.push_str(&format!(
            "\nGitHub answered only in part; it also reported: {}\n",
            errors.join("; ")
        ));
    }
    ToolOutput::markdown(markdown)
}

#[derive(Debug, Deserialize)]
struct GraphqlResponse<T> {
    data: Option<T>,
    #[serde(default)]
    errors: Vec<GraphqlError>,
}

#[derive(Debug, Deserialize)]
struct GraphqlError {
    #[serde(rename = "type")]
    kind: Option<String>,
    message: String,
}
