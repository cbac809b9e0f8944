//! Names: the defaults the macros derive, and the rules tool names follow on the wire.

/// Hosts prefix tool names with the server name and cap the result at this length. The runtime
/// checks instances' names by the same budget (`mcp_runtime::host::PREFIXED_NAME_BUDGET`): keep
/// the two equal.
pub(crate) const PREFIXED_NAME_BUDGET: usize = 64;

/// The longest name a host makes of a tool: Claude Code's `mcp__<server>__<tool>` (others use
/// `<server>__<tool>` or less).
pub(crate) fn host_name(server: &str, tool: &str) -> String {
    format!("mcp__{server}__{tool}")
}

/// How long a tool name of `server` may be within [`PREFIXED_NAME_BUDGET`].
pub(crate) fn room_for_tools(server: &str) -> usize {
    PREFIXED_NAME_BUDGET.saturating_sub(host_name(server, "").len())
}

/// `GoogleCalendar` → `google_calendar`, `HTTPClient` → `http_client`.
pub(crate) fn snake_case(ident: &str) -> String {
    let chars: Vec<char> = ident.trim_start_matches("r#").chars().collect();
    let mut out = String::with_capacity(chars.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev_lower =
                i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let prev_upper = i > 0 && chars[i - 1].is_uppercase();
            if i > 0 && (prev_lower || (prev_upper && next_lower)) && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `get_issue` → `GetIssue`; a leading digit gets a `Tool` prefix to stay an identifier.
pub(crate) fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.trim_start_matches("r#").split(['_', '-']) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.extend(chars);
        }
    }
    if out.chars().next().is_none_or(|c| c.is_ascii_digit()) {
        out.insert_str(0, "Tool");
    }
    out
}

/// Whether `name` is usable on the wire by every client: `[A-Za-z0-9_-]`, not empty.
pub(crate) fn is_wire_safe(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Prefixes that name a change to the platform; a tool starting with one is not `never_ask`.
const WRITE_PREFIXES: &[&str] = &[
    "create",
    "update",
    "delete",
    "remove",
    "send",
    "post",
    "add",
    "set",
    "write",
    "put",
    "patch",
    "upload",
    "insert",
    "edit",
    "archive",
    "close",
    "merge",
    "move",
    "assign",
    "transition",
    "submit",
    "publish",
    "cancel",
    "complete",
    "comment",
];

/// The write verb `name` starts with, if any (`create_issue`, `create-issue` and
/// `createIssue` → `create`).
pub(crate) fn write_verb(name: &str) -> Option<&'static str> {
    let first = name.split(['_', '-']).next()?;
    // camelCase and PascalCase: the first word ends before the next capital.
    let end = first
        .char_indices()
        .skip(1)
        .find(|(_, c)| c.is_ascii_uppercase())
        .map_or(first.len(), |(index, _)| index);
    let first = &first[..end];
    WRITE_PREFIXES
        .iter()
        .copied()
        .find(|verb| first.eq_ignore_ascii_case(verb))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_of_type_names() {
        assert_eq!(snake_case("Jira"), "jira");
        assert_eq!(snake_case("GoogleCalendar"), "google_calendar");
        assert_eq!(snake_case("HTTPClient"), "http_client");
        assert_eq!(snake_case("Sqlite3Server"), "sqlite3_server");
    }

    #[test]
    fn camel_case_of_tool_names() {
        assert_eq!(camel_case("get_issue"), "GetIssue");
        assert_eq!(camel_case("list-pull-requests"), "ListPullRequests");
        assert_eq!(camel_case("r#type"), "Type");
    }

    #[test]
    fn wire_safety() {
        assert!(is_wire_safe("get_issue-2"));
        assert!(!is_wire_safe("get issue"));
        assert!(!is_wire_safe("get.issue"));
        assert!(!is_wire_safe(""));
    }

    #[test]
    fn write_verbs() {
        assert_eq!(write_verb("create_issue"), Some("create"));
        assert_eq!(write_verb("comment_on_issue"), Some("comment"));
        assert_eq!(write_verb("get_issue"), None);
        assert_eq!(write_verb("settings"), None);
        assert_eq!(write_verb("createIssue"), Some("create"));
        assert_eq!(write_verb("CreateIssue"), Some("create"));
        assert_eq!(write_verb("getIssue"), None);
    }
}
