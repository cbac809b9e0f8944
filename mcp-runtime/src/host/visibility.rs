//! Which servers exist, and for whom: Dust's server flags acting in a host.
//!
//! - `availability` and `preview` decide whether a host serves a server at all ([`served`]):
//!   an `auto` or `auto_hidden_builder` server is served unless the configuration turns it off,
//!   a `manual` one only when it turns it on, and a preview one only where the host opts into
//!   previews.
//! - `restricted` decides, for each principal, whether a served server exists for them
//!   ([`Audience`]): its predicate sees the host's plan and feature flags with what the
//!   principal's token adds. A refused server is absent from what they see, as if it were not
//!   registered.
//!
//! These are the decisions a host makes; one that embeds the runtime gets them here rather than
//! re-implementing them.

use serde_json::{Map, Value};

use super::Servers;
use crate::{Availability, ServerMetadata, Workspace};

/// What a host's configuration says of one server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Turned {
    /// Nothing: its availability decides. (Not named `Default`: a variant of that name would
    /// make rustc spell the trait `std::default::Default` in its messages about it.)
    #[default]
    ByAvailability,
    /// Turned on.
    On,
    /// Turned off.
    Off,
}

/// Why a host does not serve a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NotServed {
    /// The configuration turned it off.
    #[error("it is turned off")]
    Off,
    /// A `manual` server the configuration did not turn on.
    #[error("it is `manual`: it is served only when the configuration turns it on")]
    Manual,
    /// A preview, on a host that does not opt into previews.
    #[error("it is a preview: it is served only where the configuration opts into previews")]
    Preview,
}

/// Whether a host serves `server`, given what its configuration says of it and whether the host
/// opts into previews.
pub fn served(server: &ServerMetadata, turned: Turned, previews: bool) -> Result<(), NotServed> {
    match (turned, server.availability) {
        (Turned::Off, _) => Err(NotServed::Off),
        (Turned::ByAvailability, Availability::Manual) => Err(NotServed::Manual),
        _ if server.preview && !previews => Err(NotServed::Preview),
        _ => Ok(()),
    }
}

/// Who a host serves, as servers' `restricted` predicates see them: the workspace's plan and
/// feature flags, and which claims of a principal's token add to them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Audience {
    /// The workspace's plan code.
    pub plan: String,
    /// The feature flags enabled for everyone.
    pub feature_flags: Vec<String>,
    /// The claim that, in a principal's token, names their plan instead.
    pub plan_claim: Option<String>,
    /// The claim that, in a principal's token, lists feature flags enabled for them besides
    /// (a list of strings, or one string of space-separated flags).
    pub flags_claim: Option<String>,
}

impl Audience {
    /// Whether `server` exists for a principal whose verified token has `claims` (`None`: a
    /// caller without a token, as on stdio or an unprotected host).
    pub fn admits(&self, server: &ServerMetadata, claims: Option<&Map<String, Value>>) -> bool {
        if server.restricted.is_none() {
            return true;
        }
        let claim = |name: &Option<String>| claims?.get(name.as_deref()?);
        let plan = claim(&self.plan_claim)
            .and_then(Value::as_str)
            .unwrap_or(&self.plan);
        let mut flags: Vec<&str> = self.feature_flags.iter().map(String::as_str).collect();
        match claim(&self.flags_claim) {
            Some(Value::String(listed)) => flags.extend(listed.split_whitespace()),
            Some(Value::Array(listed)) => flags.extend(listed.iter().filter_map(Value::as_str)),
            _ => {}
        }
        !server.is_restricted(&Workspace {
            plan,
            feature_flags: &flags,
            claims,
        })
    }

    /// The servers of `servers` that exist for a principal with `claims`: the host as they see
    /// it. A server refused them is absent, so a call of it is refused as of an unknown server.
    pub fn servers_for(&self, servers: &Servers, claims: Option<&Map<String, Value>>) -> Servers {
        Servers::new(
            servers
                .iter()
                .filter(|server| self.admits(server.metadata(), claims))
                .cloned(),
        )
    }
}
