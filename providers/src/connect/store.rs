//! Where connections live, per user and platform.

use std::collections::HashMap;
use std::sync::Mutex;

use mcp_runtime::BoxFuture;

use super::{StoreError, Tokens};

/// Users' tokens by user and OAuth provider (`github`, `jira`): in memory, or in a database
/// several hosts share.
pub trait ConnectionStore: Send + Sync + std::fmt::Debug {
    /// The tokens of `user_id` for `provider`.
    fn get<'a>(
        &'a self,
        user_id: &'a str,
        provider: &'a str,
    ) -> BoxFuture<'a, Result<Option<Tokens>, StoreError>>;
    /// Records (or replaces, after a refresh) the tokens of `user_id` for `provider`.
    fn put<'a>(
        &'a self,
        user_id: &'a str,
        provider: &'a str,
        tokens: &'a Tokens,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
}

/// Connections for the life of the process.
#[derive(Debug, Default)]
pub struct MemoryConnections {
    connections: Mutex<HashMap<(String, String), Tokens>>,
}

impl MemoryConnections {
    fn connections(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), Tokens>> {
        // An insert cannot leave the map half-done: a poisoned lock still holds a valid map.
        self.connections
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl ConnectionStore for MemoryConnections {
    fn get<'a>(
        &'a self,
        user_id: &'a str,
        provider: &'a str,
    ) -> BoxFuture<'a, Result<Option<Tokens>, StoreError>> {
        let key = (user_id.to_owned(), provider.to_owned());
        let tokens = self.connections().get(&key).cloned();
        Box::pin(std::future::ready(Ok(tokens)))
    }

    fn put<'a>(
        &'a self,
        user_id: &'a str,
        provider: &'a str,
        tokens: &'a Tokens,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let key = (user_id.to_owned(), provider.to_owned());
        self.connections().insert(key, tokens.clone());
        Box::pin(std::future::ready(Ok(())))
    }
}
