//! The `[store]` table: where approvals, connections and the audit log are kept, and the keys
//! users' tokens are encrypted with.

use std::path::Path;

use secrecy::SecretString;

use super::{Problem, file, setting_value};
use crate::store::{Backend, TokenCipher};

/// The backend and cipher the table names; each mistake goes to `problems`.
pub(super) fn read(
    table: file::Store,
    directory: &Path,
    problems: &mut Vec<Problem>,
) -> (Backend, Option<TokenCipher>) {
    let backend = match (table.sqlite, table.postgres) {
        (Some(path), None) => Backend::Sqlite(directory.join(path.into_inner())),
        (None, Some(url)) => match secret(&url, "postgres") {
            Ok(url) => Backend::Postgres(url),
            Err(problem) => {
                problems.push(problem);
                Backend::embedded()
            }
        },
        (None, None) => Backend::embedded(),
        (Some(_), Some(url)) => {
            problems.push(Problem::at(
                url.span(),
                "`[store]` takes `sqlite` (one process) or `postgres` (replicas), not both",
            ));
            Backend::embedded()
        }
    };
    let mut keys = Vec::new();
    for key in &table.token_keys {
        match secret(key, "a token key") {
            Ok(secret) => match TokenCipher::new(std::slice::from_ref(&secret)) {
                Ok(_) => keys.push(secret),
                Err(error) => problems.push(Problem::at(key.span(), error.to_string())),
            },
            Err(problem) => problems.push(problem),
        }
    }
    let cipher = (!keys.is_empty() && keys.len() == table.token_keys.len())
        .then(|| TokenCipher::new(&keys).expect("each key checked"));
    (backend, cipher)
}

/// The string, or the environment variable's value, `value` holds.
fn secret(value: &toml::Spanned<toml::Value>, what: &str) -> Result<SecretString, Problem> {
    match setting_value(value)? {
        serde_json::Value::String(secret) => Ok(SecretString::from(secret)),
        _ => Err(Problem::at(
            value.span(),
            format!("{what} is a string, or `{{ env = \"NAME\" }}`"),
        )),
    }
}
