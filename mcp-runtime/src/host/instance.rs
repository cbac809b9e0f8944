//! The rules an instance's name follows: a server's own name is checked by `#[mcp_server]` at
//! compile time, an instance's (from a host's configuration) here, by the same rules.

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::ServerMetadata;

/// Hosts prefix tool names with the server's name and cap the result at this length (the
/// macros' `PREFIXED_NAME_BUDGET`; proc-macro crates cannot share a constant with this one).
pub const PREFIXED_NAME_BUDGET: usize = 64;

/// The longest name a host makes of a tool: Claude Code's `mcp__<server>__<tool>`.
fn host_name(server: &str, tool: &str) -> String {
    format!("mcp__{server}__{tool}")
}

impl ServerMetadata {
    /// This server's metadata as an instance named `name`: the same under the new name (tools
    /// without a toolset of their own are in the toolset `name`). Its own name gives itself.
    ///
    /// The name follows the rules of a server's: `A-Z`, `a-z`, `0-9`, `_` and `-`, and short
    /// enough that every tool's longest prefixed name fits hosts' limit. A server that does not
    /// `allow_multiple_instances` has no instance under another name.
    pub fn instance(&'static self, name: &str) -> Result<&'static ServerMetadata, InstanceError> {
        if name == self.name {
            return Ok(self);
        }
        check(self, name)?;
        // Metadata is `&'static` everywhere (generated tables, checked at compile time): an
        // instance's lives as long as the process. It is made once per server and name, so
        // that making the same instance again (a configuration read anew) holds no more.
        static MADE: Mutex<BTreeMap<(u32, &'static str, String), &'static ServerMetadata>> =
            Mutex::new(BTreeMap::new());
        let mut made = crate::host::lock(&MADE);
        let made = made
            .entry((self.id, self.name, name.to_owned()))
            .or_insert_with(|| {
                let name: &'static str = Box::leak(name.into());
                Box::leak(Box::new(ServerMetadata { name, ..*self }))
            });
        Ok(*made)
    }
}

/// Why a server cannot be served as an instance under a name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstanceError {
    /// The server is served once, under its own name.
    #[error(
        "`{server}` does not allow multiple instances: it is served once, under its own name \
         `{server}`"
    )]
    NotMultiple {
        /// The server's own name.
        server: &'static str,
    },
    /// The name has a character clients refuse.
    #[error("instance name `{name}` must use only `A-Z`, `a-z`, `0-9`, `_` and `-`")]
    InvalidName {
        /// The name asked for.
        name: String,
    },
    /// Metadata that is not of this server was given for it.
    #[error("`{other}` is not an instance of `{server}`")]
    OfAnotherServer {
        /// The server's own name.
        server: &'static str,
        /// The name of the metadata given.
        other: &'static str,
    },
    /// A tool's prefixed name would pass hosts' limit.
    #[error(
        "instance name `{name}` is too long: hosts would list its tool `{tool}` as `{prefixed}` \
         ({} characters, over their limit of {PREFIXED_NAME_BUDGET}); shorten the name to at \
         most {room} characters",
        prefixed.len()
    )]
    TooLong {
        /// The name asked for.
        name: String,
        /// The tool whose prefixed name is too long (the longest).
        tool: &'static str,
        /// What hosts would call it.
        prefixed: String,
        /// The longest name that fits.
        room: usize,
    },
}

/// Whether `server` may be served as an instance named `name`.
pub(super) fn check(server: &ServerMetadata, name: &str) -> Result<(), InstanceError> {
    if !server.allow_multiple_instances {
        return Err(InstanceError::NotMultiple {
            server: server.name,
        });
    }
    let wire_safe = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if name.is_empty() || !wire_safe {
        return Err(InstanceError::InvalidName {
            name: name.to_owned(),
        });
    }
    let longest = server
        .tools
        .iter()
        .map(|tool| tool.name)
        .max_by_key(|tool| tool.len());
    if let Some(tool) = longest {
        let prefixed = host_name(name, tool);
        if prefixed.len() > PREFIXED_NAME_BUDGET {
            return Err(InstanceError::TooLong {
                name: name.to_owned(),
                tool,
                room: PREFIXED_NAME_BUDGET.saturating_sub(host_name("", tool).len()),
                prefixed,
            });
        }
    }
    Ok(())
}
