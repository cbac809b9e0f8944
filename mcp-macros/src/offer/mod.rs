//! Resources, resource templates and prompts: methods of the server's `#[mcp_server]` block
//! marked `#[resource(uri = "..")]`, `#[resource_template(uri = "..")]` or `#[prompt]`.
//!
//! The shape is `async fn name(&self, ctx: &ToolContext, a: String, b: Option<String>) -> R`:
//! the context is optional; a template's parameters are its variables, a prompt's its arguments
//! (documented by their doc comments; an `Option` is optional). Checked here: the attribute's
//! keys, the URI template, that variables and parameters agree, that every prompt argument is
//! documented, that `complete(..)` names arguments, and no URI or prompt name twice.

mod codegen;

use std::collections::HashMap;

use darling::Error;
use darling::error::Accumulator;
use proc_macro2::Span;
use syn::{Attribute, FnArg, Ident, Pat, Signature, Type};

use crate::attr::{OfferArgs, OfferKind, offer_kind};
use crate::model::doc_comment;

pub(crate) use codegen::{dispatch_methods, docs, metadata};

/// One parameter after the context: a template variable or a prompt argument.
#[derive(Debug)]
pub(crate) struct Param<'a> {
    pub ident: &'a Ident,
    pub name: String,
    pub description: Option<String>,
    /// Not an `Option<..>`.
    pub required: bool,
}

/// A method offering a resource, a resource template or a prompt.
#[derive(Debug)]
pub(crate) struct Offer<'a> {
    pub kind: OfferKind,
    pub method: &'a Ident,
    pub name: String,
    pub title: Option<String>,
    pub description: String,
    pub mime_type: Option<String>,
    pub icon: Option<String>,
    /// The URI (a resource) or URI template, with its literal's span.
    pub uri: Option<(String, Span)>,
    pub has_ctx: bool,
    pub params: Vec<Param<'a>>,
    /// `(argument, completing method)`.
    pub completions: Vec<(String, Ident)>,
    pub cfgs: Vec<&'a Attribute>,
}

/// Whether `attrs` hold an offer attribute.
pub(crate) fn is_offer(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| offer_kind(attr).is_some())
}

/// The offer `attrs` declare on `sig`, if they hold an offer attribute (`Some(None)` when it is
/// wrong; the errors are in `acc`).
pub(crate) fn from_fn<'a>(
    attrs: &'a [Attribute],
    sig: &'a Signature,
    acc: &mut Accumulator,
) -> Option<Option<Offer<'a>>> {
    let mut offers = attrs
        .iter()
        .filter_map(|attr| Some((offer_kind(attr)?, attr)));
    let (kind, attr) = offers.next()?;
    if let Some((_, repeated)) = offers.next() {
        acc.push(
            Error::custom("a method offers one thing; split it into two methods")
                .with_span(repeated.path()),
        );
    }
    if attrs.iter().any(crate::attr::is_tool_attr) {
        acc.push(
            Error::custom(format!(
                "a method is a tool or `{}`, not both; split it into two methods",
                kind.attr()
            ))
            .with_span(attr.path()),
        );
    }
    let args = OfferArgs::parse(kind, attr, acc);
    Some(Offer::new(args, attrs, sig, acc))
}

impl<'a> Offer<'a> {
    fn new(
        args: OfferArgs,
        attrs: &'a [Attribute],
        sig: &'a Signature,
        acc: &mut Accumulator,
    ) -> Option<Self> {
        let kind = args.kind;
        let method = &sig.ident;
        let name = args
            .name
            .as_ref()
            .map_or_else(|| method.to_string(), |lit| lit.value());
        let what = match kind {
            OfferKind::Resource => "resource",
            OfferKind::Template => "resource template",
            OfferKind::Prompt => "prompt",
        };
        let description = args
            .description
            .as_ref()
            .map(|lit| lit.value())
            .or_else(|| doc_comment(attrs));
        if description.is_none() {
            acc.push(
                Error::custom(format!(
                    "missing description for {what} `{name}`; add a `///` doc comment or `description = \"...\"`"
                ))
                .with_span(method),
            );
        }
        if sig.asyncness.is_none() {
            acc.push(
                Error::custom(format!(
                    "`{}` methods must be `async fn`; add `async` before `fn`",
                    kind.attr()
                ))
                .with_span(&sig.fn_token),
            );
        }
        let (has_ctx, params) = parameters(kind, sig, acc)?;
        let uri = match (kind, &args.uri) {
            (OfferKind::Prompt, _) => None,
            (_, Some(lit)) => Some((lit.value(), lit.span())),
            (_, None) => {
                acc.push(error_at(
                    args.span,
                    format!(
                        "missing `uri` in `{}`; add `uri = \"scheme://...\"`",
                        kind.attr()
                    ),
                ));
                None
            }
        };
        if let Some((uri, span)) = &uri {
            check_uri(kind, uri, *span, &params, acc);
        }
        if kind == OfferKind::Prompt {
            for param in params.iter().filter(|param| param.description.is_none()) {
                acc.push(
                    Error::custom(format!(
                        "argument `{}` of prompt `{name}` has no description; add a `///` doc comment to the parameter, clients show it to their users",
                        param.name
                    ))
                    .with_span(param.ident),
                );
            }
        }
        let names: Vec<&str> = params.iter().map(|param| param.name.as_str()).collect();
        let mut completions: Vec<(String, Ident)> = Vec::new();
        for (argument, completer) in &args.complete {
            if names.contains(&argument.to_string().as_str()) {
                completions.push((argument.to_string(), completer.clone()));
            } else {
                let fix = if names.is_empty() {
                    format!("`{name}` has no arguments to complete")
                } else {
                    format!("complete {}", crate::attr::one_of(&names))
                };
                acc.push(
                    Error::custom(format!(
                        "`{argument}` is not an argument of `{name}`; {fix}"
                    ))
                    .with_span(argument),
                );
            }
        }
        Some(Offer {
            kind,
            method,
            name,
            title: args.title.as_ref().map(|lit| lit.value()),
            description: description?,
            mime_type: args.mime_type.as_ref().map(|lit| lit.value()),
            icon: args.icon.as_ref().map(|lit| lit.value()),
            uri,
            has_ctx,
            params,
            completions,
            cfgs: attrs
                .iter()
                .filter(|attr| attr.path().is_ident("cfg"))
                .collect(),
        })
    }
}

/// The context (whether there is one) and the parameters after it.
fn parameters<'a>(
    kind: OfferKind,
    sig: &'a Signature,
    acc: &mut Accumulator,
) -> Option<(bool, Vec<Param<'a>>)> {
    let mut inputs = sig.inputs.iter();
    if !matches!(inputs.next(), Some(FnArg::Receiver(receiver)) if receiver.mutability.is_none() && matches!(receiver.kind, syn::ReceiverKind::Reference(_, _, None)))
    {
        acc.push(
            Error::custom(format!(
                "`{}` methods take `&self` first: `async fn {}(&self, ctx: &ToolContext, ..)`",
                kind.attr(),
                sig.ident
            ))
            .with_span(&sig.ident),
        );
        return None;
    }
    let mut has_ctx = false;
    let mut params = Vec::new();
    for (index, input) in inputs.enumerate() {
        let FnArg::Typed(typed) = input else {
            continue;
        };
        if index == 0 && matches!(&*typed.ty, Type::Reference(_)) {
            has_ctx = true;
            continue;
        }
        let Pat::Ident(pat) = &*typed.pat else {
            acc.push(
                Error::custom(format!(
                    "the parameters of `{}` methods are names, such as `id: String`",
                    kind.attr()
                ))
                .with_span(&typed.pat),
            );
            continue;
        };
        params.push(Param {
            ident: &pat.ident,
            name: pat.ident.to_string().trim_start_matches("r#").to_owned(),
            description: doc_comment(&typed.attrs),
            required: !is_option(&typed.ty),
        });
    }
    if kind == OfferKind::Resource
        && let Some(param) = params.first()
    {
        acc.push(
            Error::custom(format!(
                "a `#[resource]` has one URI and takes nothing but the context; for URIs with variables such as `{}`, use `#[resource_template(uri = \"..{{{}}}..\")]`",
                param.name, param.name
            ))
            .with_span(param.ident),
        );
    }
    Some((has_ctx, params))
}

/// Whether `ty` is written `Option<..>`.
fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|segment| segment.ident == "Option"))
}

/// The URI of a resource has no variables; a template's variables are its parameters.
fn check_uri(kind: OfferKind, uri: &str, span: Span, params: &[Param<'_>], acc: &mut Accumulator) {
    if !uri.contains("://") && !uri.contains(':') {
        acc.push(error_at(span, format!("`{uri}` is not a URI; write it with its scheme, such as `file:///..` or `sqlite://..`")));
        return;
    }
    let variables = match template_variables(uri) {
        Ok(variables) => variables,
        Err(why) => {
            acc.push(error_at(
                span,
                format!("`{uri}` is not a URI template this crate reads: {why}"),
            ));
            return;
        }
    };
    match kind {
        OfferKind::Resource if !variables.is_empty() => acc.push(error_at(
            span,
            format!("`{uri}` has variables; use `#[resource_template]` for URIs with variables"),
        )),
        OfferKind::Template => {
            if variables.is_empty() {
                acc.push(error_at(
                    span,
                    format!("`{uri}` has no variables; use `#[resource]` for one URI"),
                ));
            }
            let unused: Vec<&&str> = variables
                .iter()
                .filter(|variable| !params.iter().any(|param| param.name == **variable))
                .collect();
            let strays: Vec<&Param<'_>> = params
                .iter()
                .filter(|param| !variables.contains(&param.name.as_str()))
                .collect();
            // One variable and one parameter that do not meet: one misspelling.
            if let ([variable], [param]) = (unused.as_slice(), strays.as_slice()) {
                acc.push(
                    Error::custom(format!(
                        "`{}` is not a variable of `{uri}`; rename the parameter `{variable}`",
                        param.name
                    ))
                    .with_span(param.ident),
                );
            } else {
                for variable in unused {
                    acc.push(error_at(
                        span,
                        format!("`{{{variable}}}` is not a parameter of the method; add `{variable}: String`"),
                    ));
                }
                for param in strays {
                    acc.push(
                        Error::custom(format!(
                            "`{}` is not a variable of `{uri}`; add `{{{}}}` to the URI or remove the parameter",
                            param.name, param.name
                        ))
                        .with_span(param.ident),
                    );
                }
            }
            for param in params.iter().filter(|param| !param.required) {
                acc.push(
                    Error::custom(format!(
                        "`{}` is always in the URI; make it a `String`",
                        param.name
                    ))
                    .with_span(param.ident),
                );
            }
        }
        _ => {}
    }
}

fn error_at(span: Span, message: String) -> Error {
    crate::diag::error_at(span, message)
}

/// The variable names of `template` in order (`{name}`, or `{+name}` spanning `/`), or why it is
/// not one the runtime matches (`mcp_runtime::content::match_template`, with the same rules).
pub(crate) fn template_variables(template: &str) -> Result<Vec<&str>, String> {
    let mut names = Vec::new();
    let mut rest = template;
    let mut after_variable = false;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err("a `}` closes nothing".to_owned());
        }
        if open == 0 && after_variable {
            return Err("two variables follow each other; put a literal between them".to_owned());
        }
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| "a `{` is not closed".to_owned())?
            + open;
        let expression = &rest[open + 1..close];
        let name = expression.strip_prefix('+').unwrap_or(expression);
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!(
                "`{{{expression}}}` is not supported; use `{{name}}`, or `{{+name}}` for a value spanning `/`"
            ));
        }
        names.push(name);
        rest = &rest[close + 1..];
        after_variable = true;
    }
    if rest.contains('}') {
        return Err("a `}` closes nothing".to_owned());
    }
    Ok(names)
}

/// Offers are unique: one URI, one prompt name (the later one is reported).
pub(crate) fn check_unique(offers: &[Offer<'_>], acc: &mut Accumulator) {
    let mut uris: HashMap<&str, &Ident> = HashMap::new();
    let mut prompts: HashMap<&str, &Ident> = HashMap::new();
    for offer in offers {
        match (&offer.uri, offer.kind) {
            (_, OfferKind::Prompt) => {
                if let Some(first) = prompts.insert(&offer.name, offer.method) {
                    acc.push(
                        Error::custom(format!(
                            "duplicate prompt name `{}`: method `{first}` has it already; rename one with `name = \"..\"`",
                            offer.name
                        ))
                        .with_span(offer.method),
                    );
                }
            }
            (Some((uri, span)), _) => {
                if let Some(first) = uris.insert(uri, offer.method) {
                    acc.push(error_at(
                        *span,
                        format!("duplicate resource URI `{uri}`: method `{first}` offers it already; each URI is read by one method"),
                    ));
                }
            }
            (None, _) => {}
        }
    }
}

/// Parameter doc comments are read here and are not valid Rust after: removed from the emitted
/// impl block.
pub(crate) fn strip_param_docs(item: &mut syn::ItemImpl) {
    for impl_item in &mut item.items {
        if let syn::ImplItem::Fn(method) = impl_item
            && is_offer(&method.attrs)
        {
            for input in &mut method.sig.inputs {
                if let FnArg::Typed(typed) = input {
                    typed.attrs.retain(|attr| !attr.path().is_ident("doc"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::template_variables;

    #[test]
    fn templates_are_read_as_the_runtime_matches_them() {
        assert_eq!(template_variables("a://{x}/b/{+y}"), Ok(vec!["x", "y"]));
        assert_eq!(template_variables("a://b"), Ok(vec![]));
        for bad in ["a://{x", "a://x}", "a://{?x}", "a://{x}{y}", "a://{}"] {
            assert!(template_variables(bad).is_err(), "{bad}");
        }
    }
}
