//! "My connections": each platform this host connects accounts to, and the person's connection
//! there: whom it is for (as the platform said), the scopes granted, how long the access lasts;
//! connect or reconnect (the connect flow, with a ticket for the signed-in person), and
//! disconnect, which revokes the token where the platform offers revocation.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use mcp_runtime::host::serve::ConnectLinks as _;
use providers::connect::ConnectionStore as _;
use serde::Deserialize;

use super::page::{self, Nav};
use super::{Console, now};
use crate::store::ConnectionSummary;

/// One platform as the page lists it.
struct Listed {
    provider: String,
    connected: bool,
    account: String,
    scopes: Vec<String>,
    access: String,
    /// Where the person connects (a ticket for them alone).
    connect: String,
}

#[derive(Template)]
#[template(path = "console/connections.html")]
struct ConnectionsPage {
    nav: Option<Nav>,
    csrf: String,
    connections: Vec<Listed>,
    ended: Option<String>,
}

#[derive(Deserialize)]
pub struct Ended {
    ended: Option<String>,
    revoked: Option<String>,
}

/// How long a connection's access lasts, in words.
fn access(summary: &ConnectionSummary) -> String {
    match (summary.renewable, summary.expires_at) {
        (true, _) => "renewed as needed".to_owned(),
        (false, None) => "does not expire".to_owned(),
        (false, Some(at)) if at <= i64::try_from(now()).unwrap_or(i64::MAX) => {
            "expired: reconnect".to_owned()
        }
        (false, Some(at)) => chrono::DateTime::from_timestamp(at, 0).map_or_else(
            || "expires".to_owned(),
            |at| format!("until {}", at.format("%Y-%m-%d %H:%M UTC")),
        ),
    }
}

/// What the page says once `provider` was disconnected, and whether its token was `revoked`.
fn ended_words(provider: &str, revoked: Option<&str>) -> String {
    let revocation = match revoked {
        Some("yes") => " The platform revoked its token.",
        Some("unsupported") => {
            " This platform offers this host no way to revoke its token: to end the app's \
             access there too, remove it in your account's settings on the platform."
        }
        Some("failed") => {
            " The platform could not be asked to revoke its token: remove the app's access in \
             your account's settings on the platform."
        }
        _ => "",
    };
    format!("Disconnected {provider}.{revocation}")
}

/// `GET /console/connections`.
pub async fn list(
    State(console): State<Arc<Console>>,
    Query(ended): Query<Ended>,
    headers: HeaderMap,
) -> Response {
    let Some(session) = console.session(&headers) else {
        return super::sign_in_first("/console/connections");
    };
    let summaries = match console.stores.tables().connections_of(&session.user).await {
        Ok(summaries) => summaries,
        Err(error) => {
            tracing::error!(%error, "connections could not be read");
            return console.unavailable(&session);
        }
    };
    let mut connections = Vec::new();
    if let Some(flow) = &console.connect {
        let mut providers: Vec<&String> = flow.apps().keys().collect();
        providers.sort();
        for provider in providers {
            let connect = flow.link(&session.user, provider).unwrap_or_default();
            let listed = match summaries
                .iter()
                .find(|summary| &summary.provider == provider)
            {
                Some(summary) => Listed {
                    provider: provider.clone(),
                    connected: true,
                    account: summary
                        .account
                        .clone()
                        .or_else(|| summary.instance_url.clone())
                        .unwrap_or_else(|| "(not said)".to_owned()),
                    scopes: summary
                        .scopes
                        .as_deref()
                        .unwrap_or_default()
                        .split([' ', ','])
                        .filter(|scope| !scope.is_empty())
                        .map(str::to_owned)
                        .collect(),
                    access: access(summary),
                    connect,
                },
                None => Listed {
                    provider: provider.clone(),
                    connected: false,
                    account: String::new(),
                    scopes: Vec::new(),
                    access: String::new(),
                    connect,
                },
            };
            connections.push(listed);
        }
    }
    // Said of a provider this host connects and the person is not connected to (a link
    // cannot make the page say a live connection ended), in the console's own words.
    let said = ended
        .ended
        .filter(|provider| {
            connections
                .iter()
                .any(|listed| &listed.provider == provider && !listed.connected)
        })
        .map(|provider| ended_words(&provider, ended.revoked.as_deref()));
    page::render(
        StatusCode::OK,
        &ConnectionsPage {
            nav: Nav::of(&session),
            csrf: session.csrf.clone(),
            connections,
            ended: said,
        },
    )
}

#[derive(Deserialize)]
pub struct Disconnect {
    #[serde(default)]
    csrf: String,
}

/// `POST /console/connections/{provider}/disconnect`.
pub async fn disconnect(
    State(console): State<Arc<Console>>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    Form(form): Form<Disconnect>,
) -> Response {
    let session = match console.form_sender(&headers, &form.csrf) {
        Ok(session) => session,
        Err(refused) => return *refused,
    };
    let Some(app) = console
        .connect
        .as_ref()
        .and_then(|flow| flow.apps().get(&provider).cloned())
    else {
        return page::not_found(&session);
    };
    // Revoked first, while the tokens are at hand; a connection whose tokens no longer open
    // (a retired key) is ended all the same.
    let revoked = match console.stores.get(&session.user, &provider).await {
        Ok(Some(tokens)) => match app.revoke(&tokens).await {
            Ok(true) => "yes",
            Ok(false) => "unsupported",
            Err(error) => {
                tracing::warn!(provider, user_id = %session.user, error = %crate::cli::chain(&error), "a token could not be revoked");
                "failed"
            }
        },
        Ok(None) => "none",
        Err(error) => {
            tracing::warn!(provider, user_id = %session.user, %error, "a connection's tokens could not be read to revoke them");
            "failed"
        }
    };
    if let Err(error) = console
        .stores
        .tables()
        .delete_connection(&session.user, &provider)
        .await
    {
        tracing::error!(%error, "a connection could not be ended");
        return console.unavailable(&session);
    }
    tracing::info!(provider, user_id = %session.user, revoked, "disconnected an account");
    page::see_other(&format!(
        "/console/connections?ended={provider}&revoked={revoked}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(renewable: bool, expires_at: Option<i64>) -> ConnectionSummary {
        ConnectionSummary {
            provider: "github".to_owned(),
            account: None,
            scopes: None,
            expires_at,
            renewable,
            instance_url: None,
        }
    }

    #[test]
    fn how_long_access_lasts_is_said_in_words() {
        assert_eq!(access(&summary(true, Some(1))), "renewed as needed");
        assert_eq!(access(&summary(false, None)), "does not expire");
        assert_eq!(access(&summary(false, Some(1))), "expired: reconnect");
        assert_eq!(
            access(&summary(false, Some(4_102_444_800))),
            "until 2100-01-01 00:00 UTC"
        );
    }

    #[test]
    fn a_disconnection_says_whether_the_token_was_revoked() {
        assert_eq!(
            ended_words("github", Some("yes")),
            "Disconnected github. The platform revoked its token."
        );
        assert!(ended_words("jira", Some("unsupported")).contains("remove it in your account"));
        assert!(ended_words("jira", Some("failed")).contains("could not be asked"));
        assert_eq!(ended_words("jira", Some("<b>")), "Disconnected jira.");
    }
}
