//! Signing in to the console at the issuer that protects the MCP endpoints: OpenID Connect's
//! authorization code flow with PKCE. What the flow needs on the way back (the PKCE verifier,
//! the nonce the ID token must carry, where to go next) travels encrypted in its `state`, bound
//! to the browser that started it by a cookie; the ID token is checked with the issuer's keys,
//! for this console's client, and for that nonce.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use mcp_runtime::host::serve::TokenValidator as _;
use providers::connect::{OAuthApp, OAuthEndpoints};
use secrecy::{ExposeSecret as _, SecretString};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::OnceCell;

use super::page::{self, Message};
use super::session::Session;
use super::{Console, now, random_hex};
use crate::auth::{Expected, JwtValidator};
use crate::config::ConsoleConfig;
use crate::web::{cookie, see_other, set_cookie};

/// How long a sign-in may take at the issuer.
const SIGN_IN_TTL: u64 = 600;

/// The cookies binding sign-ins to their browser: one per sign-in (this prefix and the start
/// of its value), so that two begun side by side (two links opened) both end well.
const COOKIE: &str = "mcp_console_sign_in_";

/// The cookie of the sign-in whose browser value is `browser`.
fn cookie_name(browser: &str) -> String {
    format!("{COOKIE}{}", &browser[..browser.len().min(8)])
}

/// The scopes asked for: who the person is.
static SCOPES: OAuthEndpoints = OAuthEndpoints {
    authorize_url: "",
    token_url: "",
    scopes: &["openid", "profile", "email"],
    authorize_params: &[],
    account: None,
    revocation_url: None,
};

/// The console's client at the issuer.
pub struct SignIn {
    config: ConsoleConfig,
    redirect_url: String,
    app: OnceCell<Arc<OAuthApp>>,
    validator: JwtValidator,
    http: reqwest::Client,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn")
            .field("issuer", &self.config.issuer)
            .field("client_id", &self.config.client_id)
            .finish_non_exhaustive()
    }
}

/// What travels through the issuer with the browser, sealed.
#[derive(Serialize, Deserialize)]
struct FlowState {
    verifier: String,
    /// The value of the browser's sign-in cookie.
    browser: String,
    /// What the ID token's `nonce` must be.
    nonce: String,
    /// Where to go once signed in.
    next: String,
    expires_at: u64,
}

/// The endpoints an issuer's discovery document names.
#[derive(Deserialize)]
struct Discovery {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
}

impl SignIn {
    /// Signing in per `config`, the issuer sending people back to `public_url`.
    pub fn new(config: ConsoleConfig, public_url: &str) -> Self {
        // Time-bounded: a slow issuer fails the sign-in rather than holding it.
        let http = providers::kit::http_client(
            reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)),
        );
        let expected = Expected {
            issuer: config.issuer.clone(),
            audiences: vec![config.client_id.clone()],
            user_claim: config.user_claim.clone(),
        };
        SignIn {
            validator: JwtValidator::new(expected, config.jwks_url.as_str(), http.clone()),
            redirect_url: format!("{public_url}/console/callback"),
            config,
            app: OnceCell::new(),
            http,
        }
    }

    /// The OAuth client, its endpoints from the configuration or else the issuer's discovery
    /// document (read once).
    async fn app(&self) -> Result<&Arc<OAuthApp>, String> {
        self.app
            .get_or_try_init(|| async {
                let (authorize, token) = match (&self.config.authorize_url, &self.config.token_url)
                {
                    (Some(authorize), Some(token)) => (authorize.to_string(), token.to_string()),
                    (authorize, token) => {
                        let discovered = self.discover().await?;
                        (
                            authorize
                                .as_ref()
                                .map_or(discovered.authorization_endpoint, |url| url.to_string()),
                            token
                                .as_ref()
                                .map_or(discovered.token_endpoint, |url| url.to_string()),
                        )
                    }
                };
                let secret = self
                    .config
                    .client_secret
                    .as_ref()
                    .map(|secret| secret.expose_secret().to_owned());
                let app = OAuthApp::new(
                    &SCOPES,
                    self.config.client_id.clone(),
                    secret,
                    self.redirect_url.clone(),
                )
                .with_authorize_url(authorize)
                .with_token_url(token);
                Ok(Arc::new(app))
            })
            .await
    }

    async fn discover(&self) -> Result<Discovery, String> {
        let url = format!(
            "{}/.well-known/openid-configuration",
            self.config.issuer.trim_end_matches('/')
        );
        let response = self
            .http
            .get(&url)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|error| format!("cannot read the issuer's discovery document: {error}"))?;
        let body = response
            .bytes()
            .await
            .map_err(|error| format!("cannot read the issuer's discovery document: {error}"))?;
        let discovered: Discovery = serde_json::from_slice(&body)
            .map_err(|error| format!("the issuer's discovery document is not valid: {error}"))?;
        // OpenID Connect Discovery: the document names the issuer it was asked of.
        if discovered.issuer.trim_end_matches('/') != self.config.issuer.trim_end_matches('/') {
            return Err(format!(
                "the discovery document at {url} is another issuer's (`{}`)",
                discovered.issuer
            ));
        }
        for endpoint in [
            &discovered.authorization_endpoint,
            &discovered.token_endpoint,
        ] {
            providers::connect::secure_url(endpoint).map_err(|error| {
                format!(
                    "the issuer's endpoint {endpoint} is refused: {}",
                    crate::cli::chain(&error)
                )
            })?;
        }
        Ok(discovered)
    }

    /// Whether the ID token's claims make an admin.
    fn is_admin(&self, claims: &serde_json::Map<String, Value>) -> bool {
        let Some((claim, value)) = &self.config.admins else {
            return false;
        };
        match claims.get(claim) {
            Some(Value::String(held)) => held == value,
            Some(Value::Array(held)) => held.iter().any(|held| held == value.as_str()),
            _ => false,
        }
    }
}

#[derive(Deserialize)]
pub struct Start {
    next: Option<String>,
}

/// Where a sign-in may go once done: a page of the console, never another site, written in
/// the characters of the console's own paths and queries.
fn next_page(next: Option<&str>) -> String {
    let ours = |next: &str| {
        (next == "/console" || next.starts_with("/console/") || next.starts_with("/console?"))
            && !next.contains("..")
            && next.chars().all(|character| {
                character.is_ascii_alphanumeric() || "/_-.~%?=&+".contains(character)
            })
    };
    match next {
        Some(next) if ours(next) => next.to_owned(),
        _ => "/console".to_owned(),
    }
}

/// `/console/sign-in?next=..`: to the issuer.
pub async fn start(State(console): State<Arc<Console>>, Query(query): Query<Start>) -> Response {
    let app = match console.sign_in.app().await {
        Ok(app) => app,
        Err(error) => {
            tracing::error!(%error, "cannot sign in at the issuer");
            return page::message(
                StatusCode::BAD_GATEWAY,
                &Message::new(
                    "Cannot sign in",
                    "The identity provider cannot be reached. Try again later.",
                ),
            );
        }
    };
    let browser = random_hex();
    let nonce = random_hex();
    let verifier = OAuthApp::new_verifier();
    let state = FlowState {
        verifier: verifier.expose_secret().to_owned(),
        browser: browser.clone(),
        nonce: nonce.clone(),
        next: next_page(query.next.as_deref()),
        expires_at: now() + SIGN_IN_TTL,
    };
    let state = serde_json::to_string(&state).expect("a flow state serializes");
    let sealed = console
        .cipher
        .seal(&SecretString::from(state), "console-sign-in");
    let authorization =
        match app.authorization_url_with_params(&sealed, &verifier, &[("nonce", &nonce)]) {
            Ok(authorization) => authorization,
            Err(error) => {
                tracing::error!(%error, "the console's client is misconfigured");
                return page::message(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &Message::new("Cannot sign in", "This console's sign-in is misconfigured."),
                );
            }
        };
    let mut response = see_other(&authorization.url);
    let cookie = set_cookie(
        &cookie_name(&browser),
        &browser,
        "/console",
        SIGN_IN_TTL,
        console.secure,
    );
    if let Some(cookie) = cookie {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `/console/callback`: the code exchanged, the ID token checked, the session started.
pub async fn callback(
    State(console): State<Arc<Console>>,
    Query(query): Query<Callback>,
    headers: HeaderMap,
) -> Response {
    let refused = |text: &str| {
        page::message(
            StatusCode::BAD_REQUEST,
            &Message::new("Not signed in", text).with_link("/console/sign-in", "Sign in again"),
        )
    };
    if let Some(error) = &query.error {
        return refused(&format!(
            "The identity provider did not sign you in ({error})."
        ));
    }
    let state = query.state.as_deref().and_then(|sealed| {
        let opened = console.cipher.open(sealed, "console-sign-in").ok()?;
        serde_json::from_str::<FlowState>(opened.expose_secret()).ok()
    });
    let (Some(state), Some(code)) = (state, query.code.as_deref()) else {
        return refused(
            "This answer from the identity provider is not one this console asked for.",
        );
    };
    let same_browser = cookie(&headers, &cookie_name(&state.browser))
        .is_some_and(|browser| browser == state.browser);
    if state.expires_at <= now() || !same_browser {
        return refused("This sign-in was started in another browser, or too long ago.");
    }
    let app = match console.sign_in.app().await {
        Ok(app) => app,
        Err(error) => {
            tracing::error!(%error, "cannot sign in at the issuer");
            return refused("The identity provider cannot be reached. Try again later.");
        }
    };
    let verifier = SecretString::from(state.verifier);
    let id_token = match app.exchange_code_for_id_token(code, &verifier).await {
        Ok(id_token) => id_token,
        Err(error) => {
            tracing::warn!(error = %crate::cli::chain(&error), "the console's code exchange failed");
            return refused("The identity provider refused the sign-in.");
        }
    };
    let principal = match console
        .sign_in
        .validator
        .validate(id_token.expose_secret())
        .await
    {
        Ok(principal) => principal,
        Err(error) => {
            tracing::warn!(error = %error.0, "the console was given an ID token it does not accept");
            return refused("The identity provider's answer could not be verified.");
        }
    };
    if principal.claims.get("nonce").and_then(Value::as_str) != Some(state.nonce.as_str()) {
        tracing::warn!("the console was given an ID token for another sign-in (its nonce)");
        return refused("The identity provider's answer belongs to another sign-in.");
    }
    let name = ["name", "email"]
        .iter()
        .find_map(|claim| principal.claims.get(*claim).and_then(Value::as_str))
        .unwrap_or(&principal.user_id)
        .to_owned();
    let admin = console.sign_in.is_admin(&principal.claims);
    let session = Session::new(principal.user_id, name, admin);
    tracing::info!(user_id = %session.user, admin, "signed in to the console");
    let mut response = page::see_other(&state.next);
    let headers = response.headers_mut();
    if let Some(cookie) = session.cookie(&console.cipher, console.secure) {
        headers.append(header::SET_COOKIE, cookie);
    }
    if let Some(clear) = set_cookie(&cookie_name(&state.browser), "", "/console", 0, false) {
        headers.append(header::SET_COOKIE, clear);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_in_goes_on_to_a_page_of_the_console_only() {
        assert_eq!(
            next_page(Some("/console/calls/approval-1")),
            "/console/calls/approval-1"
        );
        for elsewhere in [
            None,
            Some("https://evil.example/console"),
            Some("//evil.example/console"),
            Some("/servers/github/mcp"),
            Some("/console.evil.example"),
            Some("/console\\@evil.example"),
            Some("/console\r\nSet-Cookie: x=y"),
            Some("/console/../servers/github/mcp"),
            Some("/console/\u{7f}"),
            Some("/console/\t"),
        ] {
            assert_eq!(next_page(elsewhere), "/console", "{elsewhere:?}");
        }
    }
}

/// The whole sign-in against an identity provider on loopback (wiremock): its token endpoint
/// answers a code with an ID token, signed with a key its JWKS publishes.
#[cfg(test)]
mod flow_tests {
    use std::sync::Arc;

    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use jsonwebtoken::{Algorithm, EncodingKey, Header};
    use serde_json::{Value, json};
    use tower::ServiceExt as _;
    use wiremock::matchers::{body_string_contains, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::super::{Console, Served, Session};
    use crate::config::ConsoleConfig;
    use crate::store::{Backend, Stores, TokenCipher};

    const SEED: [u8; 32] = [9; 32];
    const ORIGIN: &str = "https://mcp.example.com";

    fn id_token(issuer: &str, claims: Value) -> String {
        let mut der = vec![
            0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22,
            0x04, 0x20,
        ];
        der.extend_from_slice(&SEED);
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some("k1".to_owned());
        let exp = super::now() + 600;
        let mut all = json!({"iss": issuer, "sub": "ana", "aud": "mcp-console", "exp": exp});
        all.as_object_mut()
            .unwrap()
            .extend(claims.as_object().unwrap().clone());
        jsonwebtoken::encode(&header, &all, &EncodingKey::from_ed_der(&der)).unwrap()
    }

    /// The identity provider publishes the test key at `/jwks`.
    async fn publish_keys(idp: &MockServer) {
        let public = ed25519_dalek::SigningKey::from_bytes(&SEED).verifying_key();
        let jwk = json!({"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "kid": "k1",
                         "x": URL_SAFE_NO_PAD.encode(public.to_bytes())});
        Mock::given(method("GET"))
            .and(path("/jwks"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"keys": [jwk]})))
            .mount(idp)
            .await;
    }

    /// The identity provider, its console, and the console's routes.
    async fn provider() -> (MockServer, Arc<Console>) {
        let idp = MockServer::start().await;
        publish_keys(&idp).await;
        let key = base64::engine::general_purpose::STANDARD.encode([4u8; 32]);
        let cipher = Arc::new(TokenCipher::new(&[key.into()]).unwrap());
        let stores = Stores::open(&Backend::embedded(), None).await.unwrap();
        let config = ConsoleConfig {
            issuer: idp.uri(),
            user_claim: "sub".to_owned(),
            client_id: "mcp-console".to_owned(),
            client_secret: None,
            authorize_url: Some(reqwest::Url::parse(&format!("{}/authorize", idp.uri())).unwrap()),
            token_url: Some(reqwest::Url::parse(&format!("{}/token", idp.uri())).unwrap()),
            jwks_url: reqwest::Url::parse(&format!("{}/jwks", idp.uri())).unwrap(),
            admins: Some(("groups".to_owned(), "admins".to_owned())),
        };
        let served = Served {
            servers: Vec::new(),
            calls: mcp_runtime::host::CallOptions::new(),
            audience: Arc::default(),
        };
        let url = reqwest::Url::parse(ORIGIN).unwrap();
        let console = Arc::new(Console::new(config, &url, cipher, stores, served, None));
        (idp, console)
    }

    /// Starts a sign-in going on to `next`: the issuer's URL it sends the browser to (its
    /// query), and the browser's cookie.
    async fn start(
        console: &Arc<Console>,
        next: &str,
    ) -> (std::collections::HashMap<String, String>, String) {
        let request = Request::get(format!("/console/sign-in?next={next}"))
            .body(Body::empty())
            .unwrap();
        let response = console.clone().routes().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let location =
            reqwest::Url::parse(response.headers()[header::LOCATION].to_str().unwrap()).unwrap();
        let cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
        assert!(
            cookie.contains("; HttpOnly; SameSite=Lax; Secure"),
            "{cookie}"
        );
        let cookie = cookie.split(';').next().unwrap().to_owned();
        (location.query_pairs().into_owned().collect(), cookie)
    }

    /// The issuer's answer to the code, with `claims` in its ID token.
    async fn answers_with(idp: &MockServer, claims: Value) {
        idp.reset().await;
        publish_keys(idp).await;
        Mock::given(method("POST"))
            .and(path("/token"))
            .and(body_string_contains("code=the-code"))
            .and(body_string_contains("code_verifier="))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "access_token": "at", "token_type": "Bearer",
                "id_token": id_token(&idp.uri(), claims)
            })))
            .mount(idp)
            .await;
    }

    async fn callback(
        console: &Arc<Console>,
        state: &str,
        cookie: Option<&str>,
    ) -> axum::response::Response {
        let mut url = reqwest::Url::parse("https://x/console/callback").unwrap();
        url.query_pairs_mut()
            .append_pair("code", "the-code")
            .append_pair("state", state);
        let mut request = Request::get(format!("{}?{}", url.path(), url.query().unwrap()));
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        console
            .clone()
            .routes()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_person_signs_in_with_pkce_and_a_nonce_and_goes_on_where_they_were() {
        let (idp, console) = provider().await;
        let (query, cookie) = start(&console, "/console/calls/approval-1").await;
        assert_eq!(query["client_id"], "mcp-console");
        assert_eq!(query["redirect_uri"], format!("{ORIGIN}/console/callback"));
        assert_eq!(query["scope"], "openid profile email");
        assert_eq!(query["code_challenge_method"], "S256");
        answers_with(
            &idp,
            json!({"nonce": query["nonce"], "name": "Ana", "groups": ["admins"]}),
        )
        .await;
        let response = callback(&console, &query["state"], Some(&cookie)).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()[header::LOCATION],
            "/console/calls/approval-1"
        );
        let session = session_of(&console, &response);
        assert_eq!(
            (session.user.as_str(), session.name.as_str(), session.admin),
            ("ana", "Ana", true)
        );
    }

    #[tokio::test]
    async fn the_issuers_endpoints_come_from_its_own_discovery_document() {
        let (idp, _) = provider().await;
        let console = |issuer: &str| {
            let config = ConsoleConfig {
                issuer: issuer.to_owned(),
                user_claim: "sub".to_owned(),
                client_id: "mcp-console".to_owned(),
                client_secret: None,
                authorize_url: None,
                token_url: None,
                jwks_url: reqwest::Url::parse(&format!("{}/jwks", idp.uri())).unwrap(),
                admins: None,
            };
            super::SignIn::new(config, ORIGIN)
        };
        Mock::given(method("GET"))
            .and(path("/.well-known/openid-configuration"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "issuer": idp.uri(),
                "authorization_endpoint": format!("{}/authorize", idp.uri()),
                "token_endpoint": format!("{}/token", idp.uri()),
            })))
            .mount(&idp)
            .await;
        assert!(console(&idp.uri()).app().await.is_ok());
        // The document names another issuer than the one asked: refused.
        let elsewhere = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/.well-known/openid-configuration"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "issuer": "https://evil.example",
                "authorization_endpoint": "https://evil.example/authorize",
                "token_endpoint": "http://evil.example/token",
            })))
            .mount(&elsewhere)
            .await;
        let refused = console(&elsewhere.uri()).app().await.unwrap_err();
        assert!(refused.contains("another issuer's"), "{refused}");
    }

    #[tokio::test]
    async fn a_sign_in_is_refused_from_another_browser_or_for_another_nonce_client_or_state() {
        let (idp, console) = provider().await;
        let refused = |response: axum::response::Response| {
            assert_eq!(response.status(), StatusCode::BAD_REQUEST);
            assert!(response.headers().get(header::SET_COOKIE).is_none());
        };
        let (query, cookie) = start(&console, "/console").await;
        answers_with(&idp, json!({"nonce": query["nonce"]})).await;
        // Another browser (no cookie, or another's), an altered state.
        refused(callback(&console, &query["state"], None).await);
        let other = format!("{}=other", cookie.split('=').next().unwrap());
        refused(callback(&console, &query["state"], Some(&other)).await);
        refused(callback(&console, &format!("{}A", query["state"]), Some(&cookie)).await);
        // An ID token of another sign-in, or for another client, or not an admin.
        answers_with(&idp, json!({"nonce": "another"})).await;
        refused(callback(&console, &query["state"], Some(&cookie)).await);
        answers_with(
            &idp,
            json!({"nonce": query["nonce"], "aud": "another-client"}),
        )
        .await;
        refused(callback(&console, &query["state"], Some(&cookie)).await);
        answers_with(&idp, json!({"nonce": query["nonce"], "groups": "users"})).await;
        let admitted = callback(&console, &query["state"], Some(&cookie)).await;
        assert_eq!(admitted.status(), StatusCode::SEE_OTHER);
        assert!(
            !session_of(&console, &admitted).admin,
            "not in the admins' group"
        );
    }

    /// A sign-in lasts ten minutes: its state says so, and one past its time is refused.
    #[tokio::test]
    async fn a_sign_in_past_its_ten_minutes_is_refused() {
        use secrecy::{ExposeSecret as _, SecretString};

        let (idp, console) = provider().await;
        let (query, cookie) = start(&console, "/console").await;
        let opened = console
            .cipher
            .open(&query["state"], "console-sign-in")
            .unwrap();
        let mut state: super::FlowState = serde_json::from_str(opened.expose_secret()).unwrap();
        let lasts = state.expires_at - super::now();
        assert!(
            (super::SIGN_IN_TTL - 1..=super::SIGN_IN_TTL).contains(&lasts),
            "{lasts}"
        );
        state.expires_at = super::now() - 1;
        let expired = console.cipher.seal(
            &SecretString::from(serde_json::to_string(&state).unwrap()),
            "console-sign-in",
        );
        answers_with(&idp, json!({"nonce": query["nonce"]})).await;
        let refused = callback(&console, &expired, Some(&cookie)).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    }

    /// Two sign-ins begun side by side (two links opened while signed out) each have a cookie
    /// of their own: the first still ends well once the second began.
    #[tokio::test]
    async fn two_sign_ins_side_by_side_both_end_well() {
        let (idp, console) = provider().await;
        let (first, first_cookie) = start(&console, "/console/calls/approval-1").await;
        let (second, second_cookie) = start(&console, "/console/calls/approval-2").await;
        let name = |cookie: &str| cookie.split('=').next().unwrap().to_owned();
        assert_ne!(name(&first_cookie), name(&second_cookie));
        let both = format!("{first_cookie}; {second_cookie}");
        answers_with(&idp, json!({"nonce": first["nonce"], "groups": "admins"})).await;
        let done = callback(&console, &first["state"], Some(&both)).await;
        assert_eq!(
            done.headers()[header::LOCATION],
            "/console/calls/approval-1"
        );
        assert!(session_of(&console, &done).admin);
        answers_with(&idp, json!({"nonce": second["nonce"]})).await;
        let done = callback(&console, &second["state"], Some(&both)).await;
        assert_eq!(
            done.headers()[header::LOCATION],
            "/console/calls/approval-2"
        );
    }

    /// The session a callback's answer starts.
    fn session_of(console: &Arc<Console>, response: &axum::response::Response) -> Session {
        let session = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|value| value.to_str().unwrap().to_owned())
            .find(|value| value.starts_with("mcp_console="))
            .unwrap();
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            header::COOKIE,
            session.split(';').next().unwrap().parse().unwrap(),
        );
        Session::of(&headers, &console.cipher).unwrap()
    }
}
