//! Where connections live, per user and platform.

use std::collections::HashMap;
use std::sync::Mutex;

use super::Connection;

/// Connections by user and OAuth provider (`github`, `jira`).
pub trait ConnectionStore: Send + Sync + std::fmt::Debug {
    /// The connection of `user_id` to `provider`.
    fn get(&self, user_id: &str, provider: &str) -> Option<Connection>;
    /// Records (or replaces, after a refresh) the connection of `user_id` to `provider`.
    fn put(&self, user_id: &str, provider: &str, connection: Connection);
}

/// Connections for the life of the process.
#[derive(Debug, Default)]
pub struct MemoryConnections {
    connections: Mutex<HashMap<(String, String), Connection>>,
}

impl ConnectionStore for MemoryConnections {
    fn get(&self, user_id: &str, provider: &str) -> Option<Connection> {
        self.connections
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(&(user_id.to_owned(), provider.to_owned()))
            .cloned()
    }

    fn put(&self, user_id: &str, provider: &str, connection: Connection) {
        self.connections
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert((user_id.to_owned(), provider.to_owned()), connection);
    }
}
