//! The arguments of the Google Calendar tools, named on the wire as Dust's integration names
//! them.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::NaiveTime;
use chrono_tz::Tz;
use mcp_runtime::prelude::*;
use schemars::{Schema, SchemaGenerator, json_schema};
use serde::{Deserializer, de};

use crate::kit::{Segment, SegmentRule};

/// A calendar or event id as Google spells it (`primary`, `ana@example.com`,
/// `en.usa#holiday@group.v.calendar.google.com`, `7cbh8rpc10lrc0ckih9tafss99_20261201T090000Z`);
/// percent-encoded where it enters a URL path.
pub type Id = Segment<GoogleId>;

/// The rule of Google ids: free-form text without whitespace, but not a dot segment.
#[derive(Debug)]
pub enum GoogleId {}

impl SegmentRule for GoogleId {
    const PATTERN: &'static str = r"^(?:[^\s.]\S*|\.[^\s.]\S*|\.\.\S+)$";
    const EXPECTED: &'static str =
        "a Google Calendar id such as `primary`, an email address, or an event id";

    fn accepts(value: &str) -> bool {
        !value.is_empty()
            && value != "."
            && value != ".."
            && !value.chars().any(char::is_whitespace)
    }
}

/// The user's primary calendar.
fn primary() -> Id {
    Segment::new("primary").expect("`primary` is an id")
}

fn yes() -> bool {
    true
}

/// Arguments of `list_calendars`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListCalendars {
    /// The `nextPageToken` of the previous page.
    #[serde(default)]
    pub page_token: Option<String>,
    /// How many calendars per page: 1 to 250 (default 100).
    #[serde(default)]
    pub max_results: Option<u32>,
}

/// Arguments of `list_events`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListEvents {
    /// The calendar's id (default: `primary`, the user's own).
    #[serde(default = "primary")]
    pub calendar_id: Id,
    /// Free text searched in the events' fields.
    #[serde(default)]
    pub q: Option<String>,
    /// RFC 3339 lower bound (inclusive) of the events' end, e.g. `2026-12-01T00:00:00Z`.
    #[serde(default)]
    pub time_min: Option<String>,
    /// RFC 3339 upper bound (exclusive) of the events' start.
    #[serde(default)]
    pub time_max: Option<String>,
    /// How many events per page: 1 to 2500 (default 250).
    #[serde(default)]
    pub max_results: Option<u32>,
    /// The `nextPageToken` of the previous page.
    #[serde(default)]
    pub page_token: Option<String>,
}

/// Arguments of `get_event`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetEvent {
    /// The calendar's id (default: `primary`, the user's own).
    #[serde(default = "primary")]
    pub calendar_id: Id,
    /// The event's id.
    pub event_id: Id,
}

/// When an event starts or ends.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventTime {
    /// RFC 3339 date and time with its offset (`2026-12-01T10:00:00+01:00`), or a local time
    /// (`2026-12-01T10:00:00`) when `timeZone` is given.
    pub date_time: String,
    /// The IANA time zone the time is in (`Europe/Paris`); Google shows the event in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

/// What kind of event to create.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum EventType {
    /// An ordinary event.
    Default,
    /// A Focus Time block: Google Chat on do-not-disturb, conflicting invitations declined.
    /// Primary calendar only; no conference.
    FocusTime,
    /// An out-of-office block: conflicting invitations declined. Primary calendar only; no
    /// conference.
    OutOfOffice,
}

/// Whether an event blocks time.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Transparency {
    /// Busy (Google's default).
    Opaque,
    /// Free: does not block availability.
    Transparent,
}

/// Who sees an event's details.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Visibility {
    /// The calendar's default.
    Default,
    /// Everyone who can see the calendar.
    Public,
    /// Only the attendees; other viewers see "busy".
    Private,
    /// Like private (kept for compatibility).
    Confidential,
}

/// An event's reminders.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Reminders {
    /// Whether the calendar's default reminders apply; `false` with `overrides` for custom ones.
    pub use_default: bool,
    /// Custom reminders (at most 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 5))]
    pub overrides: Option<Vec<Reminder>>,
}

/// One custom reminder.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Reminder {
    /// How the reminder is given.
    pub method: ReminderMethod,
    /// How many minutes before the start (0 to 40320, four weeks).
    #[schemars(range(max = 40320))]
    pub minutes: u32,
}

/// How a reminder is given.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum ReminderMethod {
    /// By email.
    Email,
    /// A notification in the calendar's apps.
    Popup,
}

/// Key-value metadata kept with an event.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExtendedProperties {
    /// Properties private to this calendar's copy of the event (plain strings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private: Option<BTreeMap<String, String>>,
}

/// Arguments of `create_event`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateEvent {
    /// The calendar's id: `primary` for the user's own. Required, so that an approval
    /// remembered for a calendar names it.
    pub calendar_id: Id,
    /// The event's title.
    pub summary: String,
    /// The event's description; basic HTML (`<b>`, `<i>`, `<br>`, `<ul>`, `<li>`,
    /// `<a href='...'>`) as raw tags, never escaped.
    #[serde(default)]
    pub description: Option<String>,
    /// When it starts.
    pub start: EventTime,
    /// When it ends (after the start).
    pub end: EventTime,
    /// The attendees' email addresses.
    #[serde(default)]
    pub attendees: Option<Vec<String>>,
    /// Where it takes place.
    #[serde(default)]
    pub location: Option<String>,
    /// The event's color, `1` to `11`.
    #[serde(default)]
    pub color_id: Option<String>,
    /// Whether to add a Google Meet conference (default: true; never for Focus Time and
    /// out-of-office blocks).
    #[serde(default = "yes")]
    pub create_conference: bool,
    /// The kind of event (default: an ordinary one); it cannot be changed afterwards.
    #[serde(default)]
    pub event_type: Option<EventType>,
    /// `transparent` for an event that does not block availability.
    #[serde(default)]
    pub transparency: Option<Transparency>,
    /// Who sees the event's details.
    #[serde(default)]
    pub visibility: Option<Visibility>,
    /// Custom reminders.
    #[serde(default)]
    pub reminders: Option<Reminders>,
    /// Private key-value metadata.
    #[serde(default)]
    pub extended_properties: Option<ExtendedProperties>,
}

/// Arguments of `update_event`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateEvent {
    /// The calendar's id: `primary` for the user's own. Required, so that an approval
    /// remembered for a calendar names it.
    pub calendar_id: Id,
    /// The event's id.
    pub event_id: Id,
    /// A new title.
    #[serde(default)]
    pub summary: Option<String>,
    /// A new description (only when it is meant to change); basic HTML as raw tags.
    #[serde(default)]
    pub description: Option<String>,
    /// A new start.
    #[serde(default)]
    pub start: Option<EventTime>,
    /// A new end.
    #[serde(default)]
    pub end: Option<EventTime>,
    /// The attendees' email addresses, replacing the current ones.
    #[serde(default)]
    pub attendees: Option<Vec<String>>,
    /// A new location.
    #[serde(default)]
    pub location: Option<String>,
    /// A new color, `1` to `11`.
    #[serde(default)]
    pub color_id: Option<String>,
    /// `true` adds a Google Meet conference; otherwise the current conference is kept.
    #[serde(default)]
    pub create_conference: Option<bool>,
    /// `transparent` for an event that does not block availability.
    #[serde(default)]
    pub transparency: Option<Transparency>,
    /// Who sees the event's details (changes what every viewer sees at once).
    #[serde(default)]
    pub visibility: Option<Visibility>,
    /// Custom reminders.
    #[serde(default)]
    pub reminders: Option<Reminders>,
    /// Private key-value metadata.
    #[serde(default)]
    pub extended_properties: Option<ExtendedProperties>,
}

/// Arguments of `delete_event`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeleteEvent {
    /// The calendar's id: `primary` for the user's own. Required, so that an approval
    /// remembered for a calendar names it.
    pub calendar_id: Id,
    /// The event's id.
    pub event_id: Id,
}

/// Arguments of `check_availability`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CheckAvailability {
    /// The participants (1 to 10), each with their time zone and optional working window.
    #[schemars(length(min = 1, max = 10))]
    pub participants: Vec<Participant>,
    /// ISO 8601 start of the range (UTC unless it has an offset), e.g. `2026-12-01T08:00:00Z`.
    pub start_time_range: String,
    /// ISO 8601 end of the range (UTC unless it has an offset).
    pub end_time_range: String,
    /// Whether each participant's Saturdays and Sundays (in their zone) are unavailable.
    #[serde(default)]
    pub exclude_weekends: bool,
}

/// One participant of `check_availability`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    /// The email address whose calendar is checked.
    pub email: String,
    /// The participant's IANA time zone, e.g. `America/New_York`.
    pub timezone: Zone,
    /// The start of their working window, local time (`HH:mm` or `HH:mm:ss`).
    #[serde(default)]
    pub daily_time_window_start: Option<TimeOfDay>,
    /// The end of their working window, local time (`HH:mm` or `HH:mm:ss`).
    #[serde(default)]
    pub daily_time_window_end: Option<TimeOfDay>,
}

/// Arguments of `get_user_timezones`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetUserTimezones {
    /// The email addresses (1 to 50) whose calendars' time zones to read.
    #[schemars(length(min = 1, max = 50))]
    pub emails: Vec<String>,
}

/// An IANA time zone, checked while the arguments are read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Zone(pub Tz);

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse::<Tz>().map(Zone).map_err(|_| {
            let shown: String = name.chars().take(60).collect();
            de::Error::custom(format!(
                "expected an IANA time zone such as `America/New_York`, not `{shown}`"
            ))
        })
    }
}

impl JsonSchema for Zone {
    fn schema_name() -> Cow<'static, str> {
        "Zone".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string"})
    }
}

/// A time of day, `HH:mm` or `HH:mm:ss` (24-hour), checked while the arguments are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeOfDay(pub NaiveTime);

/// Dust's rule for times of day.
const TIME_OF_DAY: &str = r"^([01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?$";

impl TimeOfDay {
    fn parse(text: &str) -> Option<Self> {
        let parts: Vec<&str> = text.split(':').collect();
        let number = |part: &str, digits: std::ops::RangeInclusive<usize>| {
            (digits.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse::<u32>().ok())
                .flatten()
        };
        let (hour, minute, second) = match parts.as_slice() {
            [h, m] => (number(h, 1..=2)?, number(m, 2..=2)?, 0),
            [h, m, s] => (number(h, 1..=2)?, number(m, 2..=2)?, number(s, 2..=2)?),
            _ => return None,
        };
        NaiveTime::from_hms_opt(hour, minute, second)
            .filter(|_| second < 60)
            .map(TimeOfDay)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        TimeOfDay::parse(&text).ok_or_else(|| {
            let shown: String = text.chars().take(20).collect();
            de::Error::custom(format!(
                "expected a time of day as `HH:mm` or `HH:mm:ss` (24-hour), not `{shown}`"
            ))
        })
    }
}

impl JsonSchema for TimeOfDay {
    fn schema_name() -> Cow<'static, str> {
        "TimeOfDay".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "pattern": TIME_OF_DAY})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn times_of_day_follow_the_pattern_clients_see() {
        let validator =
            jsonschema::validator_for(&json!({"type": "string", "pattern": TIME_OF_DAY})).unwrap();
        for sample in [
            "09:00",
            "9:00",
            "00:00",
            "23:59",
            "23:59:59",
            "24:00",
            "9:0",
            "09:60",
            "09:00:60",
            "09",
            "09:00:00:00",
            "-1:00",
            "0a:00",
            "",
            "12:30:5",
            "1:30:05",
        ] {
            assert_eq!(
                TimeOfDay::parse(sample).is_some(),
                validator.is_valid(&json!(sample)),
                "{sample}"
            );
        }
        assert_eq!(
            TimeOfDay::parse("9:05:30").unwrap().0,
            NaiveTime::from_hms_opt(9, 5, 30).unwrap()
        );
    }

    #[test]
    fn ids_follow_the_pattern_clients_see() {
        let validator =
            jsonschema::validator_for(&json!({"type": "string", "pattern": GoogleId::PATTERN}))
                .unwrap();
        for sample in [
            "primary",
            "ana@example.com",
            "en.usa#holiday@group.v.calendar.google.com",
            "abc_20261201T090000Z",
            "",
            ".",
            "..",
            "...",
            ".a",
            "..a",
            "a.",
            "a b",
            " a",
            "a\tb",
            "a/b",
            "a?b",
            "%2F",
            "naïve",
        ] {
            assert_eq!(
                GoogleId::accepts(sample),
                validator.is_valid(&json!(sample)),
                "{sample:?}"
            );
        }
    }
}
