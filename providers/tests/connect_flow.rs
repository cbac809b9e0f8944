//! The connect flow through the real binary: a user not connected to GitHub is sent, in band,
//! to the host's connect link; the host sends the browser to the platform's consent screen with
//! PKCE; the platform's redirect brings a code, which the host exchanges and stores (encrypted);
//! the client's retry then runs the call with the user's own token.

mod support;

use base64::Engine as _;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use support::host::{Host, JsonBody, answer, client, stateless_call};

const TOKEN: &str = "gho_connected-token";

/// A host whose users connect GitHub through `platform` (its OAuth endpoints and API), with
/// its state in `state.db` in `dir`.
fn host(dir: &tempfile::TempDir, platform: &str) -> Host {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    std::fs::write(
        dir.path().join("team.toml"),
        format!(
            r#"listen = "127.0.0.1:{port}"
public_url = "http://127.0.0.1:{port}"

[store]
sqlite = "state.db"
token_keys = [{{ env = "TOKEN_KEY" }}]

[connect.github]
client_id = "the-app"
client_secret = {{ env = "GITHUB_APP_SECRET" }}
authorize_url = "{platform}/login/oauth/authorize"
token_url = "{platform}/login/oauth/access_token"

[connect.jira]
client_id = "the-jira-app"
authorize_url = "{platform}/authorize"
token_url = "{platform}/oauth/token"

[servers]
sqlite = false

[servers.github]
api_url = "{platform}"

[servers.jira]
"#
        ),
    )
    .unwrap();
    Host::spawn(
        Host::command()
            .args(["serve", "--config", "team.toml"])
            .current_dir(dir.path())
            .env("TOKEN_KEY", "dG9rZW4ta2V5LW9mLXRoaXJ0eS10d28tYnl0ZXMhISE=")
            .env("GITHUB_APP_SECRET", "app-secret")
            .env("RUST_LOG", "info"),
        None,
    )
    .serving()
}

/// `get_issue`, stateless (2026-07-28), from a client that can send its user to a URL.
async fn get_issue(host: &Host) -> Value {
    let arguments = json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7});
    let capabilities = json!({"elicitation": {"url": {}}});
    let request = stateless_call(
        &client(),
        &host.url,
        "get_issue",
        json!({"arguments": arguments}),
        capabilities,
    );
    let (status, message) = answer(request.send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{message}");
    message
}

/// A browser that follows no redirect.
fn browser() -> reqwest::Client {
    providers::kit::http_client(
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()),
    )
}

fn query(url: &str, name: &str) -> String {
    reqwest::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
        .unwrap_or_else(|| panic!("no `{name}` in {url}"))
}

#[tokio::test]
async fn a_user_not_connected_connects_through_the_platform_and_the_retry_runs() {
    let platform = MockServer::start().await;
    // The platform's first token is about to expire: the host renews it, with the app of the
    // flow, before the retry sends it.
    Mock::given(method("POST"))
        .and(path("/login/oauth/access_token"))
        .and(body_string_contains("code=the-code"))
        .and(body_string_contains("code_verifier="))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "gho_short-lived", "token_type": "bearer", "expires_in": 30,
            "refresh_token": "ghr_refresh", "scope": "repo"
        })))
        .expect(1)
        .mount(&platform)
        .await;
    Mock::given(method("POST"))
        .and(path("/login/oauth/access_token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains("refresh_token=ghr_refresh"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": TOKEN, "token_type": "bearer", "expires_in": 28800,
            "refresh_token": "ghr_refresh", "scope": "repo"
        })))
        .expect(1)
        .mount(&platform)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/hello-world/issues/7"))
        .and(support::bearer(TOKEN))
        .respond_with(support::ok("github", "issue.json"))
        .expect(1)
        .mount(&platform)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/hello-world/issues/7/comments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&platform)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let host = host(&dir, &platform.uri());
    let base = host.url.rsplit_once("/servers/").unwrap().0.to_owned();

    // Not connected: the user is sent to the host's connect link.
    let asked = get_issue(&host).await;
    let elicitation = &asked["result"]["inputRequests"]["connect"]["params"];
    assert_eq!(elicitation["mode"], "url", "{asked}");
    let link = elicitation["url"].as_str().unwrap();
    assert!(
        link.starts_with(&format!("{base}/connect/github?ticket=")),
        "{link}"
    );

    // The link sends the browser to the platform's consent screen, with PKCE.
    let started = browser().get(link).send().await.unwrap();
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    let consent = started.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        consent.starts_with(&format!("{}/login/oauth/authorize?", platform.uri())),
        "{consent}"
    );
    assert_eq!(query(&consent, "client_id"), "the-app");
    assert_eq!(
        query(&consent, "redirect_uri"),
        format!("{base}/connect/github/callback")
    );
    assert_eq!(query(&consent, "code_challenge_method"), "S256");
    let cookie = started.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let cookie = cookie.split(';').next().unwrap().to_owned();
    let state = query(&consent, "state");

    // The platform's redirect, in another browser (no cookie), or altered: refused.
    let callback = |state: &str, cookie: Option<&str>| {
        let mut request = browser()
            .get(format!("{base}/connect/github/callback"))
            .query(&[("code", "the-code"), ("state", state)]);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send()
    };
    let elsewhere = callback(&state, None).await.unwrap();
    assert_eq!(elsewhere.status(), StatusCode::BAD_REQUEST);
    assert!(
        elsewhere
            .text()
            .await
            .unwrap()
            .contains("started in another browser")
    );
    let altered = format!("{}A", &state[..state.len() - 1]);
    let refused = callback(&altered, Some(&cookie)).await.unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    // Brought to another provider's callback: not for it.
    let elsewhere = browser()
        .get(format!("{base}/connect/jira/callback"))
        .query(&[("code", "the-code"), ("state", state.as_str())])
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), StatusCode::BAD_REQUEST);

    // In the browser that started it: connected.
    let connected = callback(&state, Some(&cookie)).await.unwrap();
    assert_eq!(connected.status(), StatusCode::OK);
    let csp = connected.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    assert!(
        connected
            .text()
            .await
            .unwrap()
            .contains("Your account is connected")
    );

    // The code was exchanged with the verifier of the challenge the consent screen got.
    let requests = platform.received_requests().await.unwrap();
    let exchange = requests
        .iter()
        .find(|request| request.url.path() == "/login/oauth/access_token")
        .unwrap();
    assert!(String::from_utf8_lossy(&exchange.body).contains("code=the-code"));
    let form = String::from_utf8(exchange.body.clone()).unwrap();
    let verifier = form
        .split('&')
        .find_map(|pair| pair.strip_prefix("code_verifier="))
        .unwrap();
    let challenge =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier));
    assert_eq!(challenge, query(&consent, "code_challenge"));

    // The retry runs with the user's own token (renewed), stored encrypted and never logged.
    let ran = get_issue(&host).await;
    let text = ran["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_default();
    assert!(text.starts_with("# #7"), "{ran}");
    let stored = std::fs::read(dir.path().join("state.db")).unwrap();
    let stored = String::from_utf8_lossy(&stored);
    assert!(!stored.contains(TOKEN) && !stored.contains("ghr_refresh"));
    assert!(
        host.stderr().contains("renewed an expired token"),
        "{}",
        host.stderr()
    );
    assert!(
        host.stderr().contains("connected an account"),
        "{}",
        host.stderr()
    );
    assert!(!host.stderr().contains(TOKEN), "{}", host.stderr());
}

#[tokio::test]
async fn a_link_altered_or_for_another_provider_is_refused() {
    let platform = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let host = host(&dir, &platform.uri());
    let base = host.url.rsplit_once("/servers/").unwrap().0.to_owned();
    let asked = get_issue(&host).await;
    let link = asked["result"]["inputRequests"]["connect"]["params"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let ticket = query(&link, "ticket");
    for url in [
        format!(
            "{base}/connect/github?ticket={}x",
            &ticket[..ticket.len() - 1]
        ),
        format!("{base}/connect/github"),
        format!("{base}/connect/jira?ticket={ticket}"),
    ] {
        let refused = browser().get(&url).send().await.unwrap();
        assert_ne!(refused.status(), StatusCode::SEE_OTHER, "{url}");
        assert!(refused.status().is_client_error(), "{url}");
    }
}

#[tokio::test]
async fn on_2025_11_25_a_client_that_opens_urls_gets_the_url_elicitation_error() {
    let platform = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let host = host(&dir, &platform.uri());
    let http = client();
    let post = |message: Value, session: Option<&str>| {
        let mut request = http
            .post(&host.url)
            .header("accept", "application/json, text/event-stream")
            .json_body(&message);
        if let Some(session) = session {
            request = request
                .header("mcp-session-id", session)
                .header("mcp-protocol-version", "2025-11-25");
        }
        request.send()
    };
    let initialized = post(
        json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": {"elicitation": {"url": {}}},
            "clientInfo": {"name": "connect", "version": "1"}}}),
        None,
    )
    .await
    .unwrap();
    let session = initialized.headers()["mcp-session-id"]
        .to_str()
        .unwrap()
        .to_owned();
    post(
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        Some(&session),
    )
    .await
    .unwrap();
    let (_, error) = answer(
        post(
            json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {
                "name": "get_issue",
                "arguments": {"owner": "octo-org", "repo": "hello-world", "issueNumber": 7}}}),
            Some(&session),
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(error["error"]["code"], -32042, "{error}");
    let elicitation = &error["error"]["data"]["elicitations"][0];
    assert_eq!(elicitation["mode"], "url");
    assert!(
        elicitation["url"]
            .as_str()
            .unwrap()
            .contains("/connect/github?ticket=")
    );
}
