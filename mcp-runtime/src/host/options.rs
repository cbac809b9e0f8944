//! How a host runs a call: the approval gate, the approval the user gave, the layers around it.

use std::fmt;
use std::sync::Arc;

use super::Layer;
use super::approval::ApprovalGate;

/// The host's side of a call, apart from the handler's [`ToolContext`](crate::ToolContext):
/// stakes enforced through a gate, the approval presented with a repeated call, and the layers
/// every call runs through.
///
/// Cloning is cheap (the gate and the layers are shared).
#[derive(Clone, Default)]
pub struct CallOptions {
    gate: Option<Arc<ApprovalGate>>,
    layers: Vec<Arc<dyn Layer>>,
    approval: Option<String>,
}

impl CallOptions {
    /// No gate, no layers, no approval: every tool runs as called.
    pub fn new() -> Self {
        Self::default()
    }

    /// Enforces stakes through `gate`: calls that need an approval end with
    /// [`CallError::ApprovalRequired`](crate::CallError::ApprovalRequired) until the user answers.
    pub fn with_gate(mut self, gate: Arc<ApprovalGate>) -> Self {
        self.gate = Some(gate);
        self
    }

    /// Runs every call through `layer`, inside the layers added before it.
    pub fn with_layer(mut self, layer: impl Layer) -> Self {
        self.layers.push(Arc::new(layer));
        self
    }

    /// Presents the approval the user gave to this (held, then repeated) call.
    pub fn with_approval(mut self, approval_id: impl Into<String>) -> Self {
        self.approval = Some(approval_id.into());
        self
    }

    /// The approval gate, if stakes are enforced.
    pub fn gate(&self) -> Option<&Arc<ApprovalGate>> {
        self.gate.as_ref()
    }

    /// The layers, outermost first.
    pub fn layers(&self) -> &[Arc<dyn Layer>] {
        &self.layers
    }

    /// The approval presented with the call.
    pub fn approval(&self) -> Option<&str> {
        self.approval.as_deref()
    }
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallOptions")
            .field("gate", &self.gate.is_some())
            .field("layers", &self.layers.len())
            .field("approval", &self.approval)
            .finish()
    }
}
