//! `serve --config FILE` and `config check FILE` through the real binary: every kind of mistake
//! reported with its place, and a configured host serving with the settings, secrets, limits,
//! approvals and store the file names.

mod support;

use std::path::Path;
use std::process::Output;

use reqwest::StatusCode;
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use support::fixture;
use support::host::{Host, answer, client, stateless_call};

/// `mcp-providers ARGS` run in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    Host::command()
        .args(args)
        .current_dir(dir)
        .env_remove("TEAM_GITHUB_TOKEN")
        .output()
        .unwrap()
}

/// A directory holding `team.toml` with `text`.
fn config_dir(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("team.toml"), text).unwrap();
    dir
}

#[test]
fn config_check_points_at_every_mistake() {
    let dir = config_dir(
        r#"listen = "0.0.0.0:8080"

[approvals]
allow = ["github/create_isue", "sqlit/query", "query"]

[servers.githib]

[servers.github]
tokn = "x"
api_url = { env = "NOT_SET_BY_ANYONE" }

[servers.sqlite]
path = 3
"#,
    );
    let output = run_in(dir.path(), &["config", "check", "team.toml"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(output.stderr).unwrap());
}

#[test]
fn a_misspelt_key_or_a_value_of_the_wrong_type_is_a_parse_error_at_its_place() {
    let dir = config_dir("[limits]\nmax_conections = 10\n");
    let output = run_in(dir.path(), &["config", "check", "team.toml"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!("misspelt_key", String::from_utf8(output.stderr).unwrap());

    let dir = config_dir("[limits]\nheader_timeout = 0\n");
    let output = run_in(dir.path(), &["config", "check", "team.toml"]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("team.toml:2:18"), "{stderr}");

    let output = run_in(dir.path(), &["config", "check", "missing.toml"]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: cannot read the file:"),
        "{stderr}"
    );
    assert!(stderr.contains("--> missing.toml"), "{stderr}");
}

#[test]
fn config_check_says_what_a_good_file_serves() {
    let dir = config_dir(
        "listen = \"127.0.0.1:9000\"\n[store]\nsqlite = \"state.db\"\n\
         [approvals]\nallow = [\"sqlite/query\"]\n[servers.sqlite]\n",
    );
    // Run from elsewhere: the store's path is relative to the file.
    let file = dir.path().join("team.toml");
    let output = run_in(Path::new("/"), &["config", "check", file.to_str().unwrap()]);
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let dir = dir.path().display();
    assert_eq!(
        stdout,
        format!(
            "{dir}/team.toml: ok\nservers: sqlite\nlisten: 127.0.0.1:9000\n\
             clients: not authenticated (loopback only)\nstate: SQLite file {dir}/state.db\n\
             held calls: sealed with a key of the process's own\n\
             users' tokens: not stored (no `token_keys`)\nrun without asking: sqlite/query\n"
        )
    );
}

#[test]
fn config_check_points_at_every_mistake_of_the_auth_table() {
    let check = |text: &str| {
        let dir = config_dir(text);
        let output = run_in(dir.path(), &["config", "check", "team.toml"]);
        assert_eq!(output.status.code(), Some(1), "{text}");
        String::from_utf8(output.stderr).unwrap()
    };
    insta::assert_snapshot!(
        "auth_mistakes",
        [
            check("[auth]\nissuer = \"https://idp.example.com\"\n"),
            check(
                "public_url = \"mcp.example.com\"\n[servers.sqlite]\n[auth]\n\
                 issuer = \"https://idp.example.com\"\njwks_url = \"https://idp.example.com/k\"\n\
                 introspection_url = \"https://idp.example.com/i\"\n\
                 [auth.required_scopes]\n\"sqlite/querry\" = [\"sql\"]\ngithub = [\"gh\"]\n"
            ),
            check(
                "public_url = \"https://mcp.example.com\"\n[auth]\n\
                 issuer = \"https://idp.example.com\"\n\
                 introspection_url = \"https://idp.example.com/i\"\n"
            ),
        ]
        .join("\n")
    );
}

#[test]
fn config_check_points_at_every_mistake_of_the_store_table() {
    let dir = config_dir(
        "[store]\nsqlite = \"state.db\"\npostgres = \"postgres://db/mcp\"\n\
         token_keys = [\"c2hvcnQ=\", { env = \"NOT_SET_BY_ANYONE\" }, 3]\n\
         [approvals]\nstate_keys = [\"c2hvcnQ=\"]\n",
    );
    let output = run_in(dir.path(), &["config", "check", "team.toml"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!("store_mistakes", String::from_utf8(output.stderr).unwrap());

    let dir = config_dir("[store]\npostgres = \"postgres://db/mcp\"\n");
    let output = run_in(dir.path(), &["config", "check", "team.toml"]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(
            "error: replicas sharing PostgreSQL need `[approvals] state_keys`, the keys they \
             share to seal the request state naming a held call, so that any replica can resume \
             it\n --> team.toml:2:12"
        ),
        "{stderr}"
    );
}

#[test]
fn connecting_accounts_needs_a_known_provider_a_public_url_and_token_keys() {
    let check = |text: &str| {
        let dir = config_dir(text);
        let output = run_in(dir.path(), &["config", "check", "team.toml"]);
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (_, _, stderr) = check("[connect.github]\nclient_id = \"app\"\n[servers.github]\n");
    assert!(
        stderr.starts_with(
            "error: connecting users' accounts needs `public_url` (the platforms send users back \
             to it)\n --> team.toml:1:10"
        ),
        "{stderr}"
    );
    let keys = "[store]\ntoken_keys = [\"dG9rZW4ta2V5LW9mLXRoaXJ0eS10d28tYnl0ZXMhISE=\"]\n";
    let public = "public_url = \"https://mcp.example.com\"\n";
    let (_, _, stderr) = check(&format!(
        "{public}[connect.github]\nclient_id = \"app\"\n[servers.github]\n"
    ));
    assert!(stderr.contains("needs `[store] token_keys`"), "{stderr}");
    let (_, _, stderr) = check(&format!(
        "{public}{keys}[connect.githb]\nclient_id = \"app\"\n[servers.github]\n"
    ));
    assert!(
        stderr.starts_with("error: no server connects users to `githb`; did you mean `github`?"),
        "{stderr}"
    );
    // A provider of a server not served is no more known than a misspelt one.
    let (_, _, stderr) = check(&format!(
        "{public}{keys}[connect.jira]\nclient_id = \"app\"\n[servers.github]\n"
    ));
    assert!(
        stderr.starts_with("error: no server connects users to `jira`"),
        "{stderr}"
    );
    let (code, stdout, _) = check(&format!(
        "{public}{keys}[connect.github]\nclient_id = \"app\"\n[servers.github]\n"
    ));
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains("users' tokens: encrypted\nusers connect: github\n"),
        "{stdout}"
    );
}

#[test]
fn the_console_needs_auth_token_keys_and_the_issuers_keys() {
    let check = |text: &str| {
        let dir = config_dir(text);
        let output = run_in(dir.path(), &["config", "check", "team.toml"]);
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let console = "[console]\nclient_id = \"mcp-console\"\n";
    let (_, _, stderr) = check(console);
    assert!(
        stderr.contains(
            "error: `[console]` needs `[store] token_keys`: its sessions and the arguments of \
             the calls it shows are sealed with them\n --> team.toml:1:1"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "error: `[console]` needs `[auth]`: people sign in at the issuer that protects the \
             MCP endpoints"
        ),
        "{stderr}"
    );
    let keys = "[store]\ntoken_keys = [\"dG9rZW4ta2V5LW9mLXRoaXJ0eS10d28tYnl0ZXMhISE=\"]\n";
    let public = "public_url = \"https://mcp.example.com\"\n";
    let introspected = "[auth]\nissuer = \"https://idp.example.com\"\n\
        introspection_url = \"https://idp.example.com/introspect\"\n\
        client_id = \"mcp\"\nclient_secret = \"s\"\n";
    let (_, _, stderr) = check(&format!("{public}{keys}{introspected}{console}"));
    assert!(
        stderr.contains("error: `[console]` needs `jwks_url`, where the issuer publishes the keys"),
        "{stderr}"
    );
    let (code, stdout, stderr) = check(&format!(
        "{public}{keys}{introspected}{console}jwks_url = \"https://idp.example.com/jwks\"\n\
         admins = {{ claim = \"groups\", value = \"mcp-admins\" }}\n"
    ));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains(
            "console: https://mcp.example.com/console, sign-in at https://idp.example.com as \
             `mcp-console`; admins: those whose `groups` holds `mcp-admins`\n"
        ),
        "{stdout}"
    );
}

#[test]
fn an_account_url_is_refused_for_a_platform_not_asked_whom_a_connection_is_for() {
    let dir = config_dir(
        "public_url = \"https://mcp.example.com\"\n\
         [store]\ntoken_keys = [\"dG9rZW4ta2V5LW9mLXRoaXJ0eS10d28tYnl0ZXMhISE=\"]\n\
         [connect.salesforce]\nclient_id = \"app\"\n\
         account_url = \"https://login.salesforce.com/services/oauth2/userinfo\"\n\
         [workspace]\nfeature_flags = [\"salesforce_tool\"]\n[servers.salesforce]\n",
    );
    let output = run_in(dir.path(), &["config", "check", "team.toml"]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(
            "error: `salesforce` is not asked whom a connection is for (its tokens' scopes do \
             not allow it): remove `account_url`\n --> team.toml:6:15"
        ),
        "{stderr}"
    );
}

#[test]
fn urls_are_http_or_https_with_a_host() {
    for url in [
        "ftp://mcp.example.com",
        "mailto:ops@example.com",
        "https://",
    ] {
        let dir = config_dir(&format!("public_url = \"{url}\"\n"));
        let output = run_in(dir.path(), &["config", "check", "team.toml"]);
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.starts_with("error: `public_url` "),
            "{url}: {stderr}"
        );
    }
    let dir = config_dir("public_url = \"http://mcp.example.com\"\n");
    assert!(
        run_in(dir.path(), &["config", "check", "team.toml"])
            .status
            .success()
    );
}

#[test]
fn with_auth_a_host_may_listen_beyond_loopback() {
    let dir = config_dir(
        "listen = \"0.0.0.0:8443\"\npublic_url = \"https://mcp.example.com\"\n\
         [auth]\nissuer = \"https://idp.example.com\"\n\
         introspection_url = \"https://idp.example.com/introspect\"\n\
         client_id = \"mcp\"\nclient_secret = \"s\"\nuser_claim = \"email\"\n",
    );
    let output = run_in(dir.path(), &["config", "check", "team.toml"]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains(
            "listen: 0.0.0.0:8443\npublic URL: https://mcp.example.com/\n\
        clients: bearer tokens from https://idp.example.com introspected at \
        https://idp.example.com/introspect, user in `email`\n"
        ),
        "{stdout}"
    );
}

#[test]
fn serve_takes_either_the_file_or_the_flags_it_covers() {
    let dir = config_dir("[servers.sqlite]\n");
    let output = run_in(
        dir.path(),
        &["serve", "--config", "team.toml", "--max-sessions", "3"],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("cannot be used with"), "{stderr}");

    let dir = config_dir("[servers.sqlit]\n");
    let output = run_in(dir.path(), &["serve", "--config", "team.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(
            "error: unknown server `sqlit`; did you mean `sqlite`?\n --> team.toml:1:10"
        ),
        "{stderr}"
    );
}

/// A stateless (2026-07-28) `tools/call` of `tool` with `arguments`.
async fn call(url: &str, tool: &str, arguments: Value) -> Value {
    let request = stateless_call(
        &client(),
        url,
        tool,
        json!({"arguments": arguments}),
        json!({}),
    );
    let (status, message) = answer(request.send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{message}");
    message
}

fn text(message: &Value) -> &str {
    message["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("no text in {message}"))
}

#[tokio::test]
async fn a_configured_host_serves_with_the_files_settings_secrets_limits_and_approvals() {
    let upstream = MockServer::start().await;
    // The token comes from the environment variable the file names, never from the file.
    Mock::given(method("POST"))
        .and(path("/repos/octo-org/hello-world/issues"))
        .and(header("authorization", "Bearer from-the-environment"))
        .and(body_partial_json(json!({"title": "configured"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(fixture("github", "issue.json")))
        .expect(2)
        .mount(&upstream)
        .await;
    let dir = config_dir(&format!(
        r#"listen = "127.0.0.1:0"

[limits]
rate_limit = 2

[store]
sqlite = "approvals.db"

[approvals]
allow = ["github/create_issue"]

[servers]
sqlite = false

[servers.github]
api_url = "{}"
token = {{ env = "TEAM_GITHUB_TOKEN" }}
"#,
        upstream.uri()
    ));
    let host = Host::spawn(
        Host::command()
            .args(["serve", "--config", "team.toml"])
            .current_dir(dir.path())
            .env("TEAM_GITHUB_TOKEN", "from-the-environment")
            // Nothing from the environment's own settings: the file decides.
            .env("GITHUB_TOKEN", "not-this-one")
            .env("RUST_LOG", "warn"),
        None,
    )
    .serving();
    // One server configured: served at `/mcp`.
    assert!(host.url.ends_with("/mcp"), "{}", host.url);
    assert!(
        dir.path().join("approvals.db").exists(),
        "the store is relative to the file"
    );
    let arguments = json!({"owner": "octo-org", "repo": "hello-world", "title": "configured"});
    // `create_issue` (stake `low`) runs without asking: the file allows it.
    for _ in 0..2 {
        let created = call(&host.url, "create_issue", arguments.clone()).await;
        assert!(text(&created).contains("#7"), "{created}");
    }
    // A third call within the minute is past the rate limit.
    let limited = call(&host.url, "create_issue", arguments).await;
    assert_eq!(limited["result"]["isError"], true, "{limited}");
    assert!(text(&limited).contains("again in"), "{limited}");
    assert!(
        !host.stderr().contains("from-the-environment"),
        "{}",
        host.stderr()
    );
}

#[test]
fn the_readme_examples_are_valid_configurations() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let examples: Vec<&str> = readme
        .split("```toml\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .collect();
    assert!(examples.len() >= 3, "the README's TOML examples");
    for example in examples {
        let dir = config_dir(example);
        let output = Host::command()
            .args(["config", "check", "team.toml"])
            .current_dir(dir.path())
            .env("GITHUB_TOKEN", "a-token")
            .env("DATABASE_URL", "postgres://mcp@127.0.0.1:1/mcp")
            .env(
                "MCP_TOKEN_KEY",
                "dG9rZW4ta2V5LW9mLXRoaXJ0eS10d28tYnl0ZXMhISE=",
            )
            .env(
                "MCP_STATE_KEY",
                "c3RhdGUta2V5LXNoYXJlZC1ieS10aGUtcmVwbGljYXM=",
            )
            .env("GITHUB_APP_SECRET", "secret")
            .env("JIRA_APP_SECRET", "secret")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{example}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn a_tools_table_that_selects_nothing_is_reported_at_its_place() {
    let dir = config_dir(
        "[servers.github]\n[tools]\nread_only = true\ntoolsets = [\"gitlab\"]\ntools = [\"github/lsit_*\"]\n",
    );
    let output = run_in(dir.path(), &["config", "check", "team.toml"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(
            "error: no tool is in toolset `gitlab`; the toolsets are sqlite, github\n --> \
             team.toml:2:1"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: no tool matches `github/lsit_*`"),
        "{stderr}"
    );
}

#[test]
fn config_check_says_which_tools_are_served() {
    let dir = config_dir(
        "[servers.github]\n[tools]\nread_only = true\ntools = [\"github/list_*\"]\nexclude_tools = [\"list_commits\"]\n",
    );
    let output = run_in(dir.path(), &["config", "check", "team.toml"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.ends_with("tools: read-only; only github/list_*; without list_commits\n"),
        "{stdout}"
    );
}
