//! A failed request as the error the model sees: what failed, and what it can do about it.

use mcp_runtime::McpError;
use serde_json::Value;

use super::retry::{is_throttled, retry_after};
use super::{Failure, Platform};

/// The longest upstream message quoted in an error.
const QUOTE_LIMIT: usize = 300;

/// The error for `failure`, the last of `attempts` attempts at `endpoint`.
pub(super) fn into_error(
    platform: &Platform,
    endpoint: &str,
    failure: Failure,
    attempts: u32,
) -> McpError {
    let name = platform.name;
    let tries = if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    };
    let (status, headers, body) = match failure {
        Failure::Transport(error) => {
            let error = error.without_url();
            return McpError::provider(
                None,
                format!("{name} did not answer `{endpoint}`{tries}: {error}"),
            )
            .with_cause(error);
        }
        Failure::Status {
            status,
            headers,
            body,
        } => (status, headers, body),
    };
    let detail = upstream_message(&body)
        .map(|message| format!(": {message}"))
        .unwrap_or_default();
    let code = status.as_u16();
    if is_throttled(status, &headers) {
        let when = retry_after(&headers).map_or("later".to_owned(), |wait| {
            format!("in {} s", wait.as_secs().max(1))
        });
        return McpError::provider(
            Some(code),
            format!("{name} is rate limiting requests{tries}; try again {when}"),
        );
    }
    match code {
        401 | 403 => McpError::personal_authentication_required(platform.provider),
        404 => McpError::not_found(format!(
            "{name} has nothing at `{endpoint}`{detail}; check the names and numbers in the arguments"
        )),
        500.. => McpError::provider(
            Some(code),
            format!("{name} failed with HTTP {code} on `{endpoint}`{tries}{detail}"),
        ),
        _ => McpError::provider(
            Some(code),
            format!("{name} refused `{endpoint}` with HTTP {code}{detail}"),
        ),
    }
}

/// What the platform said went wrong: GitHub's `message` and `errors`, Jira's `errorMessages`
/// and `errors`, or the start of a plain-text body.
fn upstream_message(body: &[u8]) -> Option<String> {
    let Ok(json) = serde_json::from_slice::<Value>(body) else {
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        // An HTML error page says nothing a model can use.
        return (!text.is_empty() && !text.starts_with('<')).then(|| quote(text));
    };
    let mut parts: Vec<String> = Vec::new();
    if let Some(message) = json.get("message").and_then(Value::as_str) {
        parts.push(message.to_owned());
    }
    match json.get("errors") {
        // GitHub: `[{"resource": "Issue", "field": "title", "code": "missing_field"}]`.
        Some(Value::Array(errors)) => parts.extend(errors.iter().map(|error| {
            match error.get("message").and_then(Value::as_str) {
                Some(message) => message.to_owned(),
                None => ["resource", "field", "code"]
                    .iter()
                    .filter_map(|key| error.get(*key).and_then(Value::as_str))
                    .collect::<Vec<_>>()
                    .join(" "),
            }
        })),
        // Jira: `{"summary": "You must specify a summary of the issue."}`.
        Some(Value::Object(errors)) => {
            parts.extend(errors.iter().map(|(field, message)| {
                format!("{field}: {}", message.as_str().unwrap_or_default())
            }))
        }
        _ => {}
    }
    if let Some(Value::Array(messages)) = json.get("errorMessages") {
        parts.extend(messages.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    let message = parts.join("; ");
    (!message.is_empty()).then(|| quote(&message))
}

fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_and_jira_messages_are_quoted() {
        let github = br#"{"message": "Validation Failed", "errors": [{"resource": "Issue", "field": "title", "code": "missing_field"}]}"#;
        assert_eq!(
            upstream_message(github).unwrap(),
            "Validation Failed; Issue title missing_field"
        );
        let jira =
            br#"{"errorMessages": ["Issue does not exist"], "errors": {"summary": "required"}}"#;
        assert_eq!(
            upstream_message(jira).unwrap(),
            "summary: required; Issue does not exist"
        );
    }

    #[test]
    fn html_pages_and_empty_bodies_say_nothing() {
        assert_eq!(upstream_message(b"<html><body>502</body></html>"), None);
        assert_eq!(upstream_message(b""), None);
        assert_eq!(upstream_message(b"upstream down").unwrap(), "upstream down");
        let long = "x".repeat(400);
        assert_eq!(
            upstream_message(long.as_bytes()).unwrap().chars().count(),
            301
        );
    }
}
