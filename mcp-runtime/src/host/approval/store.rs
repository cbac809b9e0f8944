//! Where remembered approvals live: in memory, or in SQLite to survive restarts.

use std::collections::HashSet;
use std::sync::Mutex;

use super::ApprovalScope;

/// A store of remembered ("always allow") approvals.
///
/// Calls are short and synchronous: a lookup by primary key.
pub trait ApprovalStore: Send + Sync {
    /// Whether `scope` was approved for good.
    fn is_remembered(&self, scope: &ApprovalScope) -> Result<bool, StoreError>;
    /// Remembers `scope`.
    fn remember(&self, scope: &ApprovalScope) -> Result<(), StoreError>;
}

/// A store that failed.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the approval store failed")]
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
    fn is_remembered(&self, scope: &ApprovalScope) -> Result<bool, StoreError> {
        Ok(self.remembered().contains(&scope.key()))
    }

    fn remember(&self, scope: &ApprovalScope) -> Result<(), StoreError> {
        self.remembered().insert(scope.key());
        Ok(())
    }
}

impl MemoryStore {
    fn remembered(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        // An insert cannot leave the set half-done: a poisoned lock still holds a valid set.
        crate::host::lock(&self.remembered)
    }
}
