//! Google Calendar API v3: Google's OAuth endpoints, its error format and its throttling.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::connect::{AccountLookup, OAuthEndpoints};
use crate::kit::{Api, Identity, Platform};

/// The Calendar API v3 on Google's API host.
pub const DEFAULT_URL: &str = "https://www.googleapis.com/calendar/v3";

/// Google's OAuth 2.0 endpoints and the scopes the tools need (Dust's): calendars and events.
/// Google hands out a refresh token only with `access_type=offline`, and again on a later
/// consent only with `prompt=consent`.
pub const OAUTH: OAuthEndpoints = OAuthEndpoints {
    authorize_url: "https://accounts.google.com/o/oauth2/v2/auth",
    token_url: "https://oauth2.googleapis.com/token",
    scopes: &[
        "https://www.googleapis.com/auth/calendar",
        "https://www.googleapis.com/auth/calendar.events",
    ],
    authorize_params: &[
        ("access_type", "offline"),
        ("prompt", "consent"),
        ("include_granted_scopes", "true"),
    ],
    // The primary calendar's id is its owner's address.
    account: Some(AccountLookup {
        url: "https://www.googleapis.com/calendar/v3/users/me/calendarList/primary",
        pointer: "/id",
    }),
    revocation_url: Some("https://oauth2.googleapis.com/revoke"),
};

static GOOGLE_CALENDAR: Identity = Identity {
    name: "Google Calendar",
    provider: "google_calendar",
    connect_hint: "set `GOOGLE_CALENDAR_TOKEN` (an OAuth access token) in the server's \
                   environment, or connect with OAuth",
};

/// The reasons Google gives when a 403 is throttling, not a refusal: the per-minute limits
/// (`quotaExceeded`, a daily quota, does not pass by retrying soon).
const THROTTLING_REASONS: &[&str] = &["rateLimitExceeded", "userRateLimitExceeded"];

/// What is Google's own in talking to it: its error format and its throttling.
#[derive(Debug, Clone, Copy)]
pub struct GooglePlatform;

impl Platform for GooglePlatform {
    fn identity(&self) -> &'static Identity {
        &GOOGLE_CALENDAR
    }

    /// `error.message`, and each of `error.errors[].message` that says more
    /// (`{"error": {"code": 400, "message": "..", "errors": [{"domain", "reason", "message"}]}}`).
    fn error_messages(&self, body: &Value) -> Vec<String> {
        let error = &body["error"];
        let mut messages: Vec<String> = Vec::new();
        let mut add = |message: Option<&str>| {
            if let Some(message) = message.filter(|message| !message.is_empty())
                && !messages.iter().any(|known| known == message)
            {
                messages.push(message.to_owned());
            }
        };
        match error {
            // OAuth's own answers: `{"error": "invalid_grant", "error_description": ".."}`.
            Value::String(code) => add(body["error_description"].as_str().or(Some(code))),
            _ => {
                add(error["message"].as_str());
                for detail in error["errors"].as_array().into_iter().flatten() {
                    add(detail["message"].as_str());
                }
            }
        }
        messages
    }

    /// 429; and 403 whose reason is a rate limit (Google's usual throttling answer).
    fn is_throttled(&self, status: StatusCode, _headers: &HeaderMap, body: &[u8]) -> bool {
        status == StatusCode::TOO_MANY_REQUESTS
            || (status == StatusCode::FORBIDDEN && names_a_rate_limit(body))
    }
}

/// Whether an error body gives a rate limit among its `error.errors[].reason`s.
fn names_a_rate_limit(body: &[u8]) -> bool {
    let Ok(body) = serde_json::from_slice::<Value>(body) else {
        return false;
    };
    body["error"]["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|detail| detail["reason"].as_str())
        .any(|reason| THROTTLING_REASONS.contains(&reason))
}

/// A connection to the Calendar API.
pub type Client = Api<GooglePlatform>;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn error(reason: &str) -> Vec<u8> {
        json!({"error": {"code": 403, "message": "Rate Limit Exceeded", "errors": [
            {"domain": "usageLimits", "reason": reason, "message": "Rate Limit Exceeded"}
        ]}})
        .to_string()
        .into_bytes()
    }

    #[test]
    fn a_rate_limit_403_is_throttling_and_a_quota_or_a_refusal_is_not() {
        let headers = HeaderMap::new();
        let throttled = |status: u16, body: &[u8]| {
            GooglePlatform.is_throttled(StatusCode::from_u16(status).unwrap(), &headers, body)
        };
        assert!(throttled(403, &error("rateLimitExceeded")));
        assert!(throttled(403, &error("userRateLimitExceeded")));
        assert!(throttled(429, b""));
        assert!(!throttled(403, &error("quotaExceeded")));
        assert!(!throttled(403, &error("forbidden")));
        assert!(!throttled(403, b"<html>Forbidden</html>"));
        assert!(!throttled(400, &error("rateLimitExceeded")));
    }

    #[test]
    fn messages_are_the_error_and_its_details_once_each() {
        let body = json!({"error": {"code": 400, "message": "Invalid attendee email.", "errors": [
            {"domain": "global", "reason": "invalid", "message": "Invalid attendee email."},
            {"domain": "global", "reason": "timeRangeEmpty", "message": "The specified time range is empty."}
        ], "status": "INVALID_ARGUMENT"}});
        assert_eq!(
            GooglePlatform.error_messages(&body),
            [
                "Invalid attendee email.",
                "The specified time range is empty."
            ]
        );
        let oauth = json!({"error": "invalid_grant", "error_description": "Token has been expired or revoked."});
        assert_eq!(
            GooglePlatform.error_messages(&oauth),
            ["Token has been expired or revoked."]
        );
        assert!(
            GooglePlatform
                .error_messages(&json!({"message": 3}))
                .is_empty()
        );
    }
}
