//! `[servers]` and `[workspace]`: which servers the host serves, built from their settings, and
//! who they are for. The decisions are the runtime's (`served`, `Audience`); this reads them from
//! the file and says where a choice cannot hold.

use std::collections::BTreeMap;
use std::ops::Range;

use mcp_runtime::ServerMetadata;
use mcp_runtime::host::{
    Audience, BuildError, InstanceError, NotServed, Registry, ServerEntry, Settings, SharedServer,
    Turned, served,
};
use toml::Spanned;

use super::file::{ServerChoice, Workspace};
use super::{Problem, setting_value, suggestion};

/// What the file says of each server, by name.
pub(super) type Choices = BTreeMap<Spanned<String>, Spanned<ServerChoice>>;

/// The key of a `[servers.NAME]` table that makes it an instance of another server.
const INSTANCE_OF: &str = "server";

/// A server the host serves: the registered server, what it is served as (its own metadata, or
/// an instance's), and what the file said of it (nothing: served by its availability).
pub(super) struct Decided<'a> {
    pub entry: &'static ServerEntry,
    pub metadata: &'static ServerMetadata,
    pub chosen: Option<(&'a Spanned<String>, &'a Spanned<ServerChoice>)>,
}

/// One entry of `[servers]` with the registered server it names.
struct Named<'a> {
    name: &'a Spanned<String>,
    choice: &'a Spanned<ServerChoice>,
    entry: &'static ServerEntry,
}

/// The servers of `registry` the host serves: those the file turns on (a server that allows
/// multiple instances, once per entry naming it), and the others their availability serves,
/// but for previews where the file does not opt into them.
pub(super) fn decide<'a>(
    choices: &'a Choices,
    registry: &'static Registry,
    previews: bool,
    problems: &mut Vec<Problem>,
) -> Vec<Decided<'a>> {
    let named: Vec<Named<'a>> = choices
        .iter()
        .filter_map(
            |(name, choice)| match server_named(name, choice, registry) {
                Ok(entry) => Some(Named {
                    name,
                    choice,
                    entry,
                }),
                Err(problem) => {
                    problems.push(problem);
                    None
                }
            },
        )
        .collect();
    let mut decided = Vec::new();
    for entry in registry.iter() {
        let own = entry.metadata();
        let mine: Vec<&Named<'a>> = named
            .iter()
            .filter(|named| named.entry.metadata().id == own.id)
            .collect();
        // Not named under its own name: its availability decides for it.
        if !mine.iter().any(|named| named.name.get_ref() == own.name)
            && served(own, Turned::ByAvailability, previews).is_ok()
        {
            decided.push(Decided {
                entry,
                metadata: own,
                chosen: None,
            });
        }
        for named in &mine {
            let name = named.name;
            let turned = match named.choice.get_ref() {
                ServerChoice::Turned(false) => Turned::Off,
                _ => Turned::On,
            };
            match served(own, turned, previews) {
                Ok(()) => {}
                Err(NotServed::Preview) => {
                    problems.push(Problem::at(
                        name.span(),
                        format!(
                            "server `{}` is a preview: it is served only where `[workspace]` \
                             has `previews = true`",
                            name.get_ref()
                        ),
                    ));
                    continue;
                }
                Err(_) => continue,
            }
            // The other entries serving the same server (one turned off serves nothing).
            let others: Vec<&str> = mine
                .iter()
                .filter(|other| !matches!(other.choice.get_ref(), ServerChoice::Turned(false)))
                .map(|other| other.name.get_ref().as_str())
                .filter(|other| other != name.get_ref())
                .collect();
            match own.instance(name.get_ref()) {
                Ok(metadata) => decided.push(Decided {
                    entry,
                    metadata,
                    chosen: Some((name, named.choice)),
                }),
                Err(InstanceError::NotMultiple { server }) if !others.is_empty() => {
                    problems.push(Problem::at(
                        name.span(),
                        format!(
                            "server `{server}` is given twice, as `{}` and as `{}`, but it does \
                             not allow multiple instances: keep one",
                            others[0],
                            name.get_ref()
                        ),
                    ));
                }
                Err(error) => problems.push(Problem::at(name.span(), error.to_string())),
            }
        }
    }
    decided
}

/// The registered server an entry of `[servers]` is of: the one its `server = ".."` names (an
/// instance), else the one its own name names.
fn server_named(
    name: &Spanned<String>,
    choice: &Spanned<ServerChoice>,
    registry: &'static Registry,
) -> Result<&'static ServerEntry, Problem> {
    let unknown = |wrong: &str, span: Range<usize>| {
        let names = registry.iter().map(|entry| entry.metadata().name);
        Problem::at(
            span,
            format!("unknown server `{wrong}`{}", suggestion(wrong, names)),
        )
    };
    let of = match choice.get_ref() {
        ServerChoice::Settings(table) => table
            .iter()
            .find(|(key, _)| key.get_ref() == INSTANCE_OF)
            .map(|(_, value)| value),
        ServerChoice::Turned(_) => None,
    };
    let Some(of) = of else {
        return registry
            .get(name.get_ref())
            .ok_or_else(|| unknown(name.get_ref(), name.span()));
    };
    let Some(server) = of.get_ref().as_str() else {
        return Err(Problem::at(
            of.span(),
            "`server` names the server this is an instance of, as a string: `server = \"jira\"`",
        ));
    };
    let entry = registry
        .get(server)
        .ok_or_else(|| unknown(server, of.span()))?;
    // An instance's name is a server's name to clients (which may fold case) and the key its
    // users' connections are kept under: it may be neither another server's nor a provider's.
    if name.get_ref() == server {
        return Ok(entry);
    }
    let taken = registry.iter().map(ServerEntry::metadata).find(|other| {
        let provider = other.authorization.as_ref().map(|auth| auth.provider);
        [Some(other.name), provider]
            .into_iter()
            .flatten()
            .any(|taken| taken.eq_ignore_ascii_case(name.get_ref()))
    });
    if let Some(other) = taken {
        return Err(Problem::at(
            name.span(),
            format!(
                "`{}` is taken by the server `{}`: name this instance of `{server}` otherwise",
                name.get_ref(),
                other.name
            ),
        ));
    }
    Ok(entry)
}

/// The audience of `[workspace]`; claims are read only from authenticated principals.
pub(super) fn audience(
    workspace: Workspace,
    authenticated: bool,
    problems: &mut Vec<Problem>,
) -> Audience {
    let claims = [
        ("plan_claim", &workspace.plan_claim),
        ("flags_claim", &workspace.flags_claim),
    ];
    for (key, claim) in claims {
        if let (Some(claim), false) = (claim, authenticated) {
            problems.push(Problem::at(
                claim.span(),
                format!(
                    "`{key}` reads principals' tokens, and without `[auth]` clients have none: \
                     authenticate them with `[auth]`, or remove `{key}`"
                ),
            ));
        }
    }
    Audience {
        plan: workspace.plan,
        feature_flags: workspace.feature_flags,
        plan_claim: workspace.plan_claim.map(Spanned::into_inner),
        flags_claim: workspace.flags_claim.map(Spanned::into_inner),
    }
}

/// Keeps the servers `audience` admits without claims; a server the file turned on that it
/// refuses would be served to no one, which is a mistake.
pub(super) fn keep_admitted(
    decided: &mut Vec<Decided<'_>>,
    audience: &Audience,
    problems: &mut Vec<Problem>,
) {
    decided.retain(|decided| {
        let admitted = audience.admits(decided.metadata, None);
        if let (false, Some((name, _))) = (admitted, decided.chosen) {
            let flags = match audience.feature_flags.as_slice() {
                [] => "no feature flags".to_owned(),
                flags => format!("feature flags `{}`", flags.join("`, `")),
            };
            problems.push(Problem::at(
                name.span(),
                format!(
                    "server `{}` is restricted for this workspace (plan `{}`, {flags}), and \
                     without `[auth]` no principal's claims can admit it: it would be served to \
                     no one; set in `[workspace]` the plan or flag its documentation names",
                    name.get_ref(),
                    audience.plan,
                ),
            ));
        }
        admitted
    });
}

/// The servers decided, built: from their table's settings, else from the environment.
pub(super) fn build(decided: Vec<Decided<'_>>, problems: &mut Vec<Problem>) -> Vec<SharedServer> {
    let mut built = Vec::new();
    for Decided {
        entry,
        metadata,
        chosen,
    } in decided
    {
        let server = match chosen {
            Some((name, choice)) => match choice.get_ref() {
                ServerChoice::Settings(table) => from_table(entry, name, table, problems),
                ServerChoice::Turned(_) => entry
                    .build_from_env()
                    .map_err(|error| {
                        problems.push(Problem::at(name.span(), from_env_problem(entry, &error)));
                    })
                    .ok(),
            },
            None => entry
                .build_from_env()
                .map_err(|error| {
                    let message = format!(
                        "{}; it is served because it is `{}`: turn it off with `{} = false` in \
                         `[servers]`",
                        from_env_problem(entry, &error),
                        entry.metadata().availability.as_str(),
                        entry.metadata().name
                    );
                    problems.push(Problem::whole(message));
                })
                .ok(),
        };
        // Served as decided: its own name, or the instance's.
        built.extend(server.map(|server| {
            server
                .served_as(metadata)
                .expect("an instance's metadata is made from its own server's")
        }));
    }
    built
}

/// Why `entry` could not be built from the environment.
fn from_env_problem(entry: &ServerEntry, error: &BuildError) -> String {
    format!(
        "server `{}` (settings from the environment): {}",
        entry.metadata().name,
        crate::cli::chain(error)
    )
}

/// `entry` built from the settings of its table; each mistake goes to `problems`.
fn from_table(
    entry: &ServerEntry,
    name: &Spanned<String>,
    table: &super::file::ServerTable,
    problems: &mut Vec<Problem>,
) -> Option<SharedServer> {
    let known = entry.settings();
    let mut settings = Settings::new();
    let mut spans: Vec<(String, Range<usize>)> = Vec::new();
    let mut valid = true;
    for (key, value) in table {
        if key.get_ref() == INSTANCE_OF {
            continue;
        }
        if !known.iter().any(|setting| setting.key == *key.get_ref()) {
            let names = known.iter().map(|setting| setting.key.as_str());
            problems.push(Problem::at(
                key.span(),
                format!(
                    "server `{}` has no setting `{}`{}",
                    name.get_ref(),
                    key.get_ref(),
                    suggestion(key.get_ref(), names)
                ),
            ));
            valid = false;
            continue;
        }
        match setting_value(value) {
            Ok(value) => settings.insert(key.get_ref().clone(), value),
            Err(problem) => {
                problems.push(problem);
                valid = false;
            }
        }
        spans.push((key.get_ref().clone(), value.span()));
    }
    if !valid {
        return None;
    }
    entry
        .build(&settings)
        .map_err(|error| problems.push(build_problem(&error, name, &spans)))
        .ok()
}

/// Why `name`'s server could not be built, at the setting at fault (else at its name).
fn build_problem(
    error: &BuildError,
    name: &Spanned<String>,
    spans: &[(String, Range<usize>)],
) -> Problem {
    match error {
        BuildError::Settings { source, .. } => {
            let path = source.path().to_string();
            let span = spans
                .iter()
                .find(|(key, _)| path.split('.').next() == Some(key.as_str()))
                .map_or_else(|| name.span(), |(_, span)| span.clone());
            let inner = source.inner().to_string();
            let message = if path == "." {
                format!("server `{}`: {inner}", name.get_ref())
            } else {
                format!("server `{}`, setting `{path}`: {inner}", name.get_ref())
            };
            Problem::at(span, message)
        }
        other => Problem::at(
            name.span(),
            format!("server `{}`: {}", name.get_ref(), crate::cli::chain(other)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use mcp_runtime::mcp_registry;
    use mcp_runtime::prelude::*;

    use crate::config::Config;

    /// Needs a setting no environment gives it.
    pub struct Picky(String);

    /// The settings of [`Picky`].
    #[derive(Deserialize, JsonSchema)]
    pub struct PickySettings {
        /// Set nowhere in the tests' environment.
        pub mode_set_by_nobody: String,
    }

    impl Picky {
        fn from_settings(settings: PickySettings) -> Result<Self, std::convert::Infallible> {
            Ok(Picky(settings.mode_set_by_nobody))
        }
    }

    /// Served by default, built only from a setting.
    #[mcp_server(id = 1, availability = "auto")]
    impl Picky {
        /// Say hello.
        #[tool(stake = "never_ask")]
        async fn hello(&self, _ctx: &ToolContext) -> ToolResult {
            Ok(ToolOutput::text(format!("hello in {}", self.0)))
        }
    }

    mcp_registry!(PICKY = [Picky => Picky::from_settings]);

    fn problems(text: &str) -> Vec<String> {
        let problems = Config::parse(text, Path::new("."), &PICKY).unwrap_err();
        problems
            .iter()
            .map(|problem| format!("{:?}: {}", problem.span, problem.message))
            .collect()
    }

    #[test]
    fn a_server_the_environment_cannot_build_is_named_with_how_to_turn_it_off() {
        let missing = "server `picky` (settings from the environment): the settings of server \
                       `picky` are not valid: missing field `mode_set_by_nobody`";
        assert_eq!(
            problems(""),
            [format!(
                "None: {missing}; it is served because it is `auto`: turn it off with \
                 `picky = false` in `[servers]`"
            )]
        );
        // Turned on, the problem is at its place.
        assert_eq!(
            problems("[servers]\npicky = true\n"),
            [format!("Some(10..15): {missing}")]
        );
        // Turned off, it is not built at all.
        assert!(Config::parse("[servers]\npicky = false\n", Path::new("."), &PICKY).is_ok());
    }
}
