//! The provider kit: the one HTTP client every remote server holds ([`Api`]), and the
//! [`Platform`] trait for what differs between platforms (where a call goes, how it
//! authenticates, how the platform states an error and signals throttling). The token comes
//! from the call, the user's connection or the server's configuration; responses are read into
//! types (a response of another shape is an error naming the endpoint and the field); tools whose
//! retry policy allows it are retried; failures become errors a model can act on. Nothing here
//! knows any one platform.

mod body;
mod credential;
mod failure;
mod paging;
mod platform;
mod remote;
mod retry;
mod segment;

use std::sync::Arc;
use std::time::Duration;

use mcp_runtime::{McpError, RetryPolicy, ToolContext};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap};
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use body::present;
pub use credential::Credential;
pub use paging::{Paged, next_link};
pub use platform::{Identity, Platform};
pub use remote::Remote;
pub use retry::{RetrySettings, retry_after};
pub use segment::{Segment, SegmentRule, encode_segment};

use crate::connect::{ConnectionStore, OAuthApp};

/// A configured connection to one platform's HTTP API.
#[derive(Debug, Clone)]
pub struct Api<P> {
    platform: P,
    http: reqwest::Client,
    base: String,
    token: Option<SecretString>,
    connections: Option<Arc<dyn ConnectionStore>>,
    /// The OAuth app that issued users' connections, to renew their tokens.
    oauth_app: Option<Arc<OAuthApp>>,
    retry: RetrySettings,
}

impl<P: Platform> Api<P> {
    /// The API of `platform` at `base` (no trailing slash needed); `token` is used when neither
    /// the call nor the user's connection carries one.
    pub fn new(platform: P, base: &str, token: Option<String>) -> Self {
        let http = http_client(
            reqwest::Client::builder()
                .user_agent(concat!("mcp-providers/", env!("CARGO_PKG_VERSION")))
                .connect_timeout(Duration::from_secs(10))
                .timeout(Duration::from_secs(60)),
        );
        Api {
            platform,
            http,
            base: base.trim_end_matches('/').to_owned(),
            token: token
                .filter(|token| !token.is_empty())
                .map(SecretString::from),
            connections: None,
            oauth_app: None,
            retry: RetrySettings::default(),
        }
    }

    /// The platform this connection reaches.
    pub fn platform(&self) -> &P {
        &self.platform
    }

    /// The API's base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// A `GET` of `path` (relative to the call's base URL, or an absolute URL).
    pub fn get(&self, path: impl Into<String>) -> Request<'_, P> {
        self.request(Method::GET, path)
    }

    /// A `POST` of `path`.
    pub fn post(&self, path: impl Into<String>) -> Request<'_, P> {
        self.request(Method::POST, path)
    }

    /// A `PUT` of `path`.
    pub fn put(&self, path: impl Into<String>) -> Request<'_, P> {
        self.request(Method::PUT, path)
    }

    /// A `PATCH` of `path`.
    pub fn patch(&self, path: impl Into<String>) -> Request<'_, P> {
        self.request(Method::PATCH, path)
    }

    /// A `DELETE` of `path`.
    pub fn delete(&self, path: impl Into<String>) -> Request<'_, P> {
        self.request(Method::DELETE, path)
    }

    fn request(&self, method: Method, path: impl Into<String>) -> Request<'_, P> {
        Request {
            api: self,
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            accept: "application/json",
            token_in_path: false,
        }
    }
}

/// A client from `builder` with our TLS setup. reqwest is built without a default crypto
/// provider (see the workspace manifest); the first client installs ring for the process, and a
/// second install is refused, harmlessly.
pub fn http_client(builder: reqwest::ClientBuilder) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    builder.build().expect("the TLS provider is installed")
}

/// A page size argument named `field`: `default` when not given, else between 1 and `max`.
pub fn page_size(
    field: &str,
    value: Option<u32>,
    (default, max): (u32, u32),
) -> Result<u32, McpError> {
    match value {
        None => Ok(default),
        Some(size) if (1..=max).contains(&size) => Ok(size),
        Some(size) => Err(McpError::invalid_arguments(format!(
            "`{field}` must be between 1 and {max}, not {size}"
        ))),
    }
}

/// One request being built.
#[derive(Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct Request<'a, P> {
    api: &'a Api<P>,
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
    body: Option<Body>,
    accept: &'static str,
    /// Whether the path's [`TOKEN_PLACEHOLDER`] stands for the call's token.
    token_in_path: bool,
}

/// Where a path carries the call's own token (`/oauth/v1/access-tokens/{token}`), with
/// [`Request::token_in_path`]: the token goes in the URL sent, never in messages or logs, which
/// show the placeholder (and an answer quoting any token it was sent has it blanked out as
/// this).
pub const TOKEN_PLACEHOLDER: &str = "{token}";

/// What a request sends.
#[derive(Debug)]
enum Body {
    Json(Vec<u8>),
    /// One file as `multipart/form-data` field `file`.
    File {
        name: String,
        media_type: String,
        bytes: Vec<u8>,
    },
}

impl Body {
    fn attach(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            Body::Json(bytes) => request
                .header(CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
            Body::File {
                name,
                media_type,
                bytes,
            } => {
                // A form is consumed by sending, so each attempt builds its own.
                let part = reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.clone());
                let part = part.mime_str(media_type).unwrap_or_else(|_| {
                    reqwest::multipart::Part::bytes(bytes.clone()).file_name(name.clone())
                });
                request.multipart(reqwest::multipart::Form::new().part("file", part))
            }
        }
    }
}

impl<P: Platform> Request<'_, P> {
    /// Adds a query parameter.
    pub fn query(mut self, key: &'static str, value: impl ToString) -> Self {
        self.query.push((key, value.to_string()));
        self
    }

    /// Adds a query parameter when there is a value.
    pub fn query_opt(self, key: &'static str, value: Option<impl ToString>) -> Self {
        match value {
            Some(value) => self.query(key, value),
            None => self,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Sends `body` as JSON.
    pub fn json(mut self, body: &impl Serialize) -> Self {
        self.body = Some(Body::Json(
            serde_json::to_vec(body).expect("request bodies serialize"),
        ));
        self
    }

    /// Sends one file as a multipart form.
    pub fn file(mut self, name: &str, media_type: &str, bytes: Vec<u8>) -> Self {
        self.body = Some(Body::File {
            name: name.to_owned(),
            media_type: media_type.to_owned(),
            bytes,
        });
        self
    }

    /// Puts the call's token, percent-encoded, in place of [`TOKEN_PLACEHOLDER`] in the path sent
    /// (an endpoint describing the token itself); errors and logs keep the placeholder.
    pub fn token_in_path(mut self) -> Self {
        self.token_in_path = true;
        self
    }

    /// Asks for another media type, e.g. a diff instead of JSON.
    pub fn accept(mut self, media_type: &'static str) -> Self {
        self.accept = media_type;
        self
    }

    /// Sends the request and reads a JSON response into `T`; a response of another shape is an
    /// error naming the endpoint and the field.
    pub async fn send<T: DeserializeOwned>(self, ctx: &ToolContext) -> Result<T, McpError> {
        self.send_paged(ctx).await.map(|paged| paged.value)
    }

    /// Sends the request and reads a JSON response into `T`, with where the next page is when
    /// the platform says so in a `Link` header.
    pub async fn send_paged<T: DeserializeOwned>(
        self,
        ctx: &ToolContext,
    ) -> Result<Paged<T>, McpError> {
        let name = self.api.platform.identity().name;
        let answer = self.exchange(ctx).await?;
        let deserializer = &mut serde_json::Deserializer::from_slice(&answer.body);
        let value = serde_path_to_error::deserialize(deserializer).map_err(|error| {
            McpError::provider(
                Some(answer.status.as_u16()),
                format!(
                    "unexpected response from {name} to `{}`: {error}",
                    answer.endpoint
                ),
            )
        })?;
        Ok(Paged {
            value,
            next: next_link(&answer.headers),
        })
    }

    /// Sends the request and reads the response as text.
    pub async fn text(self, ctx: &ToolContext) -> Result<String, McpError> {
        let answer = self.exchange(ctx).await?;
        Ok(String::from_utf8_lossy(&answer.body).into_owned())
    }

    /// Sends the request and reads the response's bytes.
    pub async fn bytes(self, ctx: &ToolContext) -> Result<Vec<u8>, McpError> {
        self.exchange(ctx).await.map(|answer| answer.body)
    }

    /// Sends the request and ignores the response body.
    pub async fn empty(self, ctx: &ToolContext) -> Result<(), McpError> {
        self.exchange(ctx).await.map(drop)
    }

    /// `METHOD /path`, for messages (the query is left out).
    fn endpoint(&self, base: &str) -> String {
        let path = self.path.strip_prefix(base).unwrap_or(&self.path);
        format!("{} {path}", self.method)
    }

    /// The URL sent with `credential`: the only place the token may enter the path.
    fn url(&self, base: &str, credential: &Credential<'_>) -> String {
        let path = if self.token_in_path {
            let token = utf8_percent_encode(credential.token(), NON_ALPHANUMERIC).to_string();
            self.path.replace(TOKEN_PLACEHOLDER, &token)
        } else {
            self.path.clone()
        };
        if self.is_absolute() {
            path
        } else {
            format!("{base}{path}")
        }
    }

    fn is_absolute(&self) -> bool {
        self.path.starts_with("http://") || self.path.starts_with("https://")
    }

    /// Sends the request, retrying as the tool's retry policy allows; the success, or the error
    /// its failure maps to.
    async fn exchange(self, ctx: &ToolContext) -> Result<Answer, McpError> {
        let platform = &self.api.platform;
        let credential = self.api.credential(ctx).await?;
        // An absolute URL (a platform's own lookup, a link it gave) needs no base.
        let base = if self.is_absolute() {
            String::new()
        } else {
            platform.base_url(self.api, ctx, &credential).await?
        };
        let endpoint = self.endpoint(&base);
        let authorization = platform.authorization(&credential);
        let mut outcome = self
            .attempts(ctx, &self.url(&base, &credential), &authorization)
            .await;
        // An expired OAuth token: renew it once and try again; a second 401 is final.
        let mut renewed = None;
        if let Err((failure, _)) = &outcome
            && failure.is_unauthorized()
            && let Some(token) = self.api.renew(ctx, &credential).await
        {
            let credential = renewed.insert(Credential::Renewed(token));
            outcome = self
                .attempts(
                    ctx,
                    &self.url(&base, credential),
                    &platform.authorization(credential),
                )
                .await;
        }
        match outcome {
            Ok((status, headers, body)) => Ok(Answer {
                endpoint,
                status,
                headers,
                body,
            }),
            Err((failure, attempts)) => {
                // An answer may quote what it was sent (a path, a body): no token is told.
                let failure = renewed
                    .iter()
                    .chain([&credential])
                    .fold(failure, |failure, sent| failure.without(sent.token()));
                Err(failure::into_error(
                    platform, ctx, &endpoint, failure, attempts,
                ))
            }
        }
    }

    /// Sends the request to `url` with `authorization`, retrying as the tool's retry policy
    /// allows; the success, or the last failure and how many attempts were made.
    async fn attempts(
        &self,
        ctx: &ToolContext,
        url: &str,
        authorization: &str,
    ) -> Result<(StatusCode, HeaderMap, Vec<u8>), (Failure, u32)> {
        let retry = &self.api.retry;
        let retryable = ctx
            .tool()
            .is_some_and(|tool| tool.retry == RetryPolicy::OnInterrupt);
        let mut attempt = 1;
        loop {
            let mut request = self
                .api
                .http
                .request(self.method.clone(), url)
                .query(&self.query)
                .header(AUTHORIZATION, authorization)
                .header(ACCEPT, self.accept);
            for (name, value) in &self.headers {
                request = request.header(*name, value);
            }
            if let Some(body) = &self.body {
                request = body.attach(request);
            }
            let failure = match request.send().await {
                Ok(response) => {
                    let status = response.status();
                    let headers = response.headers().clone();
                    let body = response.bytes().await;
                    tracing::debug!(
                        method = %self.method,
                        path = %self.path,
                        status = status.as_u16(),
                        attempt,
                        "upstream call"
                    );
                    match body {
                        Ok(body) if status.is_success() => {
                            return Ok((status, headers, body.to_vec()));
                        }
                        Ok(body) => Failure::Status {
                            status,
                            headers,
                            body: body.to_vec(),
                        },
                        Err(error) => Failure::Transport(error),
                    }
                }
                Err(error) => Failure::Transport(error),
            };
            let throttled = failure.is_throttled_on(&self.api.platform);
            match retry.wait_before_retry(&failure, throttled, attempt) {
                Some(wait) if retryable && attempt < retry.attempts => {
                    tracing::debug!(
                        path = %self.path,
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                _ => return Err((failure, attempt)),
            }
        }
    }
}

/// Why an attempt failed.
#[derive(Debug)]
enum Failure {
    /// The platform answered with a non-success status.
    Status {
        status: StatusCode,
        headers: HeaderMap,
        body: Vec<u8>,
    },
    /// No answer: connection refused, reset, timed out.
    Transport(reqwest::Error),
}

impl Failure {
    /// The failure with `secret` blanked out of the answer's body, which may quote the URL or
    /// the body it was sent.
    fn without(self, secret: &str) -> Self {
        match self {
            Failure::Status {
                status,
                headers,
                body,
            } if !secret.is_empty() => {
                let text = String::from_utf8_lossy(&body);
                let body = if text.contains(secret) {
                    text.replace(secret, TOKEN_PLACEHOLDER).into_bytes()
                } else {
                    body
                };
                Failure::Status {
                    status,
                    headers,
                    body,
                }
            }
            transport => transport,
        }
    }

    fn is_unauthorized(&self) -> bool {
        matches!(self, Failure::Status { status, .. } if *status == StatusCode::UNAUTHORIZED)
    }

    /// Whether `platform` says this answer is throttling.
    fn is_throttled_on(&self, platform: &impl Platform) -> bool {
        match self {
            Failure::Status {
                status,
                headers,
                body,
            } => platform.is_throttled(*status, headers, body),
            Failure::Transport(_) => false,
        }
    }
}

/// A successful exchange.
struct Answer {
    /// `METHOD /path`, for messages.
    endpoint: String,
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::platform::Plain;
    use crate::test_logs::Logs;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// A token with characters a path must escape.
    const TOKEN: &str = "CJSP5qf1KRIC/AQ+x==";

    /// Asks `base` about [`TOKEN`] with the token in the path: the error, and what was logged.
    async fn look_up_token(base: &str) -> (McpError, String) {
        let api = Api::new(Plain, base, Some(TOKEN.to_owned()));
        let logs = Logs::capture();
        let error = api
            .get(format!("/oauth/v1/access-tokens/{TOKEN_PLACEHOLDER}"))
            .token_in_path()
            .empty(&ToolContext::new())
            .await
            .unwrap_err();
        (error, logs.text())
    }

    #[tokio::test]
    async fn a_token_in_the_path_is_sent_and_never_told() {
        let upstream = MockServer::start().await;
        Mock::given(method("GET"))
            // The token as one path segment: its `/`, `+` and `=` escaped.
            .and(path("/oauth/v1/access-tokens/CJSP5qf1KRIC%2FAQ%2Bx%3D%3D"))
            .respond_with(
                ResponseTemplate::new(404).set_body_json(
                    serde_json::json!({"message": "no token CJSP5qf1KRIC/AQ+x== here"}),
                ),
            )
            .expect(1)
            .mount(&upstream)
            .await;
        let (error, logged) = look_up_token(&upstream.uri()).await;
        let message = format!("{error} {error:?}");
        // The platform's message quoted the token: it is blanked out.
        assert!(message.contains("no token {token} here"), "{message}");
        assert!(
            message.contains("`GET /oauth/v1/access-tokens/{token}`"),
            "{message}"
        );
        assert!(
            logged.contains("/oauth/v1/access-tokens/{token}"),
            "{logged}"
        );
        assert!(!logged.contains("CJSP5qf1KRIC"), "{logged}");
        let escaped = utf8_percent_encode(TOKEN, NON_ALPHANUMERIC).to_string();
        assert!(!message.contains(&escaped) && !logged.contains(&escaped));
    }

    #[tokio::test]
    async fn a_transport_failure_does_not_tell_the_token_either() {
        // Nothing listens on the discard port.
        let (error, logged) = look_up_token("http://127.0.0.1:9").await;
        let message = format!("{error} {error:?}");
        assert!(message.contains("did not answer"), "{message}");
        assert!(!message.contains("CJSP5qf1KRIC"), "{message}");
        assert!(!logged.contains("CJSP5qf1KRIC"));
    }
}
