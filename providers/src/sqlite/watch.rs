//! Telling subscribers that the database changed. Nothing in this server writes it, so changes
//! come from other processes: while a client subscribes to one of the server's resources, a
//! connection of the watcher's own checks the file's data version (which SQLite moves on every
//! commit, from any connection or process) every interval, and each change is announced for
//! every URI subscribed to (a row count in the schema, a column in a table: any may have moved).

use std::time::Duration;

use mcp_runtime::ResourceChanges;
use rusqlite::{Connection, FileControl, MAIN_DB};

use super::Database;

/// How often a watched database is checked by default.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(1);

/// The announcer of `database`'s changes, checking every `interval` while watched.
pub fn changes(database: Database, interval: Duration) -> ResourceChanges {
    ResourceChanges::with_watcher(move |changes| watch(database.clone(), changes, interval))
}

/// Checks `database` until nobody subscribes.
async fn watch(database: Database, changes: ResourceChanges, interval: Duration) {
    let mut connection = None;
    let mut seen = None;
    while !changes.watched().is_empty() {
        let database = database.clone();
        let checked = tokio::task::spawn_blocking(move || {
            let connection = match connection {
                Some(connection) => connection,
                // Not there yet (the sample is created on first use): checked again later.
                None => database.connect().ok()?,
            };
            let version = data_version(&connection).ok()?;
            Some((connection, version))
        })
        .await
        .ok()
        .flatten();
        connection = match checked {
            Some((open, version)) => {
                if seen.is_some_and(|seen| seen != version) {
                    for uri in changes.watched() {
                        changes.updated(&uri);
                    }
                }
                seen = Some(version);
                Some(open)
            }
            None => None,
        };
        tokio::time::sleep(interval).await;
    }
}

/// The main database's data version, as of a read that brings the connection up to date.
fn data_version(connection: &Connection) -> rusqlite::Result<u32> {
    connection.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
    let mut version = 0;
    connection.file_control(Some(MAIN_DB), FileControl::DataVersion(&mut version))?;
    Ok(version)
}
