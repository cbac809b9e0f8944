//! Servers shared by the integration tests in `tests/`.

pub mod jira;
