//! The `mcp-providers` binary's inspection commands, run as a user runs them.

use std::process::{Command, Output};

use providers::SERVERS;
use serde_json::Value;

fn mcp_providers(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mcp-providers"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

#[test]
fn docs_catalogue_every_server_and_tool_with_its_stake() {
    let docs = stdout(&mcp_providers(&["docs"]));
    let all = stdout(&mcp_providers(&["docs", "--all"]));
    for entry in SERVERS.iter() {
        let metadata = entry.metadata();
        let heading = format!("## `{}` (id {})", metadata.name, metadata.id);
        // Builders browse every server but those served hidden from them.
        assert_eq!(docs.contains(&heading), metadata.is_browsed(), "{heading}");
        assert!(all.contains(&heading), "{heading}");
        for tool in metadata.tools {
            let row = format!("| `{}` | `{}` |", tool.name, tool.stake);
            assert!(all.contains(&row), "no row starting {row}");
        }
    }
    assert!(docs.contains("`sql` (string, required): One read-only SQL statement"));
    let salesforce = docs.split("## `salesforce`").nth(1).unwrap();
    assert!(salesforce.starts_with(" (id 1004)"));
    assert!(salesforce.split("\n## ").next().unwrap().contains(
        "Restricted: served only to the workspaces (or principals) its predicate admits."
    ));
}

#[test]
fn list_prints_the_flags() {
    // No server of this registry is hidden from builders (the list's own tests cover those).
    let table = stdout(&mcp_providers(&["list"]));
    assert!(table.ends_with(" tools\n"), "{table}");
    assert_eq!(table, stdout(&mcp_providers(&["list", "--all"])));

    let listed: Value = serde_json::from_str(&stdout(&mcp_providers(&["list", "--json"]))).unwrap();
    let server = |name: &str| {
        listed
            .as_array()
            .unwrap()
            .iter()
            .find(|server| server["name"] == name)
            .cloned()
            .unwrap()
    };
    let salesforce = server("salesforce");
    assert_eq!(salesforce["availability"], "manual");
    assert_eq!(salesforce["restricted"], true);
    assert_eq!(salesforce["preview"], false);
    assert_eq!(salesforce["allowMultipleInstances"], true);
    let sqlite = server("sqlite");
    assert_eq!(sqlite["restricted"], false);
    assert_eq!(sqlite["allowMultipleInstances"], false);
    assert_eq!(server("conformance")["availability"], "manual");
}

#[test]
fn schema_prints_each_tool_and_one_tool_on_request() {
    let all: Value = serde_json::from_str(&stdout(&mcp_providers(&["schema", "sqlite"]))).unwrap();
    let names: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|tool| tool["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["list_tables", "describe_table", "query"]);

    let query: Value =
        serde_json::from_str(&stdout(&mcp_providers(&["schema", "sqlite", "query"]))).unwrap();
    assert_eq!(query["inputSchema"]["required"], serde_json::json!(["sql"]));
}

#[test]
fn unknown_names_are_clear_errors() {
    let output = mcp_providers(&["schema", "sqlite", "nope"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("`sqlite` has no tool `nope`"), "{stderr}");

    let output = mcp_providers(&["schema", "sqlit"]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("unknown server `sqlit`"), "{stderr}");
}

#[test]
fn without_an_account_sqlite_answers_and_the_platforms_say_how_to_connect() {
    let sample = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_mcp-providers"))
            .args(args)
            .env_remove("GITHUB_TOKEN")
            .env_remove("JIRA_TOKEN")
            .env_remove("JIRA_SITE")
            .env_remove("JIRA_EMAIL")
            .env_remove("SALESFORCE_TOKEN")
            .env_remove("SALESFORCE_INSTANCE_URL")
            .env_remove("HUBSPOT_TOKEN")
            .env_remove("GOOGLE_CALENDAR_TOKEN")
            .env_remove("GOOGLE_CALENDAR_API_URL")
            .env_remove("SQLITE_PATH")
            .env("TMPDIR", sample.path())
            .output()
            .expect("the binary runs")
    };
    let query = run(&[
        "call",
        "sqlite",
        "query",
        r#"{"sql": "SELECT count(*) AS customers FROM customers"}"#,
    ]);
    assert!(stdout(&query).contains("customers"));

    let github = run(&[
        "call",
        "github",
        "get_issue",
        r#"{"owner": "octo-org", "repo": "hello-world", "issueNumber": 1}"#,
    ]);
    assert_eq!(github.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&github.stdout)
            .contains("not connected to GitHub: set `GITHUB_TOKEN`")
    );

    let jira = run(&["call", "jira", "get_projects", "{}"]);
    assert_eq!(jira.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&jira.stdout).contains("not connected to Jira"));

    let salesforce = run(&["call", "salesforce", "list_objects", "{}"]);
    assert_eq!(salesforce.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&salesforce.stdout)
            .contains("not connected to Salesforce: set `SALESFORCE_INSTANCE_URL`")
    );

    let hubspot = run(&["call", "hubspot", "list_owners", "{}"]);
    assert_eq!(hubspot.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&hubspot.stdout)
            .contains("not connected to HubSpot: set `HUBSPOT_TOKEN`")
    );

    let calendar = run(&["call", "google_calendar", "list_calendars", "{}"]);
    assert_eq!(calendar.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&calendar.stdout)
            .contains("not connected to Google Calendar: set `GOOGLE_CALENDAR_TOKEN`")
    );
}

#[test]
fn call_holds_tools_that_need_approval_unless_approved() {
    let create = r#"{"owner": "octo-org", "repo": "hello-world", "title": "x"}"#;
    let held = Command::new(env!("CARGO_BIN_EXE_mcp-providers"))
        .args(["call", "github", "create_issue", create])
        .env_remove("GITHUB_TOKEN")
        .output()
        .unwrap();
    assert_eq!(held.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&held.stderr);
    assert!(
        stderr.contains("`create_issue` has stake `low`"),
        "{stderr}"
    );
    assert!(stderr.contains("pass `--approve` to run it"), "{stderr}");

    // Approved, the call runs and reaches the provider (which has no token here).
    let approved = Command::new(env!("CARGO_BIN_EXE_mcp-providers"))
        .args(["call", "github", "create_issue", create, "--approve"])
        .env_remove("GITHUB_TOKEN")
        .output()
        .unwrap();
    assert_eq!(approved.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&approved.stdout).contains("not connected to GitHub"));
}

#[test]
fn serve_refuses_non_loopback_addresses() {
    let output = mcp_providers(&["serve", "--http", "0.0.0.0:0"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("refusing to serve on 0.0.0.0:0"),
        "{stderr}"
    );
}

#[test]
fn a_closed_pipe_and_a_client_that_leaves_early_end_quietly() {
    use std::process::{Command, Stdio};
    // `schema github | head -c 0`: the reader is gone before anything is written; no panic.
    let mut child = Command::new(env!("CARGO_BIN_EXE_mcp-providers"))
        .args(["schema", "github"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");

    // A stdio client that closes before initializing: a clean exit.
    let output = Command::new(env!("CARGO_BIN_EXE_mcp-providers"))
        .args(["serve", "--stdio", "--server", "sqlite"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{:?}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}
