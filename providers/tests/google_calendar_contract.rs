//! Every request the Google Calendar tools send is checked against Google's published
//! discovery document of the Calendar API (`calendar.v3.json`, shipped inside PyPI's
//! `google-api-python-client`), and every response fixture the tools read is checked against
//! the same document: what the tools send is what Google declares, and what they read is what
//! Google says it sends.

mod support;

use std::sync::OnceLock;

use providers::google_calendar::GoogleCalendar;
use serde_json::{Value, json};
use support::discovery::Discovery;
use support::judge::{
    assert_every_tool_checked, assert_no_problems, failed_calls, in_new_contexts, request_problems,
    stand_in,
};
use wiremock::{Request, Respond, ResponseTemplate};

/// Where the tests mount the API: Google's own path, so the description's paths match.
const SERVICE: &str = "/calendar/v3";

fn description() -> Discovery {
    static SPEC: OnceLock<Discovery> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = support::contracts::file("google/calendar.v3.json");
        let document: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(
            document["id"], "calendar:v3",
            "Google's Calendar description was read"
        );
        Discovery::new(&document)
    })
    .clone()
}

/// The fixture answering each method the tools call.
const ANSWERS: &[(&str, &str)] = &[
    ("calendar.calendarList.list", "calendar_list.json"),
    ("calendar.events.list", "events.json"),
    ("calendar.events.get", "event.json"),
    ("calendar.events.insert", "event.json"),
    ("calendar.events.patch", "event.json"),
    ("calendar.freebusy.query", "free_busy.json"),
    ("calendar.calendars.get", "calendar.json"),
];

/// Answers each method with its fixture (a 204 for `events.delete`, a 404 for what the
/// description does not have).
struct Fixtures(Discovery);

impl Respond for Fixtures {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let id = self
            .0
            .method_id(request.method.as_str(), request.url.path());
        match id.as_deref() {
            Some("calendar.events.delete") => ResponseTemplate::new(204),
            Some(id) => match ANSWERS.iter().find(|(method, _)| *method == id) {
                Some((_, fixture)) => support::ok("google_calendar", fixture),
                None => ResponseTemplate::new(501),
            },
            None => ResponseTemplate::new(404),
        }
    }
}

/// Each tool, called with only its required arguments and with all of them.
fn calls() -> Vec<(&'static str, Value)> {
    let window = json!([
        {"email": "ana@example.com", "timezone": "Europe/Paris"},
        {"email": "bob@example.com", "timezone": "America/New_York",
         "dailyTimeWindowStart": "09:00", "dailyTimeWindowEnd": "17:30:00"}
    ]);
    vec![
        ("list_calendars", json!({})),
        (
            "list_calendars",
            json!({"pageToken": "EjwKOmVuLnVzYQ", "maxResults": 250}),
        ),
        ("list_events", json!({})),
        (
            "list_events",
            json!({"calendarId": "en.usa#holiday@group.v.calendar.google.com", "q": "planning",
                "timeMin": "2026-12-01T00:00:00Z", "timeMax": "2026-12-08T00:00:00+01:00",
                "maxResults": 2500, "pageToken": "CigKGjdjYmg4"}),
        ),
        (
            "get_event",
            json!({"eventId": "7cbh8rpc10lrc0ckih9tafss99"}),
        ),
        (
            "get_event",
            json!({"calendarId": "ana@example.com", "eventId": "5qv1b3n7m9k2j4h6g8f0d2s4a6_20261201T150000Z"}),
        ),
        (
            "create_event",
            json!({"calendarId": "primary", "summary": "Quarterly planning",
                "start": {"dateTime": "2026-12-01T10:00:00+01:00"},
                "end": {"dateTime": "2026-12-01T11:30:00+01:00"}}),
        ),
        (
            "create_event",
            json!({"calendarId": "c_1f3a9e2b7d@group.calendar.google.com", "summary": "Quarterly planning",
                "description": "Agenda:<br><ul><li>Roadmap</li></ul>",
                "start": {"dateTime": "2026-12-01T10:00:00", "timeZone": "Europe/Paris"},
                "end": {"dateTime": "2026-12-01T11:30:00", "timeZone": "Europe/Paris"},
                "attendees": ["bob@example.com", "chloe@example.com"], "location": "Room Lovelace",
                "colorId": "7", "createConference": true, "eventType": "default",
                "transparency": "opaque", "visibility": "private",
                "reminders": {"useDefault": false, "overrides": [{"method": "popup", "minutes": 10}]},
                "extendedProperties": {"private": {"source": "agent"}}}),
        ),
        (
            "create_event",
            json!({"calendarId": "primary", "summary": "Deep work", "eventType": "focusTime",
                "start": {"dateTime": "2026-12-02T09:00:00+01:00"},
                "end": {"dateTime": "2026-12-02T12:00:00+01:00"}}),
        ),
        (
            "create_event",
            json!({"calendarId": "primary", "summary": "Holidays", "eventType": "outOfOffice",
                "start": {"dateTime": "2026-12-21T00:00:00+01:00"},
                "end": {"dateTime": "2026-12-24T00:00:00+01:00"}}),
        ),
        (
            "update_event",
            json!({"calendarId": "primary", "eventId": "7cbh8rpc10lrc0ckih9tafss99", "summary": "Renamed"}),
        ),
        (
            "update_event",
            json!({"calendarId": "ana@example.com", "eventId": "7cbh8rpc10lrc0ckih9tafss99",
                "summary": "Quarterly planning (moved)", "description": "New agenda",
                "start": {"dateTime": "2026-12-02T10:00:00+01:00", "timeZone": "Europe/Paris"},
                "end": {"dateTime": "2026-12-02T11:30:00+01:00", "timeZone": "Europe/Paris"},
                "attendees": ["bob@example.com"], "location": "Room Hopper", "colorId": "5",
                "createConference": true, "transparency": "transparent", "visibility": "public",
                "reminders": {"useDefault": true},
                "extendedProperties": {"private": {"moved": "yes"}}}),
        ),
        (
            "delete_event",
            json!({"calendarId": "primary", "eventId": "7cbh8rpc10lrc0ckih9tafss99"}),
        ),
        (
            "check_availability",
            json!({"participants": [{"email": "ana@example.com", "timezone": "Europe/Paris"}],
                "startTimeRange": "2026-12-01T08:00:00Z", "endTimeRange": "2026-12-02T20:00:00Z"}),
        ),
        (
            "check_availability",
            json!({"participants": window, "startTimeRange": "2026-12-01T08:00:00Z",
                "endTimeRange": "2026-12-02T20:00:00Z", "excludeWeekends": true}),
        ),
        ("get_user_timezones", json!({"emails": ["ana@example.com"]})),
        (
            "get_user_timezones",
            json!({"emails": ["ana@example.com", "bob+calendar@example.com"]}),
        ),
    ]
}

#[tokio::test]
async fn every_tool_sends_what_google_declares() {
    let spec = description();
    let upstream = stand_in(Fixtures(spec.clone())).await;
    let calendar = GoogleCalendar::new(
        &format!("{}{SERVICE}", upstream.uri()),
        Some("test-token".into()),
    );

    let mut failures = failed_calls(&calendar, in_new_contexts(calls())).await;
    let requests: Vec<Request> = upstream.received_requests().await.unwrap();
    assert!(requests.len() >= calls().len());
    for request in &requests {
        failures.extend(spec.problems(request));
    }
    assert_no_problems(&failures);

    // Every method the fixtures answer was called, and every tool was checked.
    let called: Vec<String> = requests
        .iter()
        .filter_map(|request| spec.method_id(request.method.as_str(), request.url.path()))
        .collect();
    for (method, _) in ANSWERS {
        assert!(
            called.iter().any(|id| id == method),
            "{method} was not called"
        );
    }
    let tools: Vec<&str> = calls().iter().map(|(tool, _)| *tool).collect();
    assert_every_tool_checked::<GoogleCalendar>(&tools);
}

#[test]
fn the_fixtures_are_what_google_declares_it_sends() {
    let spec = description();
    let examples = [
        ("GET", "/users/me/calendarList", "calendar_list.json"),
        ("GET", "/calendars/primary/events", "events.json"),
        (
            "GET",
            "/calendars/primary/events/7cbh8rpc10lrc0ckih9tafss99",
            "event.json",
        ),
        ("POST", "/freeBusy", "free_busy.json"),
        ("GET", "/calendars/ana%40example.com", "calendar.json"),
    ];
    let mut problems = Vec::new();
    for (method, path, fixture) in examples {
        let body = support::fixture("google_calendar", fixture);
        problems.extend(spec.response_problems(method, &format!("{SERVICE}{path}"), &body));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // And the judge of answers refuses a field of the wrong type.
    let mut wrong = support::fixture("google_calendar", "events.json");
    wrong["items"][0]["attendees"] = json!({"email": "ana@example.com"});
    assert_eq!(
        spec.response_problems(
            "GET",
            &format!("{SERVICE}/calendars/primary/events"),
            &wrong
        ),
        [format!(
            "GET {SERVICE}/calendars/primary/events answer: {{\"email\":\"ana@example.com\"}} is not of type \"array\" at `/items/0/attendees`"
        )]
    );
}

#[tokio::test]
async fn the_description_catches_what_google_would_refuse() {
    let spec = description();
    let upstream = stand_in(ResponseTemplate::new(200)).await;
    let http = providers::kit::http_client(reqwest::Client::builder());
    let base = format!("{}{SERVICE}", upstream.uri());
    let event = json!({"summary": "t", "start": {"dateTime": "2026-12-01T10:00:00Z"},
        "end": {"dateTime": "2026-12-01T11:00:00Z"}});
    let mut misspelt = event.clone();
    misspelt["atendees"] = json!([{"email": "bob@example.com"}]);
    let mut no_end = event.clone();
    no_end.as_object_mut().unwrap().remove("end");
    for (method, url, body) in [
        (
            "GET",
            format!("{base}/calendars/primary/events?colour=red"),
            None,
        ),
        (
            "GET",
            format!("{base}/calendars/primary/events?maxResults=many"),
            None,
        ),
        (
            "GET",
            format!("{base}/calendars/primary/events?maxResults=0"),
            None,
        ),
        (
            "GET",
            format!("{base}/calendars/primary/events?timeMin=yesterday"),
            None,
        ),
        (
            "GET",
            format!("{base}/calendars/primary/events?orderBy=title"),
            None,
        ),
        ("GET", format!("{base}/calendars/primary/meetings"), None),
        (
            "POST",
            format!("{base}/calendars/primary/events?conferenceDataVersion=2"),
            Some(event.clone()),
        ),
        (
            "POST",
            format!("{base}/calendars/primary/events"),
            Some(misspelt),
        ),
        (
            "POST",
            format!("{base}/calendars/primary/events"),
            Some(no_end),
        ),
        (
            "POST",
            format!("{base}/freeBusy"),
            Some(
                json!({"timeMin": "2026-12-01T00:00:00Z", "items": [{"email": "ana@example.com"}]}),
            ),
        ),
    ] {
        let mut request = http.request(method.parse().unwrap(), url);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        request.send().await.unwrap();
    }
    let problems = request_problems(&upstream, |request| spec.problems(request)).await;
    insta::assert_snapshot!(problems.join("\n"));
}
