//! The host's configuration file (`serve --config FILE`, TOML): the servers served and their
//! settings, the HTTP listen address, the limits, the approvals and where state is kept. Read
//! whole and checked before anything is served; `config check FILE` prints every mistake with
//! its place in the file. Secrets need not be written in it: any setting may be
//! `{ env = "NAME" }`, read from the environment when the file is read.

mod auth;
mod connect;
mod console;
mod file;
mod limits;
mod report;
mod servers;
mod store;
mod tools;

use std::net::SocketAddr;
use std::path::Path;

use mcp_runtime::ServerMetadata;
use mcp_runtime::host::{Audience, Registry, SharedServer};
use secrecy::SecretString;
use serde_json::Value;
use toml::Spanned;

use mcp_runtime::host::serve::RequestStateCodec;

use crate::store::{Backend, TokenCipher};

pub use auth::{Auth, Check};
pub use connect::ConnectApp;
pub use console::ConsoleConfig;
pub use limits::Limits;
pub use report::{Problem, Report};
pub use tools::Selection;

/// A configuration, read and checked.
#[derive(Debug)]
pub struct Config {
    /// Where to listen for HTTP; `None`: the default address.
    pub listen: Option<SocketAddr>,
    /// The URL clients reach this host at.
    pub public_url: Option<reqwest::Url>,
    /// How clients are authenticated; `None`: they are not (loopback only).
    pub auth: Option<Auth>,
    /// The servers to serve, built from their settings.
    pub servers: Vec<SharedServer>,
    /// Who they are served to, for servers' `restricted` predicates.
    pub audience: Audience,
    /// The limits.
    pub limits: Limits,
    /// The tools served.
    pub tools: Selection,
    /// Tools run without asking, as `server/tool`.
    pub allow: Vec<String>,
    /// Where approvals, connections and the audit log are kept.
    pub store: Backend,
    /// The keys users' tokens are encrypted with.
    pub cipher: Option<TokenCipher>,
    /// Seals held calls' request state, with keys replicas share; `None`: a key of the
    /// process's own.
    pub request_state: Option<RequestStateCodec>,
    /// The OAuth apps users connect their accounts through.
    pub connect: Vec<ConnectApp>,
    /// The web console, if the file sets one up.
    pub console: Option<ConsoleConfig>,
}

impl Config {
    /// Reads and checks the file at `path` against `registry`.
    pub fn read(path: &Path, registry: &'static Registry) -> Result<Config, Report> {
        let text = std::fs::read_to_string(path).map_err(|error| {
            Report::new(
                path.display().to_string(),
                "",
                vec![Problem::whole(format!("cannot read the file: {error}"))],
            )
        })?;
        let directory = path.parent().unwrap_or(Path::new("."));
        Self::parse(&text, directory, registry)
            .map_err(|problems| Report::new(path.display().to_string(), text, problems))
    }

    /// Checks `text`; relative paths in it are relative to `directory`.
    pub fn parse(
        text: &str,
        directory: &Path,
        registry: &'static Registry,
    ) -> Result<Config, Vec<Problem>> {
        let file: file::File = toml::from_str(text).map_err(|error| {
            vec![Problem {
                message: error.message().trim_end().to_owned(),
                span: error.span(),
            }]
        })?;
        let mut problems = Vec::new();
        let workspace = file.workspace.unwrap_or_default();
        let choices = file.servers.unwrap_or_default();
        // The servers served, built or not: `allow`, `[tools]` and `[auth]` are checked
        // against them.
        let mut decided = servers::decide(&choices, registry, workspace.previews, &mut problems);
        let public_url = file
            .public_url
            .as_ref()
            .and_then(|url| auth::url_at(url, "public_url", &mut problems));
        let auth = file.auth.and_then(|table| {
            let given = file.public_url.as_ref();
            let served: Vec<_> = decided.iter().map(|decided| decided.metadata).collect();
            auth::read(table, given, public_url.clone(), &served, &mut problems)
        });
        let audience = servers::audience(workspace, auth.is_some(), &mut problems);
        // Without client authentication no principal's claims can admit a restricted server:
        // what the workspace refuses is served to no one.
        if auth.is_none() {
            servers::keep_admitted(&mut decided, &audience, &mut problems);
        }
        let served: Vec<_> = decided.iter().map(|decided| decided.metadata).collect();
        let protected = auth.is_some();
        let listen = file
            .listen
            .and_then(|listen| listen_at(&listen, protected, &mut problems));
        let (allow, state_keys) = file
            .approvals
            .map(|approvals| (approvals.allow, approvals.state_keys))
            .unwrap_or_default();
        let allow = allow
            .into_iter()
            .filter_map(|allowed| match check_allowed(allowed.get_ref(), &served) {
                Ok(_) => Some(allowed.into_inner()),
                Err(message) => {
                    problems.push(Problem::at(allowed.span(), message));
                    None
                }
            })
            .collect();
        let tools = match file.tools {
            Some(table) => {
                if let Err(found) = table.get_ref().filter(&served) {
                    problems.extend(
                        found
                            .into_iter()
                            .map(|message| Problem::at(table.span(), message)),
                    );
                }
                table.into_inner()
            }
            None => Selection::default(),
        };
        let request_state = store::state_codec(&state_keys, &mut problems);
        let (store, cipher) = match file.store {
            Some(table) => store::read(table, directory, request_state.is_some(), &mut problems),
            None => (Backend::embedded(), None),
        };
        let ready = match (&public_url, &cipher) {
            (None, _) => Err("`public_url` (the platforms send users back to it)"),
            (_, None) => Err("`[store] token_keys` (users' tokens are stored encrypted)"),
            _ => Ok(()),
        };
        // What users connect through: each provider, and each instance under its own name.
        let mut oauth_providers: Vec<(&str, &str)> = decided
            .iter()
            .filter_map(|decided| {
                let platform = decided.metadata.authorization.as_ref()?.provider;
                let instance = decided.metadata.name != decided.entry.metadata().name;
                Some((
                    if instance {
                        decided.metadata.name
                    } else {
                        platform
                    },
                    platform,
                ))
            })
            .collect();
        oauth_providers.sort_unstable();
        oauth_providers.dedup();
        let connect = file
            .connect
            .map(|tables| connect::read(tables, &oauth_providers, ready, &mut problems))
            .unwrap_or_default();
        let console = file
            .console
            .and_then(|table| console::read(table, auth.as_ref(), cipher.is_some(), &mut problems));
        let servers = servers::build(decided, &mut problems);
        if !problems.is_empty() {
            problems.sort_by_key(|problem| problem.span.as_ref().map(|span| span.start));
            return Err(problems);
        }
        Ok(Config {
            listen,
            public_url,
            auth,
            servers,
            audience,
            limits: file.limits,
            tools,
            allow,
            store,
            cipher,
            request_state,
            connect,
            console,
        })
    }
}

/// The address `listen` holds: a loopback one unless clients are authenticated (calls carry
/// platform tokens and run tools for whoever connects).
fn listen_at(
    listen: &Spanned<String>,
    protected: bool,
    problems: &mut Vec<Problem>,
) -> Option<SocketAddr> {
    let address = match listen.get_ref().parse::<SocketAddr>() {
        Ok(address) => address,
        Err(error) => {
            problems.push(Problem::at(
                listen.span(),
                format!("`listen` is not an address like `127.0.0.1:8080`: {error}"),
            ));
            return None;
        }
    };
    if !protected && !address.ip().is_loopback() {
        problems.push(Problem::at(
            listen.span(),
            format!(
                "`{address}` is not a loopback address: without `[auth]` (client \
                 authentication) only this machine may connect; listen on `127.0.0.1`"
            ),
        ));
        return None;
    }
    Some(address)
}

/// The server and tool of `server/tool`, if it names a tool of a server in `served`.
pub fn check_allowed<'a>(
    allowed: &'a str,
    served: &[&'static ServerMetadata],
) -> Result<(&'a str, &'a str), String> {
    let (server, tool) = allowed
        .split_once('/')
        .ok_or_else(|| format!("`{allowed}`: write SERVER/TOOL, e.g. `github/create_issue`"))?;
    served_target(allowed, served)?;
    Ok((server, tool))
}

/// The server and tool of `server` or `server/tool`, if it names what `served` serves.
pub(super) fn served_target<'a>(
    target: &'a str,
    served: &[&'static ServerMetadata],
) -> Result<(&'a str, Option<&'a str>), String> {
    let (server, tool) = match target.split_once('/') {
        Some((server, tool)) => (server, Some(tool)),
        None => (target, None),
    };
    let Some(metadata) = served.iter().find(|metadata| metadata.name == server) else {
        let names = served.iter().map(|metadata| metadata.name);
        return Err(format!(
            "`{target}`: no server `{server}` is served{}",
            suggestion(server, names)
        ));
    };
    if let Some(tool) = tool
        && metadata.tool(tool).is_none()
    {
        let names = metadata.tools.iter().map(|tool| tool.name);
        return Err(format!(
            "`{target}`: `{server}` has no tool `{tool}`{}",
            suggestion(tool, names)
        ));
    }
    Ok((server, tool))
}

/// The `client_secret` `value` holds: a string, or `{ env = "NAME" }`.
pub(super) fn client_secret(value: &Spanned<toml::Value>) -> Result<SecretString, Problem> {
    match setting_value(value)? {
        Value::String(secret) => Ok(SecretString::from(secret)),
        _ => Err(Problem::at(
            value.span(),
            "`client_secret` must be a string",
        )),
    }
}

/// A setting's value as the server reads it; `{ env = "NAME" }` is the variable's value.
pub(super) fn setting_value(value: &Spanned<toml::Value>) -> Result<Value, Problem> {
    if let toml::Value::Table(table) = value.get_ref()
        && let Some(reference) = table.get("env")
    {
        let (Some(name), 1) = (reference.as_str(), table.len()) else {
            return Err(Problem::at(
                value.span(),
                "an environment reference is written `{ env = \"NAME\" }`",
            ));
        };
        return std::env::var(name).map(Value::String).map_err(|_| {
            Problem::at(
                value.span(),
                format!("the environment variable `{name}` is not set"),
            )
        });
    }
    serde_json::to_value(value.get_ref())
        .map_err(|error| Problem::at(value.span(), error.to_string()))
}

/// `; did you mean `x`?` for the closest of `names`, else the names to choose from.
pub(super) fn suggestion<'a>(wrong: &str, names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    let closest = names
        .iter()
        .map(|name| (strsim::jaro_winkler(wrong, name), *name))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match closest {
        Some((_, name)) => format!("; did you mean `{name}`?"),
        None if names.is_empty() => String::new(),
        None => format!(" (expected one of: {})", names.join(", ")),
    }
}
