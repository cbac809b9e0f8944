//! The tables in an SQLite file: one process, no server to run.

use std::path::Path;
use std::sync::Mutex;
use std::time::SystemTime;

use mcp_runtime::BoxFuture;
use mcp_runtime::host::StoreError;
use mcp_runtime::host::approval::ApprovalScope;
use rusqlite::{Connection, OptionalExtension, params};

use super::{AppendAudit, Recorded, SealedTokens, Tables, now, word};

/// The tables in one SQLite file. Each statement is a local lookup or write by key, answered
/// at once; one connection serves them in turn.
#[derive(Debug)]
pub struct Sqlite {
    connection: Mutex<Connection>,
}

/// The schema's history, one step per version (`PRAGMA user_version` counts the steps taken).
/// Hand-rolled because the migration crates do not support this rusqlite yet. Steps 1 and 2
/// are those of the approval files of earlier builds, which this opens as they are.
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS remembered_approvals (
        scope TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        server TEXT NOT NULL,
        tool TEXT NOT NULL,
        agent_id TEXT,
        approved_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    )",
    // `medium` scopes (the only ones with an agent) once left out absent, null, multi-valued and
    // object values, so they cover calls their user never saw: dropped, to be asked again.
    // `low` scopes have no values and their keys did not change.
    "DELETE FROM remembered_approvals WHERE agent_id IS NOT NULL",
    "CREATE TABLE connections (
        user_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        access TEXT NOT NULL,
        refresh TEXT,
        expires_at INTEGER,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        PRIMARY KEY (user_id, provider)
    )",
    "CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        outcome TEXT NOT NULL,
        server TEXT NOT NULL,
        tool TEXT NOT NULL,
        stake TEXT NOT NULL,
        user_id TEXT NOT NULL,
        approval_id TEXT
    )",
    "CREATE TABLE held_approvals (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        call TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        taken_at INTEGER
    )",
    // The API host of a connection, for platforms whose host is per organization (Salesforce).
    "ALTER TABLE connections ADD COLUMN instance_url TEXT",
    // The log is read newest first by the time each event was recorded.
    "CREATE INDEX audit_events_by_time ON audit_events (at DESC, id DESC)",
    // Held calls put to their users on the console's pages (`pages.rs`).
    "CREATE TABLE page_approvals (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        agent_id TEXT,
        digest TEXT NOT NULL,
        call TEXT NOT NULL,
        arguments TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        decision TEXT
    )",
    "CREATE INDEX page_approvals_by_call ON page_approvals (scope, digest)",
    "CREATE INDEX page_approvals_by_user ON page_approvals (user_id, expires_at)",
    "CREATE INDEX page_approvals_by_expiry ON page_approvals (expires_at)",
    // What the console shows of a connection: the scopes granted, and whom it connects.
    "ALTER TABLE connections ADD COLUMN scopes TEXT",
    "ALTER TABLE connections ADD COLUMN account TEXT",
];

impl Sqlite {
    /// Opens (or creates) the file at `path`, bringing its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let mut connection = Connection::open(path).map_err(StoreError::new)?;
        migrate(&mut connection)?;
        Ok(Sqlite {
            connection: Mutex::new(connection),
        })
    }

    pub(super) fn with<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        // SQLite keeps the database consistent whatever a panicking holder left undone.
        let mut connection = self
            .connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        work(&mut connection).map_err(StoreError::new)
    }
}

fn migrate(connection: &mut Connection) -> Result<(), StoreError> {
    let transaction = connection.transaction().map_err(StoreError::new)?;
    let version: u32 = transaction
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(StoreError::new)?;
    let latest = MIGRATIONS.len() as u32;
    if version > latest {
        return Err(StoreError::new(format!(
            "the store has schema version {version}, newer than this build's {latest}: run a \
             newer build or another file"
        )));
    }
    for (step, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let changed = transaction.execute(sql, []).map_err(StoreError::new)?;
        if step == 1 && changed > 0 {
            tracing::warn!(
                dropped = changed,
                "remembered `medium` approvals from before their scope kept every value were \
                 dropped; their users will be asked again"
            );
        }
    }
    transaction
        .pragma_update(None, "user_version", latest)
        .map_err(StoreError::new)?;
    transaction.commit().map_err(StoreError::new)
}

impl AppendAudit for Sqlite {
    fn append_audit<'a>(&'a self, events: &'a [Recorded]) -> BoxFuture<'a, Result<(), StoreError>> {
        let done = self.with(|connection| {
            let transaction = connection.transaction()?;
            {
                let mut insert = transaction.prepare_cached(
                    "INSERT INTO audit_events
                     (at, outcome, server, tool, stake, user_id, approval_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?;
                for Recorded { at, event } in events {
                    insert.execute(params![
                        timestamp(*at),
                        word(event.outcome),
                        event.server,
                        event.tool,
                        word(event.stake),
                        event.user_id,
                        event.approval_id
                    ])?;
                }
            }
            transaction.commit()
        });
        Box::pin(std::future::ready(done))
    }
}

impl Tables for Sqlite {
    fn is_remembered<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<bool, StoreError>> {
        let found = self.with(|connection| {
            connection
                .query_row(
                    "SELECT 1 FROM remembered_approvals WHERE scope = ?1",
                    params![key],
                    |_| Ok(()),
                )
                .optional()
        });
        Box::pin(std::future::ready(found.map(|found| found.is_some())))
    }

    fn remember<'a>(&'a self, scope: &'a ApprovalScope) -> BoxFuture<'a, Result<(), StoreError>> {
        let done = self.with(|connection| {
            connection.execute(
                "INSERT OR IGNORE INTO remembered_approvals (scope, user_id, server, tool, agent_id)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![scope.key(), scope.user_id, scope.server, scope.tool, scope.agent_id],
            )
        });
        Box::pin(std::future::ready(done.map(drop)))
    }

    fn connection<'a>(
        &'a self,
        user_id: &'a str,
        provider: &'a str,
    ) -> BoxFuture<'a, Result<Option<SealedTokens>, StoreError>> {
        let found = self.with(|connection| {
            connection
                .query_row(
                    "SELECT access, refresh, expires_at, instance_url, scopes FROM connections
                     WHERE user_id = ?1 AND provider = ?2",
                    params![user_id, provider],
                    |row| {
                        Ok(SealedTokens {
                            access: row.get(0)?,
                            refresh: row.get(1)?,
                            expires_at: row.get(2)?,
                            instance_url: row.get(3)?,
                            scopes: row.get(4)?,
                        })
                    },
                )
                .optional()
        });
        Box::pin(std::future::ready(found))
    }

    fn put_connection<'a>(
        &'a self,
        user_id: &'a str,
        provider: &'a str,
        tokens: &'a SealedTokens,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let done = self.with(|connection| {
            connection.execute(
                "INSERT INTO connections
                   (user_id, provider, access, refresh, expires_at, instance_url, scopes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (user_id, provider) DO UPDATE SET access = excluded.access,
                   refresh = excluded.refresh, expires_at = excluded.expires_at,
                   instance_url = excluded.instance_url, scopes = excluded.scopes,
                   updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
                params![
                    user_id,
                    provider,
                    tokens.access,
                    tokens.refresh,
                    tokens.expires_at,
                    tokens.instance_url,
                    tokens.scopes
                ],
            )
        });
        Box::pin(std::future::ready(done.map(drop)))
    }

    fn hold<'a>(
        &'a self,
        id: &'a str,
        user_id: &'a str,
        call: &'a str,
        expires_at: i64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let done = self.with(|connection| {
            let transaction = connection.transaction()?;
            transaction.execute(
                "DELETE FROM held_approvals WHERE expires_at <= ?1",
                params![now()],
            )?;
            transaction.execute(
                "INSERT OR IGNORE INTO held_approvals (id, user_id, call, expires_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![id, user_id, call, expires_at],
            )?;
            transaction.commit()
        });
        Box::pin(std::future::ready(done))
    }

    fn take<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<String>, StoreError>> {
        let taken = self.with(|connection| {
            connection
                .query_row(
                    "UPDATE held_approvals SET taken_at = ?2
                     WHERE id = ?1 AND taken_at IS NULL AND expires_at > ?2 RETURNING call",
                    params![id, now()],
                    |row| row.get(0),
                )
                .optional()
        });
        Box::pin(std::future::ready(taken))
    }
}

/// `at` as the audit log writes times: UTC, to the millisecond, so that text order is time order.
fn timestamp(at: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(at)
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_logs::Logs;

    /// What `tracing` says while `work` runs.
    fn logged(work: impl FnOnce()) -> String {
        let logs = Logs::capture();
        work();
        logs.text()
    }

    fn count(path: &Path, sql: &str) -> i64 {
        Connection::open(path)
            .unwrap()
            .query_row(sql, [], |row| row.get(0))
            .unwrap()
    }

    /// A file of an earlier build, where `medium` scopes left values out: its `low` approvals
    /// still hold (their keys did not change), its `medium` ones are dropped, said once.
    #[test]
    fn an_approvals_file_of_an_earlier_build_is_brought_up_to_date() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("approvals.sqlite");
        let old = Connection::open(&path).unwrap();
        old.execute_batch(
            r##"CREATE TABLE remembered_approvals (
                scope TEXT PRIMARY KEY, user_id TEXT NOT NULL, server TEXT NOT NULL,
                tool TEXT NOT NULL, agent_id TEXT,
                approved_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));
            INSERT INTO remembered_approvals (scope, user_id, server, tool, agent_id) VALUES
                ('low-scope', 'ana', 'desk', 'add_note', NULL),
                ('medium-scope', 'ana', 'desk', 'send_email', 'helper');
            PRAGMA user_version = 1;"##,
        )
        .unwrap();
        drop(old);
        let said = logged(|| drop(Sqlite::open(&path).unwrap()));
        assert_eq!(said.matches("were dropped").count(), 1, "said once: {said}");
        assert!(
            said.contains(
                "remembered `medium` approvals from before their scope kept every value were \
                 dropped; their users will be asked again dropped=1"
            ),
            "{said}"
        );
        assert_eq!(count(&path, "SELECT count(*) FROM remembered_approvals"), 1);
        assert_eq!(
            count(
                &path,
                "SELECT count(*) FROM remembered_approvals WHERE scope = 'low-scope'"
            ),
            1
        );
        assert_eq!(count(&path, "PRAGMA user_version"), MIGRATIONS.len() as i64);
        // Opened again: nothing to do, nothing said.
        assert_eq!(logged(|| drop(Sqlite::open(&path).unwrap())), "");
        // A new file has nothing to drop either.
        assert_eq!(
            logged(|| drop(Sqlite::open(dir.path().join("new.sqlite")).unwrap())),
            ""
        );
    }

    /// A connection saved before connections had an instance still opens, without one; the
    /// instance is written from then on.
    #[tokio::test]
    async fn connections_of_a_file_without_instances_open_and_gain_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite");
        let mut old = Connection::open(&path).unwrap();
        let before = MIGRATIONS
            .iter()
            .position(|sql| sql.contains("instance_url"))
            .unwrap();
        let transaction = old.transaction().unwrap();
        for sql in &MIGRATIONS[..before] {
            transaction.execute_batch(sql).unwrap();
        }
        transaction
            .execute_batch(
                "INSERT INTO connections (user_id, provider, access) VALUES ('ana', 'github', 'v1.sealed')",
            )
            .unwrap();
        transaction
            .pragma_update(None, "user_version", before as i64)
            .unwrap();
        transaction.commit().unwrap();
        drop(old);

        let sqlite = Sqlite::open(&path).unwrap();
        let read = sqlite.connection("ana", "github").await.unwrap().unwrap();
        assert_eq!(read.access, "v1.sealed");
        assert_eq!(read.instance_url, None);
        let with_instance = SealedTokens {
            instance_url: Some("https://acme.my.salesforce.com".to_owned()),
            ..read
        };
        sqlite
            .put_connection("ana", "salesforce", &with_instance)
            .await
            .unwrap();
        let read = sqlite
            .connection("ana", "salesforce")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(read, with_instance);
    }

    #[test]
    fn a_file_of_a_newer_build_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite");
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        let error = Sqlite::open(&path).unwrap_err();
        assert_eq!(
            format!("{}", std::error::Error::source(&error).unwrap()),
            format!(
                "the store has schema version 99, newer than this build's {}: run a newer \
                 build or another file",
                MIGRATIONS.len()
            )
        );
    }

    #[tokio::test]
    async fn held_calls_past_their_time_are_forgotten_as_others_are_held() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite");
        let sqlite = Sqlite::open(&path).unwrap();
        sqlite
            .hold("expired", "ana", "{}", now() - 1)
            .await
            .unwrap();
        sqlite.hold("expiring", "ana", "{}", now()).await.unwrap();
        sqlite.hold("live", "ana", "{}", now() + 600).await.unwrap();
        assert_eq!(count(&path, "SELECT count(*) FROM held_approvals"), 1);
        assert_eq!(sqlite.take("live").await.unwrap().as_deref(), Some("{}"));
    }
}
