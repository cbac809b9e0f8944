//! What differs between platforms, and only that.

use std::future::Future;

use mcp_runtime::{McpError, ToolContext};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

use super::{Api, Credential};

/// A platform as its users know it.
#[derive(Debug)]
pub struct Identity {
    /// The platform's name in messages, as users know it.
    pub name: &'static str,
    /// The OAuth provider its users connect, as hosts name it.
    pub provider: &'static str,
    /// How to connect without OAuth, named in the "not connected" error.
    pub connect_hint: &'static str,
}

impl Identity {
    /// The key `ctx`'s user connection is kept under: the instance's name when the server is
    /// served as one of several instances (GitHub.com and a GitHub Enterprise Server each have
    /// their own), else the provider.
    pub fn connection_key(&self, ctx: &ToolContext) -> &'static str {
        ctx.instance().unwrap_or(self.provider)
    }
}

/// What an [`Api`] needs to know of its platform. Every method but [`Platform::identity`] has
/// the common answer as its default.
pub trait Platform: Send + Sync + Sized + 'static {
    /// Who the platform is.
    fn identity(&self) -> &'static Identity;

    /// The base URL of this call's requests: the configured one, unless the platform finds it
    /// per call (a Cloud site's id behind a gateway, looked up with `api`).
    fn base_url(
        &self,
        api: &Api<Self>,
        ctx: &ToolContext,
        credential: &Credential<'_>,
    ) -> impl Future<Output = Result<String, McpError>> + Send {
        let _ = (ctx, credential);
        std::future::ready(Ok(api.base().to_owned()))
    }

    /// The `Authorization` header of a request carrying `credential`: a bearer token.
    fn authorization(&self, credential: &Credential<'_>) -> String {
        format!("Bearer {}", credential.token())
    }

    /// What the platform said went wrong, from an error response's JSON body: its `message`.
    fn error_messages(&self, body: &Value) -> Vec<String> {
        body.get("message")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .into_iter()
            .collect()
    }

    /// Whether a failed answer says "too many requests": a 429.
    fn is_throttled(&self, status: StatusCode, headers: &HeaderMap, body: &[u8]) -> bool {
        let _ = (headers, body);
        status == StatusCode::TOO_MANY_REQUESTS
    }
}

/// A platform with every default, for the kit's own tests.
#[cfg(test)]
pub(super) struct Plain;

#[cfg(test)]
impl Platform for Plain {
    fn identity(&self) -> &'static Identity {
        &Identity {
            name: "Plain",
            provider: "plain",
            connect_hint: "",
        }
    }
}
