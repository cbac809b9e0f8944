//! The user's calendars, and other people's time zones.

use mcp_runtime::ErrorKind;
use mcp_runtime::prelude::*;

use super::*;

#[mcp_tools]
impl GoogleCalendar {
    /// List the Google Calendars the user has on their list: name, id, access and time zone,
    /// a page at a time (`maxResults` 1 to 250, default 100; pass `pageToken` for the next).
    #[tool(
        stake = "never_ask",
        running = "Listing Google calendars",
        done = "List Google calendars"
    )]
    async fn list_calendars(&self, ctx: &ToolContext, args: ListCalendars) -> ToolResult {
        let max_results = crate::kit::page_size("maxResults", args.max_results, CALENDAR_PAGE)?;
        let list: types::CalendarList = self
            .client
            .get("/users/me/calendarList")
            .query("maxResults", max_results)
            .query_opt("pageToken", args.page_token.as_deref())
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::calendars(&list)))
    }

    /// Get the time zone of each of 1 to 50 people from their Google Calendar settings, to
    /// schedule across zones. Only calendars shared with the user can be read; the others are
    /// listed as not accessible.
    #[tool(
        stake = "never_ask",
        running = "Checking Google Calendar user timezones",
        done = "Check Google Calendar user timezones"
    )]
    async fn get_user_timezones(&self, ctx: &ToolContext, args: GetUserTimezones) -> ToolResult {
        if args.emails.is_empty() || args.emails.len() > TIMEZONE_LOOKUPS {
            return Err(McpError::invalid_arguments(format!(
                "give 1 to {TIMEZONE_LOOKUPS} email addresses in `emails`, not {}",
                args.emails.len()
            )));
        }
        for (index, address) in args.emails.iter().enumerate() {
            email(&format!("emails[{index}]"), address)?;
        }
        let mut rows = Vec::with_capacity(args.emails.len());
        // One at a time, as Dust does: 50 parallel reads would meet Google's per-user rate limit.
        for address in &args.emails {
            let answer: Result<types::Calendar, McpError> =
                self.client.get(calendar_path(address)).send(ctx).await;
            let zone = match answer {
                Ok(calendar) => Ok(calendar.time_zone.unwrap_or_else(|| "unknown".to_owned())),
                // A calendar not shared with the user is an answer about that person; anything
                // else (a lost connection, throttling, an outage) fails the call.
                Err(error) => Err(match error.kind() {
                    ErrorKind::NotFound => "no calendar found".to_owned(),
                    // The kit marks refusals (not throttling) as untracked.
                    ErrorKind::Provider { status: Some(403) } if !error.is_tracked() => {
                        "calendar not shared with this account".to_owned()
                    }
                    _ => return Err(error),
                }),
            };
            rows.push(render::TimezoneRow {
                email: address.clone(),
                zone,
            });
        }
        Ok(ToolOutput::markdown(render::timezones(&rows)))
    }
}
