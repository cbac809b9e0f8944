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
pub mod wide;
