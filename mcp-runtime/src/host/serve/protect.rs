//! The HTTP transport as an OAuth protected resource (RFC 9728): requests need a bearer token a
//! pluggable validator accepts; without one they get `401` with `WWW-Authenticate` pointing at
//! the resource's metadata, which is served at [`METADATA_PATH`]. A valid token names the user
//! the calls run for; it is never handed to tools, so it never reaches an upstream platform.
//! A call of a tool needing scopes the token lacks is answered `403` with an
//! `insufficient_scope` challenge naming them, so the client can ask its user for more (step-up).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use http::StatusCode;
use http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use serde_json::json;

use crate::BoxFuture;

/// Where the protected resource metadata is served.
pub const METADATA_PATH: &str = "/.well-known/oauth-protected-resource";

/// Who a valid token speaks for. Its `Debug` names the claims but not their values, which may
/// be personal data.
#[derive(Clone, PartialEq, Eq)]
pub struct Principal {
    /// The user calls run for (approvals and upstream connections are theirs).
    pub user_id: String,
    /// The scopes the token grants.
    pub scopes: Vec<String>,
    /// The token's verified claims, for servers' `restricted` predicates (see
    /// [`Audience`](crate::host::Audience)).
    pub claims: serde_json::Map<String, serde_json::Value>,
}

impl std::fmt::Debug for Principal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Principal")
            .field("user_id", &self.user_id)
            .field("scopes", &self.scopes)
            .field("claims", &self.claims.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Why a token was refused; the reason goes to the client, never the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidToken(pub String);

/// Decides whether a bearer token is valid (introspection, JWT verification, a lookup).
pub trait TokenValidator: Send + Sync + 'static {
    /// The principal of `token`, or why it is refused.
    fn validate<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<Principal, InvalidToken>>;
}

/// How the server is protected.
#[derive(Clone)]
pub struct ProtectedResource {
    /// The resource's identifier, its base URL, e.g. `https://mcp.example.com`.
    pub resource: String,
    /// The authorization servers that issue its tokens.
    pub authorization_servers: Vec<String>,
    /// The scopes it understands.
    pub scopes_supported: Vec<String>,
    /// Checks tokens.
    pub validator: Arc<dyn TokenValidator>,
    /// The scopes calls need beyond a valid token.
    pub required_scopes: RequiredScopes,
}

/// The scopes a call needs beyond a valid token, given per server and per tool (a call needs
/// both its server's and its tool's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequiredScopes {
    by_server: BTreeMap<String, BTreeSet<String>>,
    by_tool: BTreeMap<(String, String), BTreeSet<String>>,
}

impl RequiredScopes {
    /// None beyond a valid token.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every call of `server`'s tools needs `scopes`.
    pub fn server<S: Into<String>>(
        mut self,
        server: impl Into<String>,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        let entry = self.by_server.entry(server.into()).or_default();
        entry.extend(scopes.into_iter().map(Into::into));
        self
    }

    /// Calls of `server`'s `tool` need `scopes`.
    pub fn tool<S: Into<String>>(
        mut self,
        server: impl Into<String>,
        tool: impl Into<String>,
        scopes: impl IntoIterator<Item = S>,
    ) -> Self {
        let entry = self
            .by_tool
            .entry((server.into(), tool.into()))
            .or_default();
        entry.extend(scopes.into_iter().map(Into::into));
        self
    }

    /// Whether no call needs a scope.
    pub fn is_empty(&self) -> bool {
        self.by_server.is_empty() && self.by_tool.is_empty()
    }

    /// The scopes a call of `server`'s `tool` needs, sorted.
    pub fn of(&self, server: &str, tool: &str) -> BTreeSet<&str> {
        let of_server = self.by_server.get(server).into_iter().flatten();
        let of_tool = self
            .by_tool
            .get(&(server.to_owned(), tool.to_owned()))
            .into_iter()
            .flatten();
        of_server.chain(of_tool).map(String::as_str).collect()
    }
}

impl std::fmt::Debug for ProtectedResource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProtectedResource")
            .field("resource", &self.resource)
            .field("authorization_servers", &self.authorization_servers)
            .field("scopes_supported", &self.scopes_supported)
            .field("required_scopes", &self.required_scopes)
            .finish_non_exhaustive()
    }
}

impl ProtectedResource {
    fn metadata_url(&self) -> String {
        format!("{}{METADATA_PATH}", self.resource.trim_end_matches('/'))
    }
}

/// `router` behind the bearer check, plus the metadata route (open to all).
pub(super) fn protect(router: Router, resource: ProtectedResource) -> Router {
    let metadata = json!({
        "resource": resource.resource,
        "authorization_servers": resource.authorization_servers,
        "scopes_supported": resource.scopes_supported,
        "bearer_methods_supported": ["header"],
    })
    .to_string();
    router
        .layer(middleware::from_fn_with_state(resource, require_bearer))
        .route(
            METADATA_PATH,
            get(move || async move { json_response(StatusCode::OK, metadata) }),
        )
}

async fn require_bearer(
    State(resource): State<ProtectedResource>,
    mut request: Request,
    next: Next,
) -> Response {
    let token = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_owned());
    let Some(token) = token else {
        return unauthorized(&resource, None);
    };
    match resource.validator.validate(&token).await {
        Ok(principal) => {
            request.extensions_mut().insert(principal);
            next.run(request).await
        }
        Err(reason) => unauthorized(&resource, Some(reason)),
    }
}

/// `403` with an `insufficient_scope` challenge when `principal` lacks a scope a call of
/// `server`'s `tool` needs.
pub(super) fn insufficient_scope(
    resource: &ProtectedResource,
    principal: Option<&Principal>,
    server: &str,
    tool: &str,
) -> Option<Response> {
    let needed = resource.required_scopes.of(server, tool);
    let granted = principal
        .map(|principal| principal.scopes.as_slice())
        .unwrap_or_default();
    let missing: Vec<&str> = needed
        .iter()
        .copied()
        .filter(|scope| !granted.iter().any(|granted| granted == scope))
        .collect();
    if missing.is_empty() {
        return None;
    }
    // The challenge names every scope the call needs: the client asks for all of them.
    let scope = needed.into_iter().collect::<Vec<_>>().join(" ");
    let description = format!(
        "`{tool}` of `{server}` needs the scope(s) {}",
        missing.join(", ")
    );
    let challenge = format!(
        "Bearer error=\"insufficient_scope\", scope=\"{scope}\", resource_metadata=\"{}\", \
         error_description=\"{description}\"",
        resource.metadata_url()
    );
    let body =
        json!({"error": "insufficient_scope", "error_description": description, "scope": scope});
    let mut response = json_response(StatusCode::FORBIDDEN, body.to_string());
    if let Ok(value) = challenge.parse() {
        response.headers_mut().insert(WWW_AUTHENTICATE, value);
    }
    Some(response)
}

/// `401` with the challenge RFC 9728 asks for.
fn unauthorized(resource: &ProtectedResource, refused: Option<InvalidToken>) -> Response {
    let mut challenge = format!("Bearer resource_metadata=\"{}\"", resource.metadata_url());
    let body = match &refused {
        Some(InvalidToken(reason)) => {
            let reason = reason.replace('"', "'");
            challenge.push_str(&format!(
                ", error=\"invalid_token\", error_description=\"{reason}\""
            ));
            json!({"error": "invalid_token", "error_description": reason})
        }
        None => json!({"error": "unauthorized", "error_description": "a bearer token is required"}),
    };
    let mut response = json_response(StatusCode::UNAUTHORIZED, body.to_string());
    if let Ok(value) = challenge.parse() {
        response.headers_mut().insert(WWW_AUTHENTICATE, value);
    }
    response
}

fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::Principal;

    #[test]
    fn a_principal_prints_its_claims_names_not_their_values() {
        let principal = Principal {
            user_id: "ana".to_owned(),
            scopes: vec!["mcp".to_owned()],
            claims: serde_json::json!({"email": "ana@example.com", "groups": ["staff"]})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        };
        assert_eq!(
            format!("{principal:?}"),
            r#"Principal { user_id: "ana", scopes: ["mcp"], claims: ["email", "groups"] }"#
        );
    }
}
