//! Bearer tokens checked by asking their issuer (OAuth 2.0 token introspection, RFC 7662): the
//! issuer says whether the token is active, whom it speaks for and what it grants. An answer is
//! kept for [`KEEP_FOR`] at most (never past the token's expiry), for at most [`MAX_KEPT`]
//! tokens, by a digest of the token (the token itself is not kept).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use mcp_runtime::BoxFuture;
use mcp_runtime::host::serve::{InvalidToken, Principal, TokenValidator};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::Expected;

/// How long an introspection answer is reused.
pub const KEEP_FOR: Duration = Duration::from_secs(30);

/// How many answers are kept at most.
pub const MAX_KEPT: usize = 4096;

/// Checks bearer tokens at the issuer's introspection endpoint.
#[derive(Debug)]
pub struct Introspection {
    expected: Expected,
    url: String,
    client_id: String,
    client_secret: SecretString,
    http: reqwest::Client,
    kept: Mutex<HashMap<[u8; 32], (Principal, Instant)>>,
}

impl Introspection {
    /// Asks `url`, authenticated as `client_id` with `client_secret` (HTTP Basic).
    pub fn new(
        expected: Expected,
        url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: SecretString,
        http: reqwest::Client,
    ) -> Self {
        Introspection {
            expected,
            url: url.into(),
            client_id: client_id.into(),
            client_secret,
            http,
            kept: Mutex::new(HashMap::new()),
        }
    }

    async fn check(&self, token: &str) -> Result<Principal, InvalidToken> {
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        if let Some(principal) = self.kept(&digest) {
            return Ok(principal);
        }
        let answer = self.ask(token).await?;
        if answer.get("active") != Some(&Value::Bool(true)) {
            return Err(InvalidToken("the token is not active".to_owned()));
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let expires_in = match answer.get("exp").and_then(Value::as_u64) {
            Some(exp) if exp <= now => {
                return Err(InvalidToken("the token has expired".to_owned()));
            }
            Some(exp) => Duration::from_secs(exp - now),
            None => KEEP_FOR,
        };
        if let Some(issuer) = answer.get("iss")
            && issuer.as_str() != Some(self.expected.issuer.as_str())
        {
            return Err(InvalidToken(
                "the token comes from another issuer".to_owned(),
            ));
        }
        // RFC 8707: a token must be meant for this server. An issuer that does not say whom a
        // token is for cannot be trusted to have bound it.
        match answer.get("aud") {
            Some(aud) if self.expected.audience_matches(aud) => {}
            _ => {
                return Err(InvalidToken(
                    "the token is not meant for this server (its audience)".to_owned(),
                ));
            }
        }
        let principal = self.expected.principal(&answer)?;
        self.keep(digest, principal.clone(), expires_in.min(KEEP_FOR));
        Ok(principal)
    }

    async fn ask(&self, token: &str) -> Result<Map<String, Value>, InvalidToken> {
        let unavailable = |error: String| {
            // The error names the endpoint's answer, never the token.
            tracing::warn!(url = %self.url, %error, "token introspection failed");
            InvalidToken("the token could not be checked".to_owned())
        };
        let response = self
            .http
            .post(&self.url)
            .basic_auth(&self.client_id, Some(self.client_secret.expose_secret()))
            .header("accept", "application/json")
            .form(&[("token", token), ("token_type_hint", "access_token")])
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|error| unavailable(error.without_url().to_string()))?;
        let body = response
            .bytes()
            .await
            .map_err(|error| unavailable(error.to_string()))?;
        serde_json::from_slice(&body).map_err(|error| unavailable(error.to_string()))
    }

    fn kept(&self, digest: &[u8; 32]) -> Option<Principal> {
        let kept = self
            .kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        kept.get(digest)
            .filter(|(_, until)| Instant::now() < *until)
            .map(|(principal, _)| principal.clone())
    }

    fn keep(&self, digest: [u8; 32], principal: Principal, for_: Duration) {
        let mut kept = self
            .kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if kept.len() >= MAX_KEPT {
            let now = Instant::now();
            kept.retain(|_, (_, until)| now < *until);
            if kept.len() >= MAX_KEPT {
                kept.clear();
            }
        }
        kept.insert(digest, (principal, Instant::now() + for_));
    }
}

impl TokenValidator for Introspection {
    fn validate<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<Principal, InvalidToken>> {
        Box::pin(self.check(token))
    }
}
