//! Salesforce answers as markdown: the summary first, then only what matters.

use std::fmt::Write as _;

use serde_json::Value;

use super::args::ObjectFilter;
use super::types::{Describe, Field, GlobalObject, Ordered, QueryResult, SaveResult};
use crate::markdown::{counted, one_line};

/// The most rows of a query result shown; the answer says how many more there are.
const ROW_LIMIT: usize = 200;

/// The longest cell shown whole (a long text area is cut, so one field cannot crowd out the
/// rest of the table).
const CELL_LIMIT: usize = 300;

/// How many active picklist values a field shows.
const PICKLIST_SHOWN: usize = 5;

/// A query's first batch as a table: parent fields flattened (`Owner.Name`), child sub-query
/// results counted, Salesforce's `attributes` left out.
pub fn query(result: &QueryResult) -> String {
    let mut text = format!("Query returned {}.", counted(result.total_size, "record"));
    let received = result.records.len();
    if !result.done || received > ROW_LIMIT {
        let shown = received.min(ROW_LIMIT);
        let _ = write!(
            text,
            " More records are available: showing the first {shown} of {}; add a `LIMIT` or a \
             narrower `WHERE` to the query to see the others.",
            result.total_size
        );
    }
    if result.records.is_empty() {
        return text;
    }
    let rows: Vec<Vec<(String, String)>> = result
        .records
        .iter()
        .take(ROW_LIMIT)
        .map(|record| {
            let mut cells = Vec::new();
            flatten("", record, &mut cells);
            cells
        })
        .collect();
    let mut columns: Vec<&str> = Vec::new();
    for (name, _) in rows.iter().flatten() {
        if !columns.contains(&name.as_str()) {
            columns.push(name);
        }
    }
    let _ = write!(text, "\n\n| {} |\n|", columns.join(" | "));
    text.push_str(&" --- |".repeat(columns.len()));
    for row in &rows {
        text.push_str("\n|");
        for column in &columns {
            let cell = row
                .iter()
                .find(|(name, _)| name == column)
                .map_or("", |(_, value)| value.as_str());
            let _ = write!(text, " {} |", cell);
        }
    }
    text
}

/// The cells of `record`, parents' fields under `Parent.Field`.
fn flatten(prefix: &str, record: &Ordered, cells: &mut Vec<(String, String)>) {
    let Ordered::Object(entries) = record else {
        return;
    };
    for (name, value) in entries {
        if name == "attributes" {
            continue;
        }
        let name = format!("{prefix}{name}");
        match value {
            // A child sub-query's result.
            Ordered::Object(_) if value.get("records").is_some() => {
                let count = match value.get("totalSize") {
                    Some(Ordered::Other(total)) => total.as_u64().unwrap_or_default(),
                    _ => 0,
                };
                cells.push((name, counted(count, "record")));
            }
            Ordered::Object(_) => flatten(&format!("{name}."), value, cells),
            Ordered::Other(other) => cells.push((name, cell(other))),
        }
    }
}

/// A value in a table cell: on one line, cut after `CELL_LIMIT` characters, pipes escaped.
fn cell(value: &Value) -> String {
    let text = match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    let mut text = one_line(&text);
    if let Some((cut, _)) = text.char_indices().nth(CELL_LIMIT) {
        text.truncate(cut);
        text.push('…');
    }
    text.replace('|', "\\|")
}

/// The organization's objects, one line each.
pub fn objects(objects: &[&GlobalObject], filter: ObjectFilter) -> String {
    let kind = match filter {
        ObjectFilter::All => "",
        ObjectFilter::Standard => "standard ",
        ObjectFilter::Custom => "custom ",
    };
    let mut text = format!(
        "Found {} {kind}{}.",
        objects.len(),
        crate::markdown::plural(objects.len() as u64, "object")
    );
    if !objects.is_empty() {
        text.push('\n');
    }
    for object in objects {
        let _ = write!(
            text,
            "\n- {} (display_name=\"{}\")",
            object.name, object.label
        );
    }
    text
}

/// An object's metadata: what it allows, its fields (standard then custom) and its children.
pub fn describe(object: &Describe) -> String {
    let mut text = format!(
        "# {} ({})\n\n**Label:** {} / {}",
        object.name, object.label, object.label, object.label_plural
    );
    if let Some(prefix) = &object.key_prefix {
        let _ = write!(text, "\n**Key prefix:** {prefix}");
    }
    let flags = [
        ("queryable", object.queryable),
        ("createable", object.createable),
        ("updateable", object.updateable),
        ("deletable", object.deletable),
        ("feedEnabled", object.feed_enabled),
        ("custom", object.custom),
    ];
    let _ = write!(
        text,
        "\n**Capabilities:** {}",
        flags
            .iter()
            .map(|(name, on)| format!("{name}={on}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for (heading, custom) in [("Standard fields", false), ("Custom fields", true)] {
        let fields: Vec<&Field> = object
            .fields
            .iter()
            .filter(|field| field.custom == custom)
            .collect();
        if fields.is_empty() {
            continue;
        }
        let _ = write!(text, "\n\n## {heading} ({})\n", fields.len());
        for field in fields {
            text.push('\n');
            text.push_str(&describe_field(field));
        }
    }
    let children: Vec<_> = object
        .child_relationships
        .iter()
        .filter_map(|child| Some((child.relationship_name.as_deref()?, child)))
        .collect();
    if !children.is_empty() {
        let _ = write!(text, "\n\n## Child relationships ({})\n", children.len());
        for (name, child) in children {
            let _ = write!(
                text,
                "\n- {name}: {} (field on child: {})",
                child.child_object, child.field
            );
        }
    }
    text.push_str(
        "\n\nCustom objects and fields end in `__c`; query a custom lookup's parent fields \
         through its relationship name ending in `__r` (e.g. `Account__r.Name`).",
    );
    text
}

fn describe_field(field: &Field) -> String {
    let mut text = format!(
        "- {} (Label: \"{}\", Type: {}",
        field.name, field.label, field.kind
    );
    if !field.reference_to.is_empty() {
        let _ = write!(text, " -> References: {}", field.reference_to.join(", "));
        if let Some(relationship) = &field.relationship_name {
            let _ = write!(text, " (use `{relationship}.Name` for parent fields)");
        }
    }
    let active: Vec<&str> = field
        .picklist_values
        .iter()
        .filter(|entry| entry.active)
        .map(|entry| entry.value.as_str())
        .collect();
    if !active.is_empty() {
        let more = if active.len() > PICKLIST_SHOWN {
            ", ..."
        } else {
            ""
        };
        let shown: Vec<&str> = active.iter().take(PICKLIST_SHOWN).copied().collect();
        let _ = write!(text, ", Values: {}{more}", shown.join(", "));
    }
    let _ = write!(
        text,
        ", Nillable: {}, Createable: {}, Updateable: {})",
        field.nillable, field.createable, field.updateable
    );
    text
}

/// The outcome of each record of a create or update: its id, or why it failed.
pub fn saved(verb: &str, object: &str, results: &[SaveResult], ids: &[Option<&str>]) -> String {
    let succeeded = results.iter().filter(|result| result.success).count();
    let mut text = format!(
        "{verb} of {} {object} completed: {succeeded} successful, {} failed.\n",
        results.len(),
        results.len() - succeeded
    );
    for (index, result) in results.iter().enumerate() {
        let id = result
            .id
            .as_deref()
            .or_else(|| ids.get(index).copied().flatten());
        let _ = write!(text, "\n{}. ", index + 1);
        if result.success {
            let _ = write!(text, "OK: {}", id.unwrap_or("?"));
            continue;
        }
        text.push_str("Failed");
        if let Some(id) = id {
            let _ = write!(text, " ({id})");
        }
        let reasons: Vec<String> = result
            .errors
            .iter()
            .map(|error| {
                let fields = if error.fields.is_empty() {
                    String::new()
                } else {
                    format!(" (fields: {})", error.fields.join(", "))
                };
                format!("{}: {}{fields}", error.status_code, error.message)
            })
            .collect();
        let _ = write!(text, ": {}", reasons.join("; "));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(json: &str) -> QueryResult {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn grandparents_flatten_in_the_order_salesforce_sent_them() {
        let table = query(&result(
            r#"{"totalSize": 1, "done": true, "records": [{"attributes": {"type": "Contact"},
                "LastName": "Diaz", "Account": {"attributes": {"type": "Account"}, "Name": "Acme",
                "Owner": {"attributes": {"type": "User"}, "Name": "Ana Lima"}}, "Email": null}]}"#,
        ));
        assert_eq!(
            table,
            "Query returned 1 record.\n\n| LastName | Account.Name | Account.Owner.Name | Email |\n| --- | --- | --- | --- |\n| Diaz | Acme | Ana Lima |  |"
        );
    }

    #[test]
    fn long_cells_are_cut() {
        let long = "é".repeat(CELL_LIMIT + 50);
        let shown = cell(&Value::String(long));
        assert_eq!(shown.chars().count(), CELL_LIMIT + 1);
        assert!(shown.ends_with("é…"));
        assert_eq!(cell(&serde_json::json!(12.5)), "12.5");
        assert_eq!(cell(&serde_json::json!("a|b\nc")), "a\\|b c");
    }
}
