//! Jira's REST API v3, on a Cloud site (reached through Atlassian's API gateway by the site's
//! cloud id) or on Data Center (at its own base URL).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use mcp_runtime::{ErrorKind, McpError, ToolContext};
use serde::Deserialize;

use crate::connect::{ConnectionStore, OAuthEndpoints};
use crate::upstream::{Platform, Request, RetrySettings, Upstream};

/// The Cloud site of a call (e.g. `your-team.atlassian.net`), when the host attaches one to the
/// context (`ToolContext::with_extension(Site(..))`); it wins over the server's own site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site(pub String);
/// Atlassian's API gateway, through which Cloud sites are reached.
pub const GATEWAY_URL: &str = "https://api.atlassian.com";

/// Atlassian's OAuth 2.0 (3LO) endpoints and the scopes the tools need; `offline_access` brings
/// the refresh token.
pub const OAUTH: OAuthEndpoints = OAuthEndpoints {
    authorize_url: "https://auth.atlassian.com/authorize",
    token_url: "https://auth.atlassian.com/oauth/token",
    scopes: &[
        "read:jira-work",
        "write:jira-work",
        "read:jira-user",
        "offline_access",
    ],
    authorize_params: &[("audience", "api.atlassian.com"), ("prompt", "consent")],
};

pub(super) static JIRA: Platform = Platform {
    name: "Jira",
    provider: "jira",
    connect_hint: "set `JIRA_TOKEN` and `JIRA_SITE` (Cloud) or `JIRA_URL` (Data Center) in the \
                   server's environment, or send `Authorization: Bearer <token>` to its HTTP endpoint",
};

/// Where the Jira instance is.
#[derive(Debug, Clone)]
enum Deployment {
    /// A Cloud site behind the gateway; its cloud id is looked up once per site.
    Cloud {
        site: Option<String>,
        cloud_ids: Arc<Mutex<HashMap<String, String>>>,
    },
    /// A Data Center instance at the upstream's base URL.
    DataCenter,
}

/// A connection to one Jira deployment.
#[derive(Debug, Clone)]
pub struct Client {
    upstream: Upstream,
    deployment: Deployment,
}

/// One of the sites a token can reach.
#[derive(Debug, Deserialize)]
struct AccessibleResource {
    id: String,
    url: String,
}

impl Client {
    /// Cloud: the gateway at `gateway`; the site comes from the call ([`Site`]) or `site`.
    pub fn cloud(gateway: &str, site: Option<String>, token: Option<String>) -> Self {
        Client {
            upstream: Upstream::new(&JIRA, gateway, token),
            deployment: Deployment::Cloud {
                site: site.filter(|site| !site.is_empty()),
                cloud_ids: Arc::default(),
            },
        }
    }

    /// Data Center at `base`.
    pub fn data_center(base: &str, token: Option<String>) -> Self {
        Client {
            upstream: Upstream::new(&JIRA, base, token),
            deployment: Deployment::DataCenter,
        }
    }

    /// Takes each user's token from `connections`.
    pub fn with_connections(mut self, connections: Arc<dyn ConnectionStore>) -> Self {
        self.upstream = self.upstream.with_connections(connections);
        self
    }

    /// Replaces the retry settings of every request.
    pub fn with_retry(mut self, retry: RetrySettings) -> Self {
        self.upstream = self.upstream.with_retry(retry);
        self
    }

    /// A `GET` of `path` under `/rest/api/3`.
    pub async fn get(&self, ctx: &ToolContext, path: &str) -> Result<Request<'_>, McpError> {
        Ok(self.upstream.get(self.api(ctx, path).await?))
    }

    /// A `POST` of `path` under `/rest/api/3`.
    pub async fn post(&self, ctx: &ToolContext, path: &str) -> Result<Request<'_>, McpError> {
        Ok(self.upstream.post(self.api(ctx, path).await?))
    }

    /// A `PUT` of `path` under `/rest/api/3`.
    pub async fn put(&self, ctx: &ToolContext, path: &str) -> Result<Request<'_>, McpError> {
        Ok(self.upstream.put(self.api(ctx, path).await?))
    }

    /// A `DELETE` of `path` under `/rest/api/3`.
    pub async fn delete(&self, ctx: &ToolContext, path: &str) -> Result<Request<'_>, McpError> {
        Ok(self.upstream.delete(self.api(ctx, path).await?))
    }

    /// The site's name for messages: the Cloud site, or the Data Center URL.
    pub fn site_name(&self, ctx: &ToolContext) -> String {
        match &self.deployment {
            Deployment::Cloud { site, .. } => ctx
                .get::<Site>()
                .map(|site| site.0.clone())
                .or_else(|| site.clone())
                .unwrap_or_default(),
            Deployment::DataCenter => self.upstream.base().to_owned(),
        }
    }

    /// `/ex/jira/{cloudId}/rest/api/3{path}` on Cloud, `/rest/api/3{path}` on Data Center.
    async fn api(&self, ctx: &ToolContext, path: &str) -> Result<String, McpError> {
        match &self.deployment {
            Deployment::DataCenter => Ok(format!("/rest/api/3{path}")),
            Deployment::Cloud { site, cloud_ids } => {
                let site = ctx
                    .get::<Site>()
                    .map(|site| site.0.clone())
                    .or_else(|| site.clone())
                    .ok_or_else(|| {
                        McpError::of_kind(
                            ErrorKind::PersonalAuthenticationRequired {
                                provider: JIRA.provider.to_owned(),
                            },
                            format!(
                                "not connected to Jira: no site given; {}",
                                JIRA.connect_hint
                            ),
                        )
                    })?;
                let host = host_of(&site);
                let known = cloud_ids
                    .lock()
                    .expect("no panics while holding the lock")
                    .get(&host)
                    .cloned();
                let cloud_id = match known {
                    Some(id) => id,
                    None => {
                        let id = self.look_up_cloud_id(ctx, &host).await?;
                        cloud_ids
                            .lock()
                            .expect("no panics while holding the lock")
                            .insert(host, id.clone());
                        id
                    }
                };
                Ok(format!("/ex/jira/{cloud_id}/rest/api/3{path}"))
            }
        }
    }

    /// The cloud id of the site at `host`, among those the token can reach.
    async fn look_up_cloud_id(&self, ctx: &ToolContext, host: &str) -> Result<String, McpError> {
        let resources: Vec<AccessibleResource> = self
            .upstream
            .get("/oauth/token/accessible-resources")
            .send(ctx)
            .await?;
        if let Some(resource) = resources
            .iter()
            .find(|resource| host_of(&resource.url) == host)
        {
            return Ok(resource.id.clone());
        }
        let reachable: Vec<String> = resources
            .iter()
            .map(|resource| host_of(&resource.url))
            .collect();
        Err(McpError::not_found(format!(
            "the Jira token cannot reach the site `{host}`; it reaches {}",
            if reachable.is_empty() {
                "no site".to_owned()
            } else {
                reachable.join(", ")
            }
        )))
    }
}

/// `your-team.atlassian.net` of `https://your-team.atlassian.net/` or of itself.
fn host_of(site: &str) -> String {
    let site = site.trim();
    let site = site
        .strip_prefix("https://")
        .or_else(|| site.strip_prefix("http://"))
        .unwrap_or(site);
    site.split('/').next().unwrap_or(site).to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn sites_compare_by_host() {
        assert_eq!(host_of("https://Team.atlassian.net/"), "team.atlassian.net");
        assert_eq!(host_of("team.atlassian.net"), "team.atlassian.net");
        assert_eq!(
            host_of(" http://team.atlassian.net/jira "),
            "team.atlassian.net"
        );
    }
}
