//! A protected host through the real binary: bearer tokens checked as JWTs against a fake
//! issuer's published keys (on loopback), or by introspection; the protected-resource metadata;
//! the audience bound to this server; step-up for a tool needing a scope.

mod support;

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use support::host::{Host, answer, client, stateless_call};

/// The URL clients reach the host at, as the configuration says.
const PUBLIC_URL: &str = "https://mcp.example.com";

/// An Ed25519 signing key of the fake issuer.
struct Key {
    id: &'static str,
    seed: [u8; 32],
}

impl Key {
    const PUBLISHED: Key = Key {
        id: "k1",
        seed: [7; 32],
    };
    const ROTATED: Key = Key {
        id: "k2",
        seed: [8; 32],
    };
    const NEVER_PUBLISHED: Key = Key {
        id: "k3",
        seed: [9; 32],
    };

    /// Its public half, as a JWK.
    fn jwk(&self) -> Value {
        let public = ed25519_dalek::SigningKey::from_bytes(&self.seed).verifying_key();
        json!({"kty": "OKP", "crv": "Ed25519", "kid": self.id, "alg": "EdDSA", "use": "sig",
               "x": URL_SAFE_NO_PAD.encode(public.to_bytes())})
    }

    /// A JWT with `claims`, signed by this key.
    fn sign(&self, claims: &Value) -> String {
        // PKCS#8 of an Ed25519 private key: a fixed prefix, then the seed.
        let mut der = vec![
            0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22,
            0x04, 0x20,
        ];
        der.extend_from_slice(&self.seed);
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.id.to_owned());
        jsonwebtoken::encode(&header, claims, &EncodingKey::from_ed_der(&der)).unwrap()
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The claims of a token for `ana` meant for this host, valid for an hour, with `scope`.
fn claims(issuer: &str, scope: &str) -> Value {
    json!({"iss": issuer, "sub": "ana", "aud": format!("{PUBLIC_URL}/mcp"),
           "exp": now() + 3600, "iat": now(), "scope": scope})
}

/// The host serving `sqlite` protected as `auth` (a TOML table body) says.
fn protected_host(auth: &str) -> Host {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("team.toml"),
        format!(
            "listen = \"127.0.0.1:0\"\npublic_url = \"{PUBLIC_URL}\"\n[servers.sqlite]\n\
             [auth]\n{auth}\n"
        ),
    )
    .unwrap();
    Host::spawn(
        Host::command()
            .args(["serve", "--config", "team.toml"])
            .current_dir(dir.path())
            .env("INTROSPECTION_SECRET", "s3cret")
            .env("RUST_LOG", "warn"),
        Some(dir),
    )
    .serving()
}

/// A stateless (2026-07-28) call of `tool` with `authorization`; the status, challenge and
/// message.
async fn call(
    host: &Host,
    authorization: Option<&str>,
    tool: &str,
    arguments: Value,
) -> (StatusCode, String, Value) {
    let params = json!({"arguments": arguments});
    let mut request = stateless_call(&client(), &host.url, tool, params, json!({}));
    if let Some(authorization) = authorization {
        request = request.header("authorization", authorization);
    }
    let response = request.send().await.unwrap();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let (status, message) = answer(response).await;
    (status, challenge, message)
}

async fn list_tables(host: &Host, token: &str) -> (StatusCode, String, Value) {
    call(
        host,
        Some(&format!("Bearer {token}")),
        "list_tables",
        json!({}),
    )
    .await
}

const METADATA: &str =
    "resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource\"";

/// A fake issuer publishing `keys` (then `rotated`, on its next fetches).
async fn issuer(keys: &[&Key], rotated: &[&Key]) -> MockServer {
    let issuer = MockServer::start().await;
    let set = |keys: &[&Key]| json!({"keys": keys.iter().map(|key| key.jwk()).collect::<Vec<_>>()});
    Mock::given(method("GET"))
        .and(path("/jwks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(set(keys)))
        .up_to_n_times(1)
        .mount(&issuer)
        .await;
    Mock::given(method("GET"))
        .and(path("/jwks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(set(rotated)))
        .mount(&issuer)
        .await;
    issuer
}

async fn jwks_fetches(issuer: &MockServer) -> usize {
    issuer.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn jwts_are_checked_against_the_issuers_keys_and_this_servers_audience() {
    let issuer = issuer(&[&Key::PUBLISHED], &[&Key::PUBLISHED, &Key::ROTATED]).await;
    let iss = issuer.uri();
    let host = protected_host(&format!(
        "issuer = \"{iss}\"\njwks_url = \"{iss}/jwks\"\nscopes = [\"mcp\"]"
    ));

    // The metadata names this server and its issuer.
    let metadata = client()
        .get(format!(
            "http://{}/.well-known/oauth-protected-resource",
            host.address()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(metadata.status(), StatusCode::OK);
    let (_, metadata) = answer(metadata).await;
    assert_eq!(
        metadata,
        json!({"resource": PUBLIC_URL, "authorization_servers": [iss],
               "scopes_supported": ["mcp"], "bearer_methods_supported": ["header"]})
    );

    // None: the challenge points at the metadata.
    let (status, challenge, _) = call(&host, None, "list_tables", json!({})).await;
    assert_eq!(
        (status, challenge.as_str()),
        (StatusCode::UNAUTHORIZED, &*format!("Bearer {METADATA}"))
    );

    let good = Key::PUBLISHED.sign(&claims(&iss, "mcp"));
    let (status, _, message) = list_tables(&host, &good).await;
    assert_eq!(status, StatusCode::OK, "{message}");
    assert!(
        message["result"]["content"][0]["text"].is_string(),
        "{message}"
    );
    // The audience may be the public URL itself, written with or without its slash.
    for audience in [PUBLIC_URL.to_owned(), format!("{PUBLIC_URL}/")] {
        let mut for_the_host = claims(&iss, "mcp");
        for_the_host["aud"] = json!(audience);
        let (status, _, message) = list_tables(&host, &Key::PUBLISHED.sign(&for_the_host)).await;
        assert_eq!(status, StatusCode::OK, "{audience}: {message}");
    }

    let refused = |description: &str| {
        format!("Bearer {METADATA}, error=\"invalid_token\", error_description=\"{description}\"")
    };
    let claims_of = |change: &dyn Fn(&mut Value)| {
        let mut claims = claims(&iss, "mcp");
        change(&mut claims);
        Key::PUBLISHED.sign(&claims)
    };
    let cases = [
        (
            claims_of(&|claims| claims["aud"] = json!("https://elsewhere.example.com/mcp")),
            "the token is not meant for this server (its audience)",
        ),
        (
            claims_of(&|claims| claims["exp"] = json!(now() - 600)),
            "the token has expired",
        ),
        (
            claims_of(&|claims| claims["iss"] = json!("https://other-issuer.example.com")),
            "the token comes from another issuer",
        ),
        (
            claims_of(&|claims| {
                claims.as_object_mut().unwrap().remove("aud");
            }),
            "the token lacks a required claim (exp, iss, aud)",
        ),
        (
            // Another key under the published key's id.
            Key {
                id: Key::PUBLISHED.id,
                seed: Key::ROTATED.seed,
            }
            .sign(&claims(&iss, "mcp")),
            "the token's signature is not valid",
        ),
        ("not-a-jwt".to_owned(), "the token is not a JWT"),
    ];
    for (token, description) in cases {
        let (status, challenge, _) = list_tables(&host, &token).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{description}");
        assert_eq!(challenge, refused(description));
    }
    assert_eq!(jwks_fetches(&issuer).await, 1, "the keys are kept");

    // A key the issuer rotated in is fetched for; one it never published is refused, and does
    // not make the host fetch again right away.
    let rotated = Key::ROTATED.sign(&claims(&iss, "mcp"));
    let (status, _, message) = list_tables(&host, &rotated).await;
    assert_eq!(status, StatusCode::OK, "{message}");
    assert_eq!(jwks_fetches(&issuer).await, 2);
    for _ in 0..3 {
        let unknown = Key::NEVER_PUBLISHED.sign(&claims(&iss, "mcp"));
        let (status, challenge, _) = list_tables(&host, &unknown).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            challenge,
            refused("the token is signed by a key the issuer does not publish")
        );
    }
    assert_eq!(
        jwks_fetches(&issuer).await,
        2,
        "made-up key ids do not flood the issuer"
    );
    assert!(!host.stderr().contains(&good), "{}", host.stderr());
}

#[tokio::test]
async fn a_tool_needing_a_scope_the_token_lacks_answers_403_with_the_scope_to_ask_for() {
    let issuer = issuer(&[&Key::PUBLISHED], &[&Key::PUBLISHED]).await;
    let iss = issuer.uri();
    let host = protected_host(&format!(
        "issuer = \"{iss}\"\njwks_url = \"{iss}/jwks\"\n\
         [auth.required_scopes]\nsqlite = [\"mcp\"]\n\"sqlite/query\" = [\"sql\"]"
    ));
    let reader = Key::PUBLISHED.sign(&claims(&iss, "mcp"));
    let (status, _, message) = list_tables(&host, &reader).await;
    assert_eq!(status, StatusCode::OK, "{message}");
    let query = json!({"sql": "SELECT 1"});
    let (status, challenge, message) = call(
        &host,
        Some(&format!("Bearer {reader}")),
        "query",
        query.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        challenge,
        format!(
            "Bearer error=\"insufficient_scope\", scope=\"mcp sql\", {METADATA}, \
             error_description=\"`query` of `sqlite` needs the scope(s) sql\""
        )
    );
    assert_eq!(message["error"], "insufficient_scope");
    // With the scope, the same call runs.
    let querier = Key::PUBLISHED.sign(&claims(&iss, "mcp sql"));
    let (status, _, message) =
        call(&host, Some(&format!("Bearer {querier}")), "query", query).await;
    assert_eq!(status, StatusCode::OK, "{message}");
    assert_eq!(message["result"]["isError"], false, "{message}");
}

#[tokio::test]
async fn introspected_tokens_are_asked_about_once_and_must_be_meant_for_this_server() {
    let issuer = MockServer::start().await;
    let iss = issuer.uri();
    // HTTP Basic `mcp-host:s3cret`.
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("mcp-host:s3cret")
    );
    let introspected = |token: &str, answer: Value| {
        Mock::given(method("POST"))
            .and(path("/introspect"))
            .and(header("authorization", basic.as_str()))
            .and(body_string_contains(format!("token={token}&")))
            .respond_with(ResponseTemplate::new(200).set_body_json(answer))
    };
    introspected(
        "good",
        json!({"active": true, "iss": iss, "sub": "ana", "aud": [PUBLIC_URL], "scope": "mcp",
               "exp": now() + 3600}),
    )
    .expect(1)
    .mount(&issuer)
    .await;
    introspected("revoked", json!({"active": false}))
        .mount(&issuer)
        .await;
    introspected(
        "elsewhere",
        json!({"active": true, "iss": iss, "sub": "ana", "aud": "https://elsewhere.example.com"}),
    )
    .mount(&issuer)
    .await;
    introspected("unbound", json!({"active": true, "iss": iss, "sub": "ana"}))
        .mount(&issuer)
        .await;
    let host = protected_host(&format!(
        "issuer = \"{iss}\"\nintrospection_url = \"{iss}/introspect\"\n\
         client_id = \"mcp-host\"\nclient_secret = {{ env = \"INTROSPECTION_SECRET\" }}"
    ));
    for _ in 0..2 {
        let (status, _, message) = list_tables(&host, "good").await;
        assert_eq!(status, StatusCode::OK, "{message}");
    }
    for (token, description) in [
        ("revoked", "the token is not active"),
        (
            "elsewhere",
            "the token is not meant for this server (its audience)",
        ),
        (
            "unbound",
            "the token is not meant for this server (its audience)",
        ),
    ] {
        let (status, challenge, _) = list_tables(&host, token).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{token}");
        assert!(
            challenge.ends_with(&format!("error_description=\"{description}\"")),
            "{challenge}"
        );
    }
    assert!(!host.stderr().contains("s3cret"), "{}", host.stderr());
}
