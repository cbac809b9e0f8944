//! The attribute arguments: `#[mcp_server(...)]`, `#[tool(...)]` and the offers (`#[resource]`,
//! `#[resource_template]`, `#[prompt]`).

mod keys;
mod offer;
mod server;
mod tool;

pub(crate) use keys::{Keys, closest, one_of};
pub(crate) use offer::{OfferArgs, OfferKind, offer_kind};
pub(crate) use server::{Availability, ServerArgs, UseCase};
pub(crate) use tool::{
    Cost, EXPANDED, Retry, Stake, TaskStart, TaskSupport, ToolArgs, is_tool_attr, mark_expanded,
};
