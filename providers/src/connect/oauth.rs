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
        })
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

/// When a token issued now for `expires_in` expires.
fn expires_at(expires_in: Option<std::time::Duration>) -> Option<std::time::SystemTime> {
    expires_in.map(|lifetime| std::time::SystemTime::now() + lifetime)
}

fn configuration(error: impl std::error::Error + Send + Sync + 'static) -> OAuthError {
    OAuthError::Configuration(Box::new(error))
}
