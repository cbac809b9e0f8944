//! The validated model of a server and its tools, borrowing the user's syntax for spans.

use darling::Error;
use darling::error::Accumulator;
use proc_macro2::Span;
use syn::{
    Attribute, Expr, Ident, ImplItem, ItemImpl, Lit, LitInt, LitStr, Meta, Path, Signature, Type,
};

use crate::attr::{
    Availability, Cost, Retry, ServerArgs, Stake, TaskStart, TaskSupport, ToolArgs, UseCase,
    is_tool_attr,
};
use crate::diag::error_at;
use crate::names;
use crate::offer::Offer;
use crate::signature::{self, ToolSignature};

/// One tool: a method with `#[tool(...)]`, its arguments and its signature.
#[derive(Debug)]
pub(crate) struct Tool<'a> {
    pub method: &'a Ident,
    /// The method's attributes and signature, as written.
    pub attrs: &'a [Attribute],
    pub signature: &'a Signature,
    /// Whether the generated docs may link the arguments type: not when the tool comes from a
    /// part in another module, where the type's name does not resolve.
    pub linked: bool,
    pub name: String,
    /// The `name = ".."` literal, or the method's identifier.
    pub name_span: Span,
    pub variant: Ident,
    pub description: String,
    pub stake: Stake,
    pub stake_span: Span,
    pub title: Option<String>,
    pub running: Option<String>,
    pub done: Option<String>,
    pub approval_args: Vec<Ident>,
    pub retry: Retry,
    pub cost: Cost,
    pub eager: bool,
    /// The arguments' schema as schemars writes it, not the client-safe profile.
    pub full_schema: bool,
    /// The toolset, when not the server's.
    pub toolset: Option<String>,
    pub icon: Option<String>,
    pub task: TaskSupport,
    pub task_start: TaskStart,
    /// The `task_start = ".."` literal, when written.
    pub task_start_span: Option<Span>,
    pub read_only: Option<(bool, Span)>,
    pub destructive: Option<bool>,
    pub idempotent: Option<bool>,
    pub open_world: Option<bool>,
    pub approval_args_span: Option<Span>,
    pub sig: ToolSignature<'a>,
    pub cfgs: Vec<&'a Attribute>,
}

impl<'a> Tool<'a> {
    /// The tool declared by `attrs` on `sig`, if `attrs` has a `#[tool]`.
    pub(crate) fn from_fn(
        attrs: &'a [Attribute],
        sig: &'a Signature,
        acc: &mut Accumulator,
    ) -> Option<Option<Tool<'a>>> {
        let mut tool_attrs = attrs.iter().filter(|attr| is_tool_attr(attr));
        let attr = tool_attrs.next()?;
        let mut split = false;
        for repeated in tool_attrs {
            split = true;
            acc.push(
                Error::custom("duplicate `#[tool]` attribute; merge the keys into one")
                    .with_span(repeated.path()),
            );
        }
        let args = ToolArgs::parse(attr, acc);
        let signature = signature::analyze(sig, acc);

        let method = &sig.ident;
        let (name, name_span) = match &args.name {
            Some(lit) => (lit.value(), lit.span()),
            None => (
                method.to_string().trim_start_matches("r#").to_owned(),
                method.span(),
            ),
        };
        let description = match &args.description {
            Some(lit) if lit.value().trim().is_empty() => {
                acc.push(
                    Error::custom(format!(
                        "the description of tool `{name}` is empty; say what the tool does, the model reads it to choose tools"
                    ))
                    .with_span(lit),
                );
                None
            }
            Some(lit) => Some(lit.value()),
            None => doc_comment(attrs),
        };
        // Keys split over two `#[tool]`s are one mistake, already reported.
        if description.is_none() && !args.description_given && !split {
            acc.push(
                Error::custom(format!(
                    "missing description for tool `{name}`; add a `///` doc comment or `description = \"...\"`"
                ))
                .with_span(method),
            );
        }
        if !args.stake_given && !split {
            acc.push(error_at(
                args.span,
                "missing `stake` in `#[tool]`; add `stake = \"never_ask\"`, `\"low\"`, `\"medium\"` or `\"high\"`",
            ));
        }
        let (stake, stake_lit) = args.stake.clone()?;
        let description = description?;
        let signature = signature?;
        Some(Some(Tool {
            method,
            attrs,
            signature: sig,
            linked: true,
            variant: Ident::new(&names::camel_case(&method.to_string()), method.span()),
            name,
            name_span,
            description,
            stake,
            stake_span: stake_lit.span(),
            title: args.title.as_ref().map(LitStr::value),
            running: args.running.as_ref().map(LitStr::value),
            done: args.done.as_ref().map(LitStr::value),
            approval_args_span: args.approval_args.as_ref().map(|(_, span)| *span),
            approval_args: args
                .approval_args
                .map(|(idents, _)| idents)
                .unwrap_or_default(),
            // Reads may run again after an interruption; anything that asks first never does.
            retry: args.retry.unwrap_or(match stake {
                Stake::NeverAsk => Retry::OnInterrupt,
                Stake::Low | Stake::Medium | Stake::High => Retry::Never,
            }),
            cost: args.cost.unwrap_or(Cost::Basic),
            eager: args.eager,
            full_schema: args.full_schema,
            toolset: args.toolset.as_ref().map(LitStr::value),
            icon: args.icon.as_ref().map(LitStr::value),
            task: args.task.unwrap_or(TaskSupport::Forbidden),
            task_start: args
                .task_start
                .as_ref()
                .map_or(TaskStart::Call, |(start, _)| *start),
            task_start_span: args.task_start.as_ref().map(|(_, lit)| lit.span()),
            read_only: args.read_only,
            destructive: args.destructive.map(|(value, _)| value),
            idempotent: args.idempotent.map(|(value, _)| value),
            open_world: args.open_world.map(|(value, _)| value),
            sig: signature,
            cfgs: attrs
                .iter()
                .filter(|attr| attr.path().is_ident("cfg"))
                .collect(),
        }))
    }
}

/// `authorization(..)` with its values.
#[derive(Debug)]
pub(crate) struct Authorization {
    pub provider: String,
    pub use_cases: Vec<UseCase>,
}

/// A server: the impl block, its `#[mcp_server(...)]` arguments with defaults applied, its tools.
#[derive(Debug)]
pub(crate) struct Server<'a> {
    pub item: &'a ItemImpl,
    pub self_ident: &'a Ident,
    /// `impl ThatTrait for Type`: tools come from `#[mcp_tools] trait ThatTrait`.
    pub trait_path: Option<&'a Path>,
    pub id: u32,
    pub id_lit: LitInt,
    pub name: String,
    pub name_span: Span,
    pub version: Option<String>,
    pub description: String,
    pub availability: Availability,
    pub authorization: Option<Authorization>,
    pub icon: Option<String>,
    pub title: Option<String>,
    pub documentation_url: Option<String>,
    pub instructions: Option<String>,
    pub allow_multiple_instances: bool,
    pub preview: bool,
    pub restricted: Option<Path>,
    pub timeout_ms: u64,
    /// The field holding the server's `ResourceChanges`, when it announces changes.
    pub changes: Option<Ident>,
    /// Modules whose `#[mcp_tools] impl` blocks add tools to this server.
    pub parts: Vec<Path>,
    /// The `#[mcp_server(..)]` arguments as written, handed on to the parts' expansions.
    pub attr_args: proc_macro2::TokenStream,
    pub tools: Vec<Tool<'a>>,
    /// Resources, resource templates and prompts, from the server's own block.
    pub offers: Vec<Offer<'a>>,
}

impl<'a> Server<'a> {
    /// The model of `item` under `args`; `None` when anything is wrong (all of it is in `acc`).
    pub(crate) fn from_syn(
        item: &'a ItemImpl,
        args: ServerArgs,
        attr_args: proc_macro2::TokenStream,
        acc: &mut Accumulator,
    ) -> Option<Self> {
        let self_ident = self_ident(item, acc);
        if !item.generics.params.is_empty() {
            acc.push(
                Error::custom("`#[mcp_server]` does not support generic impl blocks; implement it for a concrete type")
                    .with_span(&item.generics.params),
            );
        }
        let trait_path = item.trait_.as_ref().map(|(path, _)| path);

        let mut tools = Vec::new();
        let mut offers = Vec::new();
        for impl_item in &item.items {
            match impl_item {
                ImplItem::Fn(method) if crate::offer::is_offer(&method.attrs) => {
                    if trait_path.is_some() {
                        reject_offer(&method.attrs, acc);
                    } else if let Some(offer) =
                        crate::offer::from_fn(&method.attrs, &method.sig, acc)
                    {
                        offers.extend(offer);
                    }
                }
                ImplItem::Fn(method) if trait_path.is_some() => {
                    if let Some(attr) = method.attrs.iter().find(|attr| is_tool_attr(attr)) {
                        acc.push(
                            Error::custom("`#[tool]` goes on the method's declaration in the `#[mcp_tools]` trait, not on its implementation")
                                .with_span(attr.path()),
                        );
                    }
                }
                ImplItem::Fn(method) => {
                    if let Some(tool) = Tool::from_fn(&method.attrs, &method.sig, acc) {
                        tools.extend(tool);
                    }
                }
                ImplItem::Const(item) => reject_tool_attr(&item.attrs, acc),
                ImplItem::Type(item) => reject_tool_attr(&item.attrs, acc),
                ImplItem::Macro(item) => reject_tool_attr(&item.attrs, acc),
                _ => {}
            }
        }

        let missing = |key: &str, fix: &str| {
            error_at(
                Span::call_site(),
                format!("missing `{key}` in `#[mcp_server]`; add {fix}"),
            )
        };
        let given = |key: &str| args.given.contains(&key);
        if !given("id") {
            acc.push(missing(
                "id",
                "`id = <number>`, stable forever and unique in the registry",
            ));
        }
        if !given("availability") {
            acc.push(missing(
                "availability",
                "`availability = \"manual\"`, `\"auto\"` or `\"auto_hidden_builder\"`",
            ));
        }
        let description = match &args.description {
            Some(lit) if lit.value().trim().is_empty() => {
                acc.push(
                    Error::custom("the server's description is empty; say what the server is for")
                        .with_span(lit),
                );
                None
            }
            Some(lit) => Some(lit.value()),
            None => doc_comment(&item.attrs),
        };
        if description.is_none() && !given("description") {
            acc.push(missing(
                "description",
                "a `///` doc comment on the impl block or `description = \"...\"`",
            ));
        }
        crate::offer::check_unique(&offers, acc);
        if trait_path.is_none()
            && args.parts.is_empty()
            && tools.is_empty()
            && offers.is_empty()
            && item
                .items
                .iter()
                .all(|i| !has_tool_attr(i) && !has_offer_attr(i))
        {
            acc.push(
                Error::custom("this `#[mcp_server]` impl block has no tools; mark handler methods with `#[tool(stake = \"...\")]`")
                    .with_span(&item.self_ty),
            );
        }

        let self_ident = self_ident?;
        let (name, name_span) = match &args.name {
            Some(lit) => (lit.value(), lit.span()),
            None => (
                names::snake_case(&self_ident.to_string()),
                self_ident.span(),
            ),
        };
        if let (Some((trait_path, _)), Some(part)) = (&item.trait_, args.parts.first()) {
            acc.push(
                Error::custom(format!(
                    "`parts(..)` adds tools to an inherent `#[mcp_server]` impl; the tools of `{}` are all in its `#[mcp_tools]` trait",
                    quote::quote!(#trait_path).to_string().replace(' ', "")
                ))
                .with_span(part),
            );
        }
        let (id, id_lit) = args.id?;
        Some(Server {
            item,
            self_ident,
            trait_path,
            id,
            id_lit,
            name,
            name_span,
            version: args.version.as_ref().map(LitStr::value),
            description: description?,
            availability: args.availability?,
            authorization: args.authorization.map(|auth| Authorization {
                provider: auth.provider.value(),
                use_cases: auth.use_cases,
            }),
            icon: args.icon.as_ref().map(LitStr::value),
            title: args.title.as_ref().map(LitStr::value),
            documentation_url: args.documentation_url.as_ref().map(LitStr::value),
            instructions: args.instructions.as_ref().map(LitStr::value),
            allow_multiple_instances: args.allow_multiple_instances,
            preview: args.preview,
            restricted: args.restricted,
            timeout_ms: args.timeout_ms.map_or(180_000, |(ms, _)| ms),
            changes: args.changes,
            parts: args.parts,
            attr_args,
            tools,
            offers,
        })
    }
}

fn has_tool_attr(item: &ImplItem) -> bool {
    matches!(item, ImplItem::Fn(method) if method.attrs.iter().any(is_tool_attr))
}

fn has_offer_attr(item: &ImplItem) -> bool {
    matches!(item, ImplItem::Fn(method) if crate::offer::is_offer(&method.attrs))
}

/// Resources and prompts are the server's own: not in a part, a trait or its implementation.
pub(crate) fn reject_offer(attrs: &[Attribute], acc: &mut Accumulator) {
    if let Some((kind, attr)) = attrs
        .iter()
        .find_map(|attr| Some((crate::attr::offer_kind(attr)?, attr)))
    {
        acc.push(
            Error::custom(format!(
                "`{}` goes in the server's own `#[mcp_server]` impl block",
                kind.attr()
            ))
            .with_span(attr.path()),
        );
    }
}

fn reject_tool_attr(attrs: &[Attribute], acc: &mut Accumulator) {
    if let Some(attr) = attrs.iter().find(|attr| is_tool_attr(attr)) {
        acc.push(Error::custom("`#[tool]` applies to methods only").with_span(attr.path()));
    }
}

/// The identifier of the impl's self type (`Jira` in `impl Jira`).
pub(crate) fn self_ident<'a>(item: &'a ItemImpl, acc: &mut Accumulator) -> Option<&'a Ident> {
    if let Type::Path(path) = &*item.self_ty
        && path.qself.is_none()
        && let Some(segment) = path.path.segments.last()
    {
        return Some(&segment.ident);
    }
    acc.push(
        Error::custom(
            "`#[mcp_server]` applies to an impl block of a named type, such as `impl Jira`",
        )
        .with_span(&item.self_ty),
    );
    None
}

/// The `///` lines of `attrs`, joined, without the space rustdoc strips; `None` if empty.
pub(crate) fn doc_comment(attrs: &[Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .filter_map(|attr| match &attr.meta {
            Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(lit) => match &lit.lit {
                    Lit::Str(text) => Some(text.value()),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        })
        .map(|line| {
            line.strip_prefix(' ')
                .unwrap_or(&line)
                .trim_end()
                .to_owned()
        })
        .collect();
    let text = unwrap_paragraphs(&lines).trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// Markdown as a model reads it best: each paragraph on one line, paragraphs apart. Lines that
/// start a block of their own (list items, headings, tables, quotes, code) keep their breaks,
/// and code blocks stay as written.
fn unwrap_paragraphs(lines: &[String]) -> String {
    let mut text = String::new();
    let mut in_fence = false;
    let mut previous: Option<&str> = None;
    for line in lines {
        let trimmed = line.trim_start();
        let fence = trimmed.starts_with("```") || trimmed.starts_with("~~~");
        let joins = !in_fence
            && !fence
            && !starts_block(line)
            && previous.is_some_and(|previous| {
                !previous.trim().is_empty()
                    && !previous.trim_start().starts_with('#')
                    && !previous.trim_start().starts_with('|')
                    && !previous.trim_start().starts_with("```")
                    && !previous.trim_start().starts_with("~~~")
                    && !previous.starts_with("    ")
            });
        match previous {
            None => {}
            Some(_) if joins && !line.trim().is_empty() => text.push(' '),
            Some(_) => text.push('\n'),
        }
        text.push_str(if joins { trimmed } else { line });
        if fence {
            in_fence = !in_fence;
        }
        previous = Some(line);
    }
    text
}

/// Whether `line` starts a markdown block that must begin on a line of its own.
fn starts_block(line: &str) -> bool {
    let trimmed = line.trim_start();
    let ordered = trimmed
        .split_once(['.', ')'])
        .is_some_and(|(number, rest)| {
            !number.is_empty()
                && number.chars().all(|c| c.is_ascii_digit())
                && rest.starts_with(' ')
        });
    line.trim().is_empty()
        || line.starts_with("    ")
        || ordered
        || ["- ", "* ", "+ ", "#", "|", ">"]
            .iter()
            .any(|marker| trimmed.starts_with(marker))
}

#[cfg(test)]
mod tests {
    use super::unwrap_paragraphs;

    fn unwrap(text: &str) -> String {
        let lines: Vec<String> = text.lines().map(str::to_owned).collect();
        unwrap_paragraphs(&lines)
    }

    #[test]
    fn paragraphs_are_unwrapped_and_blocks_kept() {
        assert_eq!(
            unwrap("Update an issue. Fields left out are\nnot changed.\n\nSecond\nparagraph."),
            "Update an issue. Fields left out are not changed.\n\nSecond paragraph."
        );
        assert_eq!(
            unwrap("Filters:\n- `state`: open or\n  closed\n- `labels`\n\n1. one\n2. two"),
            "Filters:\n- `state`: open or closed\n- `labels`\n\n1. one\n2. two"
        );
        assert_eq!(
            unwrap("Example:\n```json\n{\"a\": 1,\n \"b\": 2}\n```\nAfter."),
            "Example:\n```json\n{\"a\": 1,\n \"b\": 2}\n```\nAfter."
        );
        assert_eq!(
            unwrap("# Heading\nText\n| a | b |\n|---|---|"),
            "# Heading\nText\n| a | b |\n|---|---|"
        );
    }
}
