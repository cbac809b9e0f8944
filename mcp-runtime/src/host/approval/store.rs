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
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the approval store failed: {0}")]
pub struct StoreError(pub String);

/// Approvals remembered for the life of the process.
#[derive(Debug, Default)]
pub struct MemoryStore {
    remembered: Mutex<HashSet<String>>,
}

impl ApprovalStore for MemoryStore {
    fn is_remembered(&self, scope: &ApprovalScope) -> Result<bool, StoreError> {
        Ok(self
            .remembered
            .lock()
            .map_err(|_| StoreError("poisoned".into()))?
            .contains(&scope.key()))
    }

    fn remember(&self, scope: &ApprovalScope) -> Result<(), StoreError> {
        self.remembered
            .lock()
            .map_err(|_| StoreError("poisoned".into()))?
            .insert(scope.key());
        Ok(())
    }
}
