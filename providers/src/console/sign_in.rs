//! Signing in to the console at the issuer that protects the MCP endpoints: OpenID Connect's
//! authorization code flow with PKCE. What the flow needs on the way back (the PKCE verifier,
//! the nonce the ID token must carry, where to go next) travels encrypted in its `state`, bound
//! to the browser that started it by a cookie; the ID token is checked with the issuer's keys,
//! for this console's client, and for that nonce.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
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
use crate::connect_flow::cookie;

/// How long a sign-in may take at the issuer.
const SIGN_IN_TTL: u64 = 600;

/// The cookie binding a sign-in to its browser.
const COOKIE: &str = "mcp_console_sign_in";

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
        serde_json::from_slice(&body)
            .map_err(|error| format!("the issuer's discovery document is not valid: {error}"))
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

/// Where a sign-in may go once done: a page of the console, never another site.
fn next_page(next: Option<&str>) -> String {
    match next {
        Some(next)
            if (next == "/console" || next.starts_with("/console/"))
                && !next.contains(['\\', '\r', '\n']) =>
        {
            next.to_owned()
        }
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
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(&authorization.url) {
        headers.insert(header::LOCATION, location);
    }
    let secure = if console.secure { "; Secure" } else { "" };
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "{COOKIE}={browser}; Path=/console; Max-Age={SIGN_IN_TTL}; HttpOnly; SameSite=Lax{secure}"
    )) {
        headers.insert(header::SET_COOKIE, cookie);
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
    let same_browser = cookie(&headers, COOKIE).is_some_and(|browser| browser == state.browser);
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
    if let Ok(clear) = HeaderValue::from_str(&format!(
        "{COOKIE}=; Path=/console; Max-Age=0; HttpOnly; SameSite=Lax"
    )) {
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
        ] {
            assert_eq!(next_page(elsewhere), "/console", "{elsewhere:?}");
        }
    }
}
