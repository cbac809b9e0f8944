//! Jira's REST API v3, on a Cloud site (reached through Atlassian's API gateway by the site's
//! cloud id) or on Data Center (at its own base URL).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use mcp_runtime::{BoxFuture, ErrorKind, McpError, ToolContext};
use serde::Deserialize;
use serde_json::Value;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64_STANDARD;

use crate::connect::{AccountLookup, OAuthEndpoints};
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
    // Whom a token is for needs `read:me`, which the tools do not: the site it reaches says
    // what it connects.
    account: Some(AccountLookup {
        url: "https://api.atlassian.com/oauth/token/accessible-resources",
        pointer: "/0/url",
    }),
    revocation_url: None,
};

static JIRA: Identity = Identity {
    name: "Jira",
    provider: "jira",
    connect_hint: "set `JIRA_SITE` (e.g. `your-team.atlassian.net`) with `JIRA_EMAIL` and \
                   `JIRA_TOKEN` (an API token) in the server's environment, or connect with OAuth",
};

/// What is Jira's own in talking to it: where a call goes, how it authenticates, and its error
/// format.
///
/// Jira Cloud is reached two ways: with an API token, Basic `email:token` to the site itself;
/// with an OAuth access token, Bearer through Atlassian's gateway at
/// `/ex/jira/{cloudId}`, the site's cloud id looked up once per site.
#[derive(Debug, Clone)]
pub struct JiraPlatform {
    site: Option<String>,
    email: Option<String>,
    cloud_ids: Arc<Mutex<HashMap<String, String>>>,
}

impl JiraPlatform {
    /// Whether `credential` is the server's API token, sent with its account's email.
    fn api_token<'a>(&'a self, credential: &Credential<'_>) -> Option<&'a str> {
        match credential {
            Credential::Configured(_) => self.email.as_deref(),
            _ => None,
        }
    }

    /// The site of a call: the host's ([`Site`]) or the server's.
    fn site(&self, ctx: &ToolContext) -> Option<String> {
        ctx.get::<Site>()
            .map(|site| site.0.clone())
            .or_else(|| self.site.clone())
    }

    /// The site's name for messages.
    pub fn site_name(&self, ctx: &ToolContext) -> String {
        self.site(ctx).unwrap_or_default()
    }
}

impl Platform for JiraPlatform {
    fn identity(&self) -> &'static Identity {
        &JIRA
    }

    /// `https://{site}/rest/api/3` with an API token, `{gateway}/ex/jira/{cloudId}/rest/api/3`
    /// with an OAuth token.
    async fn base_url(
        &self,
        api: &Api<Self>,
        ctx: &ToolContext,
        credential: &Credential<'_>,
    ) -> Result<String, McpError> {
        let site = self.site(ctx).ok_or_else(|| {
            McpError::of_kind(
                ErrorKind::PersonalAuthenticationRequired {
                    provider: JIRA.connection_key(ctx).to_owned(),
                },
                format!(
                    "not connected to Jira: no site given; {}",
                    JIRA.connect_hint
                ),
            )
        })?;
        if self.api_token(credential).is_some() {
            return Ok(format!("{}/rest/api/3", site_url(&site)));
        }
        let host = host_of(&site);
        let known = self
            .cloud_ids
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(&host)
            .cloned();
        let cloud_id = match known {
            Some(id) => id,
            None => {
                let id = look_up_cloud_id(api, ctx, &host).await?;
                self.cloud_ids
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .insert(host, id.clone());
                id
            }
        };
        Ok(format!("{}/ex/jira/{cloud_id}/rest/api/3", api.base()))
    }

    /// Basic `email:token` for the server's API token; Bearer for OAuth tokens.
    fn authorization(&self, credential: &Credential<'_>) -> String {
        match self.api_token(credential) {
            Some(email) => {
                let pair = format!("{email}:{}", credential.token());
                format!("Basic {}", BASE64_STANDARD.encode(pair))
            }
            None => format!("Bearer {}", credential.token()),
        }
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

/// A connection to Jira Cloud: the kit's API client with Jira's platform.
pub type Client = Api<JiraPlatform>;

/// Jira Cloud: the site comes from the call ([`Site`]) or `site`; with `email`, the server's
/// `token` is an API token sent to the site, else an OAuth token sent through the gateway at
/// `gateway`.
pub fn cloud(
    gateway: &str,
    site: Option<String>,
    email: Option<String>,
    token: Option<String>,
) -> Client {
    let platform = JiraPlatform {
        site: site.filter(|site| !site.trim().is_empty()),
        email: email.filter(|email| !email.trim().is_empty()),
        cloud_ids: Arc::default(),
    };
    Api::new(platform, gateway, token)
}

/// The site's base URL: `https://{site}` for a host name, the URL itself for a URL.
fn site_url(site: &str) -> String {
    let site = site.trim().trim_end_matches('/');
    if site.starts_with("https://") || site.starts_with("http://") {
        site.to_owned()
    } else {
        format!("https://{site}")
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
    use super::{host_of, site_url};

    #[test]
    fn a_site_is_a_host_name_or_a_url() {
        assert_eq!(site_url("team.atlassian.net"), "https://team.atlassian.net");
        assert_eq!(
            site_url(" https://team.atlassian.net/ "),
            "https://team.atlassian.net"
        );
        assert_eq!(site_url("http://127.0.0.1:9000"), "http://127.0.0.1:9000");
    }

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
