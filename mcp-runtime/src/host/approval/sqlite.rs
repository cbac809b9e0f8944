//! Remembered approvals in an SQLite file, so they survive a restart.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};

use super::{ApprovalScope, ApprovalStore, StoreError};

/// Approvals in an SQLite database (created if missing).
#[derive(Debug)]
pub struct SqliteStore {
    connection: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens (or creates) the store at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let connection = Connection::open(path).map_err(error)?;
        connection
            .execute_batch(
                "CREATE TABLE IF NOT EXISTS remembered_approvals (
                    scope TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL,
                    server TEXT NOT NULL,
                    tool TEXT NOT NULL,
                    agent_id TEXT,
                    approved_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                )",
            )
            .map_err(error)?;
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
    fn is_remembered(&self, scope: &ApprovalScope) -> Result<bool, StoreError> {
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

    fn remember(&self, scope: &ApprovalScope) -> Result<(), StoreError> {
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

fn error(error: rusqlite::Error) -> StoreError {
    StoreError::new(error)
}
