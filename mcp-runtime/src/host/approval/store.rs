//! Where remembered approvals live: in memory, or in SQLite to survive restarts.

use std::collections::HashSet;
use std::sync::Mutex;

use super::ApprovalScope;
use crate::BoxFuture;

/// A store of remembered ("always allow") approvals: a lookup by key, which may be a round
/// trip to a database shared by several hosts.
pub trait ApprovalStore: Send + Sync {
    /// Whether `scope` was approved for good.
    fn is_remembered<'a>(
        &'a self,
        scope: &'a ApprovalScope,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;
    /// Remembers `scope`.
    fn remember<'a>(&'a self, scope: &'a ApprovalScope) -> BoxFuture<'a, Result<(), StoreError>>;
}

/// A store that failed (its source says how; never with a secret).
#[derive(Debug, Clone, thiserror::Error)]
#[error("the store failed")]
pub struct StoreError(#[source] std::sync::Arc<dyn std::error::Error + Send + Sync>);

impl StoreError {
    /// The store failed with `error`.
    pub fn new(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        StoreError(error.into().into())
    }
}

/// Approvals remembered for the life of the process.
#[derive(Debug, Default)]
pub struct MemoryStore {
    remembered: Mutex<HashSet<String>>,
}

impl ApprovalStore for MemoryStore {
    fn is_remembered<'a>(
        &'a self,
        scope: &'a ApprovalScope,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        let remembered = self.remembered().contains(&scope.key());
        Box::pin(std::future::ready(Ok(remembered)))
    }

    fn remember<'a>(&'a self, scope: &'a ApprovalScope) -> BoxFuture<'a, Result<(), StoreError>> {
        self.remembered().insert(scope.key());
        Box::pin(std::future::ready(Ok(())))
    }
}

impl MemoryStore {
    fn remembered(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        // An insert cannot leave the set half-done: a poisoned lock still holds a valid set.
        crate::host::lock(&self.remembered)
    }
}
