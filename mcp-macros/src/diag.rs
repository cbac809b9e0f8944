//! Building errors at a span.

use std::fmt::Display;

use proc_macro2::Span;

/// An error at `span` (for spans that are not a syntax node, such as a group's delimiter).
pub(crate) fn error_at(span: Span, message: impl Display) -> darling::Error {
    syn::Error::new(span, message).into()
}
