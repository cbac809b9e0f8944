//! The configuration file as written: TOML read with serde, unknown keys refused (a misspelt
//! key is an error, never silently ignored), and spans kept where a later check needs to say
//! where a value is.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;

use super::{Limits, Selection};

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct File {
    /// The HTTP listen address, e.g. `127.0.0.1:8080`.
    pub listen: Option<Spanned<String>>,
    /// The URL clients reach this host at (the tokens' audience).
    pub public_url: Option<Spanned<String>>,
    pub auth: Option<Spanned<Auth>>,
    #[serde(default)]
    pub limits: Limits,
    /// Which tools are served (all by default).
    pub tools: Option<Spanned<Selection>>,
    pub store: Option<Store>,
    pub approvals: Option<Approvals>,
    /// The OAuth apps users connect their accounts through, by provider.
    pub connect: Option<BTreeMap<Spanned<String>, Spanned<ConnectApp>>>,
    /// Who the host serves, for servers' `restricted` predicates, and whether it takes previews.
    pub workspace: Option<Workspace>,
    /// What the host says of each server, by name: `true` or a table of settings turns it on,
    /// `false` off. Those not named are served by their availability, their settings from the
    /// environment.
    pub servers: Option<BTreeMap<Spanned<String>, Spanned<ServerChoice>>>,
    /// The web console, where people sign in through the issuer of `[auth]`.
    pub console: Option<Spanned<Console>>,
}

/// The web console's client at the issuer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Console {
    /// The console's client id at the issuer.
    pub client_id: String,
    /// A string, or `{ env = "NAME" }`; none for a public client (PKCE alone).
    pub client_secret: Option<Spanned<toml::Value>>,
    /// Where people sign in; by default the issuer's discovery document says.
    pub authorize_url: Option<Spanned<String>>,
    /// Where codes are exchanged; by default the issuer's discovery document says.
    pub token_url: Option<Spanned<String>>,
    /// Where the issuer's keys are, when `[auth]` introspects tokens.
    pub jwks_url: Option<Spanned<String>>,
    /// Who may read the audit log: principals whose `claim` holds `value`.
    pub admins: Option<Admins>,
}

/// The principals who are admins.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Admins {
    /// A claim of the ID token: a string, or a list of strings (`groups`, `roles`).
    pub claim: String,
    /// The value that makes an admin.
    pub value: String,
}

/// The workspace the host serves.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Workspace {
    /// Its plan code.
    #[serde(default)]
    pub plan: String,
    /// The feature flags enabled for everyone.
    #[serde(default)]
    pub feature_flags: Vec<String>,
    /// Whether preview servers are served.
    #[serde(default)]
    pub previews: bool,
    /// The claim naming a principal's own plan.
    pub plan_claim: Option<Spanned<String>>,
    /// The claim listing feature flags enabled for a principal besides.
    pub flags_claim: Option<Spanned<String>>,
}

/// What the file says of one server: on or off, or on with these settings.
#[derive(Debug)]
pub(super) enum ServerChoice {
    Turned(bool),
    Settings(ServerTable),
}

impl<'de> Deserialize<'de> for ServerChoice {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Choice;

        impl<'de> serde::de::Visitor<'de> for Choice {
            type Value = ServerChoice;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("`true`, `false`, or a table of the server's settings")
            }

            fn visit_bool<E>(self, on: bool) -> Result<ServerChoice, E> {
                Ok(ServerChoice::Turned(on))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<ServerChoice, A::Error> {
                // The map's own deserializer, so that its keys and values keep their spans.
                let deserializer = serde::de::value::MapAccessDeserializer::new(map);
                ServerTable::deserialize(deserializer).map(ServerChoice::Settings)
            }
        }

        deserializer.deserialize_any(Choice)
    }
}

/// An OAuth app registered at a provider for this host.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ConnectApp {
    pub client_id: String,
    /// A string, or `{ env = "NAME" }`.
    pub client_secret: Option<Spanned<toml::Value>>,
    /// Where users consent, when not the provider's usual (a self-hosted platform).
    pub authorize_url: Option<Spanned<String>>,
    /// Where codes are exchanged, when not the provider's usual.
    pub token_url: Option<Spanned<String>>,
    /// Where the platform says whom a token is for, when not the provider's usual.
    pub account_url: Option<Spanned<String>>,
    /// Where tokens are revoked (RFC 7009), when not the provider's usual.
    pub revocation_url: Option<Spanned<String>>,
}

/// How clients are authenticated.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Auth {
    /// The issuer of the tokens (`iss`), listed as the authorization server.
    pub issuer: Spanned<String>,
    /// Where the issuer publishes its keys: tokens are verified as JWTs.
    pub jwks_url: Option<Spanned<String>>,
    /// Where the issuer introspects tokens (RFC 7662), as `client_id`.
    pub introspection_url: Option<Spanned<String>>,
    pub client_id: Option<Spanned<String>>,
    pub client_secret: Option<Spanned<toml::Value>>,
    /// The claim naming the user (default `sub`).
    pub user_claim: Option<String>,
    /// The scopes listed in the protected-resource metadata.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Scopes calls need, by `server` or `server/tool`.
    #[serde(default)]
    pub required_scopes: BTreeMap<Spanned<String>, Vec<String>>,
}

/// Where approvals, connections and the audit log are kept.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Store {
    /// An SQLite file (relative to the configuration file's directory).
    pub sqlite: Option<Spanned<PathBuf>>,
    /// A PostgreSQL URL, or `{ env = "NAME" }`.
    pub postgres: Option<Spanned<toml::Value>>,
    /// The keys users' tokens are encrypted with (base64, 32 bytes; the first encrypts).
    #[serde(default)]
    pub token_keys: Vec<Spanned<toml::Value>>,
}

/// Approval settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Approvals {
    /// Tools run without asking (a stake override), as `server/tool`.
    #[serde(default)]
    pub allow: Vec<Spanned<String>>,
    /// The keys sealing the request state that names a held call (base64, 32 bytes or more;
    /// the first seals), shared by replicas.
    #[serde(default)]
    pub state_keys: Vec<Spanned<toml::Value>>,
}

/// One server's settings, by key.
pub(super) type ServerTable = BTreeMap<Spanned<String>, Spanned<toml::Value>>;
