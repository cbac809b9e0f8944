//! The `[store]` table: where approvals, connections and the audit log are kept, and the keys
//! users' tokens are encrypted with.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use mcp_runtime::host::serve::RequestStateCodec;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use super::{Problem, file, setting_value};
use crate::store::{Backend, TokenCipher};

/// The backend and cipher the table names; each mistake goes to `problems`.
/// `state_keys` says whether `[approvals] state_keys` are given: replicas need them.
pub(super) fn read(
    table: file::Store,
    directory: &Path,
    state_keys: bool,
    problems: &mut Vec<Problem>,
) -> (Backend, Option<TokenCipher>) {
    let backend = match (table.sqlite, table.postgres) {
        (Some(path), None) => Backend::Sqlite(directory.join(path.into_inner())),
        (None, Some(url)) => {
            if !state_keys {
                problems.push(Problem::at(
                    url.span(),
                    "replicas sharing PostgreSQL need `[approvals] state_keys`, the keys they \
                     share to seal the request state naming a held call, so that any replica \
                     can resume it",
                ));
            }
            match secret(&url, "postgres") {
                Ok(url) => Backend::Postgres(url),
                Err(problem) => {
                    problems.push(problem);
                    Backend::embedded()
                }
            }
        }
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

/// The codec sealing held calls' request state with `keys` (the first seals), if any are given.
pub(super) fn state_codec(
    keys: &[toml::Spanned<toml::Value>],
    problems: &mut Vec<Problem>,
) -> Option<RequestStateCodec> {
    let mut ring = Vec::new();
    for key in keys {
        let bytes = secret(key, "a state key").and_then(|secret| {
            STANDARD
                .decode(secret.expose_secret().trim())
                .ok()
                .filter(|bytes| bytes.len() >= RequestStateCodec::MIN_KEY_LENGTH)
                .ok_or_else(|| {
                    Problem::at(
                        key.span(),
                        "a state key must be 32 bytes or more in base64 (e.g. from `openssl \
                         rand -base64 32`)",
                    )
                })
        });
        match bytes {
            Ok(bytes) => {
                let id: String = Sha256::digest(&bytes)[..4]
                    .iter()
                    .map(|byte| format!("{byte:02x}"))
                    .collect();
                ring.push((id, bytes));
            }
            Err(problem) => problems.push(problem),
        }
    }
    if ring.is_empty() || ring.len() != keys.len() {
        return None;
    }
    let active = ring[0].0.clone();
    match RequestStateCodec::new_with_keyring(active, ring) {
        Ok(codec) => Some(codec),
        Err(error) => {
            problems.push(Problem::at(keys[0].span(), format!("state keys: {error}")));
            None
        }
    }
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
