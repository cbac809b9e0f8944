//! The audit log for admins: every decision about calls and approvals, filtered by user, server,
//! tool and outcome, fifty to a page, newest first.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use mcp_runtime::host::approval::AuditOutcome;
use serde::Deserialize;

use super::Console;
use super::page::{self, Nav};
use crate::store::{AuditCursor, AuditFilter, parse_word, word};

/// Events on a page.
const PAGE: u32 = 50;

/// Every outcome, in the order a person thinks of a call's life.
const OUTCOMES: [AuditOutcome; 9] = [
    AuditOutcome::ApprovalRequested,
    AuditOutcome::ApprovedOnce,
    AuditOutcome::ApprovedAlways,
    AuditOutcome::Rejected,
    AuditOutcome::RanWithApproval,
    AuditOutcome::AllowedByMemory,
    AuditOutcome::AllowedImplicitly,
    AuditOutcome::RefusedWrongUser,
    AuditOutcome::Revoked,
];

/// What an outcome means, in words.
fn words(outcome: AuditOutcome) -> &'static str {
    match outcome {
        AuditOutcome::ApprovalRequested => "held for approval",
        AuditOutcome::ApprovedOnce => "approved once",
        AuditOutcome::ApprovedAlways => "approved always",
        AuditOutcome::Rejected => "rejected",
        AuditOutcome::RanWithApproval => "ran with its approval",
        AuditOutcome::AllowedByMemory => "ran (always allowed)",
        AuditOutcome::AllowedImplicitly => "ran (never asks)",
        AuditOutcome::RefusedWrongUser => "refused: not the call's user",
        AuditOutcome::Revoked => "\u{201c}always\u{201d} revoked",
    }
}

/// The filter as the form shows it (empty: any).
#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    #[serde(default)]
    user: String,
    #[serde(default)]
    server: String,
    #[serde(default)]
    tool: String,
    #[serde(default)]
    outcome: String,
    /// Where the page before ended: `AT~ID`.
    #[serde(default)]
    before: String,
}

impl Filter {
    fn to_store(&self) -> AuditFilter {
        let given = |value: &str| Some(value.trim().to_owned()).filter(|value| !value.is_empty());
        AuditFilter {
            user_id: given(&self.user),
            server: given(&self.server),
            tool: given(&self.tool),
            outcome: given(&self.outcome).and_then(|outcome| parse_word(outcome).ok()),
        }
    }

    /// Where the page before ended; nothing for a cursor that is not one (a time the log could
    /// not have written, which a database would refuse).
    fn cursor(&self) -> Option<AuditCursor> {
        let (at, id) = self.before.split_once('~')?;
        chrono::DateTime::parse_from_rfc3339(at).ok()?;
        Some(AuditCursor {
            at: at.to_owned(),
            id: id.parse().ok()?,
        })
    }

    /// This filter's URL, from before `cursor` if given.
    fn url(&self, cursor: Option<&AuditCursor>) -> String {
        let mut url = reqwest::Url::parse("http://console/console/audit").expect("a URL");
        {
            let mut query = url.query_pairs_mut();
            for (name, value) in [
                ("user", &self.user),
                ("server", &self.server),
                ("tool", &self.tool),
                ("outcome", &self.outcome),
            ] {
                if !value.is_empty() {
                    query.append_pair(name, value);
                }
            }
            if let Some(cursor) = cursor {
                query.append_pair("before", &format!("{}~{}", cursor.at, cursor.id));
            }
        }
        match url.query() {
            Some(query) if !query.is_empty() => format!("{}?{query}", url.path()),
            _ => url.path().to_owned(),
        }
    }
}

/// One event as the table shows it.
struct Listed {
    at: String,
    when: String,
    user: String,
    outcome: String,
    outcome_words: &'static str,
    server: String,
    tool: String,
    stake: String,
}

#[derive(Template)]
#[template(path = "console/audit.html")]
struct AuditPage {
    nav: Option<Nav>,
    filter: Filter,
    servers: Vec<String>,
    outcomes: Vec<(String, &'static str)>,
    events: Vec<Listed>,
    newest: Option<String>,
    older: Option<String>,
}

/// `GET /console/audit`: admins only.
pub async fn log(
    State(console): State<Arc<Console>>,
    Query(filter): Query<Filter>,
    headers: HeaderMap,
) -> Response {
    let session = match console.admin_session(&headers, "/console/audit", "The audit log") {
        Ok(session) => session,
        Err(refused) => return *refused,
    };
    let before = filter.cursor();
    let rows = match console
        .stores
        .tables()
        .audit_page(&filter.to_store(), before.as_ref(), PAGE)
        .await
    {
        Ok(rows) => rows,
        Err(error) => {
            tracing::error!(%error, "the audit log could not be read");
            return console.unavailable(&session);
        }
    };
    let older = (rows.len() == PAGE as usize)
        .then(|| rows.last().map(|last| filter.url(Some(&last.cursor()))))
        .flatten();
    let events = rows
        .into_iter()
        .map(|row| Listed {
            when: readable(&row.at),
            at: row.at,
            user: row.event.user_id,
            outcome: word(row.event.outcome),
            outcome_words: words(row.event.outcome),
            server: row.event.server,
            tool: row.event.tool,
            stake: row.event.stake.to_string(),
        })
        .collect();
    page::render(
        StatusCode::OK,
        &AuditPage {
            nav: Nav::of(&session),
            servers: console
                .served
                .servers
                .iter()
                .map(|server| server.name.to_owned())
                .collect(),
            outcomes: OUTCOMES
                .iter()
                .map(|outcome| (word(*outcome), words(*outcome)))
                .collect(),
            events,
            newest: before.is_some().then(|| filter.url(None)),
            older,
            filter,
        },
    )
}

/// A log time to the second, as a person reads it.
fn readable(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at).map_or_else(
        |_| at.to_owned(),
        |time| time.format("%Y-%m-%d %H:%M:%S").to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_reads_its_form_and_writes_its_links() {
        let filter = Filter {
            user: " ana ".to_owned(),
            outcome: "approved_once".to_owned(),
            tool: "a&b".to_owned(),
            before: "2026-11-30T22:43:15.123Z~42".to_owned(),
            ..Filter::default()
        };
        assert_eq!(
            filter.to_store(),
            AuditFilter {
                user_id: Some("ana".to_owned()),
                server: None,
                tool: Some("a&b".to_owned()),
                outcome: Some(AuditOutcome::ApprovedOnce),
            }
        );
        let cursor = filter.cursor().unwrap();
        assert_eq!(
            (cursor.at.as_str(), cursor.id),
            ("2026-11-30T22:43:15.123Z", 42)
        );
        assert_eq!(
            filter.url(Some(&cursor)),
            "/console/audit?user=+ana+&tool=a%26b&outcome=approved_once\
             &before=2026-11-30T22%3A43%3A15.123Z%7E42"
        );
        assert_eq!(Filter::default().url(None), "/console/audit");
        // An outcome that is none, or a cursor that is not one, filters nothing.
        let odd = Filter {
            outcome: "exploded".to_owned(),
            before: "yesterday".to_owned(),
            ..Filter::default()
        };
        assert_eq!(odd.to_store(), AuditFilter::default());
        assert_eq!(odd.cursor(), None);
        let not_a_time = Filter {
            before: "yesterday~42".to_owned(),
            ..Filter::default()
        };
        assert_eq!(not_a_time.cursor(), None);
    }

    #[test]
    fn a_log_time_reads_to_the_second() {
        assert_eq!(readable("2026-11-30T22:43:15.123Z"), "2026-11-30 22:43:15");
        assert_eq!(
            readable("2026-11-30T22:43:15.123456Z"),
            "2026-11-30 22:43:15"
        );
        assert_eq!(readable("not a time"), "not a time");
    }

    #[test]
    fn every_outcome_has_words_of_its_own() {
        let mut said: Vec<&str> = OUTCOMES.iter().map(|outcome| words(*outcome)).collect();
        said.sort_unstable();
        said.dedup();
        assert_eq!(said.len(), OUTCOMES.len());
    }
}
