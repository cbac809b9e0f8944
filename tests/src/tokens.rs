//! A bearer-token validator for the protected-HTTP tests.

use mcp_runtime::BoxFuture;
use mcp_runtime::host::serve::{InvalidToken, Principal, TokenValidator};

/// Accepts the token `good`, for the user `ana` with the scope `mcp`; refuses anything else
/// with a reason that quotes (so that tests see quotes kept out of the challenge header).
#[derive(Debug, Default)]
pub struct OneToken;

impl TokenValidator for OneToken {
    fn validate<'a>(&'a self, token: &'a str) -> BoxFuture<'a, Result<Principal, InvalidToken>> {
        Box::pin(async move {
            match token {
                "good" => Ok(Principal {
                    user_id: "ana".to_owned(),
                    scopes: vec!["mcp".to_owned()],
                    claims: serde_json::Map::new(),
                }),
                _ => Err(InvalidToken("the token is not \"good\"".to_owned())),
            }
        })
    }
}
