//! Events: listing and searching, reading, creating (with a Google Meet conference), updating
//! and deleting.

use mcp_runtime::prelude::*;
use serde_json::{Map, Value, json};

use super::*;
use crate::kit::present;

#[mcp_tools]
impl GoogleCalendar {
    /// List, search or browse the events of a Google Calendar over a day, a week or any range,
    /// in start order with recurring events expanded; `q` searches their text. A page at a
    /// time (`maxResults` 1 to 2500, default 250; pass `pageToken` for the next).
    #[tool(
        stake = "never_ask",
        running = "Listing Google Calendar events",
        done = "List Google Calendar events"
    )]
    async fn list_events(&self, ctx: &ToolContext, args: ListEvents) -> ToolResult {
        let max_results = crate::kit::page_size("maxResults", args.max_results, EVENT_PAGE)?;
        if let Some(time_min) = &args.time_min {
            rfc3339("timeMin", time_min)?;
        }
        if let Some(time_max) = &args.time_max {
            rfc3339("timeMax", time_max)?;
        }
        let page: types::Events = self
            .client
            .get(format!("{}/events", calendar_path(&args.calendar_id)))
            // Occurrences of recurring events one by one, which ordering by start needs.
            .query("singleEvents", true)
            .query("orderBy", "startTime")
            .query_opt("q", args.q.as_deref())
            .query_opt("timeMin", args.time_min.as_deref())
            .query_opt("timeMax", args.time_max.as_deref())
            .query("maxResults", max_results)
            .query_opt("pageToken", args.page_token.as_deref())
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::events(
            &page,
            &args.calendar_id,
        )))
    }

    /// Get the full details of one event of a Google Calendar by its id: times, place, video
    /// call, attendees and their answers, description.
    #[tool(
        stake = "never_ask",
        running = "Retrieving Google Calendar event",
        done = "Retrieve Google Calendar event"
    )]
    async fn get_event(&self, ctx: &ToolContext, args: GetEvent) -> ToolResult {
        let event: types::Event = self
            .client
            .get(event_path(&args.calendar_id, &args.event_id))
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::event(&event, None, false)))
    }

    /// Create an event on a Google Calendar to schedule a meeting or an appointment, with a
    /// Google Meet conference unless `createConference` is false. By default: (1) add the
    /// calling user as both organizer and attendee, (2) call `check_availability` to verify
    /// the attendees' availability beforehand, (3) call `get_user_timezones` first to find the
    /// attendees' time zones.
    #[tool(
        stake = "medium",
        running = "Creating Google Calendar event",
        done = "Create Google Calendar event",
        approval_args(calendar_id)
    )]
    async fn create_event(&self, ctx: &ToolContext, args: CreateEvent) -> ToolResult {
        let (start, end) = in_order(Some(&args.start), Some(&args.end))?;
        let attendees = attendees(args.attendees.as_deref())?;
        let mut body = json!({
            "summary": args.summary,
            "description": args.description,
            "start": start,
            "end": end,
            "attendees": attendees,
            "location": args.location,
            "colorId": args.color_id,
            "eventType": args.event_type,
            "transparency": args.transparency,
            "visibility": args.visibility,
            "reminders": args.reminders,
            "extendedProperties": args.extended_properties,
        });
        // Focus Time and out-of-office blocks decline what conflicts, and have no conference.
        let declining = json!({"autoDeclineMode": "declineAllConflictingInvitations"});
        match args.event_type {
            Some(EventType::FocusTime) => body["focusTimeProperties"] = declining,
            Some(EventType::OutOfOffice) => body["outOfOfficeProperties"] = declining,
            _ if args.create_conference => body["conferenceData"] = meet_request(),
            _ => {}
        }
        let event: types::Event = self
            .client
            .post(format!("{}/events", calendar_path(&args.calendar_id)))
            // Without it, Google ignores `conferenceData`.
            .query("conferenceDataVersion", 1)
            .json(&present(body))
            .send(ctx)
            .await?;
        Ok(saved("created", &args.calendar_id, &event))
    }

    /// Update or reschedule an event of a Google Calendar: a new time, title, place, set of
    /// attendees, ... Only the fields given change (a patch); `createConference: true` adds a
    /// Google Meet conference.
    #[tool(
        stake = "medium",
        running = "Updating Google Calendar event",
        done = "Update Google Calendar event",
        approval_args(calendar_id)
    )]
    async fn update_event(&self, ctx: &ToolContext, args: UpdateEvent) -> ToolResult {
        let (start, end) = in_order(args.start.as_ref(), args.end.as_ref())?;
        let attendees = attendees(args.attendees.as_deref())?;
        let mut body = json!({
            "summary": args.summary,
            "description": args.description,
            "start": start,
            "end": end,
            "attendees": attendees,
            "location": args.location,
            "colorId": args.color_id,
            "transparency": args.transparency,
            "visibility": args.visibility,
            "reminders": args.reminders,
            "extendedProperties": args.extended_properties,
        });
        if args.create_conference == Some(true) {
            body["conferenceData"] = meet_request();
        }
        let body = present(body);
        if body.as_object().is_none_or(Map::is_empty) {
            return Err(McpError::invalid_arguments(
                "nothing to change: give at least one of `summary`, `description`, `start`, \
                 `end`, `attendees`, `location`, `colorId`, `transparency`, `visibility`, \
                 `reminders`, `extendedProperties`, or `createConference: true`",
            ));
        }
        let event: types::Event = self
            .client
            .patch(event_path(&args.calendar_id, &args.event_id))
            .query("conferenceDataVersion", 1)
            .json(&body)
            .send(ctx)
            .await?;
        Ok(saved("updated", &args.calendar_id, &event))
    }

    /// Delete, cancel or remove an event from a Google Calendar.
    #[tool(
        stake = "medium",
        running = "Deleting Google Calendar event",
        done = "Delete Google Calendar event",
        approval_args(calendar_id)
    )]
    async fn delete_event(&self, ctx: &ToolContext, args: DeleteEvent) -> ToolResult {
        self.client
            .delete(event_path(&args.calendar_id, &args.event_id))
            .empty(ctx)
            .await?;
        Ok(ToolOutput::markdown(format!(
            "Event `{}` deleted from `{}`.",
            args.event_id, args.calendar_id
        )))
    }
}

/// "Event `done` on `calendar_id`." and the event.
fn saved(done: &str, calendar_id: &str, event: &types::Event) -> ToolOutput {
    ToolOutput::markdown(format!(
        "Event {done} on `{calendar_id}`.\n\n{}",
        render::event(event, None, false)
    ))
}

/// The attendees' addresses as Google takes them, each checked.
fn attendees(addresses: Option<&[String]>) -> Result<Option<Value>, McpError> {
    let Some(addresses) = addresses else {
        return Ok(None);
    };
    let attendees = addresses
        .iter()
        .enumerate()
        .map(|(index, address)| {
            email(&format!("attendees[{index}]"), address).map(|email| json!({"email": email}))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(Value::Array(attendees)))
}

/// A request for a new Google Meet conference; its id is random, so a retried request cannot
/// be mistaken for another one.
fn meet_request() -> Value {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the system's random source works");
    // A version 4 UUID, as Dust's `randomUUID()`.
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    let uuid = format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    );
    json!({"createRequest": {
        "requestId": format!("conference-{uuid}"),
        "conferenceSolutionKey": {"type": "hangoutsMeet"},
    }})
}
