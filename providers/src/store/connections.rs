//! What the console shows of a person's connections, and ends: each provider they connected,
//! whom the platform said the connection is for, the scopes granted and when the access token
//! expires; never a token.

use mcp_runtime::BoxFuture;
use mcp_runtime::host::StoreError;
use rusqlite::params;

use super::postgres::Postgres;
use super::sqlite::Sqlite;

/// One connection, without its tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionSummary {
    pub provider: String,
    /// Whom the platform said the token is for, if it was asked.
    pub account: Option<String>,
    /// The scopes granted, space-separated.
    pub scopes: Option<String>,
    /// When the access token expires, in seconds since the Unix epoch.
    pub expires_at: Option<i64>,
    /// Whether a refresh token renews it.
    pub renewable: bool,
    /// The platform's API host of this connection.
    pub instance_url: Option<String>,
}

/// The connections, listed and ended.
pub trait ListConnections: Send + Sync {
    /// `user_id`'s connections, by provider.
    fn connections_of<'a>(
        &'a self,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<ConnectionSummary>, StoreError>>;
    /// Records whom `user_id`'s connection to `provider` is for (`None`: not known).
    fn set_account<'a>(
        &'a self,
        user_id: &'a str,
        provider: &'a str,
        account: Option<&'a str>,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    /// Forgets `user_id`'s connection to `provider`; `false` when there was none.
    fn delete_connection<'a>(
        &'a self,
        user_id: &'a str,
        provider: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;
}

const SUMMARY: &str =
    "SELECT provider, account, scopes, expires_at, refresh IS NOT NULL, instance_url
     FROM connections WHERE user_id = ";

impl ListConnections for Sqlite {
    fn connections_of<'a>(
        &'a self,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<ConnectionSummary>, StoreError>> {
        let rows = self.with(|connection| {
            let mut select =
                connection.prepare_cached(&format!("{SUMMARY}?1 ORDER BY provider"))?;
            select
                .query_map(params![user_id], |row| {
                    Ok(ConnectionSummary {
                        provider: row.get(0)?,
                        account: row.get(1)?,
                        scopes: row.get(2)?,
                        expires_at: row.get(3)?,
                        renewable: row.get(4)?,
                        instance_url: row.get(5)?,
                    })
                })?
                .collect()
        });
        Box::pin(std::future::ready(rows))
    }

    fn set_account<'a>(
        &'a self,
        user_id: &'a str,
        provider: &'a str,
        account: Option<&'a str>,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        let done = self.with(|connection| {
            connection.execute(
                "UPDATE connections SET account = ?3 WHERE user_id = ?1 AND provider = ?2",
                params![user_id, provider, account],
            )
        });
        Box::pin(std::future::ready(done.map(drop)))
    }

    fn delete_connection<'a>(
        &'a self,
        user_id: &'a str,
        provider: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        let changed = self.with(|connection| {
            connection.execute(
                "DELETE FROM connections WHERE user_id = ?1 AND provider = ?2",
                params![user_id, provider],
            )
        });
        Box::pin(std::future::ready(changed.map(|changed| changed == 1)))
    }
}

impl ListConnections for Postgres {
    fn connections_of<'a>(
        &'a self,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<ConnectionSummary>, StoreError>> {
        Box::pin(async move {
            let client = self.client().await?;
            let rows = client
                .query(&format!("{SUMMARY}$1 ORDER BY provider"), &[&user_id])
                .await
                .map_err(StoreError::new)?;
            Ok(rows
                .into_iter()
                .map(|row| ConnectionSummary {
                    provider: row.get(0),
                    account: row.get(1),
                    scopes: row.get(2),
                    expires_at: row.get(3),
                    renewable: row.get(4),
                    instance_url: row.get(5),
                })
                .collect())
        })
    }

    fn set_account<'a>(
        &'a self,
        user_id: &'a str,
        provider: &'a str,
        account: Option<&'a str>,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let client = self.client().await?;
            client
                .execute(
                    "UPDATE connections SET account = $3 WHERE user_id = $1 AND provider = $2",
                    &[&user_id, &provider, &account],
                )
                .await
                .map_err(StoreError::new)
                .map(drop)
        })
    }

    fn delete_connection<'a>(
        &'a self,
        user_id: &'a str,
        provider: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async move {
            let client = self.client().await?;
            let changed = client
                .execute(
                    "DELETE FROM connections WHERE user_id = $1 AND provider = $2",
                    &[&user_id, &provider],
                )
                .await
                .map_err(StoreError::new)?;
            Ok(changed == 1)
        })
    }
}
