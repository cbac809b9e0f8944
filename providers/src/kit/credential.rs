//! Which token a request carries: the call's own (an unprotected local server's bearer header),
//! else the user's connection, else the server's configured token; and renewing a connection's
//! OAuth token when the platform says it expired.

use mcp_runtime::host::approval::LOCAL_USER;
use mcp_runtime::{ErrorKind, McpError, ToolContext};
use secrecy::{ExposeSecret, SecretString};

use super::{Api, Platform};
use crate::connect::Connection;

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
    /// A connection's OAuth token, just renewed.
    Renewed(&'a str),
}

impl Credential<'_> {
    /// The token.
    pub fn token(&self) -> &str {
        match self {
            Credential::Call(token) | Credential::Renewed(token) => token,
            Credential::Connection { connection, .. } => connection.tokens.access.expose_secret(),
            Credential::Configured(token) => token.expose_secret(),
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
}

impl<P: Platform> Api<P> {
    /// The credential of `ctx`'s call, or the "not connected" error.
    pub(super) fn credential<'a>(
        &'a self,
        ctx: &'a ToolContext,
    ) -> Result<Credential<'a>, McpError> {
        if let Some(token) = ctx.token() {
            return Ok(Credential::Call(token));
        }
        let user_id = ctx.ids().user_id.as_deref().unwrap_or(LOCAL_USER);
        let connected = self
            .connections
            .as_ref()
            .and_then(|connections| connections.get(user_id, self.platform.identity().provider));
        if let Some(connection) = connected {
            return Ok(Credential::Connection {
                user_id: user_id.to_owned(),
                connection,
            });
        }
        self.token
            .as_ref()
            .map(Credential::Configured)
            .ok_or_else(|| {
                let identity = self.platform.identity();
                McpError::of_kind(
                    ErrorKind::PersonalAuthenticationRequired {
                        provider: identity.provider.to_owned(),
                    },
                    format!(
                        "not connected to {}: {}",
                        identity.name, identity.connect_hint
                    ),
                )
            })
    }

    /// A renewed token for a connection whose OAuth app can renew it, saved for next time;
    /// `None` when there is nothing to renew or the renewal failed.
    pub(super) async fn renew(
        &self,
        ctx: &ToolContext,
        credential: &Credential<'_>,
    ) -> Option<SecretString> {
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
        let provider = self.platform.identity().provider;
        match app.refresh(refresh).await {
            Ok(tokens) => {
                let access = tokens.access.clone();
                if let Some(connections) = &self.connections {
                    connections.put(
                        user_id,
                        provider,
                        Connection {
                            tokens,
                            app: Some(app.clone()),
                        },
                    );
                }
                tracing::info!(provider, user_id = %user_id, tool = ctx.tool().map(|tool| tool.name), "renewed an expired token");
                Some(access)
            }
            Err(error) => {
                // The error names the server's answer, never a token.
                tracing::warn!(provider, user_id = %user_id, %error, "token renewal failed");
                None
            }
        }
    }
}
