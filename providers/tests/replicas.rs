//! Two `serve` replicas sharing a PostgreSQL store (a server of the test's own on loopback):
//! an "always" given through one is honoured by the other, and both audit to the same log.

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use support::fixture;
use support::host::{Host, JsonBody, answer, client};
use support::postgres::TempPostgres;

/// A replica serving `github` (its API at `github`), with its state in the database at
/// `database`.
fn replica(dir: &tempfile::TempDir, github: &str, database: &str) -> Host {
    std::fs::write(
        dir.path().join("team.toml"),
        format!(
            "listen = \"127.0.0.1:0\"\n[store]\npostgres = {{ env = \"TEAM_DATABASE_URL\" }}\n\
             [servers.github]\napi_url = \"{github}\"\ntoken = \"a-token\"\n"
        ),
    )
    .unwrap();
    Host::spawn(
        Host::command()
            .args(["serve", "--config", "team.toml"])
            .current_dir(dir.path())
            .env("TEAM_DATABASE_URL", database)
            .env("RUST_LOG", "warn"),
        None,
    )
    .serving()
}

/// A stateless (2026-07-28) `create_issue` from a client that can ask its user; with `answer`,
/// the retry carrying the user's decision on `state`.
async fn create_issue(host: &Host, answer_with: Option<(&str, &str)>) -> Value {
    let mut params = json!({
        "name": "create_issue",
        "arguments": {"owner": "octo-org", "repo": "hello-world", "title": "shared"},
        "_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {"elicitation": {}},
            "io.modelcontextprotocol/clientInfo": {"name": "replicas", "version": "1"}
        }
    });
    if let Some((state, decision)) = answer_with {
        params["requestState"] = json!(state);
        params["inputResponses"] =
            json!({"approval": {"action": "accept", "content": {"decision": decision}}});
    }
    let response = client()
        .post(&host.url)
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2026-07-28")
        .header("mcp-method", "tools/call")
        .header("mcp-name", "create_issue")
        .json_body(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params}))
        .send()
        .await
        .unwrap();
    let (status, message) = answer(response).await;
    assert_eq!(status, StatusCode::OK, "{message}");
    message
}

#[tokio::test]
async fn always_given_through_one_replica_is_honoured_by_another() {
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

    // Held on the first replica (`create_issue` is `low`), answered "always" there.
    let held = create_issue(&one, None).await;
    let state = held["result"]["requestState"]
        .as_str()
        .unwrap_or_else(|| panic!("not held: {held}"));
    let ran = create_issue(&one, Some((state, "always"))).await;
    assert_eq!(ran["result"]["isError"], false, "{ran}");
    // The second replica never asked anyone: it runs the call.
    let ran = create_issue(&two, None).await;
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
        .output()
        .unwrap();
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
