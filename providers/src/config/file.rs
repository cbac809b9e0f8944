//! The configuration file as written: TOML read with serde, unknown keys refused (a misspelt
//! key is an error, never silently ignored), and spans kept where a later check needs to say
//! where a value is.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;

use super::Limits;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct File {
    /// The HTTP listen address, e.g. `127.0.0.1:8080`.
    pub listen: Option<Spanned<String>>,
    #[serde(default)]
    pub limits: Limits,
    pub store: Option<Store>,
    pub approvals: Option<Approvals>,
    /// The servers served, by name, each with its settings; absent: every server, its settings
    /// from the environment.
    pub servers: Option<BTreeMap<Spanned<String>, Spanned<ServerTable>>>,
}

/// Where state that outlives a process is kept.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Store {
    /// An SQLite file (relative to the configuration file's directory).
    pub sqlite: Option<Spanned<PathBuf>>,
}

/// Approval settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Approvals {
    /// Tools run without asking (a stake override), as `server/tool`.
    #[serde(default)]
    pub allow: Vec<Spanned<String>>,
}

/// One server's settings, by key.
pub(super) type ServerTable = BTreeMap<Spanned<String>, Spanned<toml::Value>>;
