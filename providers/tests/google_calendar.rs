//! Every `google_calendar` tool against a Calendar API stand-in on loopback (wiremock) serving
//! payloads shaped like Google's documented responses: each test checks the request Google
//! would receive and snapshots what the model reads; then every failure path.

use std::time::{Duration, Instant};

mod support;

use mcp_runtime::{CallToolResult, McpServer, ToolContext};
use providers::google_calendar::{GoogleCalendar, Settings};
use providers::kit::Remote as _;
use serde_json::{Value, json};
use support::{assert_no_requests, error_kind};
use wiremock::matchers::{body_json, body_partial_json, method, path, query_param};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

const TOKEN: &str = "ya29.test-token";

fn ok(name: &str) -> ResponseTemplate {
    support::ok("google_calendar", name)
}

/// A Calendar API stand-in and the server pointed at it, with quick retries.
async fn calendar() -> (MockServer, GoogleCalendar) {
    let upstream = MockServer::start().await;
    let calendar = GoogleCalendar::new(&upstream.uri(), None).with_retry(support::quick_retries());
    (upstream, calendar)
}

fn ctx() -> ToolContext {
    ToolContext::new().with_token(TOKEN)
}

async fn call(calendar: &GoogleCalendar, tool: &str, arguments: Value) -> CallToolResult {
    support::call(calendar, tool, arguments, ctx()).await
}

async fn text(calendar: &GoogleCalendar, tool: &str, arguments: Value) -> String {
    support::text(calendar, tool, arguments, ctx()).await
}

/// A request to `route` with the token.
fn api(verb: &str, route: &str) -> MockBuilder {
    Mock::given(method(verb))
        .and(path(route))
        .and(support::bearer(TOKEN))
}

/// A Google error body (`{"error": {"code", "message", "errors": [..], "status"}}`).
fn google_error(code: u16, reason: &str, message: &str, status: &str) -> ResponseTemplate {
    ResponseTemplate::new(code).set_body_json(json!({"error": {
        "code": code,
        "message": message,
        "errors": [{"domain": "global", "reason": reason, "message": message}],
        "status": status,
    }}))
}

fn planning() -> Value {
    json!({"calendarId": "primary", "summary": "Quarterly planning",
        "start": {"dateTime": "2026-12-01T10:00:00+01:00"},
        "end": {"dateTime": "2026-12-01T11:30:00+01:00"}})
}

// The tools.

#[tokio::test]
async fn list_calendars_shows_names_ids_roles_and_the_next_page() {
    let (upstream, calendar) = calendar().await;
    api("GET", "/users/me/calendarList")
        .and(query_param("maxResults", "100"))
        .respond_with(ok("calendar_list.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(text(&calendar, "list_calendars", json!({})).await, @r"
    3 calendars (more: pass `pageToken` = `EjwKOmVuLnVzYSNob2xpZGF5QGdyb3VwLnYuY2FsZW5kYXIuZ29vZ2xlLmNvbQ`).

    - **ana@example.com** `ana@example.com` (primary; owner; Europe/Paris)
    - **Platform team** `c_1f3a9e2b7d@group.calendar.google.com` (writer; Europe/Paris): Releases, on-call rotation and planning.
    - **Holidays in United States** `en.usa#holiday@group.v.calendar.google.com` (reader; Europe/Paris): Holidays and Observances in United States
    ");
}

#[tokio::test]
async fn list_calendars_passes_the_page_token() {
    let (upstream, calendar) = calendar().await;
    api("GET", "/users/me/calendarList")
        .and(query_param("maxResults", "250"))
        .and(query_param("pageToken", "EjwKOmVu"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"kind": "calendar#calendarList", "items": []})),
        )
        .expect(1)
        .mount(&upstream)
        .await;
    let text = text(
        &calendar,
        "list_calendars",
        json!({"pageToken": "EjwKOmVu", "maxResults": 250}),
    )
    .await;
    assert_eq!(text.trim(), "0 calendars.");
}

#[tokio::test]
async fn list_events_asks_for_occurrences_in_start_order_on_an_encoded_calendar() {
    let (upstream, calendar) = calendar().await;
    // `#` and `@` would end the path or the authority: the id is one percent-encoded segment.
    api(
        "GET",
        "/calendars/en.usa%23holiday%40group.v.calendar.google.com/events",
    )
    .and(query_param("singleEvents", "true"))
    .and(query_param("orderBy", "startTime"))
    .and(query_param("q", "planning"))
    .and(query_param("timeMin", "2026-12-01T00:00:00Z"))
    .and(query_param("timeMax", "2026-12-08T00:00:00+01:00"))
    .and(query_param("maxResults", "250"))
    .respond_with(ok("events.json"))
    .expect(1)
    .mount(&upstream)
    .await;
    let text = text(
        &calendar,
        "list_events",
        json!({"calendarId": "en.usa#holiday@group.v.calendar.google.com", "q": "planning",
            "timeMin": "2026-12-01T00:00:00Z", "timeMax": "2026-12-08T00:00:00+01:00"}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn list_events_defaults_to_the_primary_calendar_and_says_when_there_are_none() {
    let (upstream, calendar) = calendar().await;
    api("GET", "/calendars/primary/events")
        .and(query_param("pageToken", "CigKGjdj"))
        .and(query_param("maxResults", "10"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"kind": "calendar#events", "timeZone": "Europe/Paris", "items": []}),
        ))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(
        text(&calendar, "list_events", json!({"pageToken": "CigKGjdj", "maxResults": 10})).await,
        @r"
    Found 0 events on `primary` (calendar time zone Europe/Paris).

    No events found.
    "
    );
}

#[tokio::test]
async fn get_event_shows_times_meet_attendees_and_the_description() {
    let (upstream, calendar) = calendar().await;
    api(
        "GET",
        "/calendars/ana%40example.com/events/7cbh8rpc10lrc0ckih9tafss99",
    )
    .respond_with(ok("event.json"))
    .expect(1)
    .mount(&upstream)
    .await;
    let text = text(
        &calendar,
        "get_event",
        json!({"calendarId": "ana@example.com", "eventId": "7cbh8rpc10lrc0ckih9tafss99"}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn create_event_adds_a_google_meet_conference_by_default() {
    let (upstream, calendar) = calendar().await;
    api("POST", "/calendars/primary/events")
        .and(query_param("conferenceDataVersion", "1"))
        .and(body_partial_json(json!({
            "summary": "Quarterly planning",
            "start": {"dateTime": "2026-12-01T10:00:00+01:00"},
            "end": {"dateTime": "2026-12-01T11:30:00+01:00"},
            "attendees": [{"email": "bob@example.com"}, {"email": "chloe@example.com"}],
            "conferenceData": {"createRequest": {"conferenceSolutionKey": {"type": "hangoutsMeet"}}},
        })))
        .respond_with(ok("event.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let mut arguments = planning();
    arguments["attendees"] = json!(["bob@example.com", "chloe@example.com"]);
    let text = text(&calendar, "create_event", arguments).await;
    insta::assert_snapshot!(text);

    let requests = upstream.received_requests().await.unwrap();
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    let request_id = body["conferenceData"]["createRequest"]["requestId"]
        .as_str()
        .unwrap();
    // `conference-` and a version 4 UUID, new for each event.
    assert_eq!(request_id.len(), "conference-".len() + 36, "{request_id}");
    assert!(request_id.starts_with("conference-"), "{request_id}");
    assert_eq!(&request_id["conference-".len() + 14..][..1], "4");
    // Nothing that was not given is sent, not even as null.
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["attendees", "conferenceData", "end", "start", "summary"]
    );
}

#[tokio::test]
async fn create_event_sends_every_option_and_a_local_time_with_its_zones_offset() {
    let (upstream, calendar) = calendar().await;
    api(
        "POST",
        "/calendars/c_1f3a9e2b7d%40group.calendar.google.com/events",
    )
    .and(body_partial_json(json!({
        "description": "Agenda",
        "start": {"dateTime": "2026-07-01T10:00:00+02:00", "timeZone": "Europe/Paris"},
        "end": {"dateTime": "2026-07-01T11:00:00+02:00", "timeZone": "Europe/Paris"},
        "location": "Room Lovelace",
        "colorId": "7",
        "eventType": "default",
        "transparency": "transparent",
        "visibility": "private",
        "reminders": {"useDefault": false, "overrides": [{"method": "popup", "minutes": 10}]},
        "extendedProperties": {"private": {"source": "agent"}},
    })))
    .respond_with(ok("event.json"))
    .expect(1)
    .mount(&upstream)
    .await;
    text(
        &calendar,
        "create_event",
        json!({"calendarId": "c_1f3a9e2b7d@group.calendar.google.com", "summary": "Summer planning",
            "description": "Agenda",
            "start": {"dateTime": "2026-07-01T10:00:00", "timeZone": "Europe/Paris"},
            "end": {"dateTime": "2026-07-01T11:00", "timeZone": "Europe/Paris"},
            "location": "Room Lovelace", "colorId": "7", "eventType": "default",
            "transparency": "transparent", "visibility": "private",
            "reminders": {"useDefault": false, "overrides": [{"method": "popup", "minutes": 10}]},
            "extendedProperties": {"private": {"source": "agent"}}}),
    )
    .await;
}

#[tokio::test]
async fn focus_time_declines_conflicts_and_has_no_conference() {
    let (upstream, calendar) = calendar().await;
    api("POST", "/calendars/primary/events")
        .and(body_json(json!({
            "summary": "Deep work",
            "start": {"dateTime": "2026-12-02T09:00:00+01:00"},
            "end": {"dateTime": "2026-12-02T12:00:00+01:00"},
            "eventType": "focusTime",
            "focusTimeProperties": {"autoDeclineMode": "declineAllConflictingInvitations"},
        })))
        .respond_with(ok("event.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("POST", "/calendars/primary/events")
        .and(body_json(json!({
            "summary": "Quarterly planning",
            "start": {"dateTime": "2026-12-01T10:00:00+01:00"},
            "end": {"dateTime": "2026-12-01T11:30:00+01:00"},
        })))
        .respond_with(ok("event.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    text(
        &calendar,
        "create_event",
        json!({"calendarId": "primary", "summary": "Deep work", "eventType": "focusTime",
            "start": {"dateTime": "2026-12-02T09:00:00+01:00"},
            "end": {"dateTime": "2026-12-02T12:00:00+01:00"}}),
    )
    .await;
    let mut without = planning();
    without["createConference"] = json!(false);
    text(&calendar, "create_event", without).await;
}

#[tokio::test]
async fn a_conference_still_being_created_says_so() {
    let (upstream, calendar) = calendar().await;
    let mut event = support::fixture("google_calendar", "event.json");
    let object = event.as_object_mut().unwrap();
    object.remove("hangoutLink");
    object.insert(
        "conferenceData".into(),
        json!({"createRequest": {"requestId": "conference-x", "conferenceSolutionKey": {"type": "hangoutsMeet"}, "status": {"statusCode": "pending"}}}),
    );
    api("POST", "/calendars/primary/events")
        .respond_with(ResponseTemplate::new(200).set_body_json(event))
        .mount(&upstream)
        .await;
    let text = text(&calendar, "create_event", planning()).await;
    assert!(
        text.contains(
            "**Video call:** being created; read the event again with `get_event` for its link"
        ),
        "{text}"
    );
}

#[tokio::test]
async fn update_event_patches_only_what_is_given() {
    let (upstream, calendar) = calendar().await;
    api(
        "PATCH",
        "/calendars/primary/events/7cbh8rpc10lrc0ckih9tafss99",
    )
    .and(query_param("conferenceDataVersion", "1"))
    .and(body_json(json!({
        "summary": "Quarterly planning (moved)",
        "start": {"dateTime": "2026-12-02T10:00:00+01:00"},
        "end": {"dateTime": "2026-12-02T11:30:00+01:00"},
    })))
    .respond_with(ok("event.json"))
    .expect(1)
    .mount(&upstream)
    .await;
    let text = text(
        &calendar,
        "update_event",
        json!({"calendarId": "primary", "eventId": "7cbh8rpc10lrc0ckih9tafss99",
            "summary": "Quarterly planning (moved)",
            "start": {"dateTime": "2026-12-02T10:00:00+01:00"},
            "end": {"dateTime": "2026-12-02T11:30:00+01:00"}, "createConference": false}),
    )
    .await;
    assert!(
        text.starts_with("Event updated on `primary`.\n\n### Quarterly planning\n"),
        "{text}"
    );
}

#[tokio::test]
async fn update_event_adds_a_conference_only_when_asked() {
    let (upstream, calendar) = calendar().await;
    api(
        "PATCH",
        "/calendars/primary/events/7cbh8rpc10lrc0ckih9tafss99",
    )
    .and(body_partial_json(json!({
        "conferenceData": {"createRequest": {"conferenceSolutionKey": {"type": "hangoutsMeet"}}}
    })))
    .respond_with(ok("event.json"))
    .expect(1)
    .mount(&upstream)
    .await;
    text(
        &calendar,
        "update_event",
        json!({"calendarId": "primary", "eventId": "7cbh8rpc10lrc0ckih9tafss99", "createConference": true}),
    )
    .await;
}

#[tokio::test]
async fn delete_event_deletes_by_id() {
    let (upstream, calendar) = calendar().await;
    api(
        "DELETE",
        "/calendars/primary/events/5qv1b3n7m9k2j4h6g8f0d2s4a6_20261201T150000Z",
    )
    .respond_with(ResponseTemplate::new(204))
    .expect(1)
    .mount(&upstream)
    .await;
    insta::assert_snapshot!(
        text(&calendar, "delete_event", json!({"calendarId": "primary", "eventId": "5qv1b3n7m9k2j4h6g8f0d2s4a6_20261201T150000Z"})).await,
        @"Event `5qv1b3n7m9k2j4h6g8f0d2s4a6_20261201T150000Z` deleted from `primary`."
    );
}

#[tokio::test]
async fn check_availability_combines_busy_times_working_hours_and_zones() {
    let (upstream, calendar) = calendar().await;
    api("POST", "/freeBusy")
        .and(body_json(json!({
            "timeMin": "2026-12-01T08:00:00Z",
            "timeMax": "2026-12-02T20:00:00Z",
            "items": [{"id": "ana@example.com"}, {"id": "bob@example.com"}],
        })))
        .respond_with(ok("free_busy.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    // Ana works 09:00-18:00 in Paris (08:00-17:00 UTC), Bob 09:00-17:30 in New York
    // (14:00-22:30 UTC): they share 14:00-17:00 UTC each day, minus their meetings.
    let text = text(
        &calendar,
        "check_availability",
        json!({"participants": [
                {"email": "ana@example.com", "timezone": "Europe/Paris",
                 "dailyTimeWindowStart": "09:00", "dailyTimeWindowEnd": "18:00"},
                {"email": "bob@example.com", "timezone": "America/New_York",
                 "dailyTimeWindowStart": "9:00", "dailyTimeWindowEnd": "17:30:00"}],
            "startTimeRange": "2026-12-01T08:00:00Z", "endTimeRange": "2026-12-02T20:00:00Z"}),
    )
    .await;
    insta::assert_snapshot!(text, @r"
    Combined availability between Tue, Dec 1 2026 at 09:00 CET and Wed, Dec 2 2026 at 21:00 CET: 3 free slots.

    Participants:
    - ana@example.com (Europe/Paris, window: 09:00 - 18:00)
    - bob@example.com (America/New_York, window: 09:00 - 17:30)

    Shared availability (all participants free):
    1. Tue, Dec 1 2026 at 15:00 CET → Tue, Dec 1 2026 at 16:00 CET (1 h)
    2. Tue, Dec 1 2026 at 16:30 CET → Tue, Dec 1 2026 at 18:00 CET (1 h 30 min)
    3. Wed, Dec 2 2026 at 17:00 CET → Wed, Dec 2 2026 at 18:00 CET (1 h)
    ");
}

#[tokio::test]
async fn check_availability_shows_ten_slots_and_counts_the_rest() {
    let (upstream, calendar) = calendar().await;
    api("POST", "/freeBusy")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "kind": "calendar#freeBusy",
            "calendars": {"ana@example.com": {"busy": []}},
        })))
        .mount(&upstream)
        .await;
    // Twelve Tokyo working days (weekends left out), one slot each.
    let text = text(
        &calendar,
        "check_availability",
        json!({"participants": [{"email": "ana@example.com", "timezone": "Asia/Tokyo",
                "dailyTimeWindowStart": "10:00", "dailyTimeWindowEnd": "12:00"}],
            "startTimeRange": "2026-11-30", "endTimeRange": "2026-12-16", "excludeWeekends": true}),
    )
    .await;
    insta::assert_snapshot!(text);
}

#[tokio::test]
async fn check_availability_says_when_there_is_no_shared_time() {
    let (upstream, calendar) = calendar().await;
    api("POST", "/freeBusy")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "calendars": {"ana@example.com": {"busy": [{"start": "2026-12-01T00:00:00Z", "end": "2026-12-02T00:00:00Z"}]}},
        })))
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(
        text(&calendar, "check_availability", json!({"participants": [{"email": "Ana@Example.com", "timezone": "UTC"}],
            "startTimeRange": "2026-12-01T09:00:00Z", "endTimeRange": "2026-12-01T17:00:00Z"})).await,
        @r"
    Combined availability between Tue, Dec 1 2026 at 09:00 UTC and Tue, Dec 1 2026 at 17:00 UTC: no shared availability found for the requested range.

    Participants:
    - Ana@Example.com (UTC)
    "
    );
}

#[tokio::test]
async fn a_calendar_free_busy_cannot_read_is_named() {
    let (upstream, calendar) = calendar().await;
    api("POST", "/freeBusy")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "calendars": {
                "ana@example.com": {"busy": []},
                "ghost@example.com": {"errors": [{"domain": "global", "reason": "notFound"}], "busy": []},
                "carl@example.com": {"errors": [{"domain": "global", "reason": "tooManyCalendarsRequested"}], "busy": []},
            },
        })))
        .mount(&upstream)
        .await;
    let check = |email: &str| {
        json!({"participants": [{"email": "ana@example.com", "timezone": "UTC"}, {"email": email, "timezone": "UTC"}],
            "startTimeRange": "2026-12-01T09:00:00Z", "endTimeRange": "2026-12-01T17:00:00Z"})
    };
    let result = call(&calendar, "check_availability", check("ghost@example.com")).await;
    assert_eq!(error_kind(&result), "not_found");
    insta::assert_snapshot!(result.text(), @"Calendar not found for email: ghost@example.com. The calendar may not exist or you may not have access to it.");
    let result = call(&calendar, "check_availability", check("carl@example.com")).await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text(), @"Error checking calendar availability for carl@example.com: tooManyCalendarsRequested");
    let result = call(&calendar, "check_availability", check("dora@example.com")).await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text(), @"Google Calendar's free/busy answer has no calendar for dora@example.com");
}

#[tokio::test]
async fn availability_arguments_are_checked_before_any_request() {
    let (upstream, calendar) = calendar().await;
    let ana = json!({"email": "ana@example.com", "timezone": "Europe/Paris"});
    let range = |participants: Value, start: &str, end: &str| json!({"participants": participants, "startTimeRange": start, "endTimeRange": end});
    let day = ("2026-12-01T08:00:00Z", "2026-12-01T18:00:00Z");
    let cases = [
        (
            range(json!([]), day.0, day.1),
            "Provide at least one participant.",
        ),
        (
            range(json!(vec![ana.clone(); 11]), day.0, day.1),
            "A maximum of 10 participants is supported, not 11.",
        ),
        (
            range(
                json!([{"email": "ana@example.com", "timezone": "Europe/Pariss"}]),
                day.0,
                day.1,
            ),
            "expected an IANA time zone such as `America/New_York`, not `Europe/Pariss`",
        ),
        (
            range(
                json!([{"email": "ana@example.com", "timezone": "UTC", "dailyTimeWindowStart": "25:00"}]),
                day.0,
                day.1,
            ),
            "expected a time of day as `HH:mm` or `HH:mm:ss` (24-hour), not `25:00`",
        ),
        (
            range(
                json!([{"email": "ana@example.com", "timezone": "UTC", "dailyTimeWindowStart": "18:00", "dailyTimeWindowEnd": "09:00"}]),
                day.0,
                day.1,
            ),
            "participants[0]: `dailyTimeWindowEnd` must be later than `dailyTimeWindowStart` (windows over midnight are not supported)",
        ),
        (
            range(json!([{"email": "ana", "timezone": "UTC"}]), day.0, day.1),
            "`participants[0].email` must be an email address such as `ana@example.com`, not `ana`",
        ),
        (
            range(json!([ana.clone()]), "tomorrow", day.1),
            "Invalid startTimeRange or endTimeRange. Provide ISO 8601 timestamps.",
        ),
        (
            range(json!([ana.clone()]), day.1, day.0),
            "endTimeRange must be later than startTimeRange.",
        ),
    ];
    for (arguments, expected) in cases {
        let result = call(&calendar, "check_availability", arguments.clone()).await;
        assert_eq!(error_kind(&result), "invalid_arguments", "{arguments}");
        assert!(
            result.text().contains(expected),
            "{arguments}: {}",
            result.text()
        );
    }
    assert_no_requests(&upstream).await;
}

#[tokio::test]
async fn get_user_timezones_lists_each_address_and_those_it_cannot_read() {
    let (upstream, calendar) = calendar().await;
    api("GET", "/calendars/ana%40example.com")
        .respond_with(ok("calendar.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("GET", "/calendars/bob%2Bwork%40example.com")
        .respond_with(google_error(404, "notFound", "Not Found", "NOT_FOUND"))
        .expect(1)
        .mount(&upstream)
        .await;
    api("GET", "/calendars/carl%40other.example")
        .respond_with(google_error(
            403,
            "forbidden",
            "Forbidden",
            "PERMISSION_DENIED",
        ))
        .expect(1)
        .mount(&upstream)
        .await;
    insta::assert_snapshot!(
        text(&calendar, "get_user_timezones", json!({"emails": ["ana@example.com", "bob+work@example.com", "carl@other.example"]})).await,
        @r"
    Time zones of 1 of 3 email addresses (2 calendars not shared with this account).

    - ana@example.com: Europe/Paris
    - bob+work@example.com: not accessible (no calendar found)
    - carl@other.example: not accessible (calendar not shared with this account)
    "
    );
}

#[tokio::test]
async fn get_user_timezones_fails_on_what_is_not_about_one_person() {
    let (upstream, calendar) = calendar().await;
    api("GET", "/calendars/ana%40example.com")
        .respond_with(ResponseTemplate::new(401))
        .mount(&upstream)
        .await;
    let result = call(
        &calendar,
        "get_user_timezones",
        json!({"emails": ["ana@example.com"]}),
    )
    .await;
    assert_eq!(error_kind(&result), "personal_authentication_required");
    api("GET", "/calendars/bob%40example.com")
        .respond_with(
            google_error(
                403,
                "rateLimitExceeded",
                "Rate Limit Exceeded",
                "PERMISSION_DENIED",
            )
            .insert_header("retry-after", "3600"),
        )
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(
        &calendar,
        "get_user_timezones",
        json!({"emails": ["bob@example.com"]}),
    )
    .await;
    insta::assert_snapshot!(result.text(), @"Google Calendar is rate limiting requests; try again in 3600 s");
    for (emails, expected) in [
        (json!([]), "give 1 to 50 email addresses in `emails`, not 0"),
        (
            json!(vec!["ana@example.com"; 51]),
            "give 1 to 50 email addresses in `emails`, not 51",
        ),
        (
            json!(["ana@example.com", "bob at example.com"]),
            "`emails[1]` must be an email address",
        ),
    ] {
        let before = upstream.received_requests().await.unwrap().len();
        let result = call(&calendar, "get_user_timezones", json!({"emails": emails})).await;
        assert_eq!(error_kind(&result), "invalid_arguments");
        assert!(result.text().contains(expected), "{}", result.text());
        assert_eq!(upstream.received_requests().await.unwrap().len(), before);
    }
}

// Arguments are checked before any request.

#[tokio::test]
async fn event_arguments_are_checked_before_any_request() {
    let (upstream, calendar) = calendar().await;
    let with = |change: Value| {
        let mut arguments = planning();
        arguments
            .as_object_mut()
            .unwrap()
            .extend(change.as_object().unwrap().clone());
        arguments
    };
    let cases = [
        (
            "create_event",
            with(json!({"end": {"dateTime": "2026-12-01T09:00:00+01:00"}})),
            "`end` must be after `start`",
        ),
        (
            "create_event",
            with(json!({"start": {"dateTime": "2026-12-01T10:00:00"}})),
            "`start.dateTime` `2026-12-01T10:00:00` has no offset: add one (`+01:00`, `Z`) or give `start.timeZone`",
        ),
        (
            "create_event",
            with(json!({"start": {"dateTime": "tomorrow"}})),
            "`start.dateTime` must be an RFC 3339 date and time",
        ),
        (
            "create_event",
            with(json!({"end": {"dateTime": "2026-12-01T11:00:00", "timeZone": "Paris"}})),
            "`end.timeZone` must be an IANA time zone such as `Europe/Paris`, not `Paris`",
        ),
        (
            "create_event",
            with(json!({"attendees": ["bob@example.com", "chloe"]})),
            "`attendees[1]` must be an email address",
        ),
        (
            "create_event",
            with(json!({"eventType": "birthday"})),
            "unknown variant `birthday`",
        ),
        (
            "create_event",
            with(json!({"calendarId": "."})),
            "expected a Google Calendar id",
        ),
        (
            "update_event",
            json!({"calendarId": "primary", "eventId": "7cbh8rpc10lrc0ckih9tafss99"}),
            "nothing to change",
        ),
        (
            "update_event",
            json!({"calendarId": "primary", "eventId": "7cbh8rpc10lrc0ckih9tafss99", "createConference": false}),
            "nothing to change",
        ),
        (
            "update_event",
            json!({"calendarId": "primary", "eventId": "a b", "summary": "x"}),
            "expected a Google Calendar id",
        ),
        (
            "delete_event",
            json!({"eventId": "7cbh8rpc10lrc0ckih9tafss99"}),
            "calendarId",
        ),
        (
            "get_event",
            json!({"eventId": ""}),
            "expected a Google Calendar id",
        ),
        (
            "list_events",
            json!({"maxResults": 2501}),
            "`maxResults` must be between 1 and 2500, not 2501",
        ),
        (
            "list_events",
            json!({"timeMin": "2026-12-01"}),
            "`timeMin` must be an RFC 3339 date and time with its offset",
        ),
        (
            "list_calendars",
            json!({"maxResults": 0}),
            "`maxResults` must be between 1 and 250, not 0",
        ),
    ];
    for (tool, arguments, expected) in cases {
        let result = call(&calendar, tool, arguments.clone()).await;
        assert_eq!(
            error_kind(&result),
            "invalid_arguments",
            "{tool} {arguments}"
        );
        assert!(
            result.text().contains(expected),
            "{tool} {arguments}: {}",
            result.text()
        );
    }
    assert_no_requests(&upstream).await;
}

#[test]
fn writes_are_approved_per_calendar_which_they_must_name() {
    let listing = GoogleCalendar::catalog().listing();
    for name in ["create_event", "update_event", "delete_event"] {
        let tool = GoogleCalendar::METADATA
            .tools
            .iter()
            .find(|tool| tool.name == name)
            .unwrap();
        assert_eq!(tool.stake, mcp_runtime::Stake::Medium, "{name}");
        assert_eq!(tool.approval_args, ["calendarId"], "{name}");
        // Required: an "always allow" on `primary` then covers every write to it, and no call
        // falls into a scope of its own by leaving the calendar out.
        let listed = listing.iter().find(|tool| tool["name"] == name).unwrap();
        let required = listed["inputSchema"]["required"].as_array().unwrap();
        assert!(required.contains(&json!("calendarId")), "{name}");
    }
    let stakes: Vec<(&str, mcp_runtime::Stake)> = GoogleCalendar::METADATA
        .tools
        .iter()
        .map(|tool| (tool.name, tool.stake))
        .collect();
    assert_eq!(stakes.len(), 8);
    assert_eq!(
        stakes
            .iter()
            .filter(|(_, stake)| *stake == mcp_runtime::Stake::NeverAsk)
            .count(),
        5
    );
}

// Failure paths of the client.

#[tokio::test]
async fn without_a_token_the_error_says_how_to_connect() {
    let (upstream, calendar) = calendar().await;
    let result = calendar
        .call_tool("list_calendars", json!({}), ToolContext::new())
        .await
        .unwrap();
    assert_eq!(error_kind(&result), "personal_authentication_required");
    assert!(
        result.text().contains("not connected to Google Calendar: set `GOOGLE_CALENDAR_TOKEN` (an OAuth access token) in the server's environment, or connect with OAuth"),
        "{}",
        result.text()
    );
    assert_no_requests(&upstream).await;
}

#[tokio::test]
async fn settings_give_the_api_url_and_the_token() {
    let upstream = MockServer::start().await;
    api("GET", "/v3/users/me/calendarList")
        .respond_with(ok("calendar_list.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let calendar = GoogleCalendar::from_settings(Settings {
        api_url: Some(format!("{}/v3/", upstream.uri())),
        token: Some(TOKEN.into()),
    })
    .unwrap();
    support::text(&calendar, "list_calendars", json!({}), ToolContext::new()).await;
}

#[tokio::test]
async fn unauthorized_asks_for_personal_authentication() {
    let (upstream, calendar) = calendar().await;
    api("GET", "/calendars/primary/events")
        .respond_with(google_error(
            401,
            "authError",
            "Invalid Credentials",
            "UNAUTHENTICATED",
        ))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(&calendar, "list_events", json!({})).await;
    assert_eq!(error_kind(&result), "personal_authentication_required");
    assert!(!result.text().contains(TOKEN));
}

#[tokio::test]
async fn forbidden_is_a_refusal_in_googles_words() {
    let (upstream, calendar) = calendar().await;
    api(
        "POST",
        "/calendars/en.usa%23holiday%40group.v.calendar.google.com/events",
    )
    .respond_with(google_error(
        403,
        "requiredAccessLevel",
        "You need to have writer access to this calendar.",
        "PERMISSION_DENIED",
    ))
    .expect(1)
    .mount(&upstream)
    .await;
    let mut arguments = planning();
    arguments["calendarId"] = json!("en.usa#holiday@group.v.calendar.google.com");
    let result = call(&calendar, "create_event", arguments).await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text(), @"Google Calendar denied `POST /calendars/en.usa%23holiday%40group.v.calendar.google.com/events`: the connected account may not do this: You need to have writer access to this calendar.");
}

#[tokio::test]
async fn a_rate_limit_403_is_throttling_and_retried_for_reads() {
    let (upstream, calendar) = calendar().await;
    api(
        "GET",
        "/calendars/primary/events/7cbh8rpc10lrc0ckih9tafss99",
    )
    .respond_with(google_error(
        403,
        "userRateLimitExceeded",
        "User Rate Limit Exceeded",
        "PERMISSION_DENIED",
    ))
    .up_to_n_times(1)
    .expect(1)
    .mount(&upstream)
    .await;
    api(
        "GET",
        "/calendars/primary/events/7cbh8rpc10lrc0ckih9tafss99",
    )
    .respond_with(ok("event.json"))
    .expect(1)
    .mount(&upstream)
    .await;
    text(
        &calendar,
        "get_event",
        json!({"eventId": "7cbh8rpc10lrc0ckih9tafss99"}),
    )
    .await;
}

#[tokio::test]
async fn a_daily_quota_403_is_not_retried() {
    let (upstream, calendar) = calendar().await;
    api("GET", "/users/me/calendarList")
        .respond_with(google_error(
            403,
            "quotaExceeded",
            "Calendar usage limits exceeded.",
            "PERMISSION_DENIED",
        ))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(&calendar, "list_calendars", json!({})).await;
    insta::assert_snapshot!(result.text(), @"Google Calendar denied `GET /users/me/calendarList`: the connected account may not do this: Calendar usage limits exceeded.");
}

#[tokio::test]
async fn rate_limits_are_waited_out_as_retry_after_says() {
    let (upstream, calendar) = calendar().await;
    api("GET", "/users/me/calendarList")
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&upstream)
        .await;
    api("GET", "/users/me/calendarList")
        .respond_with(ok("calendar_list.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let started = Instant::now();
    text(&calendar, "list_calendars", json!({})).await;
    assert!(started.elapsed() >= Duration::from_secs(1));
}

#[tokio::test]
async fn a_write_that_is_throttled_says_when_to_try_again_without_retrying() {
    let (upstream, calendar) = calendar().await;
    api("POST", "/calendars/primary/events")
        .respond_with(
            google_error(
                429,
                "rateLimitExceeded",
                "Rate Limit Exceeded",
                "RESOURCE_EXHAUSTED",
            )
            .insert_header("retry-after", "20"),
        )
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(&calendar, "create_event", planning()).await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text(), @"Google Calendar is rate limiting requests; try again in 20 s");
}

#[tokio::test]
async fn not_found_names_the_endpoint_in_googles_words() {
    let (upstream, calendar) = calendar().await;
    api("DELETE", "/calendars/primary/events/nosuchevent1")
        .respond_with(google_error(404, "notFound", "Not Found", "NOT_FOUND"))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = call(
        &calendar,
        "delete_event",
        json!({"calendarId": "primary", "eventId": "nosuchevent1"}),
    )
    .await;
    assert_eq!(error_kind(&result), "not_found");
    insta::assert_snapshot!(result.text(), @"Google Calendar has nothing at `DELETE /calendars/primary/events/nosuchevent1`: Not Found; check the names and numbers in the arguments");
}

#[tokio::test]
async fn validation_errors_are_in_googles_words() {
    let (upstream, calendar) = calendar().await;
    api("POST", "/calendars/primary/events")
        .respond_with(google_error(
            400,
            "invalid",
            "Invalid attendee email.",
            "INVALID_ARGUMENT",
        ))
        .expect(1)
        .mount(&upstream)
        .await;
    let mut arguments = planning();
    arguments["attendees"] = json!(["bob@example"]);
    let result = call(&calendar, "create_event", arguments).await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text(), @"Google Calendar refused `POST /calendars/primary/events` as invalid: Invalid attendee email.");
}

#[tokio::test]
async fn server_errors_are_retried_for_reads() {
    let (upstream, calendar) = calendar().await;
    api("POST", "/freeBusy")
        .respond_with(google_error(
            503,
            "backendError",
            "Backend Error",
            "UNAVAILABLE",
        ))
        .up_to_n_times(1)
        .expect(1)
        .mount(&upstream)
        .await;
    api("POST", "/freeBusy")
        .respond_with(ok("free_busy.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    text(
        &calendar,
        "check_availability",
        json!({"participants": [{"email": "ana@example.com", "timezone": "UTC"}],
            "startTimeRange": "2026-12-01T08:00:00Z", "endTimeRange": "2026-12-01T18:00:00Z"}),
    )
    .await;
}

#[tokio::test]
async fn persistent_server_errors_say_how_many_attempts() {
    let (upstream, calendar) = calendar().await;
    api("GET", "/calendars/primary/events")
        .respond_with(ResponseTemplate::new(500).set_body_string("<html>Error 500</html>"))
        .expect(3)
        .mount(&upstream)
        .await;
    let result = call(&calendar, "list_events", json!({})).await;
    insta::assert_snapshot!(result.text(), @"Google Calendar failed with HTTP 500 on `GET /calendars/primary/events` after 3 attempts");
}

#[tokio::test]
async fn writes_are_never_retried() {
    let (upstream, calendar) = calendar().await;
    for (verb, route) in [
        ("POST", "/calendars/primary/events"),
        (
            "PATCH",
            "/calendars/primary/events/7cbh8rpc10lrc0ckih9tafss99",
        ),
        (
            "DELETE",
            "/calendars/primary/events/7cbh8rpc10lrc0ckih9tafss99",
        ),
    ] {
        api(verb, route)
            .respond_with(google_error(
                503,
                "backendError",
                "Backend Error",
                "UNAVAILABLE",
            ))
            .expect(1)
            .mount(&upstream)
            .await;
    }
    let event = json!({"calendarId": "primary", "eventId": "7cbh8rpc10lrc0ckih9tafss99"});
    let mut update = event.clone();
    update["summary"] = json!("x");
    for (tool, arguments) in [
        ("create_event", planning()),
        ("update_event", update),
        ("delete_event", event),
    ] {
        let result = call(&calendar, tool, arguments).await;
        assert_eq!(error_kind(&result), "provider");
        assert!(
            result.text().contains("failed with HTTP 503"),
            "{}",
            result.text()
        );
        assert!(!result.text().contains("attempts"), "{}", result.text());
    }
}

#[tokio::test]
async fn a_malformed_body_names_the_endpoint_and_the_field() {
    let (upstream, calendar) = calendar().await;
    api("GET", "/calendars/primary/events")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [{"summary": 42}]})))
        .mount(&upstream)
        .await;
    let result = call(&calendar, "list_events", json!({})).await;
    assert_eq!(error_kind(&result), "provider");
    assert!(
        result
            .text()
            .starts_with("unexpected response from Google Calendar to `GET /calendars/primary/events`: items[0].summary: invalid type"),
        "{}",
        result.text()
    );
}

#[test]
fn users_connect_with_googles_oauth_and_get_a_refresh_token() {
    let endpoints = providers::oauth_endpoints("google_calendar").expect("registered");
    let start = providers::connect::OAuthApp::new(
        endpoints,
        "1234.apps.googleusercontent.com",
        Some("client-secret".to_owned()),
        "http://127.0.0.1:8080/cb",
    )
    .authorization_url()
    .unwrap();
    let (address, query) = support::address_and_query(&start.url);
    assert_eq!(address, "https://accounts.google.com/o/oauth2/v2/auth");
    assert_eq!(
        query["scope"],
        "https://www.googleapis.com/auth/calendar https://www.googleapis.com/auth/calendar.events"
    );
    // Google issues a refresh token only for offline access, and again only on consent.
    assert_eq!(query["access_type"], "offline");
    assert_eq!(query["prompt"], "consent");
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(endpoints.token_url, "https://oauth2.googleapis.com/token");
}

#[tokio::test]
async fn an_expired_google_connection_is_renewed_and_keeps_its_refresh_token() {
    use providers::connect::{ConnectionStore as _, OAuthApp, Tokens};
    use secrecy::{ExposeSecret as _, SecretString};
    use std::sync::Arc;

    const OLD: &str = "ya29.expired-do-not-log";
    const NEW: &str = "ya29.renewed-do-not-log";
    const REFRESH: &str = "1//0refresh-do-not-log";
    const SECRET: &str = "GOCSPX-client-secret-do-not-log";
    let upstream = MockServer::start().await;
    // Google's answer to a refresh: a new access token, and no new refresh token.
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(wiremock::matchers::body_string_contains("grant_type=refresh_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": NEW,
            "expires_in": 3599,
            "scope": "https://www.googleapis.com/auth/calendar https://www.googleapis.com/auth/calendar.events",
            "token_type": "Bearer",
        })))
        .expect(1)
        .mount(&upstream)
        .await;
    Mock::given(method("GET"))
        .and(path("/users/me/calendarList"))
        .and(support::bearer(NEW))
        .respond_with(ok("calendar_list.json"))
        .expect(1)
        .mount(&upstream)
        .await;
    let app = OAuthApp::new(
        &providers::google_calendar::OAUTH,
        "1234.apps.googleusercontent.com",
        Some(SECRET.to_owned()),
        "http://127.0.0.1:8080/cb",
    )
    .with_token_url(format!("{}/token", upstream.uri()));
    let mut tokens = Tokens::fixed(OLD);
    tokens.refresh = Some(SecretString::from(REFRESH));
    tokens.expires_at = Some(std::time::SystemTime::now() - Duration::from_secs(60));
    let connections = support::connected("ana", "google_calendar", &tokens).await;
    let calendar = GoogleCalendar::new(&upstream.uri(), None)
        .with_connections(connections.clone(), Some(Arc::new(app)));
    let ana = support::as_user("ana");

    let captured = support::logs::Logs::capture();
    support::text(&calendar, "list_calendars", json!({}), ana).await;
    let logs = captured.text();
    let saved = connections
        .get("ana", "google_calendar")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(saved.access.expose_secret(), NEW);
    assert_eq!(saved.refresh.unwrap().expose_secret(), REFRESH);
    for secret in [OLD, NEW, REFRESH, SECRET] {
        assert!(!logs.contains(secret), "a secret reached the logs:\n{logs}");
    }
}

#[tokio::test]
async fn a_busy_period_that_is_not_a_time_is_an_error_not_free_time() {
    let (upstream, calendar) = calendar().await;
    api("POST", "/freeBusy")
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "calendars": {"ana@example.com": {"busy": [{"start": "soon", "end": "2026-12-01T10:00:00Z"}]}},
        })))
        .mount(&upstream)
        .await;
    let result = call(
        &calendar,
        "check_availability",
        json!({"participants": [{"email": "ana@example.com", "timezone": "UTC"}],
            "startTimeRange": "2026-12-01T09:00:00Z", "endTimeRange": "2026-12-01T17:00:00Z"}),
    )
    .await;
    assert_eq!(error_kind(&result), "provider");
    insta::assert_snapshot!(result.text(), @"unexpected busy period from Google Calendar for ana@example.com: `soon` to `2026-12-01T10:00:00Z`");
}

#[tokio::test]
async fn ten_participants_are_asked_about_in_one_query() {
    let (upstream, calendar) = calendar().await;
    let emails: Vec<String> = (1..=10).map(|n| format!("p{n}@example.com")).collect();
    let calendars: serde_json::Map<String, Value> = emails
        .iter()
        .map(|email| (email.clone(), json!({"busy": []})))
        .collect();
    let items: Vec<Value> = emails.iter().map(|email| json!({"id": email})).collect();
    api("POST", "/freeBusy")
        .and(body_partial_json(json!({"items": items})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"calendars": calendars})))
        .expect(1)
        .mount(&upstream)
        .await;
    let participants: Vec<Value> = emails
        .iter()
        .map(|email| json!({"email": email, "timezone": "Europe/Berlin", "dailyTimeWindowStart": "09:00", "dailyTimeWindowEnd": "17:00"}))
        .collect();
    let text = text(
        &calendar,
        "check_availability",
        json!({"participants": participants, "startTimeRange": "2026-12-01T00:00:00Z", "endTimeRange": "2026-12-02T00:00:00Z"}),
    )
    .await;
    assert!(
        text.contains("1. Tue, Dec 1 2026 at 09:00 CET → Tue, Dec 1 2026 at 17:00 CET (8 h)"),
        "{text}"
    );
}
