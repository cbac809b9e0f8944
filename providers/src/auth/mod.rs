//! Who is calling a protected host: bearer tokens checked as JWTs against the issuer's published
//! keys ([`JwtValidator`]) or by asking the issuer ([`Introspection`], RFC 7662). Either way the
//! token must be meant for this server (its audience is this server's URL, RFC 8707), and it
//! names the user calls run for and the scopes they may use.

mod introspection;
mod jwt;

use std::sync::Arc;

use mcp_runtime::host::serve::{InvalidToken, Principal, ProtectedResource, TokenValidator};
use serde_json::{Map, Value};

use crate::config::{Auth, Check};

pub use introspection::Introspection;
pub use jwt::JwtValidator;

/// The protection `auth` describes, for a host serving MCP at `paths` under its public URL:
/// tokens must be meant for the public URL or one of those endpoints.
pub fn protect(auth: Auth, paths: &[String]) -> ProtectedResource {
    let base = auth.public_url.as_str().trim_end_matches('/').to_owned();
    // With and without a trailing slash: JWT audiences are compared as written.
    let audiences = [base.clone(), format!("{base}/")]
        .into_iter()
        .chain(paths.iter().map(|path| format!("{base}{path}")))
        .collect();
    let expected = Expected {
        issuer: auth.issuer.clone(),
        audiences,
        user_claim: auth.user_claim,
    };
    // Time-bounded: a slow issuer fails the request rather than holding it.
    let http = providers::kit::http_client(
        reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)),
    );
    let validator: Arc<dyn TokenValidator> = match auth.check {
        Check::Jwks(url) => Arc::new(JwtValidator::new(expected, url, http)),
        Check::Introspection {
            url,
            client_id,
            client_secret,
        } => Arc::new(Introspection::new(
            expected,
            url,
            client_id,
            client_secret,
            http,
        )),
    };
    ProtectedResource {
        resource: base,
        authorization_servers: vec![auth.issuer],
        scopes_supported: auth.scopes,
        validator,
        required_scopes: auth.required_scopes,
    }
}

/// What every validator checks beyond the token's own validity.
#[derive(Debug, Clone)]
pub struct Expected {
    /// The issuer (`iss`) tokens must come from.
    pub issuer: String,
    /// The audiences (`aud`) a token may name: this server's URLs.
    pub audiences: Vec<String>,
    /// The claim naming the user (`sub` by default).
    pub user_claim: String,
}

impl Expected {
    /// Whether `aud` (a string or a list) names one of ours.
    fn audience_matches(&self, aud: &Value) -> bool {
        let ours = |audience: &str| {
            self.audiences
                .iter()
                .any(|ours| ours.trim_end_matches('/') == audience.trim_end_matches('/'))
        };
        match aud {
            Value::String(audience) => ours(audience),
            Value::Array(audiences) => audiences.iter().filter_map(Value::as_str).any(ours),
            _ => false,
        }
    }

    /// The principal the verified `claims` name.
    fn principal(&self, claims: &Map<String, Value>) -> Result<Principal, InvalidToken> {
        let user_id = claims
            .get(&self.user_claim)
            .and_then(Value::as_str)
            .filter(|user| !user.is_empty())
            .ok_or_else(|| {
                InvalidToken(format!(
                    "the token has no `{}` claim naming its user",
                    self.user_claim
                ))
            })?;
        // `scope` is a space-separated string (RFC 8693, 9068); some issuers send `scp`, a list.
        let scopes = match (claims.get("scope"), claims.get("scp")) {
            (Some(Value::String(scopes)), _) => {
                scopes.split_whitespace().map(str::to_owned).collect()
            }
            (_, Some(Value::Array(scopes))) => scopes
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            (_, Some(Value::String(scopes))) => {
                scopes.split_whitespace().map(str::to_owned).collect()
            }
            _ => Vec::new(),
        };
        Ok(Principal {
            user_id: user_id.to_owned(),
            scopes,
            claims: claims.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn expected() -> Expected {
        Expected {
            issuer: "https://idp.example.com".to_owned(),
            audiences: vec!["https://mcp.example.com/".to_owned()],
            user_claim: "sub".to_owned(),
        }
    }

    #[test]
    fn the_audience_is_one_of_ours_with_or_without_a_trailing_slash() {
        let expected = expected();
        assert!(expected.audience_matches(&json!("https://mcp.example.com")));
        assert!(expected.audience_matches(&json!(["other", "https://mcp.example.com/"])));
        assert!(!expected.audience_matches(&json!("https://mcp.example.com/other")));
        assert!(!expected.audience_matches(&json!(["other"])));
        assert!(!expected.audience_matches(&json!(null)));
    }

    #[test]
    fn the_user_and_scopes_come_from_the_claims() {
        let claims = |claims: Value| claims.as_object().unwrap().clone();
        let principal = expected()
            .principal(&claims(json!({"sub": "ana", "scope": "mcp  github:write"})))
            .unwrap();
        assert_eq!(principal.user_id, "ana");
        assert_eq!(principal.scopes, ["mcp", "github:write"]);
        for scp in [json!(["a", "b"]), json!("a b")] {
            let principal = expected()
                .principal(&claims(json!({"sub": "bo", "scp": scp})))
                .unwrap();
            assert_eq!(principal.scopes, ["a", "b"]);
        }
        assert!(
            expected()
                .principal(&claims(json!({"sub": "bo"})))
                .unwrap()
                .scopes
                .is_empty()
        );
        let refused = expected()
            .principal(&claims(json!({"sub": ""})))
            .unwrap_err();
        assert_eq!(refused.0, "the token has no `sub` claim naming its user");
    }
}
