//! Small token helpers shared by the generators.

use proc_macro2::{Literal, Span, TokenStream};
use quote::quote;

/// `Some("text")` or `None`, through `::core`.
pub(crate) fn opt_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(text) => quote!(::core::option::Option::Some(#text)),
        None => quote!(::core::option::Option::None),
    }
}

/// An unsuffixed integer literal carrying the user's span.
pub(crate) fn int_at(value: u64, span: Span) -> Literal {
    let mut literal = Literal::u64_unsuffixed(value);
    literal.set_span(span);
    literal
}
