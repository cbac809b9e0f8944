//! Two `serve` replicas sharing a PostgreSQL store (a server of the test's own on loopback) and
//! the keys sealing request states: a call held by one is answered through the other, once; an
//! "always" given there is honoured by both; both audit to the same log.

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use support::fixture;
use support::host::{Host, answer, client, stateless_call};
use support::postgres::TempPostgres;

/// The key sealing request states, the same for every replica (32 bytes in base64).
const STATE_KEY: &str = "c3RhdGUta2V5LXNoYXJlZC1ieS10aGUtcmVwbGljYXM=";

/// A replica serving `github` (its API at `github`), with its state in the database at
/// `database`.
fn replica(dir: &tempfile::TempDir, github: &str, database: &str) -> Host {
    std::fs::write(
        dir.path().join("team.toml"),
        format!(
            "listen = \"127.0.0.1:0\"\n[store]\npostgres = {{ env = \"TEAM_DATABASE_URL\" }}\n\
             [approvals]\nstate_keys = [{{ env = \"TEAM_STATE_KEY\" }}]\n\
             [servers]\nsqlite = false\n\
             [servers.github]\napi_url = \"{github}\"\ntoken = \"a-token\"\n"
        ),
    )
    .unwrap();
    Host::spawn(
        Host::command()
            .args(["serve", "--config", "team.toml"])
            .current_dir(dir.path())
            .env("TEAM_DATABASE_URL", database)
            .env("TEAM_STATE_KEY", STATE_KEY)
            .env("RUST_LOG", "warn"),
        None,
    )
    .serving()
}

/// A stateless (2026-07-28) `create_issue` from a client that can ask its user; with `answer`,
/// the retry carrying the user's decision on `state`.
async fn create_issue(host: &Host, answer_with: Option<(&str, &str)>) -> Value {
    let mut params =
        json!({"arguments": {"owner": "octo-org", "repo": "hello-world", "title": "shared"}});
    if let Some((state, decision)) = answer_with {
        params["requestState"] = json!(state);
        params["inputResponses"] =
            json!({"approval": {"action": "accept", "content": {"decision": decision}}});
    }
    let request = stateless_call(
        &client(),
        &host.url,
        "create_issue",
        params,
        json!({"elicitation": {}}),
    );
    let (status, message) = answer(request.send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{message}");
    message
}

fn text(answer: &Value) -> &str {
    answer["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_default()
}

#[tokio::test]
async fn a_call_held_by_one_replica_is_answered_through_another_once() {
    let postgres = TempPostgres::start();
    let database = postgres.database("team");
    let github = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/repos/octo-org/hello-world/issues"))
        .and(header("authorization", "Bearer a-token"))
        .respond_with(ResponseTemplate::new(201).set_body_json(fixture("github", "issue.json")))
        .expect(2)
        .mount(&github)
        .await;
    let (dir_one, dir_two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let one = replica(&dir_one, &github.uri(), &database);
    let two = replica(&dir_two, &github.uri(), &database);

    // Held by the first replica (`create_issue` is `low`), answered "always" through the
    // second, which runs it.
    let held = create_issue(&one, None).await;
    let state = held["result"]["requestState"]
        .as_str()
        .unwrap_or_else(|| panic!("not held: {held}"));
    let ran = create_issue(&two, Some((state, "always"))).await;
    assert_eq!(ran["result"]["isError"], false, "{ran}");
    // Brought back to either replica, the answer was taken; altered, it opens nowhere.
    for replica in [&one, &two] {
        let replayed = create_issue(replica, Some((state, "once"))).await;
        assert!(text(&replayed).contains("no call is waiting"), "{replayed}");
    }
    let altered = format!("{}x", &state[..state.len() - 1]);
    let refused = create_issue(&two, Some((&altered, "once"))).await;
    assert!(
        text(&refused).starts_with("the request state does not belong to this call"),
        "{refused}"
    );
    // The first replica, which asked, now runs the call without asking: "always" is shared.
    let ran = create_issue(&one, None).await;
    assert_eq!(ran["result"]["isError"], false, "{ran}");
    assert!(ran["result"]["requestState"].is_null(), "{ran}");

    // Both replicas audit to the one log, all of it written by the time they stop.
    for mut replica in [one, two] {
        replica.terminate();
        replica.exit_within(std::time::Duration::from_secs(15));
    }
    let output = Host::command()
        .args(["audit", "--config", "team.toml"])
        .current_dir(dir_one.path())
        .env("TEAM_DATABASE_URL", &database)
        .env("TEAM_STATE_KEY", STATE_KEY)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let log = String::from_utf8(output.stdout).unwrap();
    let outcomes: Vec<&str> = log
        .lines()
        .skip(2)
        .map(|line| line.split(" | ").next().unwrap().trim_start_matches("| "))
        .collect();
    assert_eq!(
        outcomes,
        [
            "allowed_by_memory",
            "ran_with_approval",
            "approved_always",
            "approval_requested"
        ],
        "{log}"
    );
}
