//! The connect flow: how a user of the host connects their own account at a platform. A call
//! that needs an account the user has not connected sends them (in band, a URL elicitation) to
//! `/connect/{provider}?ticket=..`; the ticket is sealed for that user and provider and expires.
//! That page sends the browser to the platform's consent screen (OAuth authorization code with
//! PKCE); the platform sends it back to `/connect/{provider}/callback`, where the code is
//! exchanged and the user's tokens are stored, encrypted. The state carried through the
//! platform is encrypted too (it holds the PKCE verifier) and bound to the browser that started
//! the flow by a cookie, so a link sent to someone else cannot connect their account to yours.
//! Any replica can serve any step: what a step needs travels with the browser.

mod pages;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use mcp_runtime::ToolContext;
use mcp_runtime::host::serve::SealOptions;
use mcp_runtime::host::serve::{ConnectLinks, RequestStateCodec};
use mcp_runtime::host::{Call, CallFuture, Layer, Next};
use providers::connect::{ConnectionStore as _, OAuthApp, UserConnections};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::config::ConnectApp;
use crate::store::{Stores, TokenCipher};
use crate::web::{cookie, now, random_hex, see_other, set_cookie};

/// How long a connect link, and a flow once started, may take.
pub const FLOW_TTL: Duration = Duration::from_secs(600);

/// The cookie binding a flow to the browser that started it.
const COOKIE: &str = "mcp_connect";

/// The flow of one host.
pub struct ConnectFlow {
    base: String,
    secure: bool,
    apps: Arc<HashMap<String, Arc<OAuthApp>>>,
    tickets: RequestStateCodec,
    cipher: Arc<TokenCipher>,
    stores: Stores,
}

impl std::fmt::Debug for ConnectFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectFlow")
            .field("base", &self.base)
            .field("providers", &self.apps.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Gives every call the users' connections and the OAuth apps renewing them.
pub struct GiveConnections(pub UserConnections);

impl Layer for GiveConnections {
    fn call<'a>(&'a self, mut call: Call, next: Next<'a>) -> CallFuture<'a> {
        call.ctx = self.context(call.ctx);
        next.run(call)
    }

    fn context(&self, ctx: ToolContext) -> ToolContext {
        ctx.with_extension(self.0.clone())
    }
}

/// The OAuth app of each of `apps` (with the overrides its table gives), sending users back to
/// `public_url`.
pub fn oauth_apps(
    apps: &[ConnectApp],
    public_url: &reqwest::Url,
) -> HashMap<String, Arc<OAuthApp>> {
    apps.iter()
        .filter_map(|app| {
            let endpoints = providers::oauth_endpoints(&app.platform)?;
            let mut oauth = OAuthApp::new(
                endpoints,
                app.client_id.clone(),
                app.client_secret
                    .as_ref()
                    .map(|secret| secret.expose_secret().to_owned()),
                ConnectFlow::redirect_url(public_url, &app.provider),
            );
            if let Some(url) = &app.authorize_url {
                oauth = oauth.with_authorize_url(url.clone());
            }
            if let Some(url) = &app.token_url {
                oauth = oauth.with_token_url(url.clone());
            }
            // An instance's tokens, or those of an app whose OAuth endpoints are not the
            // platform's usual (a self-hosted platform, a sandbox), are for their own host:
            // never sent to the platform's public endpoints to be described or revoked.
            let own_host = app.provider != app.platform
                || app.authorize_url.is_some()
                || app.token_url.is_some();
            if own_host {
                oauth = oauth.without_public_endpoints();
            }
            if let Some(url) = &app.account_url {
                oauth = oauth.with_account_url(url.clone());
            }
            if let Some(url) = &app.revocation_url {
                oauth = oauth.with_revocation_url(url.clone());
            }
            Some((app.provider.clone(), Arc::new(oauth)))
        })
        .collect()
}

/// Who a connect link is for.
#[derive(Serialize, Deserialize)]
struct Ticket {
    user: String,
}

/// What travels through the platform with the browser, encrypted for its provider (the
/// provider is the associated data: a state opens only at its provider's callback).
#[derive(Serialize, Deserialize)]
struct FlowState {
    user: String,
    verifier: String,
    nonce: String,
    expires_at: u64,
}

impl ConnectFlow {
    /// The flow of a host reached at `public_url`, connecting to the providers of `apps`
    /// (their redirect URL: `{public_url}/connect/{provider}/callback`), sealing tickets with
    /// `tickets` and flow states with `cipher`, keeping tokens in `stores`.
    pub fn new(
        public_url: &reqwest::Url,
        apps: HashMap<String, Arc<OAuthApp>>,
        tickets: RequestStateCodec,
        cipher: Arc<TokenCipher>,
        stores: Stores,
    ) -> Self {
        ConnectFlow {
            base: public_url.as_str().trim_end_matches('/').to_owned(),
            secure: public_url.scheme() == "https",
            apps: Arc::new(apps),
            tickets,
            cipher,
            stores,
        }
    }

    /// The OAuth app of each provider.
    pub fn apps(&self) -> &Arc<HashMap<String, Arc<OAuthApp>>> {
        &self.apps
    }

    /// Where the platform sends the browser back for `provider`.
    pub fn redirect_url(public_url: &reqwest::Url, provider: &str) -> String {
        format!(
            "{}/connect/{provider}/callback",
            public_url.as_str().trim_end_matches('/')
        )
    }

    /// The routes of the flow.
    pub fn routes(self: Arc<Self>) -> Router {
        Router::new()
            .route("/connect/{provider}", get(start))
            .route("/connect/{provider}/callback", get(callback))
            .with_state(self)
    }

    fn ticket_context(provider: &str) -> Vec<u8> {
        format!("connect-ticket\0{provider}").into_bytes()
    }

    fn state_row(provider: &str) -> String {
        format!("connect-state\0{provider}")
    }
}

impl ConnectLinks for ConnectFlow {
    fn link(&self, user_id: &str, provider: &str) -> Option<String> {
        self.apps.get(provider)?;
        let context = Self::ticket_context(provider);
        let options = SealOptions::new().associated_data(&context).ttl(FLOW_TTL);
        let ticket = self
            .tickets
            .seal_json_with(
                &Ticket {
                    user: user_id.to_owned(),
                },
                &options,
            )
            .ok()?;
        Some(format!("{}/connect/{provider}?ticket={ticket}", self.base))
    }
}

#[derive(Deserialize)]
struct Start {
    ticket: Option<String>,
}

/// `/connect/{provider}?ticket=..`: to the platform's consent screen.
async fn start(
    State(flow): State<Arc<ConnectFlow>>,
    Path(provider): Path<String>,
    Query(query): Query<Start>,
) -> Response {
    let Some(app) = flow.apps.get(&provider) else {
        return pages::unknown_account();
    };
    let ticket = query.ticket.as_deref().and_then(|ticket| {
        flow.tickets
            .open_json_with::<Ticket>(ticket, &ConnectFlow::ticket_context(&provider))
            .ok()
    });
    let Some(ticket) = ticket else {
        return pages::page(
            StatusCode::BAD_REQUEST,
            "This link has expired",
            "Links to connect an account work once, for ten minutes. Ask your agent again for a new one.",
        );
    };
    let nonce = random_hex();
    let verifier = OAuthApp::new_verifier();
    let state = FlowState {
        user: ticket.user,
        verifier: verifier.expose_secret().to_owned(),
        nonce: nonce.clone(),
        expires_at: now() + FLOW_TTL.as_secs(),
    };
    let state = serde_json::to_string(&state).expect("a flow state serializes");
    let sealed = flow.cipher.seal(
        &SecretString::from(state),
        &ConnectFlow::state_row(&provider),
    );
    let authorization = match app.authorization_url_with_state(&sealed, &verifier) {
        Ok(authorization) => authorization,
        Err(error) => {
            tracing::error!(provider, %error, "the OAuth app is misconfigured");
            return pages::page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Cannot connect",
                "This host's OAuth app is misconfigured.",
            );
        }
    };
    let mut response = see_other(&authorization.url);
    let cookie = set_cookie(COOKIE, &nonce, "/connect", FLOW_TTL.as_secs(), flow.secure);
    if let Some(cookie) = cookie {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

#[derive(Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `/connect/{provider}/callback`: the code exchanged, the tokens stored.
async fn callback(
    State(flow): State<Arc<ConnectFlow>>,
    Path(provider): Path<String>,
    Query(query): Query<Callback>,
    headers: HeaderMap,
) -> Response {
    let Some(app) = flow.apps.get(&provider) else {
        return pages::unknown_account();
    };
    if let Some(error) = &query.error {
        return pages::page(
            StatusCode::BAD_REQUEST,
            "Not connected",
            &format!("The platform did not connect the account ({error})."),
        );
    }
    let state = query.state.as_deref().and_then(|sealed| {
        let opened = flow
            .cipher
            .open(sealed, &ConnectFlow::state_row(&provider))
            .ok()?;
        serde_json::from_str::<FlowState>(opened.expose_secret()).ok()
    });
    let started_here =
        |state: &FlowState| cookie(&headers, COOKIE).is_some_and(|nonce| nonce == state.nonce);
    let (Some(state), Some(code)) = (state, query.code.as_deref()) else {
        return pages::page(
            StatusCode::BAD_REQUEST,
            "Not connected",
            "This answer from the platform is not one this host asked for.",
        );
    };
    if state.expires_at <= now() || !started_here(&state) {
        return pages::page(
            StatusCode::BAD_REQUEST,
            "Not connected",
            "This connection was started in another browser, or too long ago. Ask your agent again.",
        );
    }
    let tokens = match app
        .exchange_code(code, &SecretString::from(state.verifier))
        .await
    {
        Ok(tokens) => tokens,
        Err(error) => {
            tracing::warn!(provider, user_id = %state.user, error = %crate::cli::chain(&error), "the code exchange failed");
            return pages::page(
                StatusCode::BAD_GATEWAY,
                "Not connected",
                "The platform refused to connect the account. Try again.",
            );
        }
    };
    if let Err(error) = flow.stores.put(&state.user, &provider, &tokens).await {
        tracing::error!(provider, user_id = %state.user, error = %crate::cli::chain(&error), "a connection could not be stored");
        return pages::page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Not connected",
            "The connection could not be saved. Try again.",
        );
    }
    // Whom the connection is for, as the platform says: shown on the console, never needed.
    // Set each time, unknown included: a reconnection may be another account.
    let account = app.account(&tokens).await.unwrap_or_else(|error| {
        tracing::warn!(provider, user_id = %state.user, error = %crate::cli::chain(&error), "the platform did not say whom the connection is for");
        None
    });
    if let Err(error) = flow
        .stores
        .tables()
        .set_account(&state.user, &provider, account.as_deref())
        .await
    {
        tracing::warn!(provider, user_id = %state.user, %error, "whom a connection is for could not be stored");
    }
    tracing::info!(provider, user_id = %state.user, "connected an account");
    let mut response = pages::page(
        StatusCode::OK,
        "Connected",
        "Your account is connected. Go back to your agent: it will go on when it calls again.",
    );
    if let Some(clear) = set_cookie(COOKIE, "", "/connect", 0, false) {
        response.headers_mut().insert(header::SET_COOKIE, clear);
    }
    response
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;

    use super::*;
    use crate::store::Backend;

    /// The time, read apart from the code under test.
    fn real_now() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    }

    /// A flow connecting GitHub (whose token endpoint is nowhere) for `https://mcp.example.com`.
    async fn flow() -> Arc<ConnectFlow> {
        let key = SecretString::from(base64::engine::general_purpose::STANDARD.encode([7u8; 32]));
        let cipher = TokenCipher::new(&[key]).unwrap();
        let stores = Stores::open(&Backend::embedded(), None).await.unwrap();
        let url = reqwest::Url::parse("https://mcp.example.com/").unwrap();
        let app = ConnectApp {
            provider: "github".to_owned(),
            platform: "github".to_owned(),
            client_id: "the-app".to_owned(),
            client_secret: Some(SecretString::from("app-secret")),
            authorize_url: None,
            token_url: Some("http://127.0.0.1:9/token".to_owned()),
            account_url: None,
            revocation_url: None,
        };
        Arc::new(ConnectFlow::new(
            &url,
            oauth_apps(&[app], &url),
            RequestStateCodec::try_new([9u8; 32]).unwrap(),
            Arc::new(cipher),
            stores,
        ))
    }

    #[tokio::test]
    async fn its_debug_output_names_the_host_and_providers_and_no_key() {
        let flow = flow().await;
        assert_eq!(
            format!("{flow:?}"),
            r#"ConnectFlow { base: "https://mcp.example.com", providers: ["github"], .. }"#
        );
        assert_eq!(flow.apps().len(), 1);
        let link = flow.link("ana", "github").unwrap();
        assert!(
            link.starts_with("https://mcp.example.com/connect/github?ticket="),
            "{link}"
        );
        assert!(flow.link("ana", "jira").is_none());
    }

    #[tokio::test]
    async fn a_flow_past_its_time_or_from_another_browser_is_refused() {
        use tower::ServiceExt as _;

        let flow = flow().await;
        let callback = |expires_at: u64, cookie: &str| {
            let state = serde_json::to_string(&FlowState {
                user: "ana".to_owned(),
                verifier: "the-verifier".to_owned(),
                nonce: "n1".to_owned(),
                expires_at,
            })
            .unwrap();
            let sealed = flow.cipher.seal(
                &SecretString::from(state),
                &ConnectFlow::state_row("github"),
            );
            let mut url = reqwest::Url::parse("https://x/connect/github/callback").unwrap();
            url.query_pairs_mut()
                .append_pair("code", "the-code")
                .append_pair("state", &sealed);
            let uri = format!("{}?{}", url.path(), url.query().unwrap());
            let request = axum::http::Request::get(uri)
                .header(header::COOKIE, format!("{COOKIE}={cookie}"))
                .body(axum::body::Body::empty())
                .unwrap();
            flow.clone().routes().oneshot(request)
        };
        let expired = callback(real_now() - 1, "n1").await.unwrap();
        assert_eq!(expired.status(), StatusCode::BAD_REQUEST);
        let elsewhere = callback(real_now() + 60, "n2").await.unwrap();
        assert_eq!(elsewhere.status(), StatusCode::BAD_REQUEST);
        // In time, from its browser: on to the platform (which is nowhere here).
        let on_time = callback(real_now() + 60, "n1").await.unwrap();
        assert_eq!(on_time.status(), StatusCode::BAD_GATEWAY);
    }

    #[tokio::test]
    async fn a_flow_starts_for_the_links_user_and_lasts_ten_minutes() {
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use sha2::{Digest, Sha256};
        use tower::ServiceExt as _;

        let flow = flow().await;
        let link = reqwest::Url::parse(&flow.link("ana", "github").unwrap()).unwrap();
        let request =
            axum::http::Request::get(format!("{}?{}", link.path(), link.query().unwrap()))
                .body(axum::body::Body::empty())
                .unwrap();
        let started = flow.clone().routes().oneshot(request).await.unwrap();
        assert_eq!(started.status(), StatusCode::SEE_OTHER);
        let consent =
            reqwest::Url::parse(started.headers()[header::LOCATION].to_str().unwrap()).unwrap();
        let query: HashMap<String, String> = consent.query_pairs().into_owned().collect();
        let opened = flow
            .cipher
            .open(&query["state"], &ConnectFlow::state_row("github"))
            .unwrap();
        let state: FlowState = serde_json::from_str(opened.expose_secret()).unwrap();
        assert_eq!(state.user, "ana");
        let lasts = state.expires_at - real_now();
        assert!(
            (FLOW_TTL.as_secs() - 1..=FLOW_TTL.as_secs()).contains(&lasts),
            "{lasts}"
        );
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(state.verifier.as_bytes()));
        assert_eq!(query["code_challenge"], challenge);
        let cookie = started.headers()[header::SET_COOKIE].to_str().unwrap();
        assert!(
            cookie.starts_with(&format!(
                "{COOKIE}={}; Path=/connect; Max-Age=600; HttpOnly; SameSite=Lax; Secure",
                state.nonce
            )),
            "{cookie}"
        );
    }
}
