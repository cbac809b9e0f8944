//! Servers shared by the integration tests in `tests/`.

pub mod board;
pub mod desk;
pub mod interview;
pub mod jira;
pub mod library;
pub mod registry;
pub mod split;
pub mod tokens;
pub mod tracker;

/// The 50-tool server of the benchmarks, in a crate of its own (`bench/wide-server`).
pub use wide_server as wide;
