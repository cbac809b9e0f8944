//! What the console reads and changes: held calls on their pages (until decided and taken by
//! the call's retry, or expired) and each user's remembered approvals.
//!
//! Pages are bounded like the gate's held calls: each user keeps their newest
//! [`PAGES_PER_USER`] undecided pages, and the table its newest [`PAGES_IN_ALL`]; an expired page
//! goes when the next one is published.

use mcp_runtime::BoxFuture;
use mcp_runtime::host::StoreError;
use rusqlite::{OptionalExtension, params};

use super::now;
use super::postgres::Postgres;
use super::sqlite::Sqlite;

/// The most undecided pages one user has; past it, their oldest goes.
pub const PAGES_PER_USER: i64 = 64;

/// The most pages kept in all; past it, the oldest go.
pub const PAGES_IN_ALL: i64 = 4096;

/// How long a decision waits for the call's retry, from when it is made.
pub const DECISION_TTL: i64 = 600;

/// A held call on its page, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRow {
    /// The held call's id.
    pub id: String,
    /// The only user who may see and decide it.
    pub user_id: String,
    /// Its approval scope's key.
    pub scope: String,
    /// The agent that made it, if named: only its retry takes the decision.
    pub agent_id: Option<String>,
    /// The digest of its arguments, in hex.
    pub digest: String,
    /// The held call (`HeldCall`), as JSON: its label and approval values are in the clear,
    /// as in the audit log's neighbour tables.
    pub call: String,
    /// Its arguments (at most what the page shows), sealed.
    pub arguments: String,
    /// Seconds since the Unix epoch.
    pub expires_at: i64,
    /// `once`, `always` or `reject`, once decided.
    pub decision: Option<String>,
}

/// A remembered approval, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remembered {
    /// Its scope's key (the scope as JSON).
    pub scope: String,
    /// When it was given, `YYYY-MM-DDTHH:MM:SSZ`.
    pub approved_at: String,
}

/// A page's held call id, and its user's decision (`once`, `always`, `reject`) if any.
pub type PageAnswerRow = (String, Option<String>);

/// The console's tables.
pub trait PageTables: Send + Sync {
    /// Keeps `row` (undecided) unless a call of its id is kept already; forgets those expired.
    fn publish_page<'a>(&'a self, row: &'a PageRow) -> BoxFuture<'a, Result<(), StoreError>>;
    /// The held call `id`, unless it expired or was taken.
    fn page<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<PageRow>, StoreError>>;
    /// Records `decision` on the held call `id` of `user_id`, which then waits
    /// [`DECISION_TTL`] for the call's retry; `false` when there is no such call of theirs left
    /// undecided.
    fn decide_page<'a>(
        &'a self,
        id: &'a str,
        user_id: &'a str,
        decision: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;
    /// The id and decision of a page for a call of `scope` by `agent_id` with arguments of
    /// `digest`: a decided one is taken (one taker), an undecided one only reported.
    fn take_page_answer<'a>(
        &'a self,
        scope: &'a str,
        agent_id: Option<&'a str>,
        digest: &'a str,
    ) -> BoxFuture<'a, Result<Option<PageAnswerRow>, StoreError>>;
    /// Takes down the page `id`.
    fn withdraw_page<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<(), StoreError>>;
    /// The approvals `user_id` has remembered, newest first.
    fn remembered_of<'a>(
        &'a self,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Remembered>, StoreError>>;
    /// Forgets the remembered approval `scope` of `user_id`, and any "always" given on a page for
    /// it that no retry has taken yet; `false` when there was none.
    fn forget_remembered<'a>(
        &'a self,
        user_id: &'a str,
        scope: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;
}

const PAGE_COLUMNS: &str =
    "id, user_id, scope, agent_id, digest, call, arguments, expires_at, decision";

/// Past the caps, the oldest pages go: the user's (`$1`) undecided ones beyond `$2`, then any
/// beyond `$3`. (SQLite reads `$N` as named parameters, bound in order.)
const MAKE_ROOM: [&str; 2] = [
    "DELETE FROM page_approvals WHERE user_id = $1 AND decision IS NULL AND id NOT IN (
       SELECT id FROM page_approvals WHERE user_id = $1 AND decision IS NULL
       ORDER BY expires_at DESC, id LIMIT $2)",
    "DELETE FROM page_approvals WHERE id NOT IN (
       SELECT id FROM page_approvals ORDER BY expires_at DESC, id LIMIT $1)",
];

impl PageTables for Sqlite {
    fn publish_page<'a>(&'a self, row: &'a PageRow) -> BoxFuture<'a, Result<(), StoreError>> {
        let done = self.with(|connection| {
            let transaction = connection.transaction()?;
            transaction.execute(
                "DELETE FROM page_approvals WHERE expires_at <= ?1",
                params![now()],
            )?;
            transaction.execute(
                "INSERT OR IGNORE INTO page_approvals
                 (id, user_id, scope, agent_id, digest, call, arguments, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    row.id,
                    row.user_id,
                    row.scope,
                    row.agent_id,
                    row.digest,
                    row.call,
                    row.arguments,
                    row.expires_at
                ],
            )?;
            transaction.execute(MAKE_ROOM[0], params![row.user_id, PAGES_PER_USER])?;
            transaction.execute(MAKE_ROOM[1], params![PAGES_IN_ALL])?;
            transaction.commit()
        });
        Box::pin(std::future::ready(done))
    }

    fn page<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<PageRow>, StoreError>> {
        let found = self.with(|connection| {
            connection
                .query_row(
                    &format!(
                        "SELECT {PAGE_COLUMNS} FROM page_approvals WHERE id = ?1 AND expires_at > ?2"
                    ),
                    params![id, now()],
                    |row| {
                        Ok(PageRow {
                            id: row.get(0)?,
                            user_id: row.get(1)?,
                            scope: row.get(2)?,
                            agent_id: row.get(3)?,
                            digest: row.get(4)?,
                            call: row.get(5)?,
                            arguments: row.get(6)?,
                            expires_at: row.get(7)?,
                            decision: row.get(8)?,
                        })
                    },
                )
                .optional()
        });
        Box::pin(std::future::ready(found))
    }

    fn decide_page<'a>(
        &'a self,
        id: &'a str,
        user_id: &'a str,
        decision: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        let changed = self.with(|connection| {
            connection.execute(
                "UPDATE page_approvals SET decision = ?3, expires_at = ?4 + ?5
                 WHERE id = ?1 AND user_id = ?2 AND decision IS NULL AND expires_at > ?4",
                params![id, user_id, decision, now(), DECISION_TTL],
            )
        });
        Box::pin(std::future::ready(changed.map(|changed| changed == 1)))
    }

    fn take_page_answer<'a>(
        &'a self,
        scope: &'a str,
        agent_id: Option<&'a str>,
        digest: &'a str,
    ) -> BoxFuture<'a, Result<Option<PageAnswerRow>, StoreError>> {
        let found = self.with(|connection| {
            let transaction = connection.transaction()?;
            let mut found = transaction
                .query_row(
                    "DELETE FROM page_approvals WHERE id = (
                       SELECT id FROM page_approvals WHERE scope = ?1 AND digest = ?2
                         AND agent_id IS ?3 AND decision IS NOT NULL AND expires_at > ?4 LIMIT 1)
                     RETURNING id, decision",
                    params![scope, digest, agent_id, now()],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            if found.is_none() {
                found = transaction
                    .query_row(
                        "SELECT id, decision FROM page_approvals WHERE scope = ?1 AND digest = ?2
                         AND agent_id IS ?3 AND decision IS NULL AND expires_at > ?4 LIMIT 1",
                        params![scope, digest, agent_id, now()],
                        |row| Ok((row.get(0)?, row.get(1)?)),
                    )
                    .optional()?;
            }
            transaction.commit()?;
            Ok(found)
        });
        Box::pin(std::future::ready(found))
    }

    fn withdraw_page<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        let done = self.with(|connection| {
            connection.execute("DELETE FROM page_approvals WHERE id = ?1", params![id])
        });
        Box::pin(std::future::ready(done.map(drop)))
    }

    fn remembered_of<'a>(
        &'a self,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Remembered>, StoreError>> {
        let rows = self.with(|connection| {
            let mut select = connection.prepare_cached(
                "SELECT scope, approved_at FROM remembered_approvals WHERE user_id = ?1
                 ORDER BY approved_at DESC, scope",
            )?;
            select
                .query_map(params![user_id], |row| {
                    Ok(Remembered {
                        scope: row.get(0)?,
                        approved_at: row.get(1)?,
                    })
                })?
                .collect()
        });
        Box::pin(std::future::ready(rows))
    }

    fn forget_remembered<'a>(
        &'a self,
        user_id: &'a str,
        scope: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        let changed = self.with(|connection| {
            let transaction = connection.transaction()?;
            transaction.execute(
                "DELETE FROM page_approvals WHERE user_id = ?1 AND scope = ?2 AND decision = 'always'",
                params![user_id, scope],
            )?;
            let changed = transaction.execute(
                "DELETE FROM remembered_approvals WHERE user_id = ?1 AND scope = ?2",
                params![user_id, scope],
            )?;
            transaction.commit()?;
            Ok(changed)
        });
        Box::pin(std::future::ready(changed.map(|changed| changed == 1)))
    }
}

impl PageTables for Postgres {
    fn publish_page<'a>(&'a self, row: &'a PageRow) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut client = self.client().await?;
            let transaction = client.transaction().await.map_err(StoreError::new)?;
            transaction
                .execute(
                    "DELETE FROM page_approvals WHERE expires_at <= $1",
                    &[&now()],
                )
                .await
                .map_err(StoreError::new)?;
            transaction
                .execute(
                    "INSERT INTO page_approvals
                     (id, user_id, scope, agent_id, digest, call, arguments, expires_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
                    &[
                        &row.id,
                        &row.user_id,
                        &row.scope,
                        &row.agent_id,
                        &row.digest,
                        &row.call,
                        &row.arguments,
                        &row.expires_at,
                    ],
                )
                .await
                .map_err(StoreError::new)?;
            transaction
                .execute(MAKE_ROOM[0], &[&row.user_id, &PAGES_PER_USER])
                .await
                .map_err(StoreError::new)?;
            transaction
                .execute(MAKE_ROOM[1], &[&PAGES_IN_ALL])
                .await
                .map_err(StoreError::new)?;
            transaction.commit().await.map_err(StoreError::new)
        })
    }

    fn page<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<PageRow>, StoreError>> {
        Box::pin(async move {
            let client = self.client().await?;
            let row = client
                .query_opt(
                    &format!(
                        "SELECT {PAGE_COLUMNS} FROM page_approvals WHERE id = $1 AND expires_at > $2"
                    ),
                    &[&id, &now()],
                )
                .await
                .map_err(StoreError::new)?;
            Ok(row.map(|row| PageRow {
                id: row.get(0),
                user_id: row.get(1),
                scope: row.get(2),
                agent_id: row.get(3),
                digest: row.get(4),
                call: row.get(5),
                arguments: row.get(6),
                expires_at: row.get(7),
                decision: row.get(8),
            }))
        })
    }

    fn decide_page<'a>(
        &'a self,
        id: &'a str,
        user_id: &'a str,
        decision: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            let client = self.client().await?;
            let changed = client
                .execute(
                    "UPDATE page_approvals SET decision = $3, expires_at = $4 + $5
                     WHERE id = $1 AND user_id = $2 AND decision IS NULL AND expires_at > $4",
                    &[&id, &user_id, &decision, &now(), &DECISION_TTL],
                )
                .await
                .map_err(StoreError::new)?;
            Ok(changed == 1)
        })
    }

    fn take_page_answer<'a>(
        &'a self,
        scope: &'a str,
        agent_id: Option<&'a str>,
        digest: &'a str,
    ) -> BoxFuture<'a, Result<Option<PageAnswerRow>, StoreError>> {
        Box::pin(async move {
            let client = self.client().await?;
            // One statement: of replicas taking the same answer at once, one gets it.
            let taken = client
                .query_opt(
                    "DELETE FROM page_approvals WHERE id = (
                       SELECT id FROM page_approvals WHERE scope = $1 AND digest = $2
                         AND agent_id IS NOT DISTINCT FROM $3 AND decision IS NOT NULL
                         AND expires_at > $4 LIMIT 1
                       FOR UPDATE SKIP LOCKED)
                     RETURNING id, decision",
                    &[&scope, &digest, &agent_id, &now()],
                )
                .await
                .map_err(StoreError::new)?;
            if let Some(row) = taken {
                return Ok(Some((row.get(0), row.get(1))));
            }
            let waiting = client
                .query_opt(
                    "SELECT id FROM page_approvals WHERE scope = $1 AND digest = $2
                     AND agent_id IS NOT DISTINCT FROM $3 AND decision IS NULL
                     AND expires_at > $4 LIMIT 1",
                    &[&scope, &digest, &agent_id, &now()],
                )
                .await
                .map_err(StoreError::new)?;
            Ok(waiting.map(|row| (row.get(0), None)))
        })
    }

    fn withdraw_page<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let client = self.client().await?;
            client
                .execute("DELETE FROM page_approvals WHERE id = $1", &[&id])
                .await
                .map_err(StoreError::new)
                .map(drop)
        })
    }

    fn remembered_of<'a>(
        &'a self,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Remembered>, StoreError>> {
        Box::pin(async move {
            let client = self.client().await?;
            let rows = client
                .query(
                    "SELECT scope,
                       to_char(approved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')
                     FROM remembered_approvals WHERE user_id = $1
                     ORDER BY approved_at DESC, scope",
                    &[&user_id],
                )
                .await
                .map_err(StoreError::new)?;
            Ok(rows
                .into_iter()
                .map(|row| Remembered {
                    scope: row.get(0),
                    approved_at: row.get(1),
                })
                .collect())
        })
    }

    fn forget_remembered<'a>(
        &'a self,
        user_id: &'a str,
        scope: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            let mut client = self.client().await?;
            let transaction = client.transaction().await.map_err(StoreError::new)?;
            transaction
                .execute(
                    "DELETE FROM page_approvals
                     WHERE user_id = $1 AND scope = $2 AND decision = 'always'",
                    &[&user_id, &scope],
                )
                .await
                .map_err(StoreError::new)?;
            let changed = transaction
                .execute(
                    "DELETE FROM remembered_approvals WHERE user_id = $1 AND scope = $2",
                    &[&user_id, &scope],
                )
                .await
                .map_err(StoreError::new)?;
            transaction.commit().await.map_err(StoreError::new)?;
            Ok(changed == 1)
        })
    }
}
