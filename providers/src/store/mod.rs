//! The host's state: remembered approvals, users' connections (their tokens encrypted) and the
//! audit log, in one of two databases behind the same tables: SQLite (one process, the
//! embedded default) or PostgreSQL (shared by several replicas). Each backend brings its schema
//! up to date when opened.

mod audit;
mod audit_log;
mod cipher;
mod connections;
mod pages;
mod postgres;
mod sqlite;
#[cfg(test)]
mod suite;
#[cfg(test)]
#[path = "../../tests/support/postgres.rs"]
mod temp_postgres;

use std::path::PathBuf;
use std::sync::Arc;

use mcp_runtime::BoxFuture;
use mcp_runtime::host::StoreError;
use mcp_runtime::host::approval::{ApprovalScope, ApprovalStore, AuditSink, HeldCall, HeldStore};
use providers::connect::{ConnectionStore, Tokens};
use secrecy::SecretString;

pub use audit::{AppendAudit, Recorded, StoredAudit};
pub use audit_log::{AuditCursor, AuditFilter, ReadAudit};
pub use cipher::TokenCipher;
pub use connections::{ConnectionSummary, ListConnections};
pub use pages::{PageRow, PageTables};

/// Where the state is kept.
#[derive(Debug, Clone)]
pub enum Backend {
    /// An SQLite file (created if missing), or `:memory:`.
    Sqlite(PathBuf),
    /// A PostgreSQL database (`postgres://user:password@host:port/database`).
    Postgres(SecretString),
}

impl Backend {
    /// SQLite in memory: the state lives as long as the process, and nothing is written.
    pub fn embedded() -> Self {
        Backend::Sqlite(PathBuf::from(":memory:"))
    }
}

/// A connection's tokens as stored: each token sealed, never in the clear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedTokens {
    pub access: String,
    pub refresh: Option<String>,
    /// Seconds since the Unix epoch.
    pub expires_at: Option<i64>,
    /// The platform's API host for this connection (not a secret: stored as it is).
    pub instance_url: Option<String>,
    /// The scopes granted, space-separated (not a secret).
    pub scopes: Option<String>,
}

/// The tables every backend keeps.
pub trait Tables: AppendAudit + ReadAudit + PageTables + ListConnections + std::fmt::Debug {
    /// Whether the approval scope with `key` is remembered.
    fn is_remembered<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<bool, StoreError>>;
    /// Remembers `scope`.
    fn remember<'a>(&'a self, scope: &'a ApprovalScope) -> BoxFuture<'a, Result<(), StoreError>>;
    /// The sealed tokens of `user_id` for `provider`.
    fn connection<'a>(
        &'a self,
        user_id: &'a str,
        provider: &'a str,
    ) -> BoxFuture<'a, Result<Option<SealedTokens>, StoreError>>;
    /// Records (or replaces) them.
    fn put_connection<'a>(
        &'a self,
        user_id: &'a str,
        provider: &'a str,
        tokens: &'a SealedTokens,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    /// Keeps the held call `id` of `user_id` (`call`, as JSON) until `expires_at` (seconds
    /// since the Unix epoch), forgetting those past their time.
    fn hold<'a>(
        &'a self,
        id: &'a str,
        user_id: &'a str,
        call: &'a str,
        expires_at: i64,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    /// Takes the held call `id` (its JSON) unless it was taken or has expired: one taker only.
    fn take<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<String>, StoreError>>;
}

/// The host's stores, over one backend.
#[derive(Debug, Clone)]
pub struct Stores {
    tables: Arc<dyn Tables>,
    cipher: Option<Arc<TokenCipher>>,
    audit: Arc<StoredAudit>,
}

impl Stores {
    /// Opens `backend`, bringing its schema up to date; connections' tokens are sealed with
    /// `cipher` (without one, connections cannot be stored). Call within a Tokio runtime: the
    /// audit log is written by a task of its own.
    pub async fn open(backend: &Backend, cipher: Option<TokenCipher>) -> Result<Self, StoreError> {
        let tables: Arc<dyn Tables> = match backend {
            Backend::Sqlite(path) => Arc::new(sqlite::Sqlite::open(path)?),
            Backend::Postgres(url) => Arc::new(postgres::Postgres::open(url).await?),
        };
        Ok(Stores {
            audit: Arc::new(StoredAudit::start(tables.clone())),
            tables,
            cipher: cipher.map(Arc::new),
        })
    }

    /// The audit log (each event also goes to `tracing`).
    pub fn audit(&self) -> Arc<dyn AuditSink> {
        self.audit.clone()
    }

    /// Waits until every audit event recorded so far is written.
    pub async fn flush(&self) {
        self.audit.flush().await;
    }

    /// The keys users' tokens are encrypted with, if any.
    pub fn token_cipher(&self) -> Option<Arc<TokenCipher>> {
        self.cipher.clone()
    }

    /// The tables, for reading back what was stored.
    pub fn tables(&self) -> &dyn Tables {
        &*self.tables
    }

    fn cipher(&self) -> Result<&TokenCipher, StoreError> {
        self.cipher.as_deref().ok_or_else(|| {
            StoreError::new("connections need token keys (`[store] token_keys`) to be stored")
        })
    }
}

impl ApprovalStore for Stores {
    fn is_remembered<'a>(
        &'a self,
        scope: &'a ApprovalScope,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move { self.tables.is_remembered(&scope.key()).await })
    }

    fn remember<'a>(&'a self, scope: &'a ApprovalScope) -> BoxFuture<'a, Result<(), StoreError>> {
        self.tables.remember(scope)
    }
}

impl HeldStore for Stores {
    fn hold<'a>(&'a self, call: &'a HeldCall) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let json = serde_json::to_string(call).map_err(StoreError::new)?;
            let expires_at = unix_seconds(call.expires_at);
            self.tables
                .hold(&call.request.id, &call.request.user_id, &json, expires_at)
                .await
        })
    }

    fn take<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<HeldCall>, StoreError>> {
        Box::pin(async move {
            let Some(json) = self.tables.take(id).await? else {
                return Ok(None);
            };
            serde_json::from_str(&json)
                .map(Some)
                .map_err(StoreError::new)
        })
    }
}

/// Seconds since the Unix epoch at `time`.
pub(crate) fn unix_seconds(time: std::time::SystemTime) -> i64 {
    time.duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| {
            i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
        })
}

/// Now, in seconds since the Unix epoch.
fn now() -> i64 {
    unix_seconds(std::time::SystemTime::now())
}

/// The associated data binding a sealed token to its row.
fn row(user_id: &str, provider: &str, which: &str) -> String {
    format!("{user_id}\0{provider}\0{which}")
}

impl ConnectionStore for Stores {
    fn get<'a>(
        &'a self,
        user_id: &'a str,
        provider: &'a str,
    ) -> BoxFuture<'a, Result<Option<Tokens>, StoreError>> {
        Box::pin(async move {
            let Some(sealed) = self.tables.connection(user_id, provider).await? else {
                return Ok(None);
            };
            let cipher = self.cipher()?;
            let open = |sealed: &str, which| {
                cipher
                    .open(sealed, &row(user_id, provider, which))
                    .map_err(StoreError::new)
            };
            Ok(Some(Tokens {
                access: open(&sealed.access, "access")?,
                refresh: sealed
                    .refresh
                    .as_deref()
                    .map(|refresh| open(refresh, "refresh"))
                    .transpose()?,
                expires_at: sealed.expires_at.map(|seconds| {
                    std::time::UNIX_EPOCH
                        + std::time::Duration::from_secs(u64::try_from(seconds).unwrap_or(0))
                }),
                instance_url: sealed.instance_url,
                scopes: sealed
                    .scopes
                    .map(|scopes| scopes.split_whitespace().map(str::to_owned).collect())
                    .unwrap_or_default(),
            }))
        })
    }

    fn put<'a>(
        &'a self,
        user_id: &'a str,
        provider: &'a str,
        tokens: &'a Tokens,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let cipher = self.cipher()?;
            let sealed = SealedTokens {
                access: cipher.seal(&tokens.access, &row(user_id, provider, "access")),
                refresh: tokens
                    .refresh
                    .as_ref()
                    .map(|refresh| cipher.seal(refresh, &row(user_id, provider, "refresh"))),
                expires_at: tokens.expires_at.map(|expires_at| {
                    expires_at
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |since| {
                            i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
                        })
                }),
                instance_url: tokens.instance_url.clone(),
                scopes: Some(tokens.scopes.join(" ")).filter(|scopes| !scopes.is_empty()),
            };
            self.tables.put_connection(user_id, provider, &sealed).await
        })
    }
}

/// The word a stored enum value is (`low`, `approved_once`): its serde name.
pub(crate) fn word<T: serde::Serialize>(value: T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(word)) => word,
        other => unreachable!("a unit variant serializes as a string, not {other:?}"),
    }
}

/// The enum value a stored word is.
pub(crate) fn parse_word<T: serde::de::DeserializeOwned>(word: String) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(word)).map_err(StoreError::new)
}
