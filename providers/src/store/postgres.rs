//! The tables in PostgreSQL, shared by every replica of the host. Connections come from a pool
//! whose waits are bounded (a database that does not answer fails the request, it does not hold
//! it). Migrations run under an advisory lock, so replicas starting together take turns.

use std::time::Duration;

use deadpool_postgres::{Pool, PoolConfig, Runtime, Timeouts};
use mcp_runtime::BoxFuture;
use mcp_runtime::host::StoreError;
use mcp_runtime::host::approval::ApprovalScope;
use secrecy::{ExposeSecret, SecretString};
use tokio_postgres::NoTls;

use super::{AppendAudit, Recorded, SealedTokens, Tables, now, word};

/// Connections a replica keeps open to the database, at most.
const POOL_SIZE: usize = 16;

/// How long a request waits for a connection, to open one, or to check one is alive.
const WAIT: Duration = Duration::from_secs(5);

/// Any number, the same in every replica: the lock migrations hold.
const MIGRATION_LOCK: i64 = 0x6d63_705f_686f_7374;

/// The schema's history, one step per version (the `schema_migrations` table lists those
/// taken).
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE remembered_approvals (
        scope TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        server TEXT NOT NULL,
        tool TEXT NOT NULL,
        agent_id TEXT,
        approved_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )",
    "CREATE TABLE connections (
        user_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        access TEXT NOT NULL,
        refresh TEXT,
        expires_at BIGINT,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, provider)
    )",
    "CREATE TABLE audit_events (
        id BIGSERIAL PRIMARY KEY,
        at TIMESTAMPTZ NOT NULL DEFAULT now(),
        outcome TEXT NOT NULL,
        server TEXT NOT NULL,
        tool TEXT NOT NULL,
        stake TEXT NOT NULL,
        user_id TEXT NOT NULL,
        approval_id TEXT
    )",
    "CREATE TABLE held_approvals (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        call TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        taken_at BIGINT
    )",
    // The API host of a connection, for platforms whose host is per organization (Salesforce).
    "ALTER TABLE connections ADD COLUMN instance_url TEXT",
    // The log is read newest first by the time each event was recorded.
    "CREATE INDEX audit_events_by_time ON audit_events (at DESC, id DESC)",
    // Held calls put to their users on the console's pages (`pages.rs`).
    "CREATE TABLE page_approvals (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        agent_id TEXT,
        digest TEXT NOT NULL,
        call TEXT NOT NULL,
        arguments TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        decision TEXT
    )",
    "CREATE INDEX page_approvals_by_call ON page_approvals (scope, digest)",
    "CREATE INDEX page_approvals_by_user ON page_approvals (user_id, expires_at)",
    "CREATE INDEX page_approvals_by_expiry ON page_approvals (expires_at)",
    // What the console shows of a connection: the scopes granted, and whom it connects.
    "ALTER TABLE connections ADD COLUMN scopes TEXT",
    "ALTER TABLE connections ADD COLUMN account TEXT",
];

/// The tables in a PostgreSQL database.
pub struct Postgres {
    pool: Pool,
}

impl std::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password.
        f.debug_struct("Postgres").finish_non_exhaustive()
    }
}

impl Postgres {
    /// Connects to the database at `url`, bringing its schema up to date.
    pub async fn open(url: &SecretString) -> Result<Self, StoreError> {
        let mut config = deadpool_postgres::Config::new();
        config.url = Some(url.expose_secret().to_owned());
        let mut pool = PoolConfig::new(POOL_SIZE);
        pool.timeouts = Timeouts {
            wait: Some(WAIT),
            create: Some(WAIT),
            recycle: Some(WAIT),
        };
        config.pool = Some(pool);
        let pool = config
            .create_pool(Some(Runtime::Tokio1), NoTls)
            .map_err(StoreError::new)?;
        let postgres = Postgres { pool };
        postgres.migrate().await?;
        Ok(postgres)
    }

    pub(super) async fn client(&self) -> Result<deadpool_postgres::Client, StoreError> {
        self.pool.get().await.map_err(StoreError::new)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(StoreError::new)?;
        transaction
            .execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(StoreError::new)?;
        transaction
            .batch_execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )",
            )
            .await
            .map_err(StoreError::new)?;
        let version: i32 = transaction
            .query_one(
                "SELECT coalesce(max(version), 0) FROM schema_migrations",
                &[],
            )
            .await
            .map_err(StoreError::new)?
            .get(0);
        let latest = MIGRATIONS.len() as i32;
        if version > latest {
            return Err(StoreError::new(format!(
                "the database has schema version {version}, newer than this build's {latest}: \
                 run a newer build"
            )));
        }
        for (step, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            transaction
                .batch_execute(sql)
                .await
                .map_err(StoreError::new)?;
            transaction
                .execute(
                    "INSERT INTO schema_migrations (version) VALUES ($1)",
                    &[&(step as i32 + 1)],
                )
                .await
                .map_err(StoreError::new)?;
        }
        transaction.commit().await.map_err(StoreError::new)
    }
}

impl AppendAudit for Postgres {
    fn append_audit<'a>(&'a self, events: &'a [Recorded]) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut client = self.client().await?;
            let transaction = client.transaction().await.map_err(StoreError::new)?;
            let insert = transaction
                .prepare_cached(
                    "INSERT INTO audit_events
                     (at, outcome, server, tool, stake, user_id, approval_id)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .await
                .map_err(StoreError::new)?;
            for Recorded { at, event } in events {
                transaction
                    .execute(
                        &insert,
                        &[
                            at,
                            &word(event.outcome),
                            &event.server,
                            &event.tool,
                            &word(event.stake),
                            &event.user_id,
                            &event.approval_id,
                        ],
                    )
                    .await
                    .map_err(StoreError::new)?;
            }
            transaction.commit().await.map_err(StoreError::new)
        })
    }
}

impl Tables for Postgres {
    fn is_remembered<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            let client = self.client().await?;
            let select = client
                .prepare_cached("SELECT 1 FROM remembered_approvals WHERE scope = $1")
                .await
                .map_err(StoreError::new)?;
            let found = client
                .query_opt(&select, &[&key])
                .await
                .map_err(StoreError::new)?;
            Ok(found.is_some())
        })
    }

    fn remember<'a>(&'a self, scope: &'a ApprovalScope) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let client = self.client().await?;
            let insert = client
                .prepare_cached(
                    "INSERT INTO remembered_approvals (scope, user_id, server, tool, agent_id)
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (scope) DO NOTHING",
                )
                .await
                .map_err(StoreError::new)?;
            client
                .execute(
                    &insert,
                    &[
                        &scope.key(),
                        &scope.user_id,
                        &scope.server,
                        &scope.tool,
                        &scope.agent_id,
                    ],
                )
                .await
                .map_err(StoreError::new)
                .map(drop)
        })
    }

    fn connection<'a>(
        &'a self,
        user_id: &'a str,
        provider: &'a str,
    ) -> BoxFuture<'a, Result<Option<SealedTokens>, StoreError>> {
        Box::pin(async move {
            let client = self.client().await?;
            let select = client
                .prepare_cached(
                    "SELECT access, refresh, expires_at, instance_url, scopes FROM connections
                     WHERE user_id = $1 AND provider = $2",
                )
                .await
                .map_err(StoreError::new)?;
            let row = client
                .query_opt(&select, &[&user_id, &provider])
                .await
                .map_err(StoreError::new)?;
            Ok(row.map(|row| SealedTokens {
                access: row.get(0),
                refresh: row.get(1),
                expires_at: row.get(2),
                instance_url: row.get(3),
                scopes: row.get(4),
            }))
        })
    }

    fn put_connection<'a>(
        &'a self,
        user_id: &'a str,
        provider: &'a str,
        tokens: &'a SealedTokens,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let client = self.client().await?;
            let upsert = client
                .prepare_cached(
                    "INSERT INTO connections
                       (user_id, provider, access, refresh, expires_at, instance_url, scopes)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (user_id, provider) DO UPDATE SET access = excluded.access,
                       refresh = excluded.refresh, expires_at = excluded.expires_at,
                       instance_url = excluded.instance_url, scopes = excluded.scopes,
                       updated_at = now()",
                )
                .await
                .map_err(StoreError::new)?;
            client
                .execute(
                    &upsert,
                    &[
                        &user_id,
                        &provider,
                        &tokens.access,
                        &tokens.refresh,
                        &tokens.expires_at,
                        &tokens.instance_url,
                        &tokens.scopes,
                    ],
                )
                .await
                .map_err(StoreError::new)
                .map(drop)
        })
    }

    fn hold<'a>(
        &'a self,
        id: &'a str,
        user_id: &'a str,
        call: &'a str,
        expires_at: i64,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let client = self.client().await?;
            let forget = client
                .prepare_cached("DELETE FROM held_approvals WHERE expires_at <= $1")
                .await
                .map_err(StoreError::new)?;
            client
                .execute(&forget, &[&now()])
                .await
                .map_err(StoreError::new)?;
            let insert = client
                .prepare_cached(
                    "INSERT INTO held_approvals (id, user_id, call, expires_at)
                     VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
                )
                .await
                .map_err(StoreError::new)?;
            client
                .execute(&insert, &[&id, &user_id, &call, &expires_at])
                .await
                .map_err(StoreError::new)
                .map(drop)
        })
    }

    fn take<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<String>, StoreError>> {
        Box::pin(async move {
            let client = self.client().await?;
            // One statement: of replicas taking the same call at once, one gets it.
            let take = client
                .prepare_cached(
                    "UPDATE held_approvals SET taken_at = $2
                     WHERE id = $1 AND taken_at IS NULL AND expires_at > $2 RETURNING call",
                )
                .await
                .map_err(StoreError::new)?;
            let row = client
                .query_opt(&take, &[&id, &now()])
                .await
                .map_err(StoreError::new)?;
            Ok(row.map(|row| row.get(0)))
        })
    }
}
