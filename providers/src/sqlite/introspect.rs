//! Reading the schema and running queries, into typed values for `render`.

use mcp_runtime::McpError;
use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::database::query_error;

/// A table or view with its row count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSummary {
    pub name: String,
    pub kind: String,
    /// The row count, or why it could not be read (a view over a dropped table).
    pub rows: Result<i64, String>,
}

/// A column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub declared_type: String,
    pub not_null: bool,
    pub default: Option<String>,
    /// Position in the primary key, from 1; 0 when not part of it.
    pub primary_key: i64,
}

/// A foreign key of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    pub from: String,
    pub table: String,
    pub to: Option<String>,
}

/// An index of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    pub name: String,
    pub unique: bool,
    pub columns: Vec<String>,
}

/// A table described.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDescription {
    pub summary: TableSummary,
    pub columns: Vec<Column>,
    pub foreign_keys: Vec<ForeignKey>,
    pub indexes: Vec<Index>,
}

/// Rows of a query, as display text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Whether more rows exist beyond `rows`.
    pub truncated: bool,
}

/// Every table and view, by name.
pub fn tables(connection: &Connection) -> Result<Vec<TableSummary>, McpError> {
    let mut statement = connection
        .prepare(
            "SELECT name, type FROM sqlite_schema
             WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .map_err(query_error)?;
    let names = statement
        .query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })
        .map_err(query_error)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(query_error)?;
    names
        .into_iter()
        .map(|(name, kind)| {
            // One broken view does not hide every other table.
            let rows = count_rows(connection, &name).map_err(|error| error.message().to_owned());
            Ok(TableSummary { name, kind, rows })
        })
        .collect()
}

fn count_rows(connection: &Connection, table: &str) -> Result<i64, McpError> {
    let sql = format!("SELECT count(*) FROM {}", quote_identifier(table));
    connection
        .query_row(&sql, [], |row| row.get(0))
        .map_err(query_error)
}

/// The table or view named `table`, or a not-found error listing the existing ones.
pub fn describe(connection: &Connection, table: &str) -> Result<TableDescription, McpError> {
    let all = tables(connection)?;
    let Some(summary) = all.iter().find(|summary| summary.name == table).cloned() else {
        let names: Vec<&str> = all.iter().map(|summary| summary.name.as_str()).collect();
        return Err(McpError::not_found(format!(
            "no table or view named `{table}`; the database has: {}",
            names.join(", ")
        )));
    };
    let columns = connection
        .prepare(r#"SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?1)"#)
        .and_then(|mut statement| {
            statement
                .query_map([table], |row| {
                    Ok(Column {
                        name: row.get(0)?,
                        declared_type: row.get(1)?,
                        not_null: row.get(2)?,
                        default: row.get(3)?,
                        primary_key: row.get(4)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(query_error)?;
    let foreign_keys = connection
        .prepare(
            r#"SELECT "from", "table", "to" FROM pragma_foreign_key_list(?1) ORDER BY id, seq"#,
        )
        .and_then(|mut statement| {
            statement
                .query_map([table], |row| {
                    Ok(ForeignKey {
                        from: row.get(0)?,
                        table: row.get(1)?,
                        to: row.get(2)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(query_error)?;
    let index_names = connection
        .prepare(r#"SELECT name, "unique" FROM pragma_index_list(?1) ORDER BY name"#)
        .and_then(|mut statement| {
            statement
                .query_map([table], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, bool>(1)?))
                })?
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(query_error)?;
    let indexes = index_names
        .into_iter()
        .map(|(name, unique)| {
            let columns = connection
                .prepare("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")
                .and_then(|mut statement| {
                    statement
                        .query_map([&name], |row| row.get::<_, Option<String>>(0))?
                        .map(|column| column.map(|c| c.unwrap_or_else(|| "<expression>".into())))
                        .collect::<Result<Vec<_>, _>>()
                })
                .map_err(query_error)?;
            Ok(Index {
                name,
                unique,
                columns,
            })
        })
        .collect::<Result<Vec<_>, McpError>>()?;
    Ok(TableDescription {
        summary,
        columns,
        foreign_keys,
        indexes,
    })
}

/// The first `max_rows` rows of `sql`, and whether there were more.
pub fn query(connection: &Connection, sql: &str, max_rows: usize) -> Result<Rows, McpError> {
    let mut statement = connection.prepare(sql).map_err(query_error)?;
    let columns: Vec<String> = statement.column_names().map(str::to_owned).collect();
    let mut cursor = statement.query([]).map_err(query_error)?;
    let mut rows = Vec::new();
    let mut truncated = false;
    while let Some(row) = cursor.next().map_err(query_error)? {
        if rows.len() == max_rows {
            truncated = true;
            break;
        }
        let cells = (0..columns.len())
            .map(|index| row.get_ref(index).map(display))
            .collect::<Result<Vec<_>, _>>()
            .map_err(query_error)?;
        rows.push(cells);
    }
    Ok(Rows {
        columns,
        rows,
        truncated,
    })
}

/// The longest text a cell keeps: a result is read into memory before it is bounded.
const CELL_LIMIT: usize = 4096;

fn display(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => "NULL".to_owned(),
        ValueRef::Integer(number) => number.to_string(),
        ValueRef::Real(number) => number.to_string(),
        ValueRef::Text(bytes) if bytes.len() > CELL_LIMIT => {
            let text = String::from_utf8_lossy(&bytes[..CELL_LIMIT]);
            format!(
                "{}… ({} bytes in all)",
                text.trim_end_matches('\u{fffd}'),
                bytes.len()
            )
        }
        ValueRef::Text(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        ValueRef::Blob(bytes) => format!("<blob {} bytes>", bytes.len()),
    }
}

/// `"name"`, with embedded quotes doubled, as SQLite quotes identifiers.
fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}
