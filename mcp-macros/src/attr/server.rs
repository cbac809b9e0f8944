//! `#[mcp_server(...)]`.

use darling::ast::NestedMeta;
use darling::error::Accumulator;
use proc_macro2::Span;
use syn::{Ident, LitInt, LitStr, Path};

use super::keys::Keys;

const ATTR: &str = "#[mcp_server]";

const KEYS: &[&str] = &[
    "id",
    "availability",
    "name",
    "version",
    "description",
    "icon",
    "title",
    "documentation_url",
    "instructions",
    "authorization",
    "allow_multiple_instances",
    "preview",
    "restricted",
    "timeout_ms",
    "parts",
    "changes",
    "crate",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Availability {
    Manual,
    Auto,
    AutoHiddenBuilder,
}

const AVAILABILITIES: &[(&str, Availability)] = &[
    ("manual", Availability::Manual),
    ("auto", Availability::Auto),
    ("auto_hidden_builder", Availability::AutoHiddenBuilder),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UseCase {
    PersonalActions,
    PlatformActions,
}

const USE_CASES: &[(&str, UseCase)] = &[
    ("personal_actions", UseCase::PersonalActions),
    ("platform_actions", UseCase::PlatformActions),
];

/// `authorization(provider = "jira", use_cases(personal_actions, platform_actions))`.
#[derive(Debug)]
pub(crate) struct AuthorizationArgs {
    pub provider: LitStr,
    pub use_cases: Vec<UseCase>,
}

/// The arguments of `#[mcp_server(...)]`, each as written (defaults are applied by the model).
#[derive(Debug, Default)]
pub(crate) struct ServerArgs {
    pub id: Option<(u32, LitInt)>,
    pub availability: Option<Availability>,
    pub name: Option<LitStr>,
    pub version: Option<LitStr>,
    pub description: Option<LitStr>,
    pub icon: Option<LitStr>,
    pub title: Option<LitStr>,
    pub documentation_url: Option<LitStr>,
    pub instructions: Option<LitStr>,
    pub authorization: Option<AuthorizationArgs>,
    pub allow_multiple_instances: bool,
    pub preview: bool,
    pub restricted: Option<Path>,
    pub timeout_ms: Option<(u64, LitInt)>,
    /// `parts(issues, pulls)`: modules holding `#[mcp_tools] impl` blocks of the same type.
    pub parts: Vec<Path>,
    /// `changes = "field"`: the server's `ResourceChanges`.
    pub changes: Option<syn::Ident>,
    pub krate: Option<Path>,
    /// The keys that were written, even with bad values: a bad value is not also a missing key.
    pub given: Vec<&'static str>,
}

impl ServerArgs {
    /// Parses the attribute's arguments, `None` when they could not be read (that error is
    /// then the only one); every problem goes to `acc`.
    pub(crate) fn parse(items: Option<Vec<NestedMeta>>, acc: &mut Accumulator) -> Self {
        let unreadable = items.is_none();
        let mut keys = Keys::new(ATTR, KEYS, items.unwrap_or_default(), acc);
        let given = KEYS
            .iter()
            .copied()
            .filter(|key| unreadable || keys.contains(key))
            .collect();
        let id = keys
            .integer("id")
            .and_then(|lit| match lit.base10_parse::<u32>() {
                Ok(id) => Some((id, lit)),
                Err(_) => {
                    keys.acc().push(
                        darling::Error::custom("server `id` must fit in a `u32`").with_span(&lit),
                    );
                    None
                }
            });
        let availability = keys.choice("availability", AVAILABILITIES).map(|(a, _)| a);
        let timeout_ms = keys.integer("timeout_ms").and_then(|lit| {
            let problem = match lit.base10_parse::<u64>() {
                Ok(0) => "`timeout_ms` must be a positive number of milliseconds",
                Err(_) => "`timeout_ms` must fit in a `u64`",
                Ok(ms) => return Some((ms, lit)),
            };
            keys.acc()
                .push(darling::Error::custom(problem).with_span(&lit));
            None
        });
        let parts = keys
            .list("parts")
            .map(|(items, _)| {
                items
                    .into_iter()
                    .filter_map(|item| match item {
                        NestedMeta::Meta(syn::Meta::Path(path)) => Some(path),
                        other => {
                            keys.acc().push(
                                darling::Error::custom(
                                    "expected the path of a module holding an `#[mcp_tools] impl` block in `parts(..)`",
                                )
                                .with_span(&other),
                            );
                            None
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let changes = keys.path("changes").and_then(|path| match path.get_ident() {
            Some(field) => Some(field.clone()),
            None => {
                keys.acc().push(
                    darling::Error::custom(
                        "expected the name of a field holding the server's `ResourceChanges` for `changes`",
                    )
                    .with_span(&path),
                );
                None
            }
        });
        let authorization = keys
            .list("authorization")
            .and_then(|(items, span)| parse_authorization(items, span, keys.acc()));
        ServerArgs {
            id,
            availability,
            name: keys.string("name"),
            version: keys.string("version"),
            description: keys.string("description"),
            icon: keys.string("icon"),
            title: keys.string("title"),
            documentation_url: keys.string("documentation_url"),
            instructions: keys.string("instructions"),
            authorization,
            allow_multiple_instances: keys.flag("allow_multiple_instances").is_some_and(|f| f.0),
            preview: keys.flag("preview").is_some_and(|f| f.0),
            restricted: keys.path("restricted"),
            timeout_ms,
            parts,
            changes,
            krate: keys.path("crate"),
            given,
        }
    }
}

fn parse_authorization(
    items: Vec<NestedMeta>,
    span: Span,
    acc: &mut Accumulator,
) -> Option<AuthorizationArgs> {
    const ATTR: &str = "authorization(..)";
    let mut keys = Keys::new(ATTR, &["provider", "use_cases"], items, acc);
    let provider_given = keys.contains("provider");
    let use_cases_given = keys.contains("use_cases");
    let provider = keys.string("provider");
    let use_cases = keys.list("use_cases").map(|(items, _)| {
        items
            .into_iter()
            .filter_map(|item| parse_use_case(item, keys.acc()))
            .collect::<Vec<_>>()
    });
    let Some(provider) = provider else {
        if provider_given {
            return None;
        }
        keys.acc().push(
            darling::Error::custom(
                "missing `provider` in `authorization(..)`; add `provider = \"<oauth provider>\"`",
            )
            .with_span(&span),
        );
        return None;
    };
    let use_cases = use_cases.unwrap_or_default();
    if use_cases.is_empty() {
        if use_cases_given {
            // A misspelt or invalid list was reported already.
            return None;
        }
        keys.acc().push(
            darling::Error::custom(
                "missing `use_cases` in `authorization(..)`; add `use_cases(personal_actions)` or `use_cases(platform_actions)`",
            )
            .with_span(&span),
        );
        return None;
    }
    Some(AuthorizationArgs {
        provider,
        use_cases,
    })
}

fn parse_use_case(item: NestedMeta, acc: &mut Accumulator) -> Option<UseCase> {
    let ident: Option<Ident> = match &item {
        NestedMeta::Meta(syn::Meta::Path(path)) => path.get_ident().cloned(),
        _ => None,
    };
    let names: Vec<&str> = USE_CASES.iter().map(|(name, _)| *name).collect();
    let Some(ident) = ident else {
        acc.push(
            darling::Error::custom(format!("expected a use case: {}", super::one_of(&names)))
                .with_span(&item),
        );
        return None;
    };
    let word = ident.to_string();
    if let Some((_, case)) = USE_CASES.iter().find(|(name, _)| *name == word) {
        return Some(*case);
    }
    let help = match super::closest(&word, &names) {
        Some(name) => format!("did you mean `{name}`?"),
        None => format!("expected {}", super::one_of(&names)),
    };
    acc.push(
        darling::Error::custom(format!("unknown use case `{word}`; {help}")).with_span(&ident),
    );
    None
}
