//! GitHub's REST and GraphQL APIs over one connection.

use mcp_runtime::{McpError, ToolContext};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use std::sync::Arc;

use crate::connect::{ConnectionStore, OAuthEndpoints};
use crate::upstream::{Platform, RetrySettings, Upstream};

/// GitHub.com's REST API.
pub const DEFAULT_URL: &str = "https://api.github.com";

/// GitHub's OAuth app endpoints and the scopes the tools need (GitHub Enterprise Server: the
/// same paths on its host, see [`crate::connect::OAuthApp::with_token_url`]).
pub const OAUTH: OAuthEndpoints = OAuthEndpoints {
    authorize_url: "https://github.com/login/oauth/authorize",
    token_url: "https://github.com/login/oauth/access_token",
    scopes: &["repo", "read:org", "project", "write:discussion"],
    authorize_params: &[],
};

pub(super) static GITHUB: Platform = Platform {
    name: "GitHub",
    provider: "github",
    connect_hint: "set `GITHUB_TOKEN` in the server's environment, or send \
                   `Authorization: Bearer <token>` to its HTTP endpoint",
};

/// A connection to GitHub.com or a GitHub Enterprise Server.
#[derive(Debug, Clone)]
pub struct Client {
    rest: Upstream,
    graphql_url: String,
}

impl Client {
    /// The REST API at `base`; the GraphQL endpoint is derived from it as GitHub lays them out
    /// (`/graphql` on GitHub.com, `/api/graphql` beside Enterprise Server's `/api/v3`).
    pub fn new(base: &str, token: Option<String>) -> Self {
        let rest = Upstream::new(&GITHUB, base, token);
        let graphql_url = match rest.base().strip_suffix("/api/v3") {
            Some(host) => format!("{host}/api/graphql"),
            None => format!("{}/graphql", rest.base()),
        };
        Client { rest, graphql_url }
    }

    /// Takes each user's token from `connections`.
    pub fn with_connections(mut self, connections: Arc<dyn ConnectionStore>) -> Self {
        self.rest = self.rest.with_connections(connections);
        self
    }

    /// Replaces the retry settings of every request.
    pub fn with_retry(mut self, retry: RetrySettings) -> Self {
        self.rest = self.rest.with_retry(retry);
        self
    }

    /// The REST API.
    pub fn rest(&self) -> &Upstream {
        &self.rest
    }

    /// Runs a GraphQL `query`; GraphQL's own errors become the same errors as REST's.
    pub async fn graphql<T: DeserializeOwned>(
        &self,
        ctx: &ToolContext,
        query: &str,
        variables: Value,
    ) -> Result<T, McpError> {
        let response: GraphqlResponse<T> = self
            .rest
            .post(self.graphql_url.clone())
            .json(&json!({"query": query, "variables": variables}))
            .send(ctx)
            .await?;
        if let Some(error) = response.errors.first() {
            let message = response
                .errors
                .iter()
                .map(|error| error.message.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            return Err(match error.kind.as_deref() {
                Some("NOT_FOUND") => McpError::not_found(format!(
                    "GitHub found nothing: {message}; check the names and numbers in the arguments"
                )),
                Some("FORBIDDEN" | "INSUFFICIENT_SCOPES") => {
                    McpError::personal_authentication_required(GITHUB.provider)
                }
                _ => McpError::provider(None, format!("GitHub refused the query: {message}")),
            });
        }
        response
            .data
            .ok_or_else(|| McpError::provider(None, "GitHub answered the query with no data"))
    }
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
