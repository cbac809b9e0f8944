//! Connections and tokens: the OAuth authorization URL with PKCE, the code exchange, an
//! upstream 401 renewed once through the refresh token and retried, a second 401 final, and no
//! token in any log line.

mod support;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use mcp_runtime::McpServer;
use providers::connect::{ConnectionStore, MemoryConnections, OAuthApp, Tokens};
use providers::github::Github;
use providers::kit::Remote as _;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use support::error_kind;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_SECRET: &str = "client-secret-do-not-log";
const OLD_TOKEN: &str = "gho_expired_token_do_not_log";
const NEW_TOKEN: &str = "gho_renewed_token_do_not_log";
const REFRESH_TOKEN: &str = "ghr_refresh_token_do_not_log";

fn app(upstream: &MockServer) -> OAuthApp {
    OAuthApp::new(
        &providers::github::OAUTH,
        "Iv1.client",
        Some(CLIENT_SECRET.to_owned()),
        "http://127.0.0.1:8080/oauth/callback",
    )
    .with_token_url(format!("{}/login/oauth/access_token", upstream.uri()))
}

/// A Salesforce connected app (`secret` for a confidential one) whose token endpoint is
/// `upstream`'s.
fn salesforce_app(upstream: &MockServer, secret: Option<&str>) -> OAuthApp {
    OAuthApp::new(
        &providers::salesforce::OAUTH,
        "3MVG9.consumer",
        secret.map(str::to_owned),
        "http://127.0.0.1:8080/cb",
    )
    .with_token_url(format!("{}/services/oauth2/token", upstream.uri()))
}

fn token_response(access: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "access_token": access,
        "token_type": "bearer",
        "expires_in": 28800,
        "refresh_token": REFRESH_TOKEN,
        "scope": "repo,read:org"
    }))
}

#[test]
fn the_authorization_url_carries_scopes_state_and_a_pkce_challenge() {
    let github = OAuthApp::new(
        &providers::github::OAUTH,
        "Iv1.client",
        None,
        "http://127.0.0.1:8080/cb",
    )
    .authorization_url()
    .unwrap();
    let (address, query) = support::address_and_query(&github.url);
    assert_eq!(address, "https://github.com/login/oauth/authorize");
    assert_eq!(query["client_id"], "Iv1.client");
    assert_eq!(query["redirect_uri"], "http://127.0.0.1:8080/cb");
    assert_eq!(query["scope"], "repo read:org project write:discussion");
    assert_eq!(query["state"], github.state);
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["code_challenge"].len(), 43);
    assert!(!github.pkce_verifier.expose_secret().is_empty());

    let jira = OAuthApp::new(
        &providers::jira::OAUTH,
        "jira-app",
        None,
        "http://127.0.0.1:8080/cb",
    )
    .authorization_url()
    .unwrap();
    assert!(
        jira.url.contains("audience=api.atlassian.com"),
        "{}",
        jira.url
    );
    assert!(jira.url.contains("offline_access"), "{}", jira.url);
}

#[tokio::test]
async fn the_code_is_exchanged_with_the_pkce_verifier() {
    let upstream = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/login/oauth/access_token"))
        .and(body_string_contains("grant_type=authorization_code"))
        .and(body_string_contains("code=the-code"))
        .and(body_string_contains("code_verifier=the-verifier"))
        .respond_with(token_response(NEW_TOKEN))
        .expect(1)
        .mount(&upstream)
        .await;
    let tokens = app(&upstream)
        .exchange_code("the-code", &SecretString::from("the-verifier"))
        .await
        .unwrap();
    assert_eq!(tokens.access.expose_secret(), NEW_TOKEN);
    assert_eq!(tokens.refresh.unwrap().expose_secret(), REFRESH_TOKEN);
    assert_eq!(tokens.instance_url, None, "GitHub names no instance");
}

#[tokio::test]
async fn the_scopes_a_token_response_grants_are_kept() {
    let upstream = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/login/oauth/access_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": NEW_TOKEN, "token_type": "bearer", "scope": "repo read:org"
        })))
        .mount(&upstream)
        .await;
    let tokens = app(&upstream)
        .exchange_code("the-code", &SecretString::from("the-verifier"))
        .await
        .unwrap();
    assert_eq!(tokens.scopes, ["repo", "read:org"]);
}

/// Whom a connection is for, as the platform says: GitHub's `/user`, HubSpot's token info
/// (the token in its path), and nothing asked where the app may not ask.
#[tokio::test]
async fn the_platform_is_asked_whom_a_token_is_for() {
    let upstream = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/user"))
        .and(wiremock::matchers::header(
            "authorization",
            format!("Bearer {NEW_TOKEN}"),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"login": "ana-gh", "id": 7})))
        .expect(1)
        .mount(&upstream)
        .await;
    Mock::given(method("GET"))
        .and(path("/oauth/v1/access-tokens/pat%2Fwith%20space"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"user": "ana@example.com"})))
        .expect(1)
        .mount(&upstream)
        .await;
    let tokens = Tokens::fixed(NEW_TOKEN);
    let github = app(&upstream).with_account_url(format!("{}/user", upstream.uri()));
    assert_eq!(
        github.account(&tokens).await.unwrap().as_deref(),
        Some("ana-gh")
    );
    let hubspot =
        OAuthApp::new(&providers::hubspot::OAUTH, "app", None, "http://x/cb").with_account_url(
            format!("{}/oauth/v1/access-tokens/{{access_token}}", upstream.uri()),
        );
    assert_eq!(
        hubspot
            .account(&Tokens::fixed("pat/with space"))
            .await
            .unwrap()
            .as_deref(),
        Some("ana@example.com")
    );
    // An instance's app does not send its tokens to the platform's public endpoints.
    let instance = app(&upstream).without_public_endpoints();
    assert_eq!(instance.account(&tokens).await.unwrap(), None);
    assert!(!instance.revokes());
    // A platform without a lookup (Salesforce's needs scopes the tools do not).
    assert_eq!(
        salesforce_app(&upstream, None)
            .account(&tokens)
            .await
            .unwrap(),
        None
    );
}

/// Ending a connection revokes its refresh token where the platform offers RFC 7009's
/// revocation, with the app's credentials.
#[tokio::test]
async fn a_connection_is_revoked_where_the_platform_offers_it() {
    let upstream = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/services/oauth2/revoke"))
        .and(body_string_contains(format!("token={REFRESH_TOKEN}")))
        .and(body_string_contains("token_type_hint=refresh_token"))
        .and(wiremock::matchers::header_exists("authorization"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&upstream)
        .await;
    let tokens = Tokens {
        refresh: Some(SecretString::from(REFRESH_TOKEN)),
        ..Tokens::fixed(NEW_TOKEN)
    };
    let salesforce = salesforce_app(&upstream, Some("consumer-secret"))
        .with_revocation_url(format!("{}/services/oauth2/revoke", upstream.uri()));
    assert!(salesforce.revokes());
    assert!(salesforce.revoke(&tokens).await.unwrap());
    // Tokens travel to a revocation endpoint over TLS only (or on this machine).
    let plain =
        salesforce_app(&upstream, None).with_revocation_url("http://login.example.com/revoke");
    assert!(matches!(
        plain.revoke(&tokens).await,
        Err(providers::connect::OAuthError::Configuration(_))
    ));
    // GitHub's revocation is not RFC 7009's: nothing is sent.
    assert!(!app(&upstream).revokes());
    assert!(!app(&upstream).revoke(&tokens).await.unwrap());
}

#[tokio::test]
async fn a_refresh_answer_naming_an_instance_brings_it() {
    let upstream = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/services/oauth2/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": NEW_TOKEN,
            "instance_url": "https://acme--uat.sandbox.my.salesforce.com",
            "token_type": "Bearer",
            "issued_at": "1764489600000"
        })))
        .expect(1)
        .mount(&upstream)
        .await;
    let tokens = salesforce_app(&upstream, None)
        .refresh(&SecretString::from(REFRESH_TOKEN))
        .await
        .unwrap();
    assert_eq!(tokens.access.expose_secret(), NEW_TOKEN);
    assert_eq!(
        tokens.instance_url.as_deref(),
        Some("https://acme--uat.sandbox.my.salesforce.com")
    );
    // Salesforce issues no new refresh token: the one given is kept.
    assert_eq!(tokens.refresh.unwrap().expose_secret(), REFRESH_TOKEN);
}

#[test]
fn salesforce_asks_for_the_api_and_a_refresh_token_with_pkce() {
    let salesforce = OAuthApp::new(
        &providers::salesforce::OAUTH,
        "3MVG9.consumer",
        None,
        "http://127.0.0.1:8080/cb",
    )
    .authorization_url()
    .unwrap();
    let (address, query) = support::address_and_query(&salesforce.url);
    assert_eq!(
        address,
        "https://login.salesforce.com/services/oauth2/authorize"
    );
    assert_eq!(query["scope"], "api refresh_token");
    assert_eq!(query["code_challenge_method"], "S256");
}

#[tokio::test]
async fn the_instance_a_token_response_names_is_kept_with_the_tokens() {
    let upstream = MockServer::start().await;
    // Salesforce's answer: the organization's instance, and no `expires_in` (the session's
    // lifetime is the organization's policy).
    Mock::given(method("POST"))
        .and(path("/services/oauth2/token"))
        .and(body_string_contains("grant_type=authorization_code"))
        .and(body_string_contains("code_verifier=the-verifier"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": NEW_TOKEN,
            "refresh_token": REFRESH_TOKEN,
            "signature": "d2lsbCBub3QgYmUgY2hlY2tlZA==",
            "scope": "refresh_token api",
            "instance_url": "https://acme.my.salesforce.com",
            "id": "https://login.salesforce.com/id/00Dxx0000001gPL/005xx000001Sv6A",
            "token_type": "Bearer",
            "issued_at": "1764489600000"
        })))
        .expect(1)
        .mount(&upstream)
        .await;
    let tokens = salesforce_app(&upstream, Some(CLIENT_SECRET))
        .exchange_code("the-code", &SecretString::from("the-verifier"))
        .await
        .unwrap();
    assert_eq!(
        tokens.instance_url.as_deref(),
        Some("https://acme.my.salesforce.com")
    );
    assert_eq!(tokens.expires_at, None);
    assert_eq!(tokens.refresh.unwrap().expose_secret(), REFRESH_TOKEN);
}

/// A GitHub stand-in that refuses `OLD_TOKEN` and accepts `NEW_TOKEN`, and ana's connection,
/// expiring (as its issuer said) `expires_at` from now.
async fn expired_connection(
    expires_at: Option<Duration>,
) -> (MockServer, Github, Arc<MemoryConnections>) {
    let upstream = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/hello-world/issues/7"))
        .and(support::bearer(OLD_TOKEN))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"message": "Bad credentials"})),
        )
        .mount(&upstream)
        .await;
    let tokens = Tokens {
        access: SecretString::from(OLD_TOKEN),
        refresh: Some(SecretString::from(REFRESH_TOKEN)),
        expires_at: expires_at.map(|expires_at| SystemTime::now() + expires_at),
        instance_url: None,
        scopes: Vec::new(),
    };
    let connections = support::connected("ana", "github", &tokens).await;
    let github = Github::new(&upstream.uri(), None)
        .with_connections(connections.clone(), Some(Arc::new(app(&upstream))));
    (upstream, github, connections)
}

/// Issue 7, once, to a request carrying `token`.
async fn issue_for(token: &str, upstream: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/hello-world/issues/7"))
        .and(support::bearer(token))
        .respond_with(support::ok("github", "issue.json"))
        .expect(1)
        .mount(upstream)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/hello-world/issues/7/comments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(upstream)
        .await;
}

#[tokio::test]
async fn an_expired_token_is_renewed_once_and_the_call_retried() {
    let (upstream, github, connections) = expired_connection(None).await;
    Mock::given(method("POST"))
        .and(path("/login/oauth/access_token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains(
            format!("refresh_token={REFRESH_TOKEN}").as_str(),
        ))
        .respond_with(token_response(NEW_TOKEN))
        .expect(1)
        .mount(&upstream)
        .await;
    issue_for(NEW_TOKEN, &upstream).await;

    let captured = support::logs::Logs::capture();
    let text = support::text(
        &github,
        "get_issue",
        json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7}),
        support::as_user("ana"),
    )
    .await;
    assert!(
        text.starts_with("# #7: Login fails with SSO enabled"),
        "{text}"
    );
    let logs = captured.text();

    let saved = connections.get("ana", "github").await.unwrap().unwrap();
    assert_eq!(
        saved.access.expose_secret(),
        NEW_TOKEN,
        "the renewed token is kept"
    );
    assert!(logs.contains("renewed an expired token"), "{logs}");
    for secret in [OLD_TOKEN, NEW_TOKEN, REFRESH_TOKEN, CLIENT_SECRET] {
        assert!(!logs.contains(secret), "a token reached the logs:\n{logs}");
    }
    // Debug output of a connection shows no token either.
    let debug = format!("{saved:?}");
    assert!(
        !debug.contains(NEW_TOKEN) && !debug.contains(REFRESH_TOKEN),
        "{debug}"
    );
}

#[tokio::test]
async fn a_token_about_to_expire_is_renewed_before_it_is_sent() {
    let (upstream, github, connections) = expired_connection(Some(Duration::from_secs(30))).await;
    Mock::given(method("POST"))
        .and(path("/login/oauth/access_token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(token_response(NEW_TOKEN))
        .expect(1)
        .mount(&upstream)
        .await;
    issue_for(NEW_TOKEN, &upstream).await;
    let text = support::text(
        &github,
        "get_issue",
        json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7}),
        support::as_user("ana"),
    )
    .await;
    assert!(text.starts_with("# #7"), "{text}");
    let sent_the_old_token = upstream
        .received_requests()
        .await
        .unwrap()
        .iter()
        .any(|request| {
            request
                .headers
                .get("authorization")
                .is_some_and(|value| value.to_str().unwrap().contains(OLD_TOKEN))
        });
    assert!(!sent_the_old_token, "the expiring token was sent");
    // The renewed token is kept with the expiry its issuer gave (8 hours).
    let saved = connections.get("ana", "github").await.unwrap().unwrap();
    let lifetime = saved
        .expires_at
        .unwrap()
        .duration_since(SystemTime::now())
        .unwrap();
    assert!(lifetime > Duration::from_secs(28_000), "{lifetime:?}");
    assert!(!saved.is_expiring());
}

#[tokio::test]
async fn a_second_401_asks_for_personal_authentication() {
    let (upstream, github, _connections) = expired_connection(None).await;
    Mock::given(method("POST"))
        .and(path("/login/oauth/access_token"))
        .respond_with(token_response(NEW_TOKEN))
        .expect(1)
        .mount(&upstream)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/hello-world/issues/7"))
        .and(support::bearer(NEW_TOKEN))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = support::call(
        &github,
        "get_issue",
        json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7}),
        support::as_user("ana"),
    )
    .await;
    assert_eq!(error_kind(&result), "personal_authentication_required");
}

#[tokio::test]
async fn a_refused_renewal_asks_for_personal_authentication() {
    let (upstream, github, _connections) = expired_connection(None).await;
    Mock::given(method("POST"))
        .and(path("/login/oauth/access_token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_grant"})))
        .expect(1)
        .mount(&upstream)
        .await;
    let result = support::call(
        &github,
        "get_issue",
        json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7}),
        support::as_user("ana"),
    )
    .await;
    assert_eq!(error_kind(&result), "personal_authentication_required");
}

#[tokio::test]
async fn another_users_connection_is_not_used() {
    let (_upstream, github, _connections) = expired_connection(None).await;
    let bo = support::as_user("bo");
    let result = github
        .call_tool(
            "get_issue",
            json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7}),
            bo,
        )
        .await
        .unwrap();
    assert_eq!(error_kind(&result), "personal_authentication_required");
    assert!(
        result.text().starts_with("not connected to GitHub"),
        "{}",
        result.text()
    );
}

#[tokio::test]
async fn each_instance_of_a_server_has_its_own_connections() {
    use mcp_runtime::host::{CallOptions, SharedServer};
    use mcp_runtime::{RunIds, ToolContext};
    use providers::connect::UserConnections;

    let (dotcom, enterprise) = (MockServer::start().await, MockServer::start().await);
    issue_for("gho_for_github_com", &dotcom).await;
    // Ana connected her GitHub.com account only: it is kept under the provider's name.
    let connections =
        support::connected("ana", "github", &Tokens::fixed("gho_for_github_com")).await;
    let given = UserConnections {
        store: connections.clone(),
        apps: Arc::default(),
    };
    let ctx = || {
        ToolContext::new()
            .with_ids(RunIds {
                user_id: Some("ana".to_owned()),
                ..RunIds::default()
            })
            .with_extension(given.clone())
    };
    let arguments = json!({"owner": "octo-org", "repo": "hello-world", "issueNumber": 7});
    let options = CallOptions::new();
    let github = SharedServer::new(Github::new(&dotcom.uri(), None));
    let ghes = SharedServer::new(Github::new(&enterprise.uri(), None))
        .instance("ghes")
        .unwrap();

    let result = github
        .call_tool("get_issue", arguments.clone(), ctx(), &options)
        .await
        .unwrap();
    assert!(!result.is_error, "{}", result.text());
    // Her GitHub.com token is not sent to the Enterprise Server: there she is not connected,
    // and the error names the instance, so that the host's link connects her to it.
    let result = ghes
        .call_tool("get_issue", arguments.clone(), ctx(), &options)
        .await
        .unwrap();
    assert_eq!(error_kind(&result), "personal_authentication_required");
    let detail = &result.meta.as_ref().unwrap()[mcp_runtime::host::ERROR_META_KEY];
    assert_eq!(detail["provider"], "ghes");
    support::assert_no_requests(&enterprise).await;

    // A resource of the instance is read with the instance's connection too.
    let uri = "github://repos/octo-org/hello-world/contents/README.md";
    let error = ghes.read_resource(uri, ctx()).await.unwrap_err();
    assert!(
        error.to_string().contains("not connected to GitHub"),
        "{error}"
    );
    support::assert_no_requests(&enterprise).await;

    // Connected to it under its name, her call there carries that token.
    issue_for("gho_for_ghes", &enterprise).await;
    connections
        .put("ana", "ghes", &Tokens::fixed("gho_for_ghes"))
        .await
        .unwrap();
    let result = ghes
        .call_tool("get_issue", arguments, ctx(), &options)
        .await
        .unwrap();
    assert!(!result.is_error, "{}", result.text());
}
