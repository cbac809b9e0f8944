//! What the model reads: markdown, summary first, the fields that matter, the next page's token.

use std::fmt::Write as _;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use chrono_tz::Tz;

use super::availability::Interval;
use super::types::{CalendarList, Event, EventDateTime, Events};
use crate::markdown::{counted, field, one_line, plural};

/// The most attendees an event shows.
const ATTENDEES_SHOWN: usize = 20;
/// The longest description an event of a list shows.
const LIST_DESCRIPTION: usize = 300;
/// The most free slots `check_availability` shows (Dust's).
pub const SLOTS_SHOWN: usize = 10;

/// A page of the user's calendars.
pub fn calendars(list: &CalendarList) -> String {
    let mut text = counted(list.items.len() as u64, "calendar");
    match &list.next_page_token {
        Some(token) => {
            let _ = write!(text, " (more: pass `pageToken` = `{token}`).");
        }
        None => text.push('.'),
    }
    text.push_str("\n\n");
    for calendar in &list.items {
        let name = calendar
            .summary_override
            .as_deref()
            .or(calendar.summary.as_deref())
            .unwrap_or("(untitled)");
        let mut facts = Vec::new();
        if calendar.primary {
            facts.push("primary".to_owned());
        }
        facts.extend(calendar.access_role.clone());
        facts.extend(calendar.time_zone.clone());
        let _ = write!(text, "- **{name}** `{}`", calendar.id);
        if !facts.is_empty() {
            let _ = write!(text, " ({})", facts.join("; "));
        }
        if let Some(description) = calendar.description.as_deref().filter(|d| !d.is_empty()) {
            let _ = write!(text, ": {}", cut(&one_line(description), LIST_DESCRIPTION));
        }
        text.push('\n');
    }
    text
}

/// A page of a calendar's events.
pub fn events(page: &Events, calendar_id: &str) -> String {
    let count = page.items.len() as u64;
    let mut text = format!("Found {} on `{calendar_id}`", counted(count, "event"));
    if let Some(zone) = &page.time_zone {
        let _ = write!(text, " (calendar time zone {zone})");
    }
    match &page.next_page_token {
        Some(token) => {
            let _ = write!(text, "; more available: pass `pageToken` = `{token}`.");
        }
        None => text.push('.'),
    }
    if page.items.is_empty() {
        text.push_str("\n\nNo events found.");
        return text;
    }
    let shown: Vec<String> = page
        .items
        .iter()
        .map(|event| self::event(event, page.time_zone.as_deref(), true))
        .collect();
    // A rule needs a blank line above it, or markdown reads the line above as a heading.
    format!("{text}\n\n{}", shown.join("\n\n---\n\n"))
}

/// One event; times in their own zone, else `zone` (the calendar's), else their offset. In a
/// list (`brief`), the description is cut to one line.
pub fn event(event: &Event, zone: Option<&str>, brief: bool) -> String {
    let mut text = format!(
        "### {}\n",
        event
            .summary
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or("(no title)")
    );
    match (&event.start, &event.end) {
        (Some(start), end) if start.date.is_some() => {
            field(&mut text, "Date", &all_day(start, end.as_ref()));
        }
        (start, end) => {
            if let Some(start) = start {
                field(&mut text, "Start", &when(start, zone));
            }
            if let Some(end) = end {
                field(&mut text, "End", &when(end, zone));
            }
        }
    }
    field(
        &mut text,
        "Location",
        event.location.as_deref().unwrap_or_default(),
    );
    conference(&mut text, event);
    if let Some(organizer) = &event.organizer {
        field(
            &mut text,
            "Organizer",
            &person(
                organizer.display_name.as_deref(),
                organizer.email.as_deref(),
            ),
        );
    }
    attendees(&mut text, event);
    if !event.recurrence.is_empty() {
        field(&mut text, "Repeats", &event.recurrence.join("; "));
    } else if event.recurring_event_id.is_some() {
        field(&mut text, "Repeats", "an occurrence of a recurring event");
    }
    if let Some(kind) = event
        .event_type
        .as_deref()
        .filter(|kind| *kind != "default")
    {
        field(&mut text, "Type", kind);
    }
    if event.transparency.as_deref() == Some("transparent") {
        field(&mut text, "Availability", "free (does not block time)");
    }
    if let Some(visibility) = event.visibility.as_deref().filter(|v| *v != "default") {
        field(&mut text, "Visibility", visibility);
    }
    if let Some(reminders) = &event.reminders {
        let custom: Vec<String> = reminders
            .overrides
            .iter()
            .filter_map(|reminder| {
                Some(format!(
                    "{} {} min before",
                    reminder.method.as_deref()?,
                    reminder.minutes?
                ))
            })
            .collect();
        if !custom.is_empty() {
            field(&mut text, "Reminders", &custom.join(", "));
        } else if !reminders.use_default {
            field(&mut text, "Reminders", "none");
        }
    }
    let files: Vec<String> = event
        .attachments
        .iter()
        .filter_map(|file| {
            let url = file.file_url.as_deref()?;
            let title = file.title.as_deref().unwrap_or("untitled");
            Some(match &file.mime_type {
                Some(mime) => format!("[{title}]({url}) ({mime})"),
                None => format!("[{title}]({url})"),
            })
        })
        .collect();
    field(&mut text, "Attachments", &files.join(", "));
    field(
        &mut text,
        "Status",
        event.status.as_deref().unwrap_or_default(),
    );
    field(
        &mut text,
        "Link",
        event.html_link.as_deref().unwrap_or_default(),
    );
    if let Some(id) = &event.id {
        field(&mut text, "Event ID", &format!("`{id}`"));
    }
    if let Some(description) = event
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        if brief {
            field(
                &mut text,
                "Description",
                &cut(&one_line(description), LIST_DESCRIPTION),
            );
        } else {
            let _ = write!(text, "\n{description}\n");
        }
    }
    text.trim_end().to_owned()
}

/// The ways to join the event's conference.
fn conference(text: &mut String, event: &Event) {
    let entry_points = event
        .conference_data
        .as_ref()
        .map(|data| data.entry_points.as_slice())
        .unwrap_or_default();
    let mut joined = false;
    for entry in entry_points {
        let Some(uri) = entry.uri.as_deref() else {
            continue;
        };
        joined = true;
        match entry.entry_point_type.as_deref() {
            Some("video") => field(text, "Video call", uri),
            Some("phone") => {
                let number = entry.label.as_deref().unwrap_or(uri);
                match &entry.pin {
                    Some(pin) => field(text, "Phone", &format!("{number} (PIN {pin})")),
                    None => field(text, "Phone", number),
                }
            }
            _ => field(text, "More ways to join", uri),
        }
    }
    if joined {
        return;
    }
    if let Some(link) = &event.hangout_link {
        field(text, "Video call", link);
        return;
    }
    let pending = event
        .conference_data
        .as_ref()
        .and_then(|data| data.create_request.as_ref())
        .and_then(|request| request.status.as_ref())
        .and_then(|status| status.status_code.as_deref());
    match pending {
        Some("pending") => field(
            text,
            "Video call",
            "being created; read the event again with `get_event` for its link",
        ),
        Some("failure") => field(text, "Video call", "Google could not create one"),
        _ => {}
    }
}

fn attendees(text: &mut String, event: &Event) {
    if event.attendees.is_empty() {
        return;
    }
    let mut shown: Vec<String> = event
        .attendees
        .iter()
        .take(ATTENDEES_SHOWN)
        .map(|attendee| {
            let mut notes: Vec<&str> = attendee.response_status.as_deref().into_iter().collect();
            if attendee.organizer {
                notes.push("organizer");
            }
            if attendee.optional {
                notes.push("optional");
            }
            if attendee.resource {
                notes.push("room");
            }
            let who = person(attendee.display_name.as_deref(), attendee.email.as_deref());
            if notes.is_empty() {
                who
            } else {
                format!("{who} ({})", notes.join(", "))
            }
        })
        .collect();
    let more = event.attendees.len().saturating_sub(ATTENDEES_SHOWN);
    if more > 0 {
        shown.push(format!("and {more} more"));
    }
    field(text, "Attendees", &shown.join("; "));
}

fn person(name: Option<&str>, email: Option<&str>) -> String {
    match (name, email) {
        (Some(name), Some(email)) => format!("{name} <{email}>"),
        (Some(name), None) => name.to_owned(),
        (None, Some(email)) => email.to_owned(),
        (None, None) => "(unknown)".to_owned(),
    }
}

/// `Tuesday, December 1, 2026 at 10:00 AM (Europe/Paris)`: in the time's own zone, else
/// `fallback`, else the offset it was written with.
pub fn when(time: &EventDateTime, fallback: Option<&str>) -> String {
    let Some(text) = time.date_time.as_deref() else {
        return time.date.clone().unwrap_or_default();
    };
    let Ok(instant) = DateTime::parse_from_rfc3339(text) else {
        return text.to_owned();
    };
    let zone = time.time_zone.as_deref().or(fallback);
    match zone.and_then(|name| name.parse::<Tz>().ok()) {
        Some(tz) => format!(
            "{} ({})",
            instant
                .with_timezone(&tz)
                .format("%A, %B %-d, %Y at %-I:%M %p"),
            tz.name()
        ),
        None => format!(
            "{} (UTC{})",
            instant.format("%A, %B %-d, %Y at %-I:%M %p"),
            offset(instant.offset())
        ),
    }
}

fn offset(offset: &FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// An all-day event's days (Google's end date is the day after the last).
fn all_day(start: &EventDateTime, end: Option<&EventDateTime>) -> String {
    let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    let Some(first) = start.date.as_deref().and_then(day) else {
        return start.date.clone().unwrap_or_default();
    };
    let last = end
        .and_then(|end| end.date.as_deref())
        .and_then(day)
        .map(|after| after - Duration::days(1))
        .filter(|last| *last > first);
    let long = |date: NaiveDate| date.format("%A, %B %-d, %Y").to_string();
    match last {
        Some(last) => format!("{} to {} (all day)", long(first), long(last)),
        None => format!("{} (all day)", long(first)),
    }
}

/// A participant of an availability check as the summary lists them.
pub struct Listed<'a> {
    pub email: &'a str,
    pub zone: Tz,
    pub window: Option<(String, String)>,
}

/// The shared free time of `participants` within `range`, in the first participant's zone.
pub fn availability(
    range: Interval,
    participants: &[Listed<'_>],
    slots: &[Interval],
    exclude_weekends: bool,
) -> String {
    let zone = participants.first().map_or(Tz::UTC, |first| first.zone);
    let moment = |instant: DateTime<chrono::Utc>| {
        instant
            .with_timezone(&zone)
            .format("%a, %b %-d %Y at %H:%M %Z")
            .to_string()
    };
    let mut text = format!(
        "Combined availability between {} and {}",
        moment(range.start),
        moment(range.end)
    );
    if slots.is_empty() {
        text.push_str(": no shared availability found for the requested range.\n");
    } else {
        let _ = writeln!(text, ": {}.", counted(slots.len() as u64, "free slot"));
    }
    text.push_str("\nParticipants:\n");
    for participant in participants {
        let window = participant
            .window
            .as_ref()
            .map(|(start, end)| format!(", window: {start} - {end}"))
            .unwrap_or_default();
        let _ = writeln!(
            text,
            "- {} ({}{window})",
            participant.email,
            participant.zone.name()
        );
    }
    if exclude_weekends {
        text.push_str("\nWeekends excluded from consideration.\n");
    }
    if slots.is_empty() {
        return text.trim_end().to_owned();
    }
    text.push_str("\nShared availability (all participants free):\n");
    for (index, slot) in slots.iter().take(SLOTS_SHOWN).enumerate() {
        let _ = writeln!(
            text,
            "{}. {} → {} ({})",
            index + 1,
            moment(slot.start),
            moment(slot.end),
            length(slot.end - slot.start)
        );
    }
    let more = slots.len().saturating_sub(SLOTS_SHOWN);
    if more > 0 {
        let _ = writeln!(
            text,
            "...and {more} more {}; narrow the range to see them.",
            plural(more as u64, "slot")
        );
    }
    text.trim_end().to_owned()
}

/// `45 min`, `2 h`, `1 h 30 min`, `3 d 2 h`.
fn length(duration: Duration) -> String {
    let minutes = duration.num_minutes();
    let (days, hours, minutes) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    let parts: Vec<String> = [(days, "d"), (hours, "h"), (minutes, "min")]
        .iter()
        .filter(|(amount, _)| *amount > 0)
        .map(|(amount, unit)| format!("{amount} {unit}"))
        .collect();
    if parts.is_empty() {
        "under a minute".to_owned()
    } else {
        parts.join(" ")
    }
}

/// One row of `get_user_timezones`: an address and its calendar's zone, or why it is unknown.
pub struct TimezoneRow {
    pub email: String,
    pub zone: Result<String, String>,
}

/// The time zones found, and the calendars that could not be read.
pub fn timezones(rows: &[TimezoneRow]) -> String {
    let accessible = rows.iter().filter(|row| row.zone.is_ok()).count();
    let addresses = if rows.len() == 1 {
        "address"
    } else {
        "addresses"
    };
    let mut text = format!(
        "Time zones of {accessible} of {} email {addresses}",
        rows.len()
    );
    let missing = rows.len() - accessible;
    if missing > 0 {
        let _ = write!(
            text,
            " ({} not shared with this account)",
            counted(missing as u64, "calendar")
        );
    }
    text.push_str(".\n\n");
    for row in rows {
        match &row.zone {
            Ok(zone) => {
                let _ = writeln!(text, "- {}: {zone}", row.email);
            }
            Err(why) => {
                let _ = writeln!(text, "- {}: not accessible ({why})", row.email);
            }
        }
    }
    text.trim_end().to_owned()
}

/// `text` cut to `limit` characters, with an ellipsis when cut.
fn cut(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}
