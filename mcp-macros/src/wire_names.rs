//! The wire names serde gives the fields of a struct (`#[serde(rename = "type")]`,
//! `#[serde(rename_all = "camelCase")]`), for the prelude's `Deserialize` to record: approval
//! arguments are read from a call's JSON by these names.

use syn::{Attribute, Data, DeriveInput, Fields, LitStr};

/// `(field, wire name)` of every named field whose wire name differs from its name.
pub(crate) fn renamed_fields(input: &DeriveInput) -> Vec<(String, String)> {
    let Data::Struct(data) = &input.data else {
        return Vec::new();
    };
    let Fields::Named(fields) = &data.fields else {
        return Vec::new();
    };
    let rule = serde_value(&input.attrs, "rename_all");
    fields
        .named
        .iter()
        .filter_map(|field| {
            let ident = field.ident.as_ref()?;
            let name = ident.to_string().trim_start_matches("r#").to_owned();
            let wire = match serde_value(&field.attrs, "rename") {
                Some(wire) => wire,
                None => match &rule {
                    Some(rule) => apply(rule, &name)?,
                    None => return None,
                },
            };
            (wire != name).then_some((name, wire))
        })
        .collect()
}

/// The deserialization value of `#[serde(key = "..")]` or `#[serde(key(deserialize = ".."))]`.
fn serde_value(attrs: &[Attribute], key: &str) -> Option<String> {
    let mut found = None;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        // Attributes serde itself rejects are reported by serde; unreadable ones are skipped here.
        let _ = attr.parse_nested_meta(|meta| {
            if !meta.path.is_ident(key) {
                // Skip the value of any other key (`default`, `with = ".."`, `bound(..)`, ...).
                if meta.input.peek(syn::Token![=]) {
                    meta.value()?.parse::<syn::Expr>()?;
                } else if meta.input.peek(syn::token::Paren) {
                    meta.parse_nested_meta(|inner| {
                        if inner.input.peek(syn::Token![=]) {
                            inner.value()?.parse::<syn::Expr>()?;
                        }
                        Ok(())
                    })?;
                }
                return Ok(());
            }
            if meta.input.peek(syn::Token![=]) {
                found = Some(meta.value()?.parse::<LitStr>()?.value());
            } else {
                meta.parse_nested_meta(|inner| {
                    let value = inner.value()?.parse::<LitStr>()?.value();
                    if inner.path.is_ident("deserialize") {
                        found = Some(value);
                    }
                    Ok(())
                })?;
            }
            Ok(())
        });
    }
    found
}

/// serde's `rename_all` rule applied to a snake_case field name.
fn apply(rule: &str, field: &str) -> Option<String> {
    let pascal = || {
        field
            .split('_')
            .map(|word| {
                let mut chars = word.chars();
                chars
                    .next()
                    .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                    .unwrap_or_default()
            })
            .collect::<String>()
    };
    Some(match rule {
        "lowercase" | "snake_case" => field.to_owned(),
        "UPPERCASE" | "SCREAMING_SNAKE_CASE" => field.to_ascii_uppercase(),
        "PascalCase" => pascal(),
        "camelCase" => {
            let pascal = pascal();
            let mut chars = pascal.chars();
            chars
                .next()
                .map(|first| first.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
        "kebab-case" => field.replace('_', "-"),
        "SCREAMING-KEBAB-CASE" => field.replace('_', "-").to_ascii_uppercase(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_rules_and_renames() {
        let input: DeriveInput = syn::parse_quote! {
            #[serde(rename_all = "camelCase", deny_unknown_fields)]
            struct Args {
                project_key: String,
                #[serde(default, rename = "type")]
                kind: String,
                #[serde(rename(serialize = "x", deserialize = "issue_id"))]
                id: u64,
                plain: String,
            }
        };
        assert_eq!(
            renamed_fields(&input),
            [
                ("project_key".to_owned(), "projectKey".to_owned()),
                ("kind".to_owned(), "type".to_owned()),
                ("id".to_owned(), "issue_id".to_owned()),
            ]
        );
        for (rule, wire) in [
            ("PascalCase", "ProjectKey"),
            ("SCREAMING_SNAKE_CASE", "PROJECT_KEY"),
            ("kebab-case", "project-key"),
            ("SCREAMING-KEBAB-CASE", "PROJECT-KEY"),
            ("lowercase", "project_key"),
        ] {
            assert_eq!(apply(rule, "project_key").as_deref(), Some(wire));
        }
    }
}
