//! How a host runs a call: the approval gate, the approval the user gave, the layers around it.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::approval::ApprovalGate;
use super::{Layer, RunningCalls};
use crate::{ServerMetadata, ToolMetadata};

/// Which tools a host serves (`--read-only`, `--toolsets`, `--tools`): a tool it leaves out is
/// neither listed nor callable.
pub type ToolFilter = Arc<dyn Fn(&ServerMetadata, &ToolMetadata) -> bool + Send + Sync>;

/// The host's side of a call, apart from the handler's [`ToolContext`](crate::ToolContext):
/// stakes enforced through a gate, the approval presented with a repeated call, and the layers
/// every call runs through.
///
/// Cloning is cheap (the gate and the layers are shared).
#[derive(Clone, Default)]
pub struct CallOptions {
    gate: Option<Arc<ApprovalGate>>,
    tools: Option<ToolFilter>,
    layers: Vec<Arc<dyn Layer>>,
    approval: Option<String>,
    timeout_cap: Option<Duration>,
    running: Option<Arc<RunningCalls>>,
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

    /// Serves only the tools `filter` keeps: the others are left out of listings, and a call to
    /// one is answered as a call to a tool that does not exist.
    pub fn with_tool_filter(mut self, filter: ToolFilter) -> Self {
        self.tools = Some(filter);
        self
    }

    /// Whether `tool` of `server` is served.
    pub fn serves(&self, server: &ServerMetadata, tool: &ToolMetadata) -> bool {
        self.tools.as_ref().is_none_or(|keep| keep(server, tool))
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

    /// Stops every call after `cap` at the latest; a tool's own timeout applies when shorter.
    pub fn with_timeout_cap(mut self, cap: Duration) -> Self {
        self.timeout_cap = Some(cap);
        self
    }

    /// Keeps the calls running in `register` while they run.
    pub fn with_running(mut self, register: Arc<RunningCalls>) -> Self {
        self.running = Some(register);
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

    /// How long a call to a tool whose server allows `timeout` may run.
    pub fn timeout(&self, timeout: Duration) -> Duration {
        self.timeout_cap.map_or(timeout, |cap| cap.min(timeout))
    }

    /// Where running calls are kept, if anywhere.
    pub fn running(&self) -> Option<&Arc<RunningCalls>> {
        self.running.as_ref()
    }
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallOptions")
            .field("gate", &self.gate.is_some())
            .field("tool_filter", &self.tools.is_some())
            .field("layers", &self.layers.len())
            .field("approval", &self.approval)
            .field("timeout_cap", &self.timeout_cap)
            .field("running", &self.running)
            .finish()
    }
}
