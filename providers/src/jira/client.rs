//! Jira's REST API v3, on a Cloud site (reached through Atlassian's API gateway by the site's
//! cloud id) or on Data Center (at its own base URL).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use mcp_runtime::{BoxFuture, ErrorKind, McpError, ToolContext};
use serde::Deserialize;
use serde_json::Value;

use crate::connect::OAuthEndpoints;
use crate::kit::{Api, Credential, Identity, Platform};

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

static JIRA: Identity = Identity {
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
    /// A Data Center instance at the API's base URL.
    DataCenter,
}

/// What is Jira's own in talking to it: where a call goes, and its error format.
#[derive(Debug, Clone)]
pub struct JiraPlatform {
    deployment: Deployment,
}

impl Platform for JiraPlatform {
    fn identity(&self) -> &'static Identity {
        &JIRA
    }

    /// `{gateway}/ex/jira/{cloudId}/rest/api/3` on Cloud (the site's id looked up once),
    /// `{url}/rest/api/3` on Data Center.
    async fn base_url(
        &self,
        api: &Api<Self>,
        ctx: &ToolContext,
        _credential: &Credential<'_>,
    ) -> Result<String, McpError> {
        let base = api.base();
        let Deployment::Cloud { site, cloud_ids } = &self.deployment else {
            return Ok(format!("{base}/rest/api/3"));
        };
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
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(&host)
            .cloned();
        let cloud_id = match known {
            Some(id) => id,
            None => {
                let id = look_up_cloud_id(api, ctx, &host).await?;
                cloud_ids
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .insert(host, id.clone());
                id
            }
        };
        Ok(format!("{base}/ex/jira/{cloud_id}/rest/api/3"))
    }

    /// `errorMessages`, each of `errors` (`{"summary": "You must specify a summary"}`), and
    /// `message` where a gateway answers.
    fn error_messages(&self, body: &Value) -> Vec<String> {
        let mut messages = Vec::new();
        if let Some(message) = body.get("message").and_then(Value::as_str) {
            messages.push(message.to_owned());
        }
        if let Some(Value::Object(errors)) = body.get("errors") {
            messages.extend(errors.iter().map(|(field, message)| {
                format!("{field}: {}", message.as_str().unwrap_or_default())
            }));
        }
        if let Some(Value::Array(errors)) = body.get("errorMessages") {
            messages.extend(errors.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        messages
    }
}

/// One of the sites a token can reach.
#[derive(Debug, Deserialize)]
struct AccessibleResource {
    id: String,
    url: String,
}

/// The cloud id of the site at `host`, among those the token can reach. Boxed: the lookup is a
/// request, whose sending asks for a base URL, whose finding is this lookup.
fn look_up_cloud_id<'a>(
    api: &'a Api<JiraPlatform>,
    ctx: &'a ToolContext,
    host: &'a str,
) -> BoxFuture<'a, Result<String, McpError>> {
    Box::pin(async move {
        let resources: Vec<AccessibleResource> = api
            .get(format!("{}/oauth/token/accessible-resources", api.base()))
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
    })
}

/// A connection to one Jira deployment: the kit's API client with Jira's platform.
pub type Client = Api<JiraPlatform>;

/// Jira Cloud through the gateway at `gateway`; the site comes from the call ([`Site`]) or
/// `site`.
pub fn cloud(gateway: &str, site: Option<String>, token: Option<String>) -> Client {
    let platform = JiraPlatform {
        deployment: Deployment::Cloud {
            site: site.filter(|site| !site.is_empty()),
            cloud_ids: Arc::default(),
        },
    };
    Api::new(platform, gateway, token)
}

/// Jira Data Center at `base`.
pub fn data_center(base: &str, token: Option<String>) -> Client {
    Api::new(
        JiraPlatform {
            deployment: Deployment::DataCenter,
        },
        base,
        token,
    )
}

impl JiraPlatform {
    /// The site's name for messages: the Cloud site, or the Data Center URL.
    pub fn site_name(&self, api_base: &str, ctx: &ToolContext) -> String {
        match &self.deployment {
            Deployment::Cloud { site, .. } => ctx
                .get::<Site>()
                .map(|site| site.0.clone())
                .or_else(|| site.clone())
                .unwrap_or_default(),
            Deployment::DataCenter => api_base.to_owned(),
        }
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
