//! `#[resource(...)]`, `#[resource_template(...)]` and `#[prompt(...)]`.

use darling::ast::NestedMeta;
use darling::error::Accumulator;
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Ident, LitStr, Meta};

use super::keys::Keys;

/// What a method offers besides a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OfferKind {
    Resource,
    Template,
    Prompt,
}

impl OfferKind {
    /// The attribute, as messages name it.
    pub(crate) fn attr(self) -> &'static str {
        match self {
            OfferKind::Resource => "#[resource]",
            OfferKind::Template => "#[resource_template]",
            OfferKind::Prompt => "#[prompt]",
        }
    }

    fn keys(self) -> &'static [&'static str] {
        match self {
            OfferKind::Resource => &["uri", "name", "title", "description", "mime_type", "icon"],
            OfferKind::Template => &[
                "uri",
                "name",
                "title",
                "description",
                "mime_type",
                "complete",
                "icon",
            ],
            OfferKind::Prompt => &["name", "title", "description", "complete", "icon"],
        }
    }
}

/// The offer `attr` declares, if it is one of the offer attributes (also written as a path).
pub(crate) fn offer_kind(attr: &Attribute) -> Option<OfferKind> {
    let last = attr.path().segments.last()?;
    if last.ident == "resource" {
        Some(OfferKind::Resource)
    } else if last.ident == "resource_template" {
        Some(OfferKind::Template)
    } else if last.ident == "prompt" {
        Some(OfferKind::Prompt)
    } else {
        None
    }
}

/// The arguments of one offer attribute, each as written.
#[derive(Debug)]
pub(crate) struct OfferArgs {
    pub kind: OfferKind,
    /// The attribute's path, for errors about what it lacks.
    pub span: Span,
    pub uri: Option<LitStr>,
    pub name: Option<LitStr>,
    pub title: Option<LitStr>,
    pub description: Option<LitStr>,
    pub mime_type: Option<LitStr>,
    pub icon: Option<LitStr>,
    /// `complete(argument = method, ..)`.
    pub complete: Vec<(Ident, Ident)>,
}

impl OfferArgs {
    /// Parses one offer attribute; every problem goes to `acc`.
    pub(crate) fn parse(kind: OfferKind, attr: &Attribute, acc: &mut Accumulator) -> Self {
        let items = match &attr.meta {
            Meta::Path(_) => Vec::new(),
            Meta::List(list) => {
                NestedMeta::parse_meta_list(list.tokens.clone()).unwrap_or_else(|error| {
                    acc.push(error.into());
                    Vec::new()
                })
            }
            Meta::NameValue(nv) => {
                acc.push(
                    darling::Error::custom(format!("expected `{}(key = \"...\")`", kind.attr()))
                        .with_span(&nv.eq_token),
                );
                Vec::new()
            }
        };
        let mut keys = Keys::new(kind.attr(), kind.keys(), items, acc);
        let complete = keys
            .list("complete")
            .map(|(items, _)| completions(kind, items, keys.acc()))
            .unwrap_or_default();
        OfferArgs {
            kind,
            span: attr.path().span(),
            uri: keys.string("uri"),
            name: keys.string("name"),
            title: keys.string("title"),
            description: keys.string("description"),
            mime_type: keys.string("mime_type"),
            icon: keys.string("icon"),
            complete,
        }
    }
}

/// The `argument = method` pairs of `complete(..)`.
fn completions(
    kind: OfferKind,
    items: Vec<NestedMeta>,
    acc: &mut Accumulator,
) -> Vec<(Ident, Ident)> {
    let mut pairs = Vec::new();
    for item in items {
        let pair = match &item {
            NestedMeta::Meta(Meta::NameValue(nv)) => match (&nv.path.get_ident(), &nv.value) {
                (Some(argument), Expr::Path(method)) => method
                    .path
                    .get_ident()
                    .map(|method| ((*argument).clone(), method.clone())),
                _ => None,
            },
            _ => None,
        };
        match pair {
            Some(pair) => pairs.push(pair),
            None => acc.push(
                darling::Error::custom(format!(
                    "expected `argument = method` in `complete(..)` of `{}`, naming a method of \
                     this impl block that completes the argument",
                    kind.attr()
                ))
                .with_span(&item),
            ),
        }
    }
    pairs
}
