//! Salesforce's REST API: each organization at its own instance
//! (`https://{org}.my.salesforce.com`), under `/services/data/v{API_VERSION}`.

use mcp_runtime::{ErrorKind, McpError, ToolContext};
use serde_json::Value;

use crate::connect::OAuthEndpoints;
use crate::kit::{Api, Credential, Identity, Platform};

/// The REST API version every request names; the one place it is pinned (every endpoint the
/// tools use exists since v42.0).
pub const API_VERSION: &str = "62.0";

/// The instance of a call (e.g. `https://acme.my.salesforce.com`), when the host attaches one
/// to the context (`ToolContext::with_extension(InstanceUrl(..))`); the user's connection's own
/// instance wins over it, and it wins over the server's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceUrl(pub String);

/// Salesforce's OAuth 2.0 endpoints (production orgs; a sandbox or My Domain login overrides
/// them in `[connect.salesforce]`) and the scopes the tools need: `api` for the REST API,
/// `refresh_token` for renewals. The token response names the organization's instance.
pub const OAUTH: OAuthEndpoints = OAuthEndpoints {
    authorize_url: "https://login.salesforce.com/services/oauth2/authorize",
    token_url: "https://login.salesforce.com/services/oauth2/token",
    scopes: &["api", "refresh_token"],
    authorize_params: &[],
    // The identity endpoints need scopes (`openid`, `id`) the tools do not: a connection is
    // known by its instance.
    account: None,
    revocation_url: Some("https://login.salesforce.com/services/oauth2/revoke"),
};

static SALESFORCE: Identity = Identity {
    name: "Salesforce",
    provider: "salesforce",
    connect_hint: "set `SALESFORCE_INSTANCE_URL` (e.g. `https://your-org.my.salesforce.com`) and \
                   `SALESFORCE_TOKEN` (an access token) in the server's environment, or connect \
                   with OAuth",
};

/// What is Salesforce's own in talking to it: the instance a call goes to, and its error format.
#[derive(Debug, Clone)]
pub struct SalesforcePlatform {
    /// The server's configured instance, used when neither the connection nor the host names one.
    instance_url: Option<String>,
}

impl Platform for SalesforcePlatform {
    fn identity(&self) -> &'static Identity {
        &SALESFORCE
    }

    /// `{instance}/services/data/v{API_VERSION}`, the instance being the one the user connected
    /// to (from the OAuth token response), else the host's ([`InstanceUrl`]), else the server's.
    async fn base_url(
        &self,
        _api: &Api<Self>,
        ctx: &ToolContext,
        credential: &Credential<'_>,
    ) -> Result<String, McpError> {
        let instance = credential
            .instance_url()
            .map(str::to_owned)
            .or_else(|| ctx.get::<InstanceUrl>().map(|instance| instance.0.clone()))
            .or_else(|| self.instance_url.clone())
            .filter(|instance| !instance.trim().is_empty())
            .ok_or_else(|| {
                McpError::of_kind(
                    ErrorKind::PersonalAuthenticationRequired {
                        provider: SALESFORCE.connection_key(ctx).to_owned(),
                    },
                    format!(
                        "not connected to Salesforce: no instance URL; {}",
                        SALESFORCE.connect_hint
                    ),
                )
            })?;
        Ok(format!(
            "{}/services/data/v{API_VERSION}",
            instance_root(&instance)
        ))
    }

    /// Salesforce answers errors as an array, `[{"message", "errorCode", "fields"}]`: each as
    /// `errorCode: message`; a lone `{"message"}` object (a gateway) as its message.
    fn error_messages(&self, body: &Value) -> Vec<String> {
        match body {
            Value::Array(errors) => errors.iter().filter_map(error_message).collect(),
            other => error_message(other).into_iter().collect(),
        }
    }
}

/// `errorCode: message` of one error (`statusCode` in per-record results).
pub(super) fn error_message(error: &Value) -> Option<String> {
    let message = error.get("message").and_then(Value::as_str)?;
    let code = error
        .get("errorCode")
        .or_else(|| error.get("statusCode"))
        .and_then(Value::as_str);
    Some(match code {
        Some(code) => format!("{code}: {message}"),
        None => message.to_owned(),
    })
}

/// A connection to Salesforce: the kit's API client with Salesforce's platform.
pub type Client = Api<SalesforcePlatform>;

/// Salesforce at `instance_url` (unless the call's connection or host names another), with
/// `token` when neither the call nor the user's connection carries one.
pub fn client(instance_url: Option<String>, token: Option<String>) -> Client {
    let instance_url = instance_url.filter(|instance| !instance.trim().is_empty());
    let base = instance_url.clone().unwrap_or_default();
    Api::new(SalesforcePlatform { instance_url }, &base, token)
}

/// `https://acme.my.salesforce.com` of itself, of `acme.my.salesforce.com`, or with a trailing `/`.
fn instance_root(instance: &str) -> String {
    let instance = instance.trim().trim_end_matches('/');
    if instance.starts_with("https://") || instance.starts_with("http://") {
        instance.to_owned()
    } else {
        format!("https://{instance}")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_instance_is_a_host_name_or_a_url() {
        assert_eq!(
            instance_root("acme.my.salesforce.com"),
            "https://acme.my.salesforce.com"
        );
        assert_eq!(
            instance_root(" https://acme.my.salesforce.com/ "),
            "https://acme.my.salesforce.com"
        );
        assert_eq!(
            instance_root("http://127.0.0.1:9000"),
            "http://127.0.0.1:9000"
        );
    }

    #[test]
    fn errors_come_as_arrays_of_codes_and_messages() {
        let platform = SalesforcePlatform { instance_url: None };
        let body = json!([
            {"message": "No such column 'Foo' on entity 'Account'.", "errorCode": "INVALID_FIELD"},
            {"message": "Required fields are missing: [Name]", "errorCode": "REQUIRED_FIELD_MISSING", "fields": ["Name"]}
        ]);
        assert_eq!(
            platform.error_messages(&body),
            [
                "INVALID_FIELD: No such column 'Foo' on entity 'Account'.",
                "REQUIRED_FIELD_MISSING: Required fields are missing: [Name]"
            ]
        );
        assert_eq!(
            platform.error_messages(&json!({"message": "Service Unavailable"})),
            ["Service Unavailable"]
        );
        assert!(
            platform
                .error_messages(&json!([{"errorCode": "X"}]))
                .is_empty()
        );
    }
}
