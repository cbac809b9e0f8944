//! Remembered approvals in an SQLite file, so they survive a restart.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};

use super::{ApprovalScope, ApprovalStore, StoreError};
use crate::BoxFuture;

/// Approvals in an SQLite database (created if missing).
#[derive(Debug)]
pub struct SqliteStore {
    connection: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens (or creates) the store at `path`, bringing its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let mut connection = Connection::open(path).map_err(error)?;
        migrate(&mut connection)?;
        Ok(SqliteStore {
            connection: Mutex::new(connection),
        })
    }

    fn connection(&self) -> Result<std::sync::MutexGuard<'_, Connection>, StoreError> {
        // SQLite keeps the database consistent whatever a panicking holder left undone.
        Ok(crate::host::lock(&self.connection))
    }
}

impl ApprovalStore for SqliteStore {
    fn is_remembered<'a>(
        &'a self,
        scope: &'a ApprovalScope,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        // A local file, looked up by primary key: answered at once.
        Box::pin(std::future::ready(self.lookup(scope)))
    }

    fn remember<'a>(&'a self, scope: &'a ApprovalScope) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(std::future::ready(self.insert(scope)))
    }
}

impl SqliteStore {
    fn lookup(&self, scope: &ApprovalScope) -> Result<bool, StoreError> {
        self.connection()?
            .query_row(
                "SELECT 1 FROM remembered_approvals WHERE scope = ?1",
                params![scope.key()],
                |_| Ok(()),
            )
            .optional()
            .map(|found| found.is_some())
            .map_err(error)
    }

    fn insert(&self, scope: &ApprovalScope) -> Result<(), StoreError> {
        self.connection()?
            .execute(
                "INSERT OR IGNORE INTO remembered_approvals (scope, user_id, server, tool, agent_id)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![scope.key(), scope.user_id, scope.server, scope.tool, scope.agent_id],
            )
            .map(drop)
            .map_err(error)
    }
}

/// The schema's history, one step per version (`PRAGMA user_version` counts the steps taken).
/// Hand-rolled because the migration crates do not support this rusqlite yet.
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
];

fn migrate(connection: &mut Connection) -> Result<(), StoreError> {
    let transaction = connection.transaction().map_err(error)?;
    let version: u32 = transaction
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(error)?;
    let latest = MIGRATIONS.len() as u32;
    if version > latest {
        return Err(StoreError::new(format!(
            "the approval store has schema version {version}, newer than this build's {latest}: \
             run a newer build or another file"
        )));
    }
    for (step, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let changed = transaction.execute(sql, []).map_err(error)?;
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
        .map_err(error)?;
    transaction.commit().map_err(error)
}

fn error(error: rusqlite::Error) -> StoreError {
    StoreError::new(error)
}
