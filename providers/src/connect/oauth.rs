//! OAuth 2.0 authorization code flow with PKCE, and refresh, on the `oauth2` crate; its
//! requests go through our reqwest client.

use std::future::Future;
use std::pin::Pin;

use oauth2::basic::{
    BasicClient, BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet,
    ExtraTokenFields, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, Scope,
    StandardRevocableToken, StandardTokenResponse, TokenResponse, TokenUrl,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use super::Tokens;
use crate::kit::http_client;

/// Where a platform's OAuth app authorizes and issues tokens, and the scopes its tools need.
#[derive(Debug)]
pub struct OAuthEndpoints {
    /// Where the user is sent to consent.
    pub authorize_url: &'static str,
    /// Where codes and refresh tokens are exchanged.
    pub token_url: &'static str,
    /// The scopes the provider's tools need.
    pub scopes: &'static [&'static str],
    /// Further parameters the platform wants on the authorization URL.
    pub authorize_params: &'static [(&'static str, &'static str)],
    /// How to ask the platform whom a token is for, if it can be asked with the scopes above.
    pub account: Option<AccountLookup>,
    /// Where a token is revoked (RFC 7009), if the platform offers it.
    pub revocation_url: Option<&'static str>,
}

/// Whom a token is for: a `GET` of `url` with the token as bearer, the answer's value at
/// `pointer` (a JSON pointer). In `url`, `{instance_url}` is the connection's API host and
/// `{access_token}` the token (percent-encoded), for platforms that want them there.
#[derive(Debug)]
pub struct AccountLookup {
    pub url: &'static str,
    pub pointer: &'static str,
}

/// What a token response says beyond RFC 6749's fields, and we keep.
#[derive(Clone, Debug, Deserialize, Serialize)]
struct TokenExtras {
    /// The API host of the user's organization (Salesforce).
    #[serde(default)]
    instance_url: Option<String>,
    /// Who signed in, from an OpenID Connect provider.
    #[serde(default)]
    id_token: Option<String>,
}

impl ExtraTokenFields for TokenExtras {}

/// The `oauth2` client that exchanges codes and refresh tokens, reading [`TokenExtras`].
type TokenClient = oauth2::Client<
    BasicErrorResponse,
    StandardTokenResponse<TokenExtras, BasicTokenType>,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// The start of an authorization: send the user to `url`; keep `state` and `pkce_verifier` to
/// check and finish it.
#[derive(Debug)]
pub struct Authorization {
    /// Where the user consents.
    pub url: String,
    /// The value the redirect must carry back (CSRF protection).
    pub state: String,
    /// The PKCE verifier the code exchange needs.
    pub pkce_verifier: SecretString,
}

/// Why an OAuth step failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OAuthError {
    /// A URL of the app is not valid.
    #[error("invalid OAuth configuration")]
    Configuration(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The authorization server refused the request or could not be reached.
    #[error("the authorization server refused the request")]
    Refused(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// An OAuth app registered with a platform.
#[derive(Debug)]
pub struct OAuthApp {
    client_id: String,
    client_secret: Option<SecretString>,
    redirect_url: String,
    authorize_url: String,
    token_url: String,
    scopes: Vec<String>,
    authorize_params: &'static [(&'static str, &'static str)],
    /// Where whom a token is for is asked, and the pointer to the answer.
    account: Option<(String, &'static str)>,
    revocation_url: Option<String>,
    http: reqwest::Client,
}

impl OAuthApp {
    /// The app `client_id` (with its secret, for confidential clients) at `endpoints`,
    /// redirecting to `redirect_url` after consent.
    pub fn new(
        endpoints: &OAuthEndpoints,
        client_id: impl Into<String>,
        client_secret: Option<String>,
        redirect_url: impl Into<String>,
    ) -> Self {
        OAuthApp {
            client_id: client_id.into(),
            client_secret: client_secret.map(SecretString::from),
            redirect_url: redirect_url.into(),
            authorize_url: endpoints.authorize_url.to_owned(),
            token_url: endpoints.token_url.to_owned(),
            scopes: endpoints
                .scopes
                .iter()
                .map(|scope| (*scope).to_owned())
                .collect(),
            authorize_params: endpoints.authorize_params,
            account: endpoints
                .account
                .as_ref()
                .map(|lookup| (lookup.url.to_owned(), lookup.pointer)),
            revocation_url: endpoints.revocation_url.map(str::to_owned),
            // Token endpoints redirect nowhere useful; following would hide errors.
            http: http_client(
                reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()),
            ),
        }
    }

    /// Exchanges codes at `token_url` instead (a self-hosted platform, or a test).
    pub fn with_token_url(mut self, token_url: impl Into<String>) -> Self {
        self.token_url = token_url.into();
        self
    }

    /// Asks whom a token is for at `url` instead (a self-hosted platform, or a test), reading
    /// the answer as the platform's lookup does; nothing for a platform without one.
    pub fn with_account_url(mut self, url: impl Into<String>) -> Self {
        if let Some((lookup, _)) = &mut self.account {
            *lookup = url.into();
        }
        self
    }

    /// Revokes tokens at `url` (RFC 7009) instead, or at all.
    pub fn with_revocation_url(mut self, url: impl Into<String>) -> Self {
        self.revocation_url = Some(url.into());
        self
    }

    /// Neither asks whom a token is for nor revokes it at the platform's public endpoints: the
    /// app of an instance (a GitHub Enterprise Server), whose tokens mean nothing there and must
    /// not be sent there. [`with_account_url`](Self::with_account_url) and
    /// [`with_revocation_url`](Self::with_revocation_url) name the instance's own.
    pub fn without_public_endpoints(mut self) -> Self {
        self.account = self.account.map(|(_, pointer)| (String::new(), pointer));
        self.revocation_url = None;
        self
    }

    /// Whether tokens are revoked when a connection ends.
    pub fn revokes(&self) -> bool {
        self.revocation_url.is_some()
    }

    /// Sends users to consent at `authorize_url` instead (a self-hosted platform, or a test).
    pub fn with_authorize_url(mut self, authorize_url: impl Into<String>) -> Self {
        self.authorize_url = authorize_url.into();
        self
    }

    /// The URL to send the user to, with a fresh CSRF state and PKCE challenge.
    pub fn authorization_url(&self) -> Result<Authorization, OAuthError> {
        self.authorization_url_with(None, &[])
    }

    /// The URL to send the user to, carrying `state` (which the redirect brings back) and the
    /// PKCE challenge of `verifier` (see [`OAuthApp::new_verifier`]): for a host that keeps
    /// what it needs in the state itself.
    pub fn authorization_url_with_state(
        &self,
        state: &str,
        verifier: &SecretString,
    ) -> Result<Authorization, OAuthError> {
        self.authorization_url_with(Some((state, verifier)), &[])
    }

    /// As [`authorization_url_with_state`](Self::authorization_url_with_state), with `params`
    /// besides (an OpenID Connect `nonce`).
    pub fn authorization_url_with_params(
        &self,
        state: &str,
        verifier: &SecretString,
        params: &[(&str, &str)],
    ) -> Result<Authorization, OAuthError> {
        self.authorization_url_with(Some((state, verifier)), params)
    }

    /// A fresh PKCE verifier (the one a random challenge of the `oauth2` crate has).
    pub fn new_verifier() -> SecretString {
        let (_, verifier) = PkceCodeChallenge::new_random_sha256();
        SecretString::from(verifier.secret().clone())
    }

    fn authorization_url_with(
        &self,
        given: Option<(&str, &SecretString)>,
        params: &[(&str, &str)],
    ) -> Result<Authorization, OAuthError> {
        let client = BasicClient::new(ClientId::new(self.client_id.clone()))
            .set_auth_uri(AuthUrl::new(self.authorize_url.clone()).map_err(configuration)?)
            .set_redirect_uri(RedirectUrl::new(self.redirect_url.clone()).map_err(configuration)?);
        let (challenge, verifier) = match given {
            Some((_, verifier)) => {
                let verifier = PkceCodeVerifier::new(verifier.expose_secret().to_owned());
                (
                    PkceCodeChallenge::from_code_verifier_sha256(&verifier),
                    verifier,
                )
            }
            None => PkceCodeChallenge::new_random_sha256(),
        };
        let state = given.map(|(state, _)| state.to_owned());
        let mut request = client
            .authorize_url(move || state.map_or_else(CsrfToken::new_random, CsrfToken::new))
            .add_scopes(self.scopes.iter().cloned().map(Scope::new))
            .set_pkce_challenge(challenge);
        for (name, value) in self.authorize_params.iter().chain(params) {
            request = request.add_extra_param(*name, *value);
        }
        let (url, state) = request.url();
        Ok(Authorization {
            url: url.to_string(),
            state: state.secret().clone(),
            pkce_verifier: SecretString::from(verifier.secret().clone()),
        })
    }

    /// Exchanges the code the redirect brought back for tokens.
    pub async fn exchange_code(
        &self,
        code: &str,
        pkce_verifier: &SecretString,
    ) -> Result<Tokens, OAuthError> {
        let response = self.exchange(code, pkce_verifier).await?;
        Ok(Tokens {
            access: SecretString::from(response.access_token().secret().clone()),
            refresh: response
                .refresh_token()
                .map(|token| SecretString::from(token.secret().clone())),
            expires_at: expires_at(response.expires_in()),
            instance_url: response.extra_fields().instance_url.clone(),
            scopes: granted(&response),
        })
    }

    /// Whom `tokens` are for, as the platform says; `None` where it cannot be asked.
    pub async fn account(&self, tokens: &Tokens) -> Result<Option<String>, OAuthError> {
        let Some((url, pointer)) = &self.account else {
            return Ok(None);
        };
        let Some(url) = fill(url, tokens) else {
            return Ok(None);
        };
        let url = secure_url(&url)?;
        let response = self
            .http
            .get(url)
            .bearer_auth(tokens.access.expose_secret())
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|error| OAuthError::Refused(error.without_url().into()))?;
        let body = response
            .bytes()
            .await
            .map_err(|error| OAuthError::Refused(error.without_url().into()))?;
        let answer: serde_json::Value =
            serde_json::from_slice(&body).map_err(|error| OAuthError::Refused(error.into()))?;
        Ok(match answer.pointer(pointer) {
            Some(serde_json::Value::String(account)) => Some(account.clone()),
            Some(serde_json::Value::Number(account)) => Some(account.to_string()),
            _ => None,
        })
    }

    /// Revokes `tokens` at the platform (RFC 7009: the refresh token, which takes its access
    /// tokens with it, else the access token); `false` when the platform offers no revocation.
    /// The request is ours rather than the `oauth2` crate's, which refuses `http` even on
    /// loopback (see [`secure_url`]).
    pub async fn revoke(&self, tokens: &Tokens) -> Result<bool, OAuthError> {
        let Some(url) = self
            .revocation_url
            .as_deref()
            .and_then(|url| fill(url, tokens))
        else {
            return Ok(false);
        };
        let url = secure_url(&url)?;
        let (token, hint) = match &tokens.refresh {
            Some(refresh) => (refresh, "refresh_token"),
            None => (&tokens.access, "access_token"),
        };
        let mut form = vec![("token", token.expose_secret()), ("token_type_hint", hint)];
        let mut request = self.http.post(url);
        match &self.client_secret {
            Some(secret) => {
                request = request.basic_auth(&self.client_id, Some(secret.expose_secret()));
            }
            None => form.push(("client_id", &self.client_id)),
        }
        request
            .form(&form)
            .send()
            .await
            .and_then(reqwest::Response::error_for_status)
            .map_err(|error| OAuthError::Refused(error.without_url().into()))?;
        Ok(true)
    }

    /// Exchanges the code an OpenID Connect provider sent back for the ID token saying who
    /// signed in (not yet checked: see the caller).
    pub async fn exchange_code_for_id_token(
        &self,
        code: &str,
        pkce_verifier: &SecretString,
    ) -> Result<SecretString, OAuthError> {
        let response = self.exchange(code, pkce_verifier).await?;
        let id_token =
            response.extra_fields().id_token.clone().ok_or_else(|| {
                OAuthError::Refused("the token response has no `id_token`".into())
            })?;
        Ok(SecretString::from(id_token))
    }

    async fn exchange(
        &self,
        code: &str,
        pkce_verifier: &SecretString,
    ) -> Result<StandardTokenResponse<TokenExtras, BasicTokenType>, OAuthError> {
        self.token_client()?
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .set_pkce_verifier(PkceCodeVerifier::new(
                pkce_verifier.expose_secret().to_owned(),
            ))
            .request_async(&Http(&self.http))
            .await
            .map_err(|error| OAuthError::Refused(error.into()))
    }

    /// New tokens for `refresh`; the refresh token is kept when the server issues no new one.
    pub async fn refresh(&self, refresh: &SecretString) -> Result<Tokens, OAuthError> {
        let client = self.token_client()?;
        let token = RefreshToken::new(refresh.expose_secret().to_owned());
        let response = client
            .exchange_refresh_token(&token)
            .request_async(&Http(&self.http))
            .await
            .map_err(|error| OAuthError::Refused(error.into()))?;
        Ok(Tokens {
            access: SecretString::from(response.access_token().secret().clone()),
            refresh: Some(response.refresh_token().map_or_else(
                || refresh.clone(),
                |token| SecretString::from(token.secret().clone()),
            )),
            expires_at: expires_at(response.expires_in()),
            instance_url: response.extra_fields().instance_url.clone(),
            scopes: granted(&response),
        })
    }

    fn token_client(&self) -> Result<TokenClient, OAuthError> {
        let mut client: TokenClient = oauth2::Client::new(ClientId::new(self.client_id.clone()))
            .set_token_uri(TokenUrl::new(self.token_url.clone()).map_err(configuration)?)
            .set_redirect_uri(RedirectUrl::new(self.redirect_url.clone()).map_err(configuration)?);
        if let Some(secret) = &self.client_secret {
            client = client.set_client_secret(ClientSecret::new(secret.expose_secret().to_owned()));
        }
        Ok(client)
    }
}

/// Our reqwest client as the `oauth2` crate's HTTP client.
struct Http<'a>(&'a reqwest::Client);

impl<'c> oauth2::AsyncHttpClient<'c> for Http<'_> {
    type Error = reqwest::Error;
    type Future =
        Pin<Box<dyn Future<Output = Result<oauth2::HttpResponse, reqwest::Error>> + Send + 'c>>;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let response = self
                .0
                .request(parts.method, parts.uri.to_string())
                .headers(parts.headers)
                .body(body)
                .send()
                .await?;
            let mut answer = http::Response::builder().status(response.status());
            for (name, value) in response.headers() {
                answer = answer.header(name, value);
            }
            let body = response.bytes().await?.to_vec();
            Ok(answer
                .body(body)
                .expect("a status and headers taken from a response"))
        })
    }
}

/// `url` if a token may be sent there: over TLS, or to this machine (a test, a proxy beside the
/// host).
pub fn secure_url(url: &str) -> Result<reqwest::Url, OAuthError> {
    let url = reqwest::Url::parse(url).map_err(configuration)?;
    let loopback = url.host_str().is_some_and(|host| {
        host == "localhost"
            || host
                .trim_matches(['[', ']'])
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    });
    if url.scheme() != "https" && !loopback {
        return Err(OAuthError::Configuration(
            format!("a token is sent only over `https`, not to `{url}`").into(),
        ));
    }
    Ok(url)
}

/// The scopes a token response says were granted (none when it does not say).
fn granted(response: &StandardTokenResponse<TokenExtras, BasicTokenType>) -> Vec<String> {
    response
        .scopes()
        .map(|scopes| scopes.iter().map(|scope| scope.to_string()).collect())
        .unwrap_or_default()
}

/// `url` with the connection's `{instance_url}` and `{access_token}`; `None` when it needs an
/// instance the connection does not have, or is empty (an instance's app without one).
fn fill(url: &str, tokens: &Tokens) -> Option<String> {
    if url.is_empty() {
        return None;
    }
    let mut filled = url.to_owned();
    if filled.contains("{instance_url}") {
        let instance = tokens.instance_url.as_deref()?.trim_end_matches('/');
        filled = filled.replace("{instance_url}", instance);
    }
    if filled.contains("{access_token}") {
        let token: String = percent_encoding::utf8_percent_encode(
            tokens.access.expose_secret(),
            percent_encoding::NON_ALPHANUMERIC,
        )
        .collect();
        filled = filled.replace("{access_token}", &token);
    }
    Some(filled)
}

/// When a token issued now for `expires_in` expires.
fn expires_at(expires_in: Option<std::time::Duration>) -> Option<std::time::SystemTime> {
    expires_in.map(|lifetime| std::time::SystemTime::now() + lifetime)
}

fn configuration(error: impl std::error::Error + Send + Sync + 'static) -> OAuthError {
    OAuthError::Configuration(Box::new(error))
}
