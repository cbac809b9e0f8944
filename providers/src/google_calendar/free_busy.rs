//! When people are all free, from Google's free/busy query and their working hours.

use chrono::SecondsFormat;
use mcp_runtime::prelude::*;
use serde_json::json;

use super::availability::{Interval, WorkingHours, shared_free};
use super::*;

#[mcp_tools]
impl GoogleCalendar {
    /// Find the time slots when 1 to 10 participants are all free within a range: their
    /// Google Calendar busy times, each one's working window in their own time zone, and
    /// optionally their weekends, combined. Shows the first 10 slots, in the first
    /// participant's time zone.
    #[tool(
        stake = "never_ask",
        running = "Checking Google Calendar availability",
        done = "Check Google Calendar availability"
    )]
    async fn check_availability(&self, ctx: &ToolContext, args: CheckAvailability) -> ToolResult {
        if args.participants.is_empty() {
            return Err(McpError::invalid_arguments(
                "Provide at least one participant.",
            ));
        }
        if args.participants.len() > PARTICIPANTS {
            return Err(McpError::invalid_arguments(format!(
                "A maximum of {PARTICIPANTS} participants is supported, not {}.",
                args.participants.len()
            )));
        }
        for (index, participant) in args.participants.iter().enumerate() {
            email(&format!("participants[{index}].email"), &participant.email)?;
            if let (Some(start), Some(end)) = (
                participant.daily_time_window_start,
                participant.daily_time_window_end,
            ) && end <= start
            {
                return Err(McpError::invalid_arguments(format!(
                    "participants[{index}]: `dailyTimeWindowEnd` must be later than \
                     `dailyTimeWindowStart` (windows over midnight are not supported)"
                )));
            }
        }
        let (Some(start), Some(end)) = (
            range_bound(&args.start_time_range),
            range_bound(&args.end_time_range),
        ) else {
            return Err(McpError::invalid_arguments(
                "Invalid startTimeRange or endTimeRange. Provide ISO 8601 timestamps.",
            ));
        };
        let Some(range) = Interval::new(start, end) else {
            return Err(McpError::invalid_arguments(
                "endTimeRange must be later than startTimeRange.",
            ));
        };
        let time = |instant: chrono::DateTime<chrono::Utc>| {
            instant.to_rfc3339_opts(SecondsFormat::Secs, true)
        };
        let items: Vec<_> = args
            .participants
            .iter()
            .map(|participant| json!({"id": participant.email}))
            .collect();
        let answer: types::FreeBusy = self
            .client
            .post("/freeBusy")
            .json(
                &json!({"timeMin": time(range.start), "timeMax": time(range.end), "items": items}),
            )
            .send(ctx)
            .await?;
        let mut busy = Vec::new();
        for participant in &args.participants {
            busy.extend(busy_periods(&answer, &participant.email)?);
        }
        let hours: Vec<WorkingHours> = args
            .participants
            .iter()
            .map(|participant| WorkingHours {
                zone: participant.timezone.0,
                start: participant.daily_time_window_start.map(|time| time.0),
                end: participant.daily_time_window_end.map(|time| time.0),
            })
            .collect();
        let slots = shared_free(range, busy, &hours, args.exclude_weekends);
        let listed: Vec<render::Listed<'_>> = args
            .participants
            .iter()
            .map(|participant| render::Listed {
                email: &participant.email,
                zone: participant.timezone.0,
                window: (participant.daily_time_window_start.is_some()
                    || participant.daily_time_window_end.is_some())
                .then(|| {
                    (
                        clock(participant.daily_time_window_start, "00:00"),
                        clock(participant.daily_time_window_end, "24:00"),
                    )
                }),
            })
            .collect();
        Ok(ToolOutput::markdown(render::availability(
            range,
            &listed,
            &slots,
            args.exclude_weekends,
        )))
    }
}

/// `09:00`, `09:00:30`; `open` for an open end.
fn clock(time: Option<TimeOfDay>, open: &str) -> String {
    use chrono::Timelike as _;
    match time {
        Some(TimeOfDay(time)) if time.second() == 0 => time.format("%H:%M").to_string(),
        Some(TimeOfDay(time)) => time.format("%H:%M:%S").to_string(),
        None => open.to_owned(),
    }
}

/// The busy periods Google gave for `address`, or why it gave none.
fn busy_periods(answer: &types::FreeBusy, address: &str) -> Result<Vec<Interval>, McpError> {
    let calendar = answer
        .calendars
        .iter()
        .find(|(id, _)| id.eq_ignore_ascii_case(address))
        .map(|(_, calendar)| calendar)
        .ok_or_else(|| {
            McpError::provider(
                None,
                format!("Google Calendar's free/busy answer has no calendar for {address}"),
            )
        })?;
    if let Some(error) = calendar.errors.first() {
        return Err(if error.reason == "notFound" {
            McpError::not_found(format!(
                "Calendar not found for email: {address}. The calendar may not exist or you may \
                 not have access to it."
            ))
        } else {
            McpError::provider(
                None,
                format!(
                    "Error checking calendar availability for {address}: {}",
                    error.reason
                ),
            )
        });
    }
    calendar
        .busy
        .iter()
        .filter_map(|period| {
            let parse = |text: &str| chrono::DateTime::parse_from_rfc3339(text).map(|t| t.to_utc());
            match (parse(&period.start), parse(&period.end)) {
                (Ok(start), Ok(end)) => Interval::new(start, end).map(Ok),
                _ => Some(Err(McpError::provider(
                    None,
                    format!(
                        "unexpected busy period from Google Calendar for {address}: `{}` to `{}`",
                        period.start, period.end
                    ),
                ))),
            }
        })
        .collect()
}
