//! `jira`: Jira Cloud and Data Center through REST v3.

pub mod adf;
