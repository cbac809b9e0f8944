//! `google_calendar`: the user's calendars and their events (list, read, create with a Google
//! Meet conference, update, delete), shared free time of up to ten people across their time
//! zones and working hours, and people's time zones; Calendar API v3 with an OAuth token.

pub mod args;
pub mod availability;
mod calendars;
mod client;
mod events;
mod free_busy;
mod render;
mod types;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use mcp_runtime::prelude::*;

pub use client::{Client, DEFAULT_URL, GooglePlatform, OAUTH};

use crate::kit::{Api, encode_segment};
use args::*;

/// The default and the largest page of `list_calendars` (Google's default and largest).
const CALENDAR_PAGE: (u32, u32) = (100, 250);
/// The default and the largest page of `list_events` (Google's default and largest).
const EVENT_PAGE: (u32, u32) = (250, 2500);
/// The most participants `check_availability` takes (Dust's bound).
const PARTICIPANTS: usize = 10;
/// The most addresses `get_user_timezones` looks up in one call (Dust's bound).
const TIMEZONE_LOOKUPS: usize = 50;

/// The `google_calendar` server.
#[derive(Debug, Clone)]
pub struct GoogleCalendar {
    client: Client,
}

impl GoogleCalendar {
    /// The server reaching the Calendar API at `base`, with `token` when a call carries none.
    pub fn new(base: &str, token: Option<String>) -> Self {
        GoogleCalendar {
            client: Api::new(GooglePlatform, base, token),
        }
    }
}

impl crate::kit::Remote for GoogleCalendar {
    type Platform = GooglePlatform;

    fn api_mut(&mut self) -> &mut Client {
        &mut self.client
    }
}

/// The settings of the `google_calendar` server (in the environment: `GOOGLE_CALENDAR_API_URL`,
/// `GOOGLE_CALENDAR_TOKEN`).
#[derive(Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The Calendar API's base URL (default: `https://www.googleapis.com/calendar/v3`).
    pub api_url: Option<String>,
    /// The OAuth access token used when neither the call nor the user's connection carries one.
    pub token: Option<String>,
}

impl GoogleCalendar {
    /// The server `settings` describe; what the registry builds.
    pub fn from_settings(settings: Settings) -> Result<Self, std::convert::Infallible> {
        let base = settings.api_url.as_deref().unwrap_or(DEFAULT_URL);
        Ok(GoogleCalendar::new(base, settings.token))
    }
}

/// Calendars, events, shared availability and time zones in Google Calendar.
#[mcp_server(
    id = 1005,
    availability = "manual",
    allow_multiple_instances,
    name = "google_calendar",
    title = "Google Calendar",
    instructions = "By default when creating a meeting, (1) set the calling user as the organizer \
                    and an attendee (2) check availability for attendees using the \
                    check_availability tool (3) use get_user_timezones to check attendee \
                    timezones for better scheduling.",
    authorization(
        provider = "google_calendar",
        use_cases(platform_actions, personal_actions)
    ),
    documentation_url = "https://developers.google.com/workspace/calendar/api/v3/reference",
    timeout_ms = 60_000,
    parts(calendars, events, free_busy)
)]
impl GoogleCalendar {}

/// `/calendars/{calendarId}`, the id percent-encoded.
fn calendar_path(calendar_id: &str) -> String {
    format!("/calendars/{}", encode_segment(calendar_id))
}

/// `/calendars/{calendarId}/events/{eventId}`.
fn event_path(calendar_id: &str, event_id: &str) -> String {
    format!(
        "{}/events/{}",
        calendar_path(calendar_id),
        encode_segment(event_id)
    )
}

/// `value` of the argument `field`, if it looks like an email address.
fn email<'a>(field: &str, value: &'a str) -> Result<&'a str, McpError> {
    let valid = value.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && !domain.is_empty() && !domain.contains('@')
    }) && !value.chars().any(char::is_whitespace);
    if valid {
        Ok(value)
    } else {
        let shown: String = value.chars().take(80).collect();
        Err(McpError::invalid_arguments(format!(
            "`{field}` must be an email address such as `ana@example.com`, not `{shown}`"
        )))
    }
}

/// An RFC 3339 date and time with its offset, as Google's `date-time` parameters take it.
fn rfc3339(field: &str, value: &str) -> Result<DateTime<FixedOffset>, McpError> {
    DateTime::parse_from_rfc3339(value).map_err(|_| {
        McpError::invalid_arguments(format!(
            "`{field}` must be an RFC 3339 date and time with its offset, such as \
             `2026-12-01T09:00:00Z` or `2026-12-01T10:00:00+01:00`, not `{value}`"
        ))
    })
}

/// An event's start or end (the argument `field`) as Google's description declares it (a
/// date and time with its offset, and the zone when one was given), and its instant. A local
/// time with a `timeZone` gets that zone's offset on that day.
fn event_time(field: &str, time: &EventTime) -> Result<(DateTime<Utc>, EventTime), McpError> {
    let zone = match &time.time_zone {
        Some(name) => Some(name.parse::<Tz>().map_err(|_| {
            McpError::invalid_arguments(format!(
                "`{field}.timeZone` must be an IANA time zone such as `Europe/Paris`, not `{name}`"
            ))
        })?),
        None => None,
    };
    if let Ok(instant) = DateTime::parse_from_rfc3339(&time.date_time) {
        return Ok((instant.to_utc(), time.clone()));
    }
    match (local_date_time(&time.date_time), zone) {
        (Some(local), Some(zone)) => {
            let instant = availability::local(zone, local.date(), local.time());
            let written = instant
                .with_timezone(&zone)
                .to_rfc3339_opts(SecondsFormat::Secs, true);
            Ok((
                instant,
                EventTime {
                    date_time: written,
                    time_zone: time.time_zone.clone(),
                },
            ))
        }
        (Some(_), None) => Err(McpError::invalid_arguments(format!(
            "`{field}.dateTime` `{}` has no offset: add one (`+01:00`, `Z`) or give \
             `{field}.timeZone`",
            time.date_time
        ))),
        (None, _) => Err(McpError::invalid_arguments(format!(
            "`{field}.dateTime` must be an RFC 3339 date and time such as \
             `2026-12-01T10:00:00+01:00`, not `{}`",
            time.date_time
        ))),
    }
}

/// An event's `start` and `end` as Google takes them (see [`event_time`]), the end after the
/// start when both are given.
fn in_order(
    start: Option<&EventTime>,
    end: Option<&EventTime>,
) -> Result<(Option<EventTime>, Option<EventTime>), McpError> {
    let start = start.map(|time| event_time("start", time)).transpose()?;
    let end = end.map(|time| event_time("end", time)).transpose()?;
    if let (Some((start, _)), Some((end, _))) = (&start, &end)
        && end <= start
    {
        return Err(McpError::invalid_arguments("`end` must be after `start`"));
    }
    Ok((start.map(|(_, time)| time), end.map(|(_, time)| time)))
}

/// A bound of `check_availability`'s range: ISO 8601, UTC unless it carries an offset; a date
/// alone is its midnight (UTC).
fn range_bound(value: &str) -> Option<DateTime<Utc>> {
    if let Ok(instant) = DateTime::parse_from_rfc3339(value) {
        return Some(instant.to_utc());
    }
    if let Some(local) = local_date_time(value) {
        return Some(local.and_utc());
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .map(|date| date.and_time(NaiveTime::MIN).and_utc())
}

/// A date and time written without an offset (`2026-12-01T10:00:00`, the seconds optional).
fn local_date_time(value: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .into_iter()
        .find_map(|format| NaiveDateTime::parse_from_str(value, format).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(date_time: &str, time_zone: Option<&str>) -> EventTime {
        EventTime {
            date_time: date_time.to_owned(),
            time_zone: time_zone.map(str::to_owned),
        }
    }

    #[test]
    fn event_times_take_an_offset_or_a_zone() {
        let (at, written) = event_time("start", &time("2026-12-01T10:00:00+01:00", None)).unwrap();
        assert_eq!(at, "2026-12-01T09:00:00Z".parse::<DateTime<Utc>>().unwrap());
        assert_eq!(written.date_time, "2026-12-01T10:00:00+01:00");
        let (at, written) =
            event_time("start", &time("2026-07-01T10:00:00", Some("Europe/Paris"))).unwrap();
        assert_eq!(at, "2026-07-01T08:00:00Z".parse::<DateTime<Utc>>().unwrap());
        assert_eq!(written.date_time, "2026-07-01T10:00:00+02:00");
        assert_eq!(written.time_zone.as_deref(), Some("Europe/Paris"));
        let no_offset = event_time("start", &time("2026-12-01T10:00:00", None)).unwrap_err();
        assert!(
            no_offset.message().contains("has no offset"),
            "{}",
            no_offset.message()
        );
        let bad_zone =
            event_time("end", &time("2026-12-01T10:00:00Z", Some("Mars/Olympus"))).unwrap_err();
        assert!(
            bad_zone.message().contains("`end.timeZone`"),
            "{}",
            bad_zone.message()
        );
        assert!(event_time("start", &time("tomorrow at ten", None)).is_err());
        assert!(
            in_order(
                Some(&time("2026-12-01T10:00:00Z", None)),
                Some(&time("2026-12-01T10:00:00Z", None))
            )
            .is_err()
        );
        assert!(in_order(Some(&time("2026-12-01T10:00:00Z", None)), None).is_ok());
    }

    #[test]
    fn range_bounds_are_utc_unless_they_say_otherwise() {
        let utc = |text: &str| text.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            range_bound("2026-12-01T09:00:00Z"),
            Some(utc("2026-12-01T09:00:00Z"))
        );
        assert_eq!(
            range_bound("2026-12-01T09:00:00-05:00"),
            Some(utc("2026-12-01T14:00:00Z"))
        );
        assert_eq!(
            range_bound("2026-12-01T09:00"),
            Some(utc("2026-12-01T09:00:00Z"))
        );
        assert_eq!(range_bound("2026-12-01"), Some(utc("2026-12-01T00:00:00Z")));
        assert_eq!(range_bound("next week"), None);
    }

    #[test]
    fn emails_are_checked_loosely() {
        assert!(email("attendees[0]", "ana@example.com").is_ok());
        for wrong in ["ana", "@example.com", "ana@", "a b@example.com", "a@b@c"] {
            assert!(email("attendees[0]", wrong).is_err(), "{wrong}");
        }
    }
}
