//! The key-value vocabulary shared by `#[mcp_server(...)]` and `#[tool(...)]`.
//!
//! darling parses the nested items and carries the errors; the key dispatch is ours so that
//! every message reads like rustc's (lowercase, code in backticks, the fix named) and names the
//! attribute it is about.

use darling::ast::NestedMeta;
use darling::error::Accumulator;
use darling::{Error, FromMeta};
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, Lit, LitInt, LitStr, Meta, Path};

/// The keys of one attribute as they were written, each checked against the vocabulary.
pub(crate) struct Keys<'a> {
    /// How the attribute is named in messages, e.g. "#[tool]".
    attr: &'static str,
    items: Vec<(String, Meta)>,
    /// Known keys written wrongly (misspelt, as a path, without a value): already reported, so
    /// not also missing.
    misspelt: Vec<&'static str>,
    acc: &'a mut Accumulator,
}

impl<'a> Keys<'a> {
    /// Splits `items` into keys, reporting unknown and repeated ones; `known` is the vocabulary.
    pub(crate) fn new(
        attr: &'static str,
        known: &'static [&'static str],
        items: Vec<NestedMeta>,
        acc: &'a mut Accumulator,
    ) -> Self {
        let mut seen: Vec<(String, Meta)> = Vec::new();
        let mut misspelt = Vec::new();
        for item in items {
            let meta = match item {
                NestedMeta::Meta(meta) => meta,
                NestedMeta::Lit(lit) => {
                    acc.push(
                        Error::custom(format!(
                            "expected `key = value` in `{attr}`, found a literal"
                        ))
                        .with_span(&lit),
                    );
                    continue;
                }
                NestedMeta::NameValueInvalidExpr(invalid) => {
                    misspelt.extend(known_key(&invalid.path, known));
                    acc.push(
                        Error::custom(format!("expected a value after `=` in `{attr}`"))
                            .with_span(&invalid.path),
                    );
                    continue;
                }
            };
            let Some(key) = meta.path().get_ident().map(ToString::to_string) else {
                misspelt.extend(known_key(meta.path(), known));
                acc.push(
                    Error::custom(format!("expected a key in `{attr}`, found a path"))
                        .with_span(meta.path()),
                );
                continue;
            };
            if !known.contains(&key.as_str()) {
                misspelt.extend(closest(&key, known));
                acc.push(
                    Error::custom(format!(
                        "unknown `{attr}` key `{key}`{}",
                        suggest(&key, known)
                    ))
                    .with_span(meta.path()),
                );
                continue;
            }
            if seen.iter().any(|(seen_key, _)| *seen_key == key) {
                acc.push(
                    Error::custom(format!("duplicate `{attr}` key `{key}`; remove one"))
                        .with_span(meta.path()),
                );
                continue;
            }
            seen.push((key, meta));
        }
        Keys {
            attr,
            items: seen,
            misspelt,
            acc,
        }
    }

    /// The accumulator, for errors beyond the vocabulary.
    pub(crate) fn acc(&mut self) -> &mut Accumulator {
        self.acc
    }

    /// Whether `key` was written, even with a bad value or misspelt: one mistake, one error.
    pub(crate) fn contains(&self, key: &str) -> bool {
        self.items.iter().any(|(k, _)| k == key) || self.misspelt.contains(&key)
    }

    fn take(&mut self, key: &str) -> Option<Meta> {
        let index = self.items.iter().position(|(k, _)| k == key)?;
        Some(self.items.remove(index).1)
    }

    /// `key = "text"`.
    pub(crate) fn string(&mut self, key: &str) -> Option<LitStr> {
        let meta = self.take(key)?;
        match value_expr(&meta) {
            Some(Expr::Lit(lit)) => match &lit.lit {
                Lit::Str(text) => return Some(text.clone()),
                other => self.expected(other, key, "a string literal"),
            },
            Some(other) => self.expected(other, key, "a string literal"),
            None => self.expected(&meta, key, "`= \"...\"`"),
        }
        None
    }

    /// `key = 42`.
    pub(crate) fn integer(&mut self, key: &str) -> Option<LitInt> {
        let meta = self.take(key)?;
        match value_expr(&meta) {
            Some(Expr::Lit(lit)) => match &lit.lit {
                Lit::Int(int) => return Some(int.clone()),
                other => self.expected(other, key, "an integer literal"),
            },
            Some(other) => self.expected(other, key, "an integer literal"),
            None => self.expected(&meta, key, "`= <integer>`"),
        }
        None
    }

    /// `key` or `key = true|false`; the span is the key's, for later checks.
    pub(crate) fn flag(&mut self, key: &str) -> Option<(bool, Span)> {
        let meta = self.take(key)?;
        let span = meta.path().span();
        match &meta {
            Meta::Path(_) => Some((true, span)),
            Meta::NameValue(nv) => match bool::from_expr(&nv.value) {
                Ok(value) => Some((value, span)),
                Err(_) => {
                    self.expected(&nv.value, key, "`true` or `false`");
                    None
                }
            },
            Meta::List(list) => {
                self.expected(list, key, "`true` or `false`");
                None
            }
        }
    }

    /// `key = path::to::item` (a path, or a string holding one).
    pub(crate) fn path(&mut self, key: &str) -> Option<Path> {
        let meta = self.take(key)?;
        match value_expr(&meta) {
            Some(Expr::Path(path)) => return Some(path.path.clone()),
            Some(Expr::Lit(lit)) => {
                if let Lit::Str(text) = &lit.lit {
                    match text.parse::<Path>() {
                        Ok(path) => return Some(path),
                        Err(_) => self.expected(text, key, "a path"),
                    }
                } else {
                    self.expected(lit, key, "a path");
                }
            }
            Some(other) => self.expected(other, key, "a path"),
            None => self.expected(&meta, key, "`= path::to::item`"),
        }
        None
    }

    /// `key(a, b, ...)`: the nested items.
    pub(crate) fn list(&mut self, key: &str) -> Option<(Vec<NestedMeta>, Span)> {
        let meta = self.take(key)?;
        match &meta {
            Meta::List(list) => match NestedMeta::parse_meta_list(list.tokens.clone()) {
                Ok(items) => Some((items, list.path.span())),
                Err(error) => {
                    self.acc.push(error.into());
                    None
                }
            },
            _ => {
                let attr = self.attr;
                self.acc.push(
                    Error::custom(format!("expected `{key}(...)` in `{attr}`"))
                        .with_span(meta.path()),
                );
                None
            }
        }
    }

    /// `key = "variant"`, one of `variants`.
    pub(crate) fn choice<T: Copy>(
        &mut self,
        key: &str,
        variants: &[(&'static str, T)],
    ) -> Option<(T, LitStr)> {
        let text = self.string(key)?;
        let value = text.value();
        if let Some((_, variant)) = variants.iter().find(|(name, _)| *name == value) {
            return Some((*variant, text));
        }
        let names: Vec<&str> = variants.iter().map(|(name, _)| *name).collect();
        let help = match closest(&value, &names) {
            Some(name) => format!("did you mean `{name}`?"),
            None => format!("expected {}", one_of(&names)),
        };
        self.acc
            .push(Error::custom(format!("unknown {key} `{value}`; {help}")).with_span(&text));
        None
    }

    fn expected(&mut self, found: &impl Spanned, key: &str, what: &str) {
        let attr = self.attr;
        let error = Error::custom(format!("expected {what} for `{key}` in `{attr}`"));
        self.acc.push(error.with_span(&found.span()));
    }
}

/// The known key a path ends with (`server::id` → `id`).
fn known_key(path: &Path, known: &'static [&'static str]) -> Option<&'static str> {
    let last = path.segments.last()?.ident.to_string();
    known.iter().copied().find(|key| *key == last)
}

fn value_expr(meta: &Meta) -> Option<&Expr> {
    match meta {
        Meta::NameValue(nv) => Some(&nv.value),
        _ => None,
    }
}

/// The vocabulary word closest to `word`, if close enough to be a typo.
pub(crate) fn closest<'w>(word: &str, vocabulary: &[&'w str]) -> Option<&'w str> {
    vocabulary
        .iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), *candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

fn suggest(word: &str, vocabulary: &[&str]) -> String {
    match closest(word, vocabulary) {
        Some(name) => format!("; did you mean `{name}`?"),
        None => format!("; expected {}", one_of(vocabulary)),
    }
}

/// "`a`, `b` or `c`".
pub(crate) fn one_of(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [only] => format!("`{only}`"),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|w| format!("`{w}`")).collect();
            format!("{} or `{last}`", init.join(", "))
        }
    }
}
