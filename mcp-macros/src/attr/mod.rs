//! The attribute arguments: `#[mcp_server(...)]` and `#[tool(...)]`.

mod keys;
mod server;
mod tool;

pub(crate) use keys::{Keys, closest, one_of};
pub(crate) use server::{Availability, ServerArgs, UseCase};
pub(crate) use tool::{Cost, EXPANDED, Retry, Stake, ToolArgs, is_tool_attr, mark_expanded};
