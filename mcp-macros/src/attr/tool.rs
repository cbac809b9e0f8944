//! `#[tool(...)]`.

use darling::ast::NestedMeta;
use darling::error::Accumulator;
use proc_macro2::Span;
use syn::{Attribute, Ident, LitStr};

use super::keys::Keys;

const ATTR: &str = "#[tool]";

const KEYS: &[&str] = &[
    "stake",
    "name",
    "description",
    "title",
    "running",
    "done",
    "approval_args",
    "retry",
    "read_only",
    "destructive",
    "idempotent",
    "open_world",
    "cost",
    "eager",
    "full_schema",
    "toolset",
    "icon",
    "task",
    "task_start",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stake {
    NeverAsk,
    Low,
    Medium,
    High,
}

pub(crate) const STAKES: &[(&str, Stake)] = &[
    ("never_ask", Stake::NeverAsk),
    ("low", Stake::Low),
    ("medium", Stake::Medium),
    ("high", Stake::High),
];

impl Stake {
    pub(crate) fn as_str(self) -> &'static str {
        STAKES
            .iter()
            .find(|(_, stake)| *stake == self)
            .map(|(name, _)| *name)
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    Never,
    OnInterrupt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TaskSupport {
    Forbidden,
    Optional,
    Required,
}

/// When a call that runs as a task becomes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TaskStart {
    /// At once.
    Call,
    /// When the handler calls `ctx.start_task()`.
    Handler,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cost {
    Basic,
    Advanced,
}

/// The arguments of one `#[tool(...)]`, each as written.
#[derive(Debug)]
pub(crate) struct ToolArgs {
    /// The `tool` of `#[tool]`, for errors about what it lacks.
    pub span: Span,
    /// Whether `stake` was written, even with a bad value.
    pub stake_given: bool,
    /// Whether `description` was written, even with a bad value.
    pub description_given: bool,
    pub stake: Option<(Stake, LitStr)>,
    pub name: Option<LitStr>,
    pub description: Option<LitStr>,
    pub title: Option<LitStr>,
    pub running: Option<LitStr>,
    pub done: Option<LitStr>,
    pub approval_args: Option<(Vec<Ident>, Span)>,
    pub retry: Option<Retry>,
    pub read_only: Option<(bool, Span)>,
    pub destructive: Option<(bool, Span)>,
    pub idempotent: Option<(bool, Span)>,
    pub open_world: Option<(bool, Span)>,
    pub cost: Option<Cost>,
    pub eager: bool,
    pub full_schema: bool,
    pub toolset: Option<LitStr>,
    pub icon: Option<LitStr>,
    pub task: Option<TaskSupport>,
    pub task_start: Option<(TaskStart, LitStr)>,
}

/// Whether `attr` is `#[tool(...)]`, also written as a path such as `#[mcp_runtime::tool(...)]`.
pub(crate) fn is_tool_attr(attr: &Attribute) -> bool {
    attr.path()
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "tool")
}

/// The argument of a `#[tool]` that `#[mcp_server]` or `#[mcp_tools]` has read.
pub(crate) const EXPANDED: &str = "__mcp_expanded";

/// Replaces the arguments of every `#[tool(...)]` (and `#[resource]`, `#[resource_template]`,
/// `#[prompt]`) in `attrs` with the [`EXPANDED`] marker.
///
/// The attribute stays, rather than being removed, so that the user's `use ...::tool` is used
/// (no unused-import warning); the `tool` macro passes marked items through unchanged.
pub(crate) fn mark_expanded(attrs: &mut [Attribute]) {
    let marker = syn::Ident::new(EXPANDED, proc_macro2::Span::call_site());
    let read = |attr: &Attribute| is_tool_attr(attr) || super::offer_kind(attr).is_some();
    for attr in attrs.iter_mut().filter(|attr| read(attr)) {
        let path = attr.path().clone();
        attr.meta = syn::parse_quote!(#path(#marker));
    }
}

impl ToolArgs {
    /// Parses one `#[tool(...)]` attribute; every problem goes to `acc`.
    pub(crate) fn parse(attr: &Attribute, acc: &mut Accumulator) -> Self {
        use syn::spanned::Spanned;
        // `None` when the arguments could not be read: that error is the only one.
        let items = match &attr.meta {
            syn::Meta::Path(_) => Some(Vec::new()),
            syn::Meta::List(list) => match NestedMeta::parse_meta_list(list.tokens.clone()) {
                Ok(items) => Some(items),
                Err(error) => {
                    acc.push(error.into());
                    None
                }
            },
            syn::Meta::NameValue(nv) => {
                acc.push(
                    darling::Error::custom("expected `#[tool(stake = \"...\", ...)]`")
                        .with_span(&nv.eq_token),
                );
                None
            }
        };
        let unreadable = items.is_none();
        let items = items.unwrap_or_default();
        let mut keys = Keys::new(ATTR, KEYS, items, acc);
        let approval_args = keys.list("approval_args").map(|(items, span)| {
            let idents = items
                .into_iter()
                .filter_map(|item| match item {
                    NestedMeta::Meta(syn::Meta::Path(path)) if path.get_ident().is_some() => {
                        path.get_ident().cloned()
                    }
                    other => {
                        keys.acc().push(
                            darling::Error::custom(
                                "expected a field name of the arguments type in `approval_args(..)`",
                            )
                            .with_span(&other),
                        );
                        None
                    }
                })
                .collect();
            (idents, span)
        });
        ToolArgs {
            span: attr.path().span(),
            stake_given: unreadable || keys.contains("stake"),
            description_given: unreadable || keys.contains("description"),
            stake: keys.choice("stake", STAKES),
            name: keys.string("name"),
            description: keys.string("description"),
            title: keys.string("title"),
            running: keys.string("running"),
            done: keys.string("done"),
            approval_args,
            retry: keys
                .choice(
                    "retry",
                    &[
                        ("never", Retry::Never),
                        ("on_interrupt", Retry::OnInterrupt),
                    ],
                )
                .map(|(retry, _)| retry),
            read_only: keys.flag("read_only"),
            destructive: keys.flag("destructive"),
            idempotent: keys.flag("idempotent"),
            open_world: keys.flag("open_world"),
            cost: keys
                .choice(
                    "cost",
                    &[("basic", Cost::Basic), ("advanced", Cost::Advanced)],
                )
                .map(|(cost, _)| cost),
            eager: keys.flag("eager").is_some_and(|(eager, _)| eager),
            toolset: keys.string("toolset"),
            icon: keys.string("icon"),
            task: keys
                .choice(
                    "task",
                    &[
                        ("forbidden", TaskSupport::Forbidden),
                        ("optional", TaskSupport::Optional),
                        ("required", TaskSupport::Required),
                    ],
                )
                .map(|(task, _)| task),
            task_start: keys.choice(
                "task_start",
                &[("call", TaskStart::Call), ("handler", TaskStart::Handler)],
            ),
            full_schema: keys.flag("full_schema").is_some_and(|(full, _)| full),
        }
    }
}
