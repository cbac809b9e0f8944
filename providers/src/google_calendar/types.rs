//! The parts of Google Calendar's responses the tools read (fields as the discovery document
//! names them; every one optional, as Google leaves out what is unset).

use std::collections::BTreeMap;

use serde::Deserialize;

/// A page of the user's calendar list (`CalendarList`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarList {
    #[serde(default)]
    pub items: Vec<CalendarListEntry>,
    pub next_page_token: Option<String>,
}

/// A calendar on the user's list.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarListEntry {
    pub id: String,
    pub summary: Option<String>,
    /// The name the user gave the calendar, shown instead of its own.
    pub summary_override: Option<String>,
    pub description: Option<String>,
    pub time_zone: Option<String>,
    pub access_role: Option<String>,
    #[serde(default)]
    pub primary: bool,
}

/// A calendar's own metadata (`Calendar`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Calendar {
    pub time_zone: Option<String>,
}

/// A page of a calendar's events (`Events`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Events {
    #[serde(default)]
    pub items: Vec<Event>,
    pub next_page_token: Option<String>,
    /// The calendar's time zone.
    pub time_zone: Option<String>,
}

/// An event.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    pub id: Option<String>,
    pub status: Option<String>,
    pub html_link: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub location: Option<String>,
    pub start: Option<EventDateTime>,
    pub end: Option<EventDateTime>,
    pub organizer: Option<Person>,
    #[serde(default)]
    pub attendees: Vec<Attendee>,
    pub hangout_link: Option<String>,
    pub conference_data: Option<ConferenceData>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    #[serde(default)]
    pub recurrence: Vec<String>,
    pub recurring_event_id: Option<String>,
    pub transparency: Option<String>,
    pub visibility: Option<String>,
    pub event_type: Option<String>,
    pub reminders: Option<Reminders>,
}

/// When an event starts or ends: `date` for all-day events, else `dateTime` (with its offset),
/// and the zone it was given in.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventDateTime {
    pub date: Option<String>,
    pub date_time: Option<String>,
    pub time_zone: Option<String>,
}

/// An event's organizer.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub email: Option<String>,
    pub display_name: Option<String>,
}

/// An event's attendee.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attendee {
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub response_status: Option<String>,
    #[serde(default)]
    pub organizer: bool,
    #[serde(default)]
    pub optional: bool,
    #[serde(default)]
    pub resource: bool,
}

/// An event's conference (Google Meet, or an add-on's).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConferenceData {
    #[serde(default)]
    pub entry_points: Vec<EntryPoint>,
    pub create_request: Option<CreateRequest>,
}

/// A way to join a conference.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryPoint {
    /// `video`, `phone`, `sip`, `more`.
    pub entry_point_type: Option<String>,
    pub uri: Option<String>,
    pub label: Option<String>,
    pub pin: Option<String>,
}

/// A conference being created.
#[derive(Debug, Deserialize)]
pub struct CreateRequest {
    pub status: Option<RequestStatus>,
}

/// Where the creation of a conference stands.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestStatus {
    /// `pending`, `success`, `failure`.
    pub status_code: Option<String>,
}

/// A file attached to an event.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub file_url: Option<String>,
    pub title: Option<String>,
    pub mime_type: Option<String>,
}

/// An event's reminders.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reminders {
    #[serde(default)]
    pub use_default: bool,
    #[serde(default)]
    pub overrides: Vec<Reminder>,
}

/// One reminder.
#[derive(Debug, Deserialize)]
pub struct Reminder {
    pub method: Option<String>,
    pub minutes: Option<i64>,
}

/// The answer of a free/busy query (`FreeBusyResponse`).
#[derive(Debug, Deserialize)]
pub struct FreeBusy {
    #[serde(default)]
    pub calendars: BTreeMap<String, FreeBusyCalendar>,
}

/// One calendar's busy periods, or why there are none.
#[derive(Debug, Deserialize)]
pub struct FreeBusyCalendar {
    #[serde(default)]
    pub busy: Vec<TimePeriod>,
    #[serde(default)]
    pub errors: Vec<FreeBusyError>,
}

/// A busy period.
#[derive(Debug, Deserialize)]
pub struct TimePeriod {
    pub start: String,
    pub end: String,
}

/// Why a calendar's free/busy is unknown (`notFound`, `internalError`, ...).
#[derive(Debug, Deserialize)]
pub struct FreeBusyError {
    pub reason: String,
}
