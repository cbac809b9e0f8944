//! `[servers]` and `[workspace]`: which servers the host serves, built from their settings, and
//! who they are for. The decisions are the runtime's (`served`, `Audience`); this reads them from
//! the file and says where a choice cannot hold.

use std::collections::BTreeMap;
use std::ops::Range;

use mcp_runtime::host::{
    Audience, BuildError, NotServed, Registry, ServerEntry, Settings, SharedServer, Turned, served,
};
use toml::Spanned;

use super::file::{ServerChoice, Workspace};
use super::{Problem, setting_value, suggestion};

/// What the file says of each server, by name.
pub(super) type Choices = BTreeMap<Spanned<String>, Spanned<ServerChoice>>;

/// A server the host serves, and what the file said of it (nothing: served by its
/// availability).
pub(super) struct Decided<'a> {
    pub entry: &'static ServerEntry,
    pub chosen: Option<(&'a Spanned<String>, &'a Spanned<ServerChoice>)>,
}

/// The servers of `registry` the host serves: those the file turns on, and the others their
/// availability serves, but for previews where the file does not opt into them.
pub(super) fn decide<'a>(
    choices: &'a Choices,
    registry: &'static Registry,
    previews: bool,
    problems: &mut Vec<Problem>,
) -> Vec<Decided<'a>> {
    for name in choices.keys() {
        if registry.get(name.get_ref()).is_none() {
            let names = registry.iter().map(|entry| entry.metadata().name);
            problems.push(Problem::at(
                name.span(),
                format!(
                    "unknown server `{}`{}",
                    name.get_ref(),
                    suggestion(name.get_ref(), names)
                ),
            ));
        }
    }
    let mut decided = Vec::new();
    for entry in registry.iter() {
        let chosen = choices
            .iter()
            .find(|(name, _)| name.get_ref() == entry.metadata().name);
        let turned = match chosen.map(|(_, choice)| choice.get_ref()) {
            None => Turned::ByAvailability,
            Some(ServerChoice::Turned(false)) => Turned::Off,
            Some(_) => Turned::On,
        };
        match (served(entry.metadata(), turned, previews), chosen) {
            (Ok(()), _) => decided.push(Decided {
                entry,
                chosen: chosen.filter(|_| turned == Turned::On),
            }),
            (Err(NotServed::Preview), Some((name, _))) if turned == Turned::On => {
                problems.push(Problem::at(
                    name.span(),
                    format!(
                        "server `{}` is a preview: it is served only where `[workspace]` has \
                         `previews = true`",
                        name.get_ref()
                    ),
                ));
            }
            (Err(_), _) => {}
        }
    }
    decided
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
        let admitted = audience.admits(decided.entry.metadata(), None);
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
    for Decided { entry, chosen } in decided {
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
        built.extend(server);
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
