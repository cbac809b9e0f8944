//! `get_issues` filters as JQL, with every value quoted so a value cannot change the query.

use super::args::{Comparison, Direction, Filter, SortBy};

/// Fields compared as dates: "on or after" the value.
const DATE_FIELDS: [&str; 5] = [
    "created",
    "updated",
    "resolved",
    "duedate",
    "resolutiondate",
];

/// `field op "value" AND ... ORDER BY field DIR`.
/// Whether `jql` restricts nothing (empty, or only `ORDER BY`): Jira Cloud refuses such a search
/// ("Unbounded JQL queries are not allowed here").
pub fn is_unbounded(jql: &str) -> bool {
    let jql = jql.trim();
    let lower = jql.to_ascii_lowercase();
    let restriction = match lower.find("order by") {
        Some(at) => &jql[..at],
        None => jql,
    };
    restriction.trim().is_empty()
}

pub fn from_filters(filters: &[Filter], sort_by: Option<&SortBy>) -> String {
    let conditions: Vec<String> = filters.iter().map(condition).collect();
    let order = match sort_by {
        Some(sort) => format!(
            "ORDER BY {} {}",
            field(&sort.field),
            match sort.direction {
                Direction::Asc => "ASC",
                Direction::Desc => "DESC",
            }
        ),
        None => "ORDER BY updated DESC".to_owned(),
    };
    if conditions.is_empty() {
        order
    } else {
        format!("{} {order}", conditions.join(" AND "))
    }
}

fn condition(filter: &Filter) -> String {
    let name = field(&filter.field);
    let is_date = DATE_FIELDS.contains(&filter.field.to_ascii_lowercase().as_str());
    let operator = match filter.comparison {
        Comparison::Equals if is_date => ">=",
        Comparison::Equals => "=",
        Comparison::Contains => "~",
        Comparison::NotEquals => "!=",
    };
    format!("{name} {operator} {}", value(&filter.value))
}

/// A field name as is when it is a plain identifier, quoted otherwise (`"Story Points"`).
fn field(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.'));
    if plain { name.to_owned() } else { quote(name) }
}

/// A value quoted, except JQL functions without arguments such as `currentUser()`.
fn value(value: &str) -> String {
    let function = value
        .strip_suffix("()")
        .is_some_and(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()));
    if function {
        value.to_owned()
    } else {
        quote(value)
    }
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_without_a_restriction_are_unbounded() {
        assert!(is_unbounded(""));
        assert!(is_unbounded("  ORDER BY created DESC"));
        assert!(is_unbounded("order by updated"));
        assert!(!is_unbounded("project = PROJ ORDER BY created"));
        assert!(!is_unbounded("assignee = currentUser()"));
    }

    fn filter(field: &str, value: &str, comparison: Comparison) -> Filter {
        Filter {
            field: field.to_owned(),
            value: value.to_owned(),
            comparison,
        }
    }

    #[test]
    fn filters_become_quoted_conditions() {
        let filters = [
            filter("project", "PROJ", Comparison::Equals),
            filter("status", "In Progress", Comparison::NotEquals),
            filter("summary", "login \"SSO\"", Comparison::Contains),
            filter("assignee", "currentUser()", Comparison::Equals),
            filter("updated", "-7d", Comparison::Equals),
            filter("Story Points", "3", Comparison::Equals),
        ];
        assert_eq!(
            from_filters(&filters, None),
            r#"project = "PROJ" AND status != "In Progress" AND summary ~ "login \"SSO\"" AND assignee = currentUser() AND updated >= "-7d" AND "Story Points" = "3" ORDER BY updated DESC"#
        );
    }

    #[test]
    fn values_cannot_break_out_of_their_quotes() {
        let filters = [filter(
            "project",
            r#"PROJ" OR project = "SECRET"#,
            Comparison::Equals,
        )];
        assert_eq!(
            from_filters(&filters, None),
            r#"project = "PROJ\" OR project = \"SECRET" ORDER BY updated DESC"#
        );
    }

    #[test]
    fn sort_order() {
        let sort = SortBy {
            field: "priority".to_owned(),
            direction: Direction::Asc,
        };
        assert_eq!(from_filters(&[], Some(&sort)), "ORDER BY priority ASC");
    }
}
