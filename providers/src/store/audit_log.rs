//! Reading the audit log back: newest first by the time each event was recorded, filtered by
//! user, server, tool and outcome, a page at a time. Pages follow each other by the last
//! event's time and id (not an offset), so events appended meanwhile do not shift them.

use mcp_runtime::BoxFuture;
use mcp_runtime::host::StoreError;
use mcp_runtime::host::approval::AuditEvent;
use rusqlite::params;

use super::postgres::Postgres;
use super::sqlite::Sqlite;
use super::{parse_word, word};

/// Which events to read; `None` fields match any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub user_id: Option<String>,
    pub server: Option<String>,
    pub tool: Option<String>,
    pub outcome: Option<mcp_runtime::host::approval::AuditOutcome>,
}

/// Where a page of the log ends: the next page has the events before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCursor {
    /// The event's time, as the log keeps it (UTC, `YYYY-MM-DDTHH:MM:SS.fffZ`, finer in
    /// PostgreSQL).
    pub at: String,
    pub id: i64,
}

/// One event of the log, with when it was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub at: String,
    pub id: i64,
    pub event: AuditEvent,
}

impl AuditRow {
    /// Where the page ending with this event ends.
    pub fn cursor(&self) -> AuditCursor {
        AuditCursor {
            at: self.at.clone(),
            id: self.id,
        }
    }
}

/// The audit log, read.
pub trait ReadAudit: Send + Sync {
    /// At most `limit` events matching `filter`, newest first, from before `before` if given.
    fn audit_page<'a>(
        &'a self,
        filter: &'a AuditFilter,
        before: Option<&'a AuditCursor>,
        limit: u32,
    ) -> BoxFuture<'a, Result<Vec<AuditRow>, StoreError>>;
}

/// A row as both databases return it, to an `AuditRow`.
#[allow(clippy::too_many_arguments)]
fn row(
    at: String,
    id: i64,
    outcome: String,
    server: String,
    tool: String,
    stake: String,
    user_id: String,
    approval_id: Option<String>,
) -> Result<AuditRow, StoreError> {
    Ok(AuditRow {
        at,
        id,
        event: AuditEvent {
            outcome: parse_word(outcome)?,
            server,
            tool,
            stake: parse_word(stake)?,
            user_id,
            approval_id,
        },
    })
}

impl ReadAudit for Sqlite {
    fn audit_page<'a>(
        &'a self,
        filter: &'a AuditFilter,
        before: Option<&'a AuditCursor>,
        limit: u32,
    ) -> BoxFuture<'a, Result<Vec<AuditRow>, StoreError>> {
        let outcome = filter.outcome.map(word);
        let rows = self.with(|connection| {
            let mut select = connection.prepare_cached(
                "SELECT at, id, outcome, server, tool, stake, user_id, approval_id
                 FROM audit_events
                 WHERE (?1 IS NULL OR user_id = ?1) AND (?2 IS NULL OR server = ?2)
                   AND (?3 IS NULL OR tool = ?3) AND (?4 IS NULL OR outcome = ?4)
                   AND (?5 IS NULL OR (at, id) < (?5, ?6))
                 ORDER BY at DESC, id DESC LIMIT ?7",
            )?;
            select
                .query_map(
                    params![
                        filter.user_id,
                        filter.server,
                        filter.tool,
                        outcome,
                        before.map(|cursor| &cursor.at),
                        before.map(|cursor| cursor.id),
                        limit
                    ],
                    |row| {
                        Ok((
                            row.get(0)?,
                            row.get(1)?,
                            row.get(2)?,
                            row.get(3)?,
                            row.get(4)?,
                            row.get(5)?,
                            row.get(6)?,
                            row.get(7)?,
                        ))
                    },
                )?
                .collect::<rusqlite::Result<Vec<_>>>()
        });
        Box::pin(std::future::ready(rows.and_then(|rows| {
            rows.into_iter()
                .map(|(at, id, outcome, server, tool, stake, user, approval)| {
                    row(at, id, outcome, server, tool, stake, user, approval)
                })
                .collect()
        })))
    }
}

impl ReadAudit for Postgres {
    fn audit_page<'a>(
        &'a self,
        filter: &'a AuditFilter,
        before: Option<&'a AuditCursor>,
        limit: u32,
    ) -> BoxFuture<'a, Result<Vec<AuditRow>, StoreError>> {
        Box::pin(async move {
            let client = self.client().await?;
            let outcome = filter.outcome.map(word);
            // The time to the microsecond PostgreSQL keeps, so that a cursor is exact.
            let rows = client
                .query(
                    "SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), id,
                       outcome, server, tool, stake, user_id, approval_id
                     FROM audit_events
                     WHERE ($1::text IS NULL OR user_id = $1) AND ($2::text IS NULL OR server = $2)
                       AND ($3::text IS NULL OR tool = $3) AND ($4::text IS NULL OR outcome = $4)
                       AND ($5::text IS NULL OR (at, id) < ($5::timestamptz, $6))
                     ORDER BY at DESC, id DESC LIMIT $7",
                    &[
                        &filter.user_id,
                        &filter.server,
                        &filter.tool,
                        &outcome,
                        &before.map(|cursor| cursor.at.as_str()),
                        &before.map_or(0, |cursor| cursor.id),
                        &i64::from(limit),
                    ],
                )
                .await
                .map_err(StoreError::new)?;
            rows.into_iter()
                .map(|found| {
                    row(
                        found.get(0),
                        found.get(1),
                        found.get(2),
                        found.get(3),
                        found.get(4),
                        found.get(5),
                        found.get(6),
                        found.get(7),
                    )
                })
                .collect()
        })
    }
}
