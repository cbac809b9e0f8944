//! The HTTP client every provider reaches its platform with: the token from the tool context (or
//! the server's configuration), serde-typed responses, retries for tools whose retry policy
//! allows them, and upstream failures turned into errors a model can act on.

mod credential;
mod failure;
mod retry;

use std::sync::Arc;
use std::time::Duration;

use mcp_runtime::{McpError, RetryPolicy, ToolContext};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap};
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use retry::RetrySettings;

use crate::connect::ConnectionStore;

/// A platform as its users know it, and how they connect to it.
#[derive(Debug)]
pub struct Platform {
    /// The platform's name in messages, e.g. `GitHub`.
    pub name: &'static str,
    /// The OAuth provider the user connects, e.g. `github`.
    pub provider: &'static str,
    /// How to connect without OAuth, named in the "not connected" error.
    pub connect_hint: &'static str,
}

/// A configured connection to one platform's HTTP API.
#[derive(Debug, Clone)]
pub struct Upstream {
    platform: &'static Platform,
    http: reqwest::Client,
    base: String,
    token: Option<SecretString>,
    connections: Option<Arc<dyn ConnectionStore>>,
    retry: RetrySettings,
}

impl Upstream {
    /// The API at `base` (no trailing slash needed); `token` is used when the call's context
    /// carries none.
    pub fn new(platform: &'static Platform, base: &str, token: Option<String>) -> Self {
        let http = http_client(
            reqwest::Client::builder()
                .user_agent(concat!("mcp-providers/", env!("CARGO_PKG_VERSION")))
                .connect_timeout(Duration::from_secs(10))
                .timeout(Duration::from_secs(60)),
        );
        Upstream {
            platform,
            http,
            base: base.trim_end_matches('/').to_owned(),
            token: token
                .filter(|token| !token.is_empty())
                .map(SecretString::from),
            connections: None,
            retry: RetrySettings::default(),
        }
    }

    /// Takes each user's token from `connections` (after the call's own token, before the
    /// configured one), renewing OAuth tokens there when the platform answers 401.
    pub fn with_connections(mut self, connections: Arc<dyn ConnectionStore>) -> Self {
        self.connections = Some(connections);
        self
    }

    /// Replaces the retry settings (tests shorten the backoff).
    pub fn with_retry(mut self, retry: RetrySettings) -> Self {
        self.retry = retry;
        self
    }

    /// The platform this connection reaches.
    pub fn platform(&self) -> &'static Platform {
        self.platform
    }

    /// The API's base URL.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// A `GET` of `path` (relative to the base URL, or an absolute URL).
    pub fn get(&self, path: impl Into<String>) -> Request<'_> {
        self.request(Method::GET, path)
    }

    /// A `POST` of `path`.
    pub fn post(&self, path: impl Into<String>) -> Request<'_> {
        self.request(Method::POST, path)
    }

    /// A `PUT` of `path`.
    pub fn put(&self, path: impl Into<String>) -> Request<'_> {
        self.request(Method::PUT, path)
    }

    /// A `PATCH` of `path`.
    pub fn patch(&self, path: impl Into<String>) -> Request<'_> {
        self.request(Method::PATCH, path)
    }

    /// A `DELETE` of `path`.
    pub fn delete(&self, path: impl Into<String>) -> Request<'_> {
        self.request(Method::DELETE, path)
    }

    fn request(&self, method: Method, path: impl Into<String>) -> Request<'_> {
        Request {
            upstream: self,
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            accept: "application/json",
        }
    }
}

/// A client from `builder` with our TLS setup. reqwest is built without a default crypto
/// provider (see the workspace manifest); the first client installs ring for the process, and a
/// second install is refused, harmlessly.
pub(crate) fn http_client(builder: reqwest::ClientBuilder) -> reqwest::Client {
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
pub struct Request<'a> {
    upstream: &'a Upstream,
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
    body: Option<Body>,
    accept: &'static str,
}

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

impl Request<'_> {
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

    /// Asks for another media type, e.g. `application/vnd.github.diff`.
    pub fn accept(mut self, media_type: &'static str) -> Self {
        self.accept = media_type;
        self
    }

    /// Sends the request and reads a JSON response into `T`; a response of another shape is an
    /// error naming the endpoint and the field.
    pub async fn send<T: DeserializeOwned>(self, ctx: &ToolContext) -> Result<T, McpError> {
        let endpoint = self.endpoint();
        let platform = self.upstream.platform.name;
        let (status, body) = self.exchange(ctx).await?;
        let deserializer = &mut serde_json::Deserializer::from_slice(&body);
        serde_path_to_error::deserialize(deserializer).map_err(|error| {
            McpError::provider(
                Some(status.as_u16()),
                format!("unexpected response from {platform} to `{endpoint}`: {error}"),
            )
        })
    }

    /// Sends the request and reads the response as text.
    pub async fn text(self, ctx: &ToolContext) -> Result<String, McpError> {
        let (_, body) = self.exchange(ctx).await?;
        Ok(String::from_utf8_lossy(&body).into_owned())
    }

    /// Sends the request and reads the response's bytes.
    pub async fn bytes(self, ctx: &ToolContext) -> Result<Vec<u8>, McpError> {
        self.exchange(ctx).await.map(|(_, body)| body)
    }

    /// Sends the request and ignores the response body.
    pub async fn empty(self, ctx: &ToolContext) -> Result<(), McpError> {
        self.exchange(ctx).await.map(drop)
    }

    /// `METHOD /path`, for messages (the query is left out).
    fn endpoint(&self) -> String {
        let path = self
            .path
            .strip_prefix(&self.upstream.base)
            .unwrap_or(&self.path);
        format!("{} {path}", self.method)
    }

    fn url(&self) -> String {
        if self.path.starts_with("http://") || self.path.starts_with("https://") {
            self.path.clone()
        } else {
            format!("{}{}", self.upstream.base, self.path)
        }
    }

    /// Sends the request, retrying as the tool's retry policy allows; a success's status and
    /// body, or the error its failure maps to.
    async fn exchange(self, ctx: &ToolContext) -> Result<(StatusCode, Vec<u8>), McpError> {
        let credential = self.upstream.credential(ctx)?;
        let platform = self.upstream.platform;
        let endpoint = self.endpoint();
        let (failure, attempts) = match self.attempts(ctx, credential.token()).await {
            Ok(answer) => return Ok(answer),
            Err(failed) => failed,
        };
        // An expired OAuth token: renew it once and try again; a second 401 is final.
        if failure.is_unauthorized()
            && let Some(renewed) = self.upstream.renew(ctx, &credential).await
        {
            return self.attempts(ctx, renewed.expose_secret()).await.map_err(
                |(failure, attempts)| failure::into_error(platform, &endpoint, failure, attempts),
            );
        }
        Err(failure::into_error(platform, &endpoint, failure, attempts))
    }

    /// Sends the request with `token`, retrying as the tool's retry policy allows; the success,
    /// or the last failure and how many attempts were made.
    async fn attempts(
        &self,
        ctx: &ToolContext,
        token: &str,
    ) -> Result<(StatusCode, Vec<u8>), (Failure, u32)> {
        let retry = &self.upstream.retry;
        let retryable = ctx
            .tool()
            .is_some_and(|tool| tool.retry == RetryPolicy::OnInterrupt);
        let endpoint = self.endpoint();
        let url = self.url();
        let mut attempt = 1;
        loop {
            let mut request = self
                .upstream
                .http
                .request(self.method.clone(), &url)
                .query(&self.query)
                .header(AUTHORIZATION, format!("Bearer {token}"))
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
                    tracing::debug!(endpoint, status = status.as_u16(), attempt, "upstream call");
                    match body {
                        Ok(body) if status.is_success() => return Ok((status, body.to_vec())),
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
            match retry.wait_before_retry(&failure, attempt) {
                Some(wait) if retryable && attempt < retry.attempts => {
                    tracing::debug!(
                        endpoint,
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
    fn is_unauthorized(&self) -> bool {
        matches!(self, Failure::Status { status, .. } if *status == StatusCode::UNAUTHORIZED)
    }
}
