//! The `sqlite` server against databases the tests create: every tool, the row bound, and
//! read-only enforcement by SQLite (the database file is unchanged after every refused write).

use std::path::{Path, PathBuf};

use mcp_runtime::host::ERROR_META_KEY;
use mcp_runtime::{
    CallToolResult, CompletionTarget, Content, McpServer, OfferError, ResourceContents, ToolContext,
};
use providers::sqlite::Sqlite;
use rusqlite::Connection;
use serde_json::{Value, json};
use tempfile::TempDir;

/// A database with two related tables, in a fresh directory.
fn database() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("test.sqlite");
    let connection = Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
             CREATE TABLE people (
                 id INTEGER PRIMARY KEY,
                 name TEXT NOT NULL,
                 team_id INTEGER REFERENCES teams (id),
                 note TEXT DEFAULT 'none',
                 avatar BLOB
             );
             CREATE INDEX people_by_team ON people (team_id);
             INSERT INTO teams VALUES (1, 'core'), (2, 'web');
             INSERT INTO people VALUES
                 (1, 'Ada', 1, 'likes | pipes', x'00ff'),
                 (2, 'Grace', 2, NULL, NULL),
                 (3, 'Linus', 1, 'multi
line', NULL);",
        )
        .unwrap();
    (dir, path)
}

async fn call(server: &Sqlite, tool: &str, arguments: Value) -> CallToolResult {
    server
        .call_tool(tool, arguments, ToolContext::new())
        .await
        .unwrap()
}

fn error_kind(result: &CallToolResult) -> &str {
    result.meta.as_ref().unwrap()[ERROR_META_KEY]["kind"]
        .as_str()
        .unwrap()
}

#[tokio::test]
async fn list_tables_shows_row_counts() {
    let (_dir, path) = database();
    let result = call(&Sqlite::open(&path), "list_tables", json!({})).await;
    assert!(!result.is_error);
    assert_eq!(
        result.text(),
        "2 tables and views: people (3 rows), teams (2 rows).\n\n\
         | name | kind | rows |\n|---|---|---|\n| people | table | 3 |\n| teams | table | 2 |\n"
    );
}

#[tokio::test]
async fn describe_table_shows_columns_keys_and_indexes() {
    let (_dir, path) = database();
    let result = call(
        &Sqlite::open(&path),
        "describe_table",
        json!({"table": "people"}),
    )
    .await;
    assert_eq!(
        result.text(),
        "The table `people` has 5 columns and 3 rows.\n\n\
         | column | type | nullable | default | primary key |\n|---|---|---|---|---|\n\
         | id | INTEGER | yes |  | 1 |\n\
         | name | TEXT | no |  |  |\n\
         | team_id | INTEGER | yes |  |  |\n\
         | note | TEXT | yes | 'none' |  |\n\
         | avatar | BLOB | yes |  |  |\n\
         \nForeign keys:\n- `team_id` → `teams`.`id`\n\
         \nIndexes:\n- `people_by_team` on (team_id)\n"
    );
}

#[tokio::test]
async fn describe_table_names_the_existing_tables_when_one_is_missing() {
    let (_dir, path) = database();
    let result = call(
        &Sqlite::open(&path),
        "describe_table",
        json!({"table": "persons"}),
    )
    .await;
    assert!(result.is_error);
    assert_eq!(error_kind(&result), "not_found");
    assert_eq!(
        result.text(),
        "no table or view named `persons`; the database has: people, teams"
    );
}

#[tokio::test]
async fn query_renders_rows_nulls_blobs_and_escapes() {
    let (_dir, path) = database();
    let result = call(
        &Sqlite::open(&path),
        "query",
        json!({"sql": "SELECT p.name, t.name AS team, p.note, p.avatar FROM people p JOIN teams t ON t.id = p.team_id ORDER BY p.id"}),
    )
    .await;
    assert_eq!(
        result.text(),
        "3 rows.\n\n| name | team | note | avatar |\n|---|---|---|---|\n\
         | Ada | core | likes \\| pipes | <blob 2 bytes> |\n\
         | Grace | web | NULL | NULL |\n\
         | Linus | core | multi line | NULL |\n"
    );
}

#[tokio::test]
async fn query_says_when_rows_were_left_out() {
    let (_dir, path) = database();
    let result = call(
        &Sqlite::open(&path),
        "query",
        json!({"sql": "SELECT id FROM people ORDER BY id", "max_rows": 2}),
    )
    .await;
    assert_eq!(
        result.text(),
        "Showing the first 2 rows; more exist. Raise `max_rows` (at most 1000) or page with LIMIT and OFFSET.\n\n\
         | id |\n|---|\n| 1 |\n| 2 |\n"
    );
}

#[tokio::test]
async fn max_rows_is_bounded() {
    let (_dir, path) = database();
    for max_rows in [0, 1001] {
        let result = call(
            &Sqlite::open(&path),
            "query",
            json!({"sql": "SELECT 1", "max_rows": max_rows}),
        )
        .await;
        assert!(result.is_error);
        assert_eq!(error_kind(&result), "invalid_arguments");
        assert_eq!(
            result.text(),
            format!("`max_rows` must be between 1 and 1000, not {max_rows}")
        );
    }
}

fn file_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[tokio::test]
async fn writes_are_refused_by_sqlite_and_the_file_is_unchanged() {
    let (dir, path) = database();
    let before = file_bytes(&path);
    let outside = dir.path().join("other.sqlite");
    let statements = [
        "INSERT INTO teams VALUES (3, 'ops')".to_owned(),
        "UPDATE people SET name = 'x'".to_owned(),
        "DELETE FROM people".to_owned(),
        "DROP TABLE people".to_owned(),
        "CREATE TABLE t (x)".to_owned(),
        "CREATE TEMP TABLE t (x)".to_owned(),
        format!("ATTACH DATABASE '{}' AS other", outside.display()),
        "PRAGMA journal_mode = delete".to_owned(),
        "PRAGMA user_version = 3".to_owned(),
        "PRAGMA writable_schema = ON".to_owned(),
        "BEGIN IMMEDIATE".to_owned(),
        "VACUUM".to_owned(),
    ];
    for sql in statements {
        let result = call(&Sqlite::open(&path), "query", json!({ "sql": sql })).await;
        assert!(result.is_error, "{sql} was not refused");
        assert!(
            result.text().starts_with("the sqlite server is read-only"),
            "{sql}: {}",
            result.text()
        );
    }
    assert_eq!(file_bytes(&path), before);
    assert!(!outside.exists());
}

#[tokio::test]
async fn introspection_pragmas_are_allowed() {
    let (_dir, path) = database();
    let result = call(
        &Sqlite::open(&path),
        "query",
        json!({"sql": "PRAGMA table_info(teams)"}),
    )
    .await;
    assert!(!result.is_error, "{}", result.text());
    assert!(result.text().starts_with("2 rows."));
}

#[tokio::test]
async fn one_statement_per_call() {
    let (_dir, path) = database();
    let result = call(
        &Sqlite::open(&path),
        "query",
        json!({"sql": "SELECT 1; SELECT 2"}),
    )
    .await;
    assert!(result.is_error);
    assert_eq!(
        result.text(),
        "run one statement per call; this one has several"
    );
    // A write hidden behind a read is refused too (SQLite compiles the tail to check it).
    let result = call(
        &Sqlite::open(&path),
        "query",
        json!({"sql": "SELECT 1; DELETE FROM people"}),
    )
    .await;
    assert!(result.is_error);
    let rows = call(
        &Sqlite::open(&path),
        "query",
        json!({"sql": "SELECT count(*) AS n FROM people"}),
    )
    .await;
    assert_eq!(rows.text(), "1 row.\n\n| n |\n|---|\n| 3 |\n");
}

#[tokio::test]
async fn syntax_errors_name_the_problem() {
    let (_dir, path) = database();
    let result = call(
        &Sqlite::open(&path),
        "query",
        json!({"sql": "SELEC name FROM people"}),
    )
    .await;
    assert!(result.is_error);
    assert_eq!(error_kind(&result), "tool");
    assert!(
        result.text().contains("near \"SELEC\": syntax error"),
        "{}",
        result.text()
    );
}

#[tokio::test]
async fn a_missing_database_is_an_error_not_a_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing.sqlite");
    let result = call(&Sqlite::open(&path), "list_tables", json!({})).await;
    assert!(result.is_error);
    assert!(
        result.text().starts_with("cannot open the database"),
        "{}",
        result.text()
    );
    assert!(!path.exists());
}

#[tokio::test]
async fn the_sample_database_is_created_on_first_use() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("sample.sqlite");
    let server = Sqlite::sample_at(&path);
    let result = call(
        &server,
        "query",
        json!({"sql": "SELECT count(*) AS customers FROM customers"}),
    )
    .await;
    assert_eq!(result.text(), "1 row.\n\n| customers |\n|---|\n| 6 |\n");
    let result = call(&server, "list_tables", json!({})).await;
    assert!(result.text().starts_with("5 tables and views: customers (6 rows), order_items (12 rows), order_totals (8 rows), orders (8 rows), products (6 rows)."));
}

#[tokio::test]
async fn the_schema_and_each_table_are_resources() {
    let (_dir, path) = database();
    let sqlite = Sqlite::open(&path);
    let schema = sqlite
        .read_resource("sqlite://schema", ToolContext::new())
        .await
        .unwrap();
    let listing = call(&sqlite, "list_tables", json!({})).await;
    assert_eq!(
        schema,
        ResourceContents::text("sqlite://schema", "text/markdown", listing.text()),
        "the schema resource is what `list_tables` says"
    );
    let people = sqlite
        .read_resource("sqlite://tables/people", ToolContext::new())
        .await
        .unwrap();
    let described = call(&sqlite, "describe_table", json!({"table": "people"})).await;
    assert_eq!(
        people,
        ResourceContents::text("sqlite://tables/people", "text/markdown", described.text())
    );
    let missing = sqlite
        .read_resource("sqlite://tables/nobody", ToolContext::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&missing, OfferError::Failed(error) if error.message().contains("nobody")),
        "{missing:?}"
    );
    let unknown = sqlite
        .read_resource("sqlite://views", ToolContext::new())
        .await
        .unwrap_err();
    assert!(
        matches!(unknown, OfferError::UnknownResource { .. }),
        "{unknown:?}"
    );
}

#[tokio::test]
async fn table_names_complete_and_prompts_name_them() {
    let (_dir, path) = database();
    let sqlite = Sqlite::open(&path);
    let template = CompletionTarget::ResourceTemplate("sqlite://tables/{name}");
    let completed = sqlite
        .complete(template, "name", "pe", ToolContext::new())
        .await
        .unwrap();
    assert_eq!(completed, ["people"]);
    let prompt = CompletionTarget::Prompt("explore_table");
    let all = sqlite
        .complete(prompt, "table", "", ToolContext::new())
        .await
        .unwrap();
    assert_eq!(all, ["people", "teams"]);

    let arguments = json!({"table": "teams"});
    let explore = sqlite
        .get_prompt(
            "explore_table",
            arguments.as_object().unwrap(),
            ToolContext::new(),
        )
        .await
        .unwrap();
    let [message] = explore.messages.as_slice() else {
        panic!("{explore:?}")
    };
    assert!(
        matches!(&message.content, Content::Text { text } if text.contains("`SELECT * FROM \"teams\" LIMIT 5`")),
        "{explore:?}"
    );
    let missing = sqlite
        .get_prompt("ask_database", &serde_json::Map::new(), ToolContext::new())
        .await
        .unwrap_err();
    assert_eq!(
        missing.to_string(),
        "missing the prompt's required argument `question`"
    );
}

/// The server's next message over a pipe, within 5 s.
async fn next_message(
    lines: &mut tokio::io::Lines<
        tokio::io::BufReader<tokio::io::ReadHalf<tokio::io::DuplexStream>>,
    >,
) -> Value {
    let line = tokio::time::timeout(std::time::Duration::from_secs(5), lines.next_line())
        .await
        .expect("the server sends within 5 s")
        .unwrap()
        .unwrap();
    serde_json::from_str(&line).unwrap()
}

#[tokio::test]
async fn a_subscriber_hears_when_another_process_changes_the_database() {
    use mcp_runtime::host::serve::{McpHandler, serve_lines};
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

    let (_dir, path) = database();
    let server = Sqlite::open(&path).with_change_interval(std::time::Duration::from_millis(20));
    let (client, served) = tokio::io::duplex(1 << 16);
    let (served_input, served_output) = tokio::io::split(served);
    tokio::spawn(serve_lines(
        McpHandler::new(server),
        served_input,
        served_output,
    ));
    let (output, mut input) = tokio::io::split(client);
    let mut lines = tokio::io::BufReader::new(output).lines();
    for message in [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {},
            "clientInfo": {"name": "t", "version": "1"}}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "resources/subscribe",
            "params": {"uri": "sqlite://tables/people"}}),
    ] {
        input
            .write_all(format!("{message}\n").as_bytes())
            .await
            .unwrap();
    }
    let initialized = next_message(&mut lines).await;
    assert_eq!(
        initialized["result"]["capabilities"]["resources"]["subscribe"],
        true
    );
    assert_eq!(next_message(&mut lines).await["result"], json!({}));

    // The watcher has seen the database as it was before this write.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    Connection::open(&path)
        .unwrap()
        .execute(
            "INSERT INTO people (name, team_id) VALUES ('Margaret', 2)",
            [],
        )
        .unwrap();
    let updated = next_message(&mut lines).await;
    assert_eq!(
        updated,
        json!({"jsonrpc": "2.0", "method": "notifications/resources/updated",
            "params": {"uri": "sqlite://tables/people"}})
    );
}
