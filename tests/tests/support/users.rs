//! A protected resource whose tokens name their user: `ana`, `bo`, or any `u-..`. Only
//! `ana`'s token has a claim: `flags`, listing `beta`.

use std::sync::Arc;

use mcp_runtime::BoxFuture;
use mcp_runtime::host::serve::{
    InvalidToken, Principal, ProtectedResource, RequiredScopes, TokenValidator,
};

/// Accepts a token naming its user: `ana`, `bo`, or any `u-..`.
pub struct Users;

impl TokenValidator for Users {
    fn validate<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<Principal, InvalidToken>> {
        Box::pin(async move {
            match token {
                "ana" => Ok(Principal {
                    user_id: token.to_owned(),
                    scopes: Vec::new(),
                    claims: serde_json::json!({"flags": ["beta"]})
                        .as_object()
                        .cloned()
                        .unwrap_or_default(),
                }),
                _ if token == "bo" || token.starts_with("u-") => Ok(Principal {
                    user_id: token.to_owned(),
                    scopes: Vec::new(),
                    claims: serde_json::Map::new(),
                }),
                _ => Err(InvalidToken("unknown".to_owned())),
            }
        })
    }
}

/// `http://localhost`, protected by [`Users`].
pub fn protected() -> ProtectedResource {
    ProtectedResource {
        resource: "http://localhost".to_owned(),
        authorization_servers: Vec::new(),
        scopes_supported: Vec::new(),
        validator: Arc::new(Users),
        required_scopes: RequiredScopes::new(),
    }
}
