//! Dust's server flags in the host's configuration, through the real binary: `auto` servers are
//! served unless turned off, `manual` ones only when turned on, a restricted one only where the
//! workspace (or, with `[auth]`, a principal's claims) admits it; and `config check` points at
//! each choice that cannot hold. (A preview server is in none of the providers: the runtime's
//! tests cover it; the two principals are in `tests/python/test_server_flags.py`.)

mod support;

use std::path::Path;
use std::process::Output;

use support::host::Host;

/// `mcp-providers config check team.toml` for a file holding `text`.
fn check(text: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("team.toml"), text).unwrap();
    run_in(dir.path(), &["config", "check", "team.toml"])
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Host::command()
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// What `config check` prints of a good file.
fn good(text: &str) -> String {
    let output = check(text);
    assert!(
        output.status.success(),
        "{text}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The `servers:` line `config check` prints for a good file.
fn served(text: &str) -> String {
    let stdout = good(text);
    stdout
        .lines()
        .find_map(|line| line.strip_prefix("servers: "))
        .unwrap_or_else(|| panic!("no servers in {stdout}"))
        .to_owned()
}

#[test]
fn auto_servers_are_served_unless_turned_off_and_manual_ones_only_when_turned_on() {
    // Nothing said: the `auto` servers.
    assert_eq!(served(""), "sqlite");
    assert_eq!(served("[servers]\n"), "sqlite");
    // Off, and on: `true` takes the environment's settings, a table its own.
    assert_eq!(
        served("[servers]\nsqlite = false\ngithub = true\nconformance = true\n"),
        "github, conformance"
    );
    assert_eq!(
        served("[servers.jira]\nsite = \"a.example\"\n"),
        "sqlite, jira"
    );
    // A `manual` server turned off is simply not served, as if unsaid.
    assert_eq!(served("[servers]\nsqlite = false\njira = false\n"), "");
}

#[test]
fn a_restricted_server_is_served_where_the_workspace_admits_it() {
    let on = "[servers]\nsqlite = false\nsalesforce = true\n";
    assert_eq!(
        served(&format!(
            "{on}[workspace]\nfeature_flags = [\"salesforce_tool\"]\n"
        )),
        "salesforce"
    );
    // Not named, it is simply not there for this workspace; named, it is a mistake.
    assert_eq!(served("[servers]\n"), "sqlite");
    let output = check(&format!(
        "{on}[workspace]\nplan = \"pro\"\nfeature_flags = [\"beta\"]\n"
    ));
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(output.stderr).unwrap(), @r"
    error: server `salesforce` is restricted for this workspace (plan `pro`, feature flags `beta`), and without `[auth]` no principal's claims can admit it: it would be served to no one; set in `[workspace]` the plan or flag its documentation names
     --> team.toml:3:1
      |
    3 | salesforce = true
      | ^^^^^^^^^^
    ");
}

#[test]
fn claims_need_authenticated_clients_and_a_choice_is_a_bool_or_a_table() {
    let output = check("[workspace]\nplan_claim = \"plan\"\nflags_claim = \"mcp_flags\"\n");
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(output.stderr).unwrap(), @r#"
    error: `plan_claim` reads principals' tokens, and without `[auth]` clients have none: authenticate them with `[auth]`, or remove `plan_claim`
     --> team.toml:2:14
      |
    2 | plan_claim = "plan"
      |              ^^^^^^
    
    error: `flags_claim` reads principals' tokens, and without `[auth]` clients have none: authenticate them with `[auth]`, or remove `flags_claim`
     --> team.toml:3:15
      |
    3 | flags_claim = "mcp_flags"
      |               ^^^^^^^^^^^
    "#);

    let output = check("[servers]\ngithub = \"yes\"\n");
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(output.stderr).unwrap(), @r#"
    error: invalid type: string "yes", expected `true`, `false`, or a table of the server's settings
     --> team.toml:2:10
      |
    2 | github = "yes"
      |          ^^^^^
    "#);

    let output = check("[servers]\nsqlit = false\n[workspace]\npreviews = \"yes\"\n");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("invalid type: string \"yes\", expected a boolean"),
        "{stderr}"
    );
}

#[test]
fn an_unknown_server_is_named_at_its_place_with_the_closest_name() {
    let output = check("[servers]\nsqlite = false\nsalesfroce = true\n");
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(output.stderr).unwrap(), @r"
    error: unknown server `salesfroce`; did you mean `salesforce`?
     --> team.toml:3:1
      |
    3 | salesfroce = true
      | ^^^^^^^^^^
    ");
}

#[test]
fn stdio_serves_no_server_its_workspace_refuses() {
    let output = Host::command()
        .args(["serve", "--stdio", "--server", "salesforce"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("`--server salesforce`: `salesforce` is restricted for this workspace"),
        "{stderr}"
    );
}

#[test]
fn a_server_allowing_multiple_instances_is_served_once_per_entry() {
    assert_eq!(
        served(
            "[servers]\nsqlite = false\n\
             [servers.github]\n\
             [servers.github_enterprise]\nserver = \"github\"\napi_url = \"https://ghe.example/api/v3\"\n"
        ),
        "github, github_enterprise"
    );
    // Only instances: the server under its own name is not served (it is `manual`).
    assert_eq!(
        served(
            "[servers]\nsqlite = false\n\
             [servers.jira_eu]\nserver = \"jira\"\nsite = \"eu.example\"\n\
             [servers.jira_us]\nserver = \"jira\"\nsite = \"us.example\"\n"
        ),
        "jira_eu, jira_us"
    );
}

#[test]
fn instance_mistakes_are_reported_at_their_place() {
    let output = check(
        "[servers.sqlite]\n\
         [servers.sqlite_copy]\nserver = \"sqlite\"\n\
         [servers.jira]\nserver = \"github\"\n\
         [servers.gh]\nserver = \"githb\"\n\
         [servers.github_enterprise_server_of_the_research_department]\nserver = \"github\"\n\
         [servers.ghes]\nserver = 3\n\
         [servers.SQLITE]\nserver = \"github\"\n",
    );
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(output.stderr).unwrap(), @r#"
    error: server `sqlite` is given twice, as `sqlite` and as `sqlite_copy`, but it does not allow multiple instances: keep one
     --> team.toml:2:10
      |
    2 | [servers.sqlite_copy]
      |          ^^^^^^^^^^^

    error: `jira` is taken by the server `jira`: name this instance of `github` otherwise
     --> team.toml:4:10
      |
    4 | [servers.jira]
      |          ^^^^

    error: unknown server `githb`; did you mean `github`?
     --> team.toml:7:10
      |
    7 | server = "githb"
      |          ^^^^^^^

    error: instance name `github_enterprise_server_of_the_research_department` is too long: hosts would list its tool `list_discussion_categories` as `mcp__github_enterprise_server_of_the_research_department__list_discussion_categories` (84 characters, over their limit of 64); shorten the name to at most 31 characters
     --> team.toml:8:10
      |
    8 | [servers.github_enterprise_server_of_the_research_department]
      |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

    error: `server` names the server this is an instance of, as a string: `server = "jira"`
      --> team.toml:11:10
       |
    11 | server = 3
       |          ^

    error: `SQLITE` is taken by the server `sqlite`: name this instance of `github` otherwise
      --> team.toml:12:10
       |
    12 | [servers.SQLITE]
       |          ^^^^^^
    "#);
}

#[test]
fn a_server_without_the_flag_has_no_instance_under_another_name() {
    // The same with the server itself turned off: it is still one server, not two.
    let off = check("[servers]\nsqlite = false\n[servers.my_sqlite]\nserver = \"sqlite\"\n");
    let off = String::from_utf8(off.stderr).unwrap();
    assert!(
        off.starts_with("error: `sqlite` does not allow multiple instances"),
        "{off}"
    );
    let output = check("[servers.my_sqlite]\nserver = \"sqlite\"\n");
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(output.stderr).unwrap(), @r"
    error: `sqlite` does not allow multiple instances: it is served once, under its own name `sqlite`
     --> team.toml:1:10
      |
    1 | [servers.my_sqlite]
      |          ^^^^^^^^^
    ");
}

/// An issue as the platform answers it, for a host serving two instances of GitHub.
async fn platform(title: &str) -> wiremock::MockServer {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let platform = MockServer::start().await;
    let mut issue = support::fixture("github", "issue.json");
    issue["title"] = title.into();
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/hello-world/issues/1347"))
        .respond_with(ResponseTemplate::new(200).set_body_json(issue))
        .mount(&platform)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/hello-world/issues/1347/comments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&platform)
        .await;
    platform
}

#[tokio::test]
async fn each_instance_reaches_its_own_platform_at_its_own_path() {
    let (dotcom, enterprise) = (platform("on github.com").await, platform("on GHES").await);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("team.toml"),
        format!(
            "listen = \"127.0.0.1:0\"\n[servers]\nsqlite = false\n\
             [servers.github]\napi_url = \"{}\"\ntoken = \"a\"\n\
             [servers.ghes]\nserver = \"github\"\napi_url = \"{}\"\ntoken = \"b\"\n",
            dotcom.uri(),
            enterprise.uri()
        ),
    )
    .unwrap();
    let host = Host::spawn(
        Host::command()
            .args(["serve", "--config", "team.toml"])
            .current_dir(dir.path()),
        Some(dir),
    )
    .serving();
    let arguments =
        serde_json::json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 1347});
    for (name, title) in [("github", "on github.com"), ("ghes", "on GHES")] {
        let url = format!("http://{}/servers/{name}/mcp", host.address());
        let request = support::host::stateless_call(
            &support::host::client(),
            &url,
            "get_issue",
            serde_json::json!({"arguments": arguments}),
            serde_json::json!({}),
        );
        let (status, message) = support::host::answer(request.send().await.unwrap()).await;
        assert_eq!(status, reqwest::StatusCode::OK, "{message}");
        let text = message["result"]["content"][0]["text"].as_str().unwrap();
        assert!(text.contains(title), "{name}: {text}");
    }
}

#[test]
fn an_instance_connects_users_through_an_oauth_app_of_its_own() {
    let head = "public_url = \"https://mcp.example.com\"\n\
                [store]\ntoken_keys = [\"dG9rZW4ta2V5LW9mLXRoaXJ0eS10d28tYnl0ZXMhISE=\"]\n\
                [servers]\nsqlite = false\n";
    let ghes = "[servers.ghes]\nserver = \"github\"\napi_url = \"https://ghe.example/api/v3\"\n";
    let stdout = good(&format!(
        "{head}{ghes}[servers.github]\n\
         [connect.github]\nclient_id = \"dotcom-app\"\n\
         [connect.ghes]\nclient_id = \"ghes-app\"\n\
         authorize_url = \"https://ghe.example/login/oauth/authorize\"\n\
         token_url = \"https://ghe.example/login/oauth/access_token\"\n"
    ));
    assert!(
        stdout.contains("\nusers connect: ghes, github\n"),
        "{stdout}"
    );

    // Without the instance, nothing connects users to it.
    let output = check(&format!(
        "{head}[servers.github]\n[connect.ghes]\nclient_id = \"a\"\n"
    ));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: no server connects users to `ghes` (expected one of: github)"),
        "{stderr}"
    );
}

#[test]
fn a_files_allow_for_a_server_this_process_leaves_out_is_no_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("team.toml"),
        "[approvals]\nallow = [\"github/create_issue\"]\n[servers]\ngithub = true\n",
    )
    .unwrap();
    // `--server sqlite` serves one of the file's servers: github's allow has nothing to apply to.
    let output = Host::command()
        .args([
            "serve",
            "--stdio",
            "--config",
            "team.toml",
            "--server",
            "sqlite",
        ])
        .current_dir(dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
