//! Connections to platforms: where a user's upstream token comes from. A connection holds a
//! static token (from the environment or configuration) or OAuth 2.0 tokens with their refresh
//! token and expiry; the OAuth app that can renew them is the server's. Tokens are
//! `SecretString`s: their `Debug` prints `[REDACTED]`, and nothing here logs them.

mod oauth;
mod store;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use secrecy::SecretString;

pub use mcp_runtime::host::StoreError;
pub use oauth::{AccountLookup, Authorization, OAuthApp, OAuthEndpoints, OAuthError, secure_url};
pub use store::{ConnectionStore, MemoryConnections};

/// Tokens are renewed this long before they expire, so that none expires on its way.
const EXPIRY_MARGIN: Duration = Duration::from_secs(60);

/// A user's tokens for one platform.
#[derive(Debug, Clone)]
pub struct Tokens {
    /// The bearer token sent upstream.
    pub access: SecretString,
    /// What renews `access`, when the platform issued one.
    pub refresh: Option<SecretString>,
    /// When `access` expires, when the platform said.
    pub expires_at: Option<SystemTime>,
    /// The API host the platform named in its token response (Salesforce's `instance_url`:
    /// each organization has its own), for the platforms whose host is per connection.
    pub instance_url: Option<String>,
    /// The scopes the platform said it granted (none when it did not say).
    pub scopes: Vec<String>,
}

impl Tokens {
    /// A static token, never renewed.
    pub fn fixed(access: impl Into<String>) -> Self {
        Tokens {
            access: SecretString::from(access.into()),
            refresh: None,
            expires_at: None,
            instance_url: None,
            scopes: Vec::new(),
        }
    }

    /// Whether `access` has expired, or is about to.
    pub fn is_expiring(&self) -> bool {
        self.expires_at
            .is_some_and(|expires_at| expires_at <= SystemTime::now() + EXPIRY_MARGIN)
    }
}

/// Users' connections as a host gives them to every call (a `ToolContext` extension): where
/// they are, and the OAuth app of each provider, which renews its tokens.
#[derive(Clone)]
pub struct UserConnections {
    /// Where users' tokens are.
    pub store: Arc<dyn ConnectionStore>,
    /// The OAuth app of each provider (`github`, `jira`) the host has one for; shared, since
    /// every call gets a copy of the whole.
    pub apps: Arc<std::collections::HashMap<String, Arc<OAuthApp>>>,
}

/// A user's connection to one platform.
#[derive(Debug, Clone)]
pub struct Connection {
    /// The current tokens.
    pub tokens: Tokens,
    /// The OAuth app that issued them, to renew them; `None` for a static token.
    pub app: Option<Arc<OAuthApp>>,
}

impl Connection {
    /// A static token.
    pub fn fixed(access: impl Into<String>) -> Self {
        Connection {
            tokens: Tokens::fixed(access),
            app: None,
        }
    }

    /// Whether an upstream 401 can be answered by renewing the token.
    pub fn is_renewable(&self) -> bool {
        self.app.is_some() && self.tokens.refresh.is_some()
    }
}
