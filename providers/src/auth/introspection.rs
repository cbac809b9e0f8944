//! Bearer tokens checked by asking their issuer (OAuth 2.0 token introspection, RFC 7662): the
//! issuer says whether the token is active, whom it speaks for and what it grants. An answer is
//! kept for [`KEEP_FOR`] at most (never past the token's expiry), for at most [`MAX_KEPT`]
//! tokens, by a digest of the token (the token itself is not kept).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use mcp_runtime::BoxFuture;
use mcp_runtime::host::serve::{InvalidToken, Principal, TokenValidator};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
// Tokio's clock, so that tests can move it past an answer's time.
use tokio::time::Instant;

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
    /// Answers kept at most ([`MAX_KEPT`]).
    capacity: usize,
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
            capacity: MAX_KEPT,
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
        if kept.len() >= self.capacity {
            let now = Instant::now();
            kept.retain(|_, (_, until)| now < *until);
            if kept.len() >= self.capacity {
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

#[cfg(test)]
mod tests {
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;

    fn introspection(issuer: &MockServer) -> Introspection {
        Introspection::new(
            Expected {
                issuer: "https://idp.example.com".to_owned(),
                audiences: vec!["https://mcp.example.com".to_owned()],
                user_claim: "sub".to_owned(),
            },
            format!("{}/introspect", issuer.uri()),
            "mcp",
            SecretString::from("secret"),
            providers::kit::http_client(reqwest::Client::builder()),
        )
    }

    fn now() -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
    }

    /// The issuer says the token is active until `exp`.
    async fn issuer(exp: u64) -> MockServer {
        let issuer = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/introspect"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "active": true, "iss": "https://idp.example.com", "sub": "ana",
                "aud": "https://mcp.example.com", "exp": exp
            })))
            .mount(&issuer)
            .await;
        issuer
    }

    async fn asked(issuer: &MockServer) -> usize {
        issuer.received_requests().await.unwrap().len()
    }

    /// Moves Tokio's clock by `by`, real requests going on either side.
    async fn advance(by: Duration) {
        tokio::time::pause();
        tokio::time::advance(by).await;
        tokio::time::resume();
    }

    #[tokio::test]
    async fn an_active_token_past_its_expiry_is_refused() {
        let issuer = issuer(now() - 10).await;
        let refused = introspection(&issuer).check("token").await.unwrap_err();
        assert_eq!(refused.0, "the token has expired");
    }

    #[tokio::test]
    async fn an_answer_is_kept_30_s_to_the_instant() {
        let issuer = issuer(now() + 3600).await;
        let introspection = introspection(&issuer);
        introspection.check("token").await.unwrap();
        advance(KEEP_FOR - Duration::from_millis(1)).await;
        introspection.check("token").await.unwrap();
        assert_eq!(asked(&issuer).await, 1, "kept");
        advance(Duration::from_millis(1)).await;
        introspection.check("token").await.unwrap();
        assert_eq!(asked(&issuer).await, 2, "asked again at 30 s");
    }

    #[tokio::test]
    async fn an_answer_is_not_kept_past_the_tokens_expiry() {
        let issuer = issuer(now() + 10).await;
        let introspection = introspection(&issuer);
        introspection.check("token").await.unwrap();
        advance(Duration::from_secs(5)).await;
        introspection.check("token").await.unwrap();
        assert_eq!(asked(&issuer).await, 1, "kept while the token lives");
        advance(Duration::from_secs(10)).await;
        introspection.check("token").await.unwrap();
        assert_eq!(asked(&issuer).await, 2, "not kept past its expiry");
    }

    #[tokio::test]
    async fn the_answers_kept_are_bounded_the_expired_forgotten_first() {
        let issuer = MockServer::start().await;
        let mut introspection = introspection(&issuer);
        introspection.capacity = 2;
        let principal = |user: &str| Principal {
            user_id: user.to_owned(),
            scopes: Vec::new(),
            claims: serde_json::Map::new(),
        };
        tokio::time::pause();
        introspection.keep([1; 32], principal("a"), Duration::from_secs(1));
        introspection.keep([2; 32], principal("b"), Duration::from_secs(60));
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(
            introspection.kept(&[1; 32]).is_none(),
            "gone at its time, to the instant"
        );
        // Full: the one expired this instant makes room, the others stay.
        introspection.keep([3; 32], principal("c"), Duration::from_secs(60));
        assert!(introspection.kept(&[1; 32]).is_none());
        assert_eq!(introspection.kept(&[2; 32]).unwrap().user_id, "b");
        assert_eq!(introspection.kept(&[3; 32]).unwrap().user_id, "c");
        // Full of live answers: all are forgotten for the new one.
        introspection.keep([4; 32], principal("d"), Duration::from_secs(60));
        assert!(introspection.kept(&[2; 32]).is_none() && introspection.kept(&[3; 32]).is_none());
        assert_eq!(introspection.kept(&[4; 32]).unwrap().user_id, "d");
        assert_eq!(introspection.kept.lock().unwrap().len(), 1);
    }
}
