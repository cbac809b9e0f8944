//! A failed request as the error the model sees: what failed, and what it can do about it.

use mcp_runtime::{McpError, ToolContext};
use reqwest::StatusCode;
use serde_json::Value;

use super::retry::retry_after;
use super::{Failure, Platform};

/// The longest upstream message quoted in an error.
const QUOTE_LIMIT: usize = 300;

/// The error for `failure`, the last of `attempts` attempts at `endpoint`.
pub(super) fn into_error(
    platform: &impl Platform,
    ctx: &ToolContext,
    endpoint: &str,
    failure: Failure,
    attempts: u32,
) -> McpError {
    let identity = platform.identity();
    let name = identity.name;
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
    let detail = upstream_message(platform, &body)
        .map(|message| format!(": {message}"))
        .unwrap_or_default();
    let code = status.as_u16();
    if platform.is_throttled(status, &headers, &body) {
        let when = retry_after(&headers).map_or("later".to_owned(), |wait| {
            format!("in {} s", wait.as_secs().max(1))
        });
        return McpError::provider(
            Some(code),
            format!("{name} is rate limiting requests{tries}; try again {when}"),
        );
    }
    match status {
        StatusCode::UNAUTHORIZED => {
            McpError::personal_authentication_required(identity.connection_key(ctx))
        }
        // The token works but may not do this: reconnecting would not help.
        StatusCode::FORBIDDEN => McpError::provider(
            Some(code),
            format!("{name} denied `{endpoint}`: the connected account may not do this{detail}"),
        )
        .untracked(),
        StatusCode::NOT_FOUND => McpError::not_found(format!(
            "{name} has nothing at `{endpoint}`{detail}; check the names and numbers in the arguments"
        )),
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => McpError::provider(
            Some(code),
            format!("{name} refused `{endpoint}` as invalid{detail}"),
        )
        .untracked(),
        _ if status.is_server_error() => McpError::provider(
            Some(code),
            format!("{name} failed with HTTP {code} on `{endpoint}`{tries}{detail}"),
        ),
        _ => McpError::provider(
            Some(code),
            format!("{name} refused `{endpoint}` with HTTP {code}{detail}"),
        ),
    }
}

/// What the platform said went wrong, or the start of a plain-text body.
fn upstream_message(platform: &impl Platform, body: &[u8]) -> Option<String> {
    let Ok(json) = serde_json::from_slice::<Value>(body) else {
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        // An HTML error page says nothing a model can use.
        return (!text.is_empty() && !text.starts_with('<')).then(|| quote(text));
    };
    let message = platform.error_messages(&json).join("; ");
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
    use crate::kit::platform::Plain;

    #[test]
    fn html_pages_and_empty_bodies_say_nothing() {
        assert_eq!(
            upstream_message(&Plain, b"<html><body>502</body></html>"),
            None
        );
        assert_eq!(upstream_message(&Plain, b""), None);
        assert_eq!(
            upstream_message(&Plain, b"upstream down").unwrap(),
            "upstream down"
        );
        assert_eq!(
            upstream_message(&Plain, br#"{"message": "Bad credentials"}"#).unwrap(),
            "Bad credentials"
        );
        let long = "x".repeat(400);
        assert_eq!(
            upstream_message(&Plain, long.as_bytes())
                .unwrap()
                .chars()
                .count(),
            301
        );
    }
}
