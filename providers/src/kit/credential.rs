//! Which token a request carries: the call's own (an unprotected local server's bearer header),
//! else the user's connection, else the server's configured token; and renewing a connection's
//! OAuth token when it is about to expire or the platform says it has.

use mcp_runtime::host::approval::LOCAL_USER;
use mcp_runtime::{ErrorKind, McpError, ToolContext};
use secrecy::{ExposeSecret, SecretString};

use super::{Api, Platform};
use std::sync::Arc;

use crate::connect::{Connection, ConnectionStore, OAuthApp, Tokens, UserConnections};

/// The token of one call, and where it came from (a platform may authenticate each differently).
pub enum Credential<'a> {
    /// Given with the call.
    Call(&'a str),
    /// The user's connection.
    Connection {
        /// Whose it is.
        user_id: String,
        /// The connection.
        connection: Connection,
    },
    /// The server's own.
    Configured(&'a SecretString),
    /// A connection's OAuth tokens, just renewed.
    Renewed(Tokens),
}

impl Credential<'_> {
    /// The token.
    pub fn token(&self) -> &str {
        match self {
            Credential::Call(token) => token,
            Credential::Connection { connection, .. } => connection.tokens.access.expose_secret(),
            Credential::Configured(token) => token.expose_secret(),
            Credential::Renewed(tokens) => tokens.access.expose_secret(),
        }
    }

    /// Whether the token came from an OAuth connection (rather than the call or the server).
    pub fn is_oauth(&self) -> bool {
        match self {
            Credential::Connection { connection, .. } => connection.app.is_some(),
            Credential::Renewed(_) => true,
            Credential::Call(_) | Credential::Configured(_) => false,
        }
    }

    /// The API host the platform named when the user connected (Salesforce's `instance_url`),
    /// for platforms whose host is per connection; `None` for a token from the call or the server.
    pub fn instance_url(&self) -> Option<&str> {
        match self {
            Credential::Connection { connection, .. } => connection.tokens.instance_url.as_deref(),
            Credential::Renewed(tokens) => tokens.instance_url.as_deref(),
            Credential::Call(_) | Credential::Configured(_) => None,
        }
    }
}

impl<P: Platform> Api<P> {
    /// The credential of `ctx`'s call, or the "not connected" error. A connection's token
    /// about to expire is renewed first. Public for platforms whose endpoints differ by the kind
    /// of token (a private app's or an OAuth one).
    pub async fn credential<'a>(
        &'a self,
        ctx: &'a ToolContext,
    ) -> Result<Credential<'a>, McpError> {
        if let Some(token) = ctx.token() {
            return Ok(Credential::Call(token));
        }
        let user_id = ctx.ids().user_id.as_deref().unwrap_or(LOCAL_USER);
        if let Some(tokens) = self.connected(ctx, user_id).await? {
            let credential = Credential::Connection {
                user_id: user_id.to_owned(),
                connection: Connection {
                    tokens,
                    app: self.connections(ctx).and_then(|(_, app)| app),
                },
            };
            if let Credential::Connection { connection, .. } = &credential
                && connection.tokens.is_expiring()
                && let Some(renewed) = self.renew(ctx, &credential).await
            {
                return Ok(Credential::Renewed(renewed));
            }
            return Ok(credential);
        }
        self.token
            .as_ref()
            .map(Credential::Configured)
            .ok_or_else(|| {
                let identity = self.platform.identity();
                McpError::of_kind(
                    ErrorKind::PersonalAuthenticationRequired {
                        provider: identity.connection_key(ctx).to_owned(),
                    },
                    format!(
                        "not connected to {}: {}",
                        identity.name, identity.connect_hint
                    ),
                )
            })
    }

    /// Where users' connections are, and the OAuth app renewing them: the server's own, else
    /// those the host gave the call.
    fn connections<'c>(
        &'c self,
        ctx: &'c ToolContext,
    ) -> Option<(&'c dyn ConnectionStore, Option<Arc<OAuthApp>>)> {
        if let Some(connections) = &self.connections {
            return Some((&**connections, self.oauth_app.clone()));
        }
        let given = ctx.get::<UserConnections>()?;
        let key = self.platform.identity().connection_key(ctx);
        Some((&*given.store, given.apps.get(key).cloned()))
    }

    /// The tokens of `user_id`'s connection to this platform, if any.
    async fn connected(
        &self,
        ctx: &ToolContext,
        user_id: &str,
    ) -> Result<Option<Tokens>, McpError> {
        let Some((connections, _)) = self.connections(ctx) else {
            return Ok(None);
        };
        let provider = self.platform.identity().connection_key(ctx);
        connections.get(user_id, provider).await.map_err(|error| {
            tracing::error!(provider, %error, "the connection store failed");
            McpError::new(format!(
                "{}'s connections cannot be read right now; try again later",
                self.platform.identity().name
            ))
        })
    }

    /// Renewed tokens for a connection whose OAuth app can renew it, saved for next time;
    /// `None` when there is nothing to renew or the renewal failed.
    pub(super) async fn renew(
        &self,
        ctx: &ToolContext,
        credential: &Credential<'_>,
    ) -> Option<Tokens> {
        let Credential::Connection {
            user_id,
            connection,
        } = credential
        else {
            return None;
        };
        let (Some(app), Some(refresh)) = (&connection.app, &connection.tokens.refresh) else {
            return None;
        };
        let provider = self.platform.identity().connection_key(ctx);
        match app.refresh(refresh).await {
            Ok(mut tokens) => {
                // A refresh answer may leave out the instance the connection was made on.
                if tokens.instance_url.is_none() {
                    tokens.instance_url = connection.tokens.instance_url.clone();
                }
                // Nor the scopes, which are then those granted before.
                if tokens.scopes.is_empty() {
                    tokens.scopes = connection.tokens.scopes.clone();
                }
                if let Some((connections, _)) = self.connections(ctx)
                    && let Err(error) = connections.put(user_id, provider, &tokens).await
                {
                    // The renewed token still serves this call; the next renews again.
                    tracing::warn!(provider, user_id = %user_id, %error, "a renewed token could not be saved");
                }
                tracing::info!(provider, user_id = %user_id, tool = ctx.tool().map(|tool| tool.name), "renewed an expired token");
                Some(tokens)
            }
            Err(error) => {
                // The error names the server's answer, never a token.
                tracing::warn!(provider, user_id = %user_id, %error, "token renewal failed");
                None
            }
        }
    }
}
