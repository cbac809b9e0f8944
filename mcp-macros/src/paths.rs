//! How generated code reaches the runtime: always by absolute path, so a user's own `Result`,
//! `Box` or `mod serde` cannot change what it means.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::Path;

/// `::mcp_runtime::__private`, or `<crate>::__private` with `#[mcp_server(crate = "...")]`.
#[derive(Debug, Clone)]
pub(crate) struct Runtime(Option<Path>);

impl Runtime {
    pub(crate) fn new(krate: Option<Path>) -> Self {
        Runtime(krate)
    }
}

impl ToTokens for Runtime {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match &self.0 {
            Some(path) => tokens.extend(quote!(#path::__private)),
            None => tokens.extend(quote!(::mcp_runtime::__private)),
        }
    }
}
