//! Markdown for the model: a one-line summary first, then only what it needs.

use super::introspect::{Rows, TableDescription, TableSummary};

/// The tables and views, with row counts.
pub fn tables(tables: &[TableSummary]) -> String {
    if tables.is_empty() {
        return "The database has no tables.".to_owned();
    }
    let summary: Vec<String> = tables
        .iter()
        .map(|table| match &table.rows {
            Ok(rows) => format!("{} ({rows} rows)", table.name),
            Err(_) => format!("{} (broken)", table.name),
        })
        .collect();
    let mut text = format!(
        "{} tables and views: {}.\n\n| name | kind | rows |\n|---|---|---|\n",
        tables.len(),
        summary.join(", ")
    );
    for table in tables {
        let rows = match &table.rows {
            Ok(rows) => rows.to_string(),
            Err(problem) => format!("broken: {}", cell(problem)),
        };
        text.push_str(&format!(
            "| {} | {} | {rows} |\n",
            cell(&table.name),
            table.kind,
        ));
    }
    text
}

/// One table's columns, keys and indexes.
pub fn description(table: &TableDescription) -> String {
    let summary = &table.summary;
    let rows = match &summary.rows {
        Ok(rows) => format!("{rows} rows"),
        Err(problem) => format!("no rows it can read ({problem})"),
    };
    let mut text = format!(
        "The {} `{}` has {} columns and {rows}.\n\n| column | type | nullable | default | primary key |\n|---|---|---|---|---|\n",
        summary.kind,
        summary.name,
        table.columns.len(),
    );
    for column in &table.columns {
        text.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            cell(&column.name),
            cell(&column.declared_type),
            if column.not_null { "no" } else { "yes" },
            column.default.as_deref().map(cell).unwrap_or_default(),
            if column.primary_key > 0 {
                column.primary_key.to_string()
            } else {
                String::new()
            },
        ));
    }
    if !table.foreign_keys.is_empty() {
        text.push_str("\nForeign keys:\n");
        for key in &table.foreign_keys {
            let to = key.to.as_deref().unwrap_or("its primary key");
            text.push_str(&format!("- `{}` → `{}`.`{}`\n", key.from, key.table, to));
        }
    }
    if !table.indexes.is_empty() {
        text.push_str("\nIndexes:\n");
        for index in &table.indexes {
            let unique = if index.unique { "unique " } else { "" };
            text.push_str(&format!(
                "- {unique}`{}` on ({})\n",
                index.name,
                index.columns.join(", ")
            ));
        }
    }
    text
}

/// Query results as a table, saying when rows were left out.
pub fn rows(rows: &Rows) -> String {
    let count = rows.rows.len();
    let mut text = if rows.truncated {
        format!(
            "Showing the first {count} rows; more exist. Raise `max_rows` (at most {}) or page with LIMIT and OFFSET.\n",
            super::MAX_ROWS_LIMIT
        )
    } else {
        format!("{count} {}.\n", if count == 1 { "row" } else { "rows" })
    };
    if rows.columns.is_empty() {
        return text;
    }
    text.push_str(&format!(
        "\n| {} |\n",
        rows.columns
            .iter()
            .map(|c| cell(c))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    text.push_str(&format!("|{}\n", "---|".repeat(rows.columns.len())));
    for row in &rows.rows {
        text.push_str(&format!(
            "| {} |\n",
            row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    text
}

/// A table cell: pipes escaped, line breaks as spaces.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}
