//! Bearer tokens as JWTs, verified with the issuer's published keys (a JWKS). The keys are
//! fetched when first needed and kept (an hour at most); a token signed by a key not among them
//! fetches them again (the issuer rotated its keys), but such fetches come at most once per
//! [`REFETCH_PAUSE`], so a flood of made-up key ids cannot make this server flood the issuer.
//! Only asymmetric keys are used.

use std::collections::HashMap;
use std::time::Duration;

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, errors::ErrorKind};
use mcp_runtime::BoxFuture;
use mcp_runtime::host::serve::{InvalidToken, Principal, TokenValidator};
use serde_json::{Map, Value};
use tokio::sync::RwLock;
// Tokio's clock, so that tests can move it past the keys' time.
use tokio::time::Instant;

use super::Expected;

/// The least time between two fetches of the keys for a key id not among them.
pub const REFETCH_PAUSE: Duration = Duration::from_secs(30);

/// Keys are fetched again after this long even when every token's key is known, so that a key
/// the issuer withdrew stops being accepted.
const KEYS_TTL: Duration = Duration::from_secs(3600);

/// Checks bearer tokens as JWTs signed by one of the issuer's keys.
#[derive(Debug)]
pub struct JwtValidator {
    expected: Expected,
    jwks_url: String,
    http: reqwest::Client,
    keys: RwLock<Keys>,
}

/// The issuer's keys, by key id, with the algorithms each may sign with.
#[derive(Default)]
struct Keys {
    by_id: HashMap<String, (DecodingKey, Vec<Algorithm>)>,
    fetched: Option<Instant>,
    /// When a key id not among the keys last made them be fetched.
    fetched_for_unknown: Option<Instant>,
}

impl Keys {
    /// Whether a key id not among them may fetch them now (none did in the last
    /// [`REFETCH_PAUSE`]); if so, this is the time one did.
    fn may_fetch_for_unknown(&mut self) -> bool {
        if self
            .fetched_for_unknown
            .is_some_and(|fetched| fetched.elapsed() < REFETCH_PAUSE)
        {
            return false;
        }
        self.fetched_for_unknown = Some(Instant::now());
        true
    }

    /// Whether they were never fetched, or fetched more than [`KEYS_TTL`] ago.
    fn stale(&self) -> bool {
        self.fetched
            .is_none_or(|fetched| fetched.elapsed() > KEYS_TTL)
    }
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("ids", &self.by_id.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl JwtValidator {
    /// Tokens `expected` to be signed by a key published at `jwks_url`.
    pub fn new(expected: Expected, jwks_url: impl Into<String>, http: reqwest::Client) -> Self {
        JwtValidator {
            expected,
            jwks_url: jwks_url.into(),
            http,
            keys: RwLock::new(Keys::default()),
        }
    }

    async fn check(&self, token: &str) -> Result<Principal, InvalidToken> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| InvalidToken("the token is not a JWT".to_owned()))?;
        let kid = header.kid.unwrap_or_default();
        let (stale, known) = {
            let keys = self.keys.read().await;
            (keys.stale(), keys.by_id.contains_key(&kid))
        };
        if stale || !known {
            self.refetch(!stale).await;
        }
        let keys = self.keys.read().await;
        let (key, algorithms) = match keys.by_id.get(&kid) {
            Some(found) => found,
            // A token without a key id, from an issuer with a single key.
            None if kid.is_empty() && keys.by_id.len() == 1 => {
                keys.by_id.values().next().expect("one key")
            }
            None => {
                return Err(InvalidToken(
                    "the token is signed by a key the issuer does not publish".to_owned(),
                ));
            }
        };
        if !algorithms.contains(&header.alg) {
            return Err(InvalidToken(format!(
                "the token's algorithm {:?} is not its key's",
                header.alg
            )));
        }
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&self.expected.issuer]);
        validation.set_audience(&self.expected.audiences);
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        validation.validate_nbf = true;
        let claims = jsonwebtoken::decode::<Map<String, Value>>(token, key, &validation)
            .map_err(|error| InvalidToken(refusal(error.kind()).to_owned()))?
            .claims;
        self.expected.principal(&claims)
    }

    /// Fetches the keys; for an unknown key id (`for_unknown`), unless that was done less than
    /// [`REFETCH_PAUSE`] ago.
    async fn refetch(&self, for_unknown: bool) {
        let mut keys = self.keys.write().await;
        if for_unknown {
            if !keys.may_fetch_for_unknown() {
                return;
            }
        } else if !keys.stale() {
            // Another request fetched them while this one waited.
            return;
        }
        keys.fetched = Some(Instant::now());
        match self.fetch().await {
            Ok(fetched) => keys.by_id = fetched,
            // The keys held are kept: the issuer may be down for a moment.
            Err(error) => {
                tracing::warn!(url = %self.jwks_url, %error, "cannot fetch the issuer's keys");
            }
        }
    }

    async fn fetch(&self) -> Result<HashMap<String, (DecodingKey, Vec<Algorithm>)>, String> {
        let response = self
            .http
            .get(&self.jwks_url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|error| error.to_string())?;
        let body = response.bytes().await.map_err(|error| error.to_string())?;
        let set: JwkSet = serde_json::from_slice(&body).map_err(|error| error.to_string())?;
        let mut keys = HashMap::new();
        for jwk in &set.keys {
            let Some(algorithms) = algorithms(jwk) else {
                continue;
            };
            let Ok(key) = DecodingKey::from_jwk(jwk) else {
                continue;
            };
            keys.insert(
                jwk.common.key_id.clone().unwrap_or_default(),
                (key, algorithms),
            );
        }
        Ok(keys)
    }
}

/// The algorithms a published key may sign with: the one it declares, else those of its type;
/// none for a symmetric key (a shared secret is not something an issuer publishes).
fn algorithms(jwk: &jsonwebtoken::jwk::Jwk) -> Option<Vec<Algorithm>> {
    use Algorithm::{ES256, ES384, EdDSA, PS256, PS384, PS512, RS256, RS384, RS512};
    let of_type = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => vec![RS256, RS384, RS512, PS256, PS384, PS512],
        AlgorithmParameters::EllipticCurve(ec) => match ec.curve {
            EllipticCurve::P256 => vec![ES256],
            EllipticCurve::P384 => vec![ES384],
            _ => return None,
        },
        AlgorithmParameters::OctetKeyPair(_) => vec![EdDSA],
        _ => return None,
    };
    match jwk.common.key_algorithm {
        Some(declared) => {
            let declared = Algorithm::try_from(declared).ok()?;
            of_type.contains(&declared).then(|| vec![declared])
        }
        None => Some(of_type),
    }
}

/// Why a token whose key is known was refused, for the client.
fn refusal(kind: &ErrorKind) -> &'static str {
    match kind {
        ErrorKind::ExpiredSignature => "the token has expired",
        ErrorKind::ImmatureSignature => "the token is not valid yet",
        ErrorKind::InvalidAudience => "the token is not meant for this server (its audience)",
        ErrorKind::InvalidIssuer => "the token comes from another issuer",
        ErrorKind::MissingRequiredClaim(_) => "the token lacks a required claim (exp, iss, aud)",
        ErrorKind::InvalidSignature => "the token's signature is not valid",
        _ => "the token is not valid",
    }
}

impl TokenValidator for JwtValidator {
    fn validate<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<Principal, InvalidToken>> {
        Box::pin(self.check(token))
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use jsonwebtoken::{EncodingKey, Header};
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;

    const SEED: [u8; 32] = [7; 32];

    /// The JWK of the test key, under `kid` if given.
    fn jwk(kid: Option<&str>) -> Value {
        let public = ed25519_dalek::SigningKey::from_bytes(&SEED).verifying_key();
        let mut jwk = json!({"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA",
                             "x": URL_SAFE_NO_PAD.encode(public.to_bytes())});
        if let Some(kid) = kid {
            jwk["kid"] = json!(kid);
        }
        jwk
    }

    /// A token for `ana`, signed by the test key, naming `kid` if given.
    fn token(kid: Option<&str>) -> String {
        token_with(kid, json!({}))
    }

    /// A token for `ana` with `claims` besides the usual ones.
    fn token_with(kid: Option<&str>, claims: Value) -> String {
        let mut der = vec![
            0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22,
            0x04, 0x20,
        ];
        der.extend_from_slice(&SEED);
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = kid.map(str::to_owned);
        let exp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 3600 * 3;
        let mut all = json!({"iss": "https://idp.example.com", "aud": "https://mcp.example.com",
                             "sub": "ana", "exp": exp});
        for (name, value) in claims.as_object().unwrap() {
            all[name] = value.clone();
        }
        let claims = all;
        jsonwebtoken::encode(&header, &claims, &EncodingKey::from_ed_der(&der)).unwrap()
    }

    async fn issuer(keys: Value) -> MockServer {
        let issuer = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/jwks"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"keys": keys})))
            .mount(&issuer)
            .await;
        issuer
    }

    fn validator(issuer: &MockServer) -> JwtValidator {
        JwtValidator::new(
            Expected {
                issuer: "https://idp.example.com".to_owned(),
                audiences: vec!["https://mcp.example.com".to_owned()],
                user_claim: "sub".to_owned(),
            },
            format!("{}/jwks", issuer.uri()),
            providers::kit::http_client(reqwest::Client::builder()),
        )
    }

    async fn fetches(issuer: &MockServer) -> usize {
        issuer.received_requests().await.unwrap().len()
    }

    #[tokio::test]
    async fn the_keys_are_kept_an_hour_to_the_instant() {
        let issuer = issuer(json!([jwk(Some("k1"))])).await;
        let validator = validator(&issuer);
        validator.check(&token(Some("k1"))).await.unwrap();
        // The clock stopped, as if the keys had been fetched this instant.
        tokio::time::pause();
        validator.keys.write().await.fetched = Some(Instant::now());
        tokio::time::advance(KEYS_TTL).await;
        validator.check(&token(Some("k1"))).await.unwrap();
        assert_eq!(fetches(&issuer).await, 1, "kept for the hour");
        tokio::time::advance(Duration::from_millis(1)).await;
        tokio::time::resume();
        validator.check(&token(Some("k1"))).await.unwrap();
        assert_eq!(fetches(&issuer).await, 2, "fetched again past it");
        assert_eq!(
            format!("{:?}", validator.keys.read().await),
            r#"Keys { ids: ["k1"], .. }"#
        );
    }

    #[tokio::test]
    async fn a_token_without_a_key_id_is_checked_with_the_only_key() {
        for key in [jwk(None), jwk(Some("k1"))] {
            let alone = issuer(json!([key])).await;
            let principal = validator(&alone).check(&token(None)).await.unwrap();
            assert_eq!(principal.user_id, "ana");
        }
        // With several keys, which one signed it is not guessed.
        let several = issuer(json!([jwk(Some("k1")), jwk(Some("k2"))])).await;
        let refused = validator(&several).check(&token(None)).await.unwrap_err();
        assert_eq!(
            refused.0,
            "the token is signed by a key the issuer does not publish"
        );
        // A key id the issuer does not publish is not its only key's.
        let named = issuer(json!([jwk(Some("k1"))])).await;
        let refused = validator(&named)
            .check(&token(Some("k9")))
            .await
            .unwrap_err();
        assert_eq!(
            refused.0,
            "the token is signed by a key the issuer does not publish"
        );
    }

    #[tokio::test]
    async fn unknown_key_ids_fetch_the_keys_at_most_every_30_s_to_the_instant() {
        let issuer = issuer(json!([jwk(Some("k1"))])).await;
        let validator = validator(&issuer);
        validator.check(&token(Some("k1"))).await.unwrap();
        validator.check(&token(Some("k9"))).await.unwrap_err();
        assert_eq!(
            fetches(&issuer).await,
            2,
            "an unknown key id fetches them again"
        );
        validator.check(&token(Some("k9"))).await.unwrap_err();
        assert_eq!(fetches(&issuer).await, 2, "not again right away");
        tokio::time::pause();
        tokio::time::advance(REFETCH_PAUSE).await;
        tokio::time::resume();
        validator.check(&token(Some("k9"))).await.unwrap_err();
        assert_eq!(fetches(&issuer).await, 3, "again after 30 s");
    }

    #[tokio::test(start_paused = true)]
    async fn the_pause_between_fetches_for_unknown_key_ids_is_30_s_to_the_instant() {
        let mut keys = Keys::default();
        assert!(keys.may_fetch_for_unknown(), "the first");
        tokio::time::advance(REFETCH_PAUSE - Duration::from_millis(1)).await;
        assert!(!keys.may_fetch_for_unknown());
        tokio::time::advance(Duration::from_millis(1)).await;
        assert!(keys.may_fetch_for_unknown(), "at 30 s");
        assert!(!keys.may_fetch_for_unknown(), "and the pause starts again");
    }

    #[tokio::test]
    async fn a_token_not_valid_yet_is_refused() {
        let issuer = issuer(json!([jwk(Some("k1"))])).await;
        let nbf = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 3600;
        let refused = validator(&issuer)
            .check(&token_with(Some("k1"), json!({"nbf": nbf})))
            .await
            .unwrap_err();
        assert_eq!(refused.0, "the token is not valid yet");
    }

    #[test]
    fn a_key_signs_with_the_algorithm_it_declares_else_those_of_its_type() {
        use Algorithm::{ES256, ES384, EdDSA, PS256, PS384, PS512, RS256, RS384, RS512};
        let of = |jwk: Value| algorithms(&serde_json::from_value(jwk).unwrap());
        let rsa = json!({"kty": "RSA", "n": "AQAB", "e": "AQAB"});
        assert_eq!(
            of(rsa.clone()),
            Some(vec![RS256, RS384, RS512, PS256, PS384, PS512])
        );
        let mut declared = rsa;
        declared["alg"] = json!("PS384");
        assert_eq!(of(declared), Some(vec![PS384]));
        let ec = |crv: &str| json!({"kty": "EC", "crv": crv, "x": "AQAB", "y": "AQAB"});
        assert_eq!(of(ec("P-256")), Some(vec![ES256]));
        assert_eq!(of(ec("P-384")), Some(vec![ES384]));
        assert_eq!(of(jwk(None)), Some(vec![EdDSA]));
        // A shared secret is not a key an issuer publishes; a declared algorithm of another
        // type is not the key's.
        assert_eq!(of(json!({"kty": "oct", "k": "c2VjcmV0"})), None);
        let mut mismatched = ec("P-256");
        mismatched["alg"] = json!("RS256");
        assert_eq!(of(mismatched), None);
    }
}
