//! Opening a database so that nothing can change it.
//!
//! Read-only is enforced twice, both times by SQLite itself: the connection is opened with
//! `SQLITE_OPEN_READ_ONLY`, and an authorizer denies every action that is not a read (writes,
//! schema changes, `ATTACH`, transactions, and pragmas outside a short list of introspection
//! pragmas, since some pragmas change settings even on a read-only connection).

use std::path::{Path, PathBuf};

use mcp_runtime::McpError;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::limits::Limit;
use rusqlite::{Connection, ErrorCode, OpenFlags};

/// Pragmas that only describe the schema.
const INTROSPECTION_PRAGMAS: &[&str] = &[
    "table_info",
    "table_xinfo",
    "table_list",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
];

/// The largest text or blob a statement may build, in bytes (SQLite's `SQLITE_LIMIT_LENGTH`).
pub const VALUE_LIMIT: i32 = 16 * 1024 * 1024;

/// The most memory SQLite may hold in this process, in bytes (its hard heap limit): a
/// statement that would need more (a row of many large values) fails with "out of memory"
/// instead of taking the machine's. It is one limit for every connection of the process.
pub const MEMORY_LIMIT: i64 = 256 * 1024 * 1024;

/// A database file, opened afresh (and read-only) for each call.
#[derive(Debug, Clone)]
pub struct Database {
    path: PathBuf,
}

impl Database {
    /// The database at `path`; nothing is opened yet.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Database { path: path.into() }
    }

    /// The database's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A read-only connection with the authorizer installed.
    pub fn connect(&self) -> Result<Connection, McpError> {
        static MEMORY: std::sync::Once = std::sync::Once::new();
        // SAFETY: sets a process-wide limit; it takes no pointers and is thread-safe.
        MEMORY.call_once(|| unsafe {
            rusqlite::ffi::sqlite3_hard_heap_limit64(MEMORY_LIMIT);
        });
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut connection = Connection::open_with_flags(&self.path, flags).map_err(|error| {
            McpError::new(format!(
                "cannot open the database `{}`: {error}",
                self.path.display()
            ))
        })?;
        connection
            .authorizer(Some(authorize))
            .map_err(|error| McpError::new(format!("cannot install the authorizer: {error}")))?;
        // No single value (a `group_concat`, a `zeroblob`, a long `printf`) past this size.
        connection
            .set_limit(Limit::SQLITE_LIMIT_LENGTH, VALUE_LIMIT)
            .map_err(|error| McpError::new(format!("cannot limit value sizes: {error}")))?;
        Ok(connection)
    }
}

fn authorize(context: AuthContext<'_>) -> Authorization {
    match context.action {
        AuthAction::Select
        | AuthAction::Read { .. }
        | AuthAction::Function { .. }
        | AuthAction::Recursive => Authorization::Allow,
        AuthAction::Pragma { pragma_name, .. } if INTROSPECTION_PRAGMAS.contains(&pragma_name) => {
            Authorization::Allow
        }
        _ => Authorization::Deny,
    }
}

/// The error the model reads for a failed statement.
pub fn query_error(error: rusqlite::Error) -> McpError {
    match &error {
        rusqlite::Error::SqliteFailure(failure, _)
            if failure.code == ErrorCode::AuthorizationForStatementDenied
                || failure.code == ErrorCode::ReadOnly =>
        {
            McpError::invalid_arguments(format!(
                "the sqlite server is read-only: this statement would change the database or reach outside it ({error})"
            ))
        }
        rusqlite::Error::SqliteFailure(failure, _) if failure.code == ErrorCode::OutOfMemory => {
            McpError::new(format!(
                "the statement needs more memory than SQLite may use in this server ({} MiB, \
                 shared by all queries); select fewer or smaller values",
                MEMORY_LIMIT / (1024 * 1024)
            ))
            .untracked()
        }
        rusqlite::Error::MultipleStatement => {
            McpError::invalid_arguments("run one statement per call; this one has several")
        }
        _ => McpError::new(format!("the statement failed: {error}")).untracked(),
    }
}
