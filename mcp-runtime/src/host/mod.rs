//! What a host uses to run servers: building them from settings, the registry, the options of a
//! call (the approval gate, the approval presented, layers around every call), the catalog, and
//! serving over MCP.
//!
//! Integration authors need none of this: the crate root and the prelude are their surface.

pub mod approval;
mod instance;
mod layer;
mod options;
mod registry;
mod running;
#[cfg(feature = "serve")]
pub mod serve;
mod settings;
mod visibility;

pub use crate::call::{ERROR_META_KEY, error_result};
pub use crate::catalog::{Catalog, TOOL_META_KEY, ToolEntry};
pub use crate::context::{ClientRequests, Notifier};
pub use approval::StoreError;
pub use instance::{InstanceError, PREFIXED_NAME_BUDGET};
pub use layer::{Call, CallFuture, Layer, Next};
pub use options::{CallOptions, ToolFilter};
#[doc(hidden)]
pub use registry::checks as registry_checks;
pub use registry::{BuiltByDefault, DynServer, Registry, ServerEntry, Servers, SharedServer};
pub use running::{RunningCall, RunningCalls};
pub use settings::{BuildError, Setting, Settings};
pub use visibility::{Audience, NotServed, Turned, served};

/// Locks `mutex`, also when a holder panicked: every value kept behind one here is whole after
/// each statement that changes it, so a poisoned lock still guards a consistent value.
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
