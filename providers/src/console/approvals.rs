//! "My approvals": the approvals a person remembered ("always allow"), per tool and, for
//! `medium` tools, the agent and argument values each covers; each can be revoked, after which
//! the next such call asks again (on every replica: the gate asks the store each time).

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use mcp_runtime::Stake;
use mcp_runtime::host::approval::{ApprovalScope, AuditEvent, AuditOutcome};
use serde::Deserialize;

use super::Console;
use super::page::{self, Nav};

/// One remembered approval as the page lists it.
struct Listed {
    /// The scope's key, which the revoke form sends back.
    scope: String,
    server: String,
    tool: String,
    agent: Option<String>,
    values: Vec<(String, String)>,
    /// When it was given, as stored (`YYYY-MM-DDTHH:MM:SSZ`) and as read.
    since: String,
    since_read: String,
}

#[derive(Template)]
#[template(path = "console/approvals.html")]
struct ApprovalsPage {
    nav: Option<Nav>,
    csrf: String,
    approvals: Vec<Listed>,
}

/// `GET /console/approvals`.
pub async fn list(State(console): State<Arc<Console>>, headers: HeaderMap) -> Response {
    let Some(session) = console.session(&headers) else {
        return super::sign_in_first("/console/approvals");
    };
    let remembered = match console.stores.tables().remembered_of(&session.user).await {
        Ok(remembered) => remembered,
        Err(error) => {
            tracing::error!(%error, "remembered approvals could not be read");
            return console.unavailable(&session);
        }
    };
    let approvals = remembered
        .into_iter()
        .filter_map(|remembered| {
            let scope: ApprovalScope = serde_json::from_str(&remembered.scope).ok()?;
            Some(Listed {
                server: scope.server,
                tool: scope.tool,
                agent: scope.agent_id,
                values: scope
                    .values
                    .iter()
                    .map(|(name, value)| (name.clone(), value.to_string()))
                    .collect(),
                since_read: readable_time(&remembered.approved_at),
                since: remembered.approved_at,
                scope: remembered.scope,
            })
        })
        .collect();
    page::render(
        StatusCode::OK,
        &ApprovalsPage {
            nav: Nav::of(&session),
            csrf: session.csrf.clone(),
            approvals,
        },
    )
}

/// `2026-11-30T22:43:15Z` as `2026-11-30 22:43 UTC`; anything else as it is.
fn readable_time(stored: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stored).map_or_else(
        |_| stored.to_owned(),
        |time| time.format("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

#[derive(Deserialize)]
pub struct Revoke {
    #[serde(default)]
    csrf: String,
    scope: String,
}

/// `POST /console/approvals/revoke`: one of the person's own approvals forgotten.
pub async fn revoke(
    State(console): State<Arc<Console>>,
    headers: HeaderMap,
    Form(form): Form<Revoke>,
) -> Response {
    let session = match console.form_sender(&headers, &form.csrf) {
        Ok(session) => session,
        Err(refused) => return *refused,
    };
    // Only the person's own: the store forgets a scope of theirs, or nothing.
    match console
        .stores
        .tables()
        .forget_remembered(&session.user, &form.scope)
        .await
    {
        Ok(true) => {
            if let Ok(scope) = serde_json::from_str::<ApprovalScope>(&form.scope) {
                console.audit.record(&AuditEvent {
                    outcome: AuditOutcome::Revoked,
                    // Only `medium` approvals are scoped to an agent.
                    stake: if scope.agent_id.is_some() {
                        Stake::Medium
                    } else {
                        Stake::Low
                    },
                    server: scope.server,
                    tool: scope.tool,
                    user_id: session.user.clone(),
                    approval_id: None,
                });
            }
        }
        // Revoked already (another tab): the list says so.
        Ok(false) => {}
        Err(error) => {
            tracing::error!(%error, "an approval could not be revoked");
            return console.unavailable(&session);
        }
    }
    page::see_other("/console/approvals")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_time_reads_to_the_minute_in_utc() {
        assert_eq!(
            readable_time("2026-11-30T22:43:15Z"),
            "2026-11-30 22:43 UTC"
        );
        assert_eq!(readable_time("yesterday"), "yesterday");
    }
}
