//! `sqlite`: an SQLite database, read-only. The embedded default that needs no account: with no
//! database given it serves a small sample database that it creates itself.

mod database;
mod introspect;
mod render;
mod sample;
mod watch;
mod work;

use std::path::PathBuf;
use std::time::Duration;

use mcp_runtime::prelude::*;
use rusqlite::Connection;

pub use database::Database;

/// The most rows one query returns.
pub const MAX_ROWS_LIMIT: u32 = 1000;

const DEFAULT_MAX_ROWS: u32 = 100;

/// Arguments of `describe_table`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct DescribeTable {
    /// The table or view name, as `list_tables` shows it.
    pub table: String,
}

/// Arguments of `query`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct Query {
    /// One read-only SQL statement, e.g. `SELECT name FROM customers WHERE country = 'US'`.
    pub sql: String,
    /// How many rows to return, from 1 to 1000 (default 100).
    pub max_rows: Option<u32>,
}

/// The `sqlite` server.
#[derive(Debug, Clone)]
pub struct Sqlite {
    database: Database,
    /// Whether the database is the sample, created on first use.
    sample: bool,
    workers: work::Workers,
    /// Tells subscribers when another process changed the database.
    changes: ResourceChanges,
}

impl Sqlite {
    /// The server for the database at `path`.
    pub fn open(path: impl Into<PathBuf>) -> Self {
        Self::new(Database::new(path), false)
    }

    /// The server for the sample database at `path`, created there on first use.
    pub fn sample_at(path: impl Into<PathBuf>) -> Self {
        Self::new(Database::new(path), true)
    }

    fn new(database: Database, sample: bool) -> Self {
        Sqlite {
            changes: watch::changes(database.clone(), watch::DEFAULT_INTERVAL),
            database,
            sample,
            workers: work::Workers::new(work::DEFAULT_CONCURRENCY),
        }
    }

    /// Checks the database for changes every `interval` while a client subscribes to one of
    /// its resources (default: every second).
    pub fn with_change_interval(mut self, interval: Duration) -> Self {
        self.changes = watch::changes(self.database.clone(), interval);
        self
    }

    /// Runs at most `queries` database calls at once; more are refused as busy.
    pub fn with_concurrency(mut self, queries: usize) -> Self {
        self.workers = work::Workers::new(queries);
        self
    }

    /// Runs `work` on a fresh read-only connection, off the async threads (SQLite blocks),
    /// stopped when the call is cancelled or times out.
    async fn with_connection<T: Send + 'static>(
        &self,
        ctx: &ToolContext,
        work: impl FnOnce(&Connection) -> Result<T, McpError> + Send + 'static,
    ) -> Result<T, McpError> {
        let path = self.database.path().to_owned();
        let sample = self.sample;
        let prepare = move || {
            if sample {
                sample::ensure(&path).map_err(McpError::new)?;
            }
            Ok(())
        };
        self.workers
            .run(ctx, self.database.clone(), prepare, work)
            .await
    }
}

/// The settings of the `sqlite` server (in the environment: `SQLITE_PATH`).
#[derive(Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The database file, opened read-only (default: a small sample shop database, created on
    /// first use in the system's temporary directory).
    pub path: Option<PathBuf>,
}

impl Sqlite {
    /// The server `settings` describe; what the registry builds.
    pub fn from_settings(settings: Settings) -> Result<Self, std::convert::Infallible> {
        Ok(match settings.path {
            Some(path) => Sqlite::open(path),
            None => Sqlite::sample_at(sample::default_path()),
        })
    }
}

// The tools are not open-world (`open_world = false`): they reach one local database only.
/// Read-only access to an SQLite database: list its tables, describe one, run queries.
#[mcp_server(
    id = 1000,
    availability = "auto",
    name = "sqlite",
    title = "SQLite",
    timeout_ms = 30_000,
    changes = "changes"
)]
impl Sqlite {
    /// List the tables and views of the database, with their row counts.
    #[tool(
        stake = "never_ask",
        open_world = false,
        running = "Listing tables",
        done = "List tables"
    )]
    async fn list_tables(&self, ctx: &ToolContext) -> ToolResult {
        let tables = self.with_connection(ctx, introspect::tables).await?;
        Ok(ToolOutput::markdown(render::tables(&tables)))
    }

    /// Describe a table or view: its columns with types, nullability, defaults and primary key,
    /// its foreign keys and its indexes.
    #[tool(
        stake = "never_ask",
        open_world = false,
        running = "Describing table",
        done = "Describe table"
    )]
    async fn describe_table(&self, ctx: &ToolContext, args: DescribeTable) -> ToolResult {
        let table = self
            .with_connection(ctx, move |connection| {
                introspect::describe(connection, &args.table)
            })
            .await?;
        Ok(ToolOutput::markdown(render::description(&table)))
    }

    /// Run one read-only SQL statement and return its rows as a table.
    #[tool(
        stake = "never_ask",
        open_world = false,
        running = "Querying",
        done = "Query",
        // A long query runs as a task for clients that support tasks; cancelling it stops it.
        task = "optional"
    )]
    async fn query(&self, ctx: &ToolContext, args: Query) -> ToolResult {
        let max_rows = args.max_rows.unwrap_or(DEFAULT_MAX_ROWS);
        if !(1..=MAX_ROWS_LIMIT).contains(&max_rows) {
            return Err(McpError::invalid_arguments(format!(
                "`max_rows` must be between 1 and {MAX_ROWS_LIMIT}, not {max_rows}"
            )));
        }
        let rows = self
            .with_connection(ctx, move |connection| {
                introspect::query(connection, &args.sql, max_rows as usize)
            })
            .await?;
        Ok(ToolOutput::markdown(render::rows(&rows)))
    }

    /// The tables and views of the database with their row counts, as `list_tables` gives them.
    #[resource(
        uri = "sqlite://schema",
        mime_type = "text/markdown",
        title = "Database schema"
    )]
    async fn schema(&self, ctx: &ToolContext) -> ResourceResult {
        let tables = self.with_connection(ctx, introspect::tables).await?;
        Ok(ResourceOutput::text(
            "text/markdown",
            render::tables(&tables),
        ))
    }

    /// One table or view: its columns, keys and indexes, as `describe_table` gives them.
    #[resource_template(
        uri = "sqlite://tables/{name}",
        mime_type = "text/markdown",
        complete(name = complete_table)
    )]
    async fn table(&self, ctx: &ToolContext, name: String) -> ResourceResult {
        let table = self
            .with_connection(ctx, move |connection| {
                introspect::describe(connection, &name)
            })
            .await?;
        Ok(ResourceOutput::text(
            "text/markdown",
            render::description(&table),
        ))
    }

    /// Explore one table: its shape, a few rows, and what it is for.
    #[prompt(title = "Explore a table", complete(table = complete_table))]
    async fn explore_table(
        &self,
        /// The table or view to explore.
        table: String,
    ) -> PromptResult {
        Ok(PromptOutput::user(format!(
            "Explore the table `{table}` of the SQLite database: describe it with `describe_table`, \
             look at a few rows with `query` (`SELECT * FROM \"{table}\" LIMIT 5`), then say in a \
             few sentences what it holds, how it relates to the other tables, and which columns \
             matter most."
        )))
    }

    /// Answer a question from the database, showing the SQL used.
    #[prompt(title = "Ask the database")]
    async fn ask_database(
        &self,
        /// The question, in plain words.
        question: String,
    ) -> PromptResult {
        Ok(PromptOutput::user(format!(
            "Answer this question from the SQLite database: {question}\n\nFirst list the tables \
             with `list_tables` and describe the ones that matter with `describe_table`; then \
             answer with `query`, one read-only statement at a time. Show each SQL statement you \
             ran, and say so when the data cannot answer the question."
        )))
    }

    /// Table and view names starting as typed.
    async fn complete_table(
        &self,
        ctx: &ToolContext,
        value: &str,
    ) -> Result<Vec<String>, McpError> {
        let tables = self.with_connection(ctx, introspect::tables).await?;
        Ok(tables
            .into_iter()
            .map(|table| table.name)
            .filter(|name| name.starts_with(value))
            .collect())
    }
}
