//! The console's routes in-process (no socket, no browser): who may see and decide a held call,
//! what a form needs to be taken, and who reads what. The browser tests
//! (`tests/python/test_console.py`) drive the same pages through three replicas.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine as _;
use mcp_runtime::Stake;
use mcp_runtime::host::approval::{
    ApprovalRequest, ApprovalScope, ApprovalStore as _, HeldCall, PageAnswer,
};
use secrecy::SecretString;
use serde_json::json;
use tower::ServiceExt as _;

use super::*;
use crate::connect_flow::ConnectFlow;
use crate::store::{AuditFilter, Backend};
use mcp_runtime::host::Audience;

const ORIGIN: &str = "https://mcp.example.com";

struct Fixture {
    console: Arc<Console>,
    pages: Arc<dyn ApprovalPages>,
}

async fn fixture() -> Fixture {
    fixture_serving(None, nothing_served()).await
}

async fn fixture_connecting(revocation_url: Option<String>) -> Fixture {
    fixture_serving(revocation_url, nothing_served()).await
}

/// A console of a host serving `served`, which connects GitHub accounts (revoking tokens at
/// `revocation_url`) if given one.
async fn fixture_serving(revocation_url: Option<String>, served: Served) -> Fixture {
    let key = SecretString::from(base64::engine::general_purpose::STANDARD.encode([5u8; 32]));
    let cipher = Arc::new(TokenCipher::new(std::slice::from_ref(&key)).unwrap());
    let stores = Stores::open(
        &Backend::embedded(),
        Some(TokenCipher::new(&[key]).unwrap()),
    )
    .await
    .unwrap();
    let url = reqwest::Url::parse(ORIGIN).unwrap();
    let config = console_config();
    let pages = pages(&url, stores.clone(), cipher.clone());
    let flow = revocation_url.map(|revocation_url| {
        let app = crate::config::ConnectApp {
            provider: "github".to_owned(),
            platform: "github".to_owned(),
            client_id: "the-app".to_owned(),
            client_secret: Some(SecretString::from("app-secret")),
            authorize_url: None,
            token_url: None,
            account_url: None,
            revocation_url: Some(revocation_url),
        };
        Arc::new(ConnectFlow::new(
            &url,
            crate::connect_flow::oauth_apps(&[app], &url),
            mcp_runtime::host::serve::RequestStateCodec::try_new([8u8; 32]).unwrap(),
            cipher.clone(),
            stores.clone(),
        ))
    });
    let console = Arc::new(Console::new(config, &url, cipher, stores, served, flow));
    Fixture { console, pages }
}

/// The console's client at an issuer nobody asks here; admins are in the `admins` group.
fn console_config() -> ConsoleConfig {
    ConsoleConfig {
        issuer: "https://idp.example.com".to_owned(),
        user_claim: "sub".to_owned(),
        client_id: "mcp-console".to_owned(),
        client_secret: None,
        authorize_url: None,
        token_url: None,
        jwks_url: reqwest::Url::parse("https://idp.example.com/jwks").unwrap(),
        admins: Some(("groups".to_owned(), "admins".to_owned())),
    }
}

/// A host serving nothing.
fn nothing_served() -> Served {
    Served {
        servers: Vec::new(),
        calls: CallOptions::new(),
        audience: Arc::default(),
    }
}

/// A held call of `user`'s at `stake`, published; its id.
async fn published(fixture: &Fixture, user: &str, stake: Stake) -> String {
    published_with(fixture, user, stake, [1; 32]).await
}

/// As [`published`], the call's arguments having the digest `digest`.
async fn published_with(fixture: &Fixture, user: &str, stake: Stake, digest: [u8; 32]) -> String {
    let id = format!("approval-{user}-{stake}-{}", digest[0]);
    let call = HeldCall {
        request: ApprovalRequest {
            id: id.clone(),
            server: "github".to_owned(),
            tool: "create_issue".to_owned(),
            stake,
            label: "Create issue <b>now</b>".to_owned(),
            user_id: user.to_owned(),
            rememberable: stake != Stake::High,
        },
        scope: ApprovalScope {
            agent_id: (stake == Stake::Medium).then(|| "helper".to_owned()),
            values: if stake == Stake::Medium {
                BTreeMap::from([(
                    "repo".to_owned(),
                    mcp_runtime::host::approval::ApprovalValue::Given(json!("hello")),
                )])
            } else {
                BTreeMap::new()
            },
            ..scope_of(user)
        },
        arguments: digest,
        expires_at: SystemTime::now() + Duration::from_secs(600),
        agent_id: if stake == Stake::Medium {
            Some("helper".to_owned())
        } else {
            None
        },
    };
    let url = fixture
        .pages
        .publish(&call, &json!({"title": "<script>alert(1)</script>"}))
        .await
        .unwrap();
    assert_eq!(url, format!("{ORIGIN}/console/calls/{id}"));
    id
}

/// The cookie of a session of `user`'s, and its CSRF token.
fn signed_in(fixture: &Fixture, user: &str, admin: bool) -> (String, String) {
    let session = Session::new(user.to_owned(), user.to_owned(), admin);
    let cookie = session.cookie(&fixture.console.cipher, true).unwrap();
    let pair = cookie
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    (pair, session.csrf)
}

struct Answer {
    status: StatusCode,
    location: String,
    body: String,
}

async fn send(fixture: &Fixture, request: Request<Body>) -> Answer {
    let response = fixture
        .console
        .clone()
        .routes()
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    Answer {
        status,
        location,
        body: String::from_utf8(body.to_vec()).unwrap(),
    }
}

async fn get(fixture: &Fixture, path: &str, cookie: Option<&str>) -> Answer {
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    send(fixture, request.body(Body::empty()).unwrap()).await
}

async fn post(fixture: &Fixture, path: &str, cookie: &str, origin: &str, form: &str) -> Answer {
    let request = Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::ORIGIN, origin)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_owned()))
        .unwrap();
    send(fixture, request).await
}

/// The scope of the test's calls of `user`'s.
fn scope_of(user: &str) -> ApprovalScope {
    ApprovalScope {
        user_id: user.to_owned(),
        server: "github".to_owned(),
        tool: "create_issue".to_owned(),
        agent_id: None,
        values: BTreeMap::new(),
    }
}

async fn answer(fixture: &Fixture, user: &str) -> Option<PageAnswer> {
    answer_for(fixture, user, None, [1; 32]).await
}

/// The page answer for a retry of `user`'s call by `agent` with arguments of `digest`.
async fn answer_for(
    fixture: &Fixture,
    user: &str,
    agent: Option<&str>,
    digest: [u8; 32],
) -> Option<PageAnswer> {
    fixture
        .pages
        .take_answer(&scope_of(user).key(), agent, &digest)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_held_call_is_its_users_alone_to_see_and_decide() {
    let fixture = fixture().await;
    let id = published(&fixture, "ana", Stake::Low).await;
    let path = format!("/console/calls/{id}");

    let anonymous = get(&fixture, &path, None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(
        anonymous.location,
        format!(
            "/console/sign-in?next=%2Fconsole%2Fcalls%2F{}",
            id.replace('-', "%2D")
        )
    );

    let (bo, bos_csrf) = signed_in(&fixture, "bo", false);
    let refused = get(&fixture, &path, Some(&bo)).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert!(!refused.body.contains("Create issue"), "{}", refused.body);
    let forged = post(
        &fixture,
        &path,
        &bo,
        ORIGIN,
        &format!("decision=once&csrf={bos_csrf}"),
    )
    .await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);

    let (ana, csrf) = signed_in(&fixture, "ana", false);
    let shown = get(&fixture, &path, Some(&ana)).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(
        shown
            .body
            .contains("Create issue &#60;b&#62;now&#60;/b&#62;"),
        "{}",
        shown.body
    );
    assert!(!shown.body.contains("<script>"), "{}", shown.body);
    assert!(
        shown
            .body
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{}",
        shown.body
    );
    assert!(
        shown.body.contains(r#"value="always""#),
        "a `low` call may be remembered"
    );

    // Without the session's token, with another session's, from another site: not taken.
    for (origin, form) in [
        (ORIGIN, "decision=once".to_owned()),
        (ORIGIN, format!("decision=once&csrf={bos_csrf}")),
        ("https://evil.example", format!("decision=once&csrf={csrf}")),
    ] {
        let forged = post(&fixture, &path, &ana, origin, &form).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "{form} from {origin}");
    }
    assert_eq!(answer(&fixture, "ana").await.unwrap().decision, None);

    let decided = post(
        &fixture,
        &path,
        &ana,
        ORIGIN,
        &format!("decision=once&csrf={csrf}"),
    )
    .await;
    assert_eq!(
        (decided.status, decided.location.as_str()),
        (StatusCode::SEE_OTHER, path.as_str())
    );
    let said = get(&fixture, &path, Some(&ana)).await;
    assert!(
        said.body.contains("You approved this call once."),
        "{}",
        said.body
    );
    // Decided once: a second answer changes nothing.
    post(
        &fixture,
        &path,
        &ana,
        ORIGIN,
        &format!("decision=reject&csrf={csrf}"),
    )
    .await;
    assert_eq!(
        answer(&fixture, "ana").await,
        Some(PageAnswer {
            id: id.clone(),
            decision: Some(mcp_runtime::host::approval::Decision::Once)
        })
    );
    // Taken by the retry: the page is gone.
    assert_eq!(
        get(&fixture, &path, Some(&ana)).await.status,
        StatusCode::NOT_FOUND
    );

    fixture.console.stores.flush().await;
    let refused = fixture
        .console
        .stores
        .tables()
        .audit_page(
            &AuditFilter {
                user_id: Some("bo".to_owned()),
                ..AuditFilter::default()
            },
            None,
            10,
        )
        .await
        .unwrap();
    assert_eq!(refused.len(), 2, "bo's look and bo's form, each recorded");
}

#[tokio::test]
async fn a_high_call_offers_no_always_and_refuses_one() {
    let fixture = fixture().await;
    let id = published(&fixture, "ana", Stake::High).await;
    let path = format!("/console/calls/{id}");
    let (ana, csrf) = signed_in(&fixture, "ana", false);
    let shown = get(&fixture, &path, Some(&ana)).await;
    assert!(!shown.body.contains(r#"value="always""#), "{}", shown.body);
    let always = post(
        &fixture,
        &path,
        &ana,
        ORIGIN,
        &format!("decision=always&csrf={csrf}"),
    )
    .await;
    assert_eq!(always.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer(&fixture, "ana").await.unwrap().decision, None);
}

#[tokio::test]
async fn each_person_revokes_their_own_approvals_only() {
    let fixture = fixture().await;
    let scope = ApprovalScope {
        user_id: "ana".to_owned(),
        server: "github".to_owned(),
        tool: "create_issue".to_owned(),
        agent_id: None,
        values: BTreeMap::new(),
    };
    fixture.console.stores.remember(&scope).await.unwrap();
    let form = |csrf: &str| {
        let scope: String =
            percent_encoding::utf8_percent_encode(&scope.key(), percent_encoding::NON_ALPHANUMERIC)
                .collect();
        format!("scope={scope}&csrf={csrf}")
    };
    let (bo, bos_csrf) = signed_in(&fixture, "bo", false);
    let tried = post(
        &fixture,
        "/console/approvals/revoke",
        &bo,
        ORIGIN,
        &form(&bos_csrf),
    )
    .await;
    assert_eq!(tried.status, StatusCode::SEE_OTHER);
    assert!(fixture.console.stores.is_remembered(&scope).await.unwrap());

    let (ana, csrf) = signed_in(&fixture, "ana", false);
    let listed = get(&fixture, "/console/approvals", Some(&ana)).await;
    assert!(listed.body.contains("create_issue"), "{}", listed.body);
    assert!(
        get(&fixture, "/console/approvals", Some(&bo))
            .await
            .body
            .contains("You have not allowed")
    );
    let forged = post(
        &fixture,
        "/console/approvals/revoke",
        &ana,
        ORIGIN,
        &form(""),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(fixture.console.stores.is_remembered(&scope).await.unwrap());
    post(
        &fixture,
        "/console/approvals/revoke",
        &ana,
        ORIGIN,
        &form(&csrf),
    )
    .await;
    assert!(!fixture.console.stores.is_remembered(&scope).await.unwrap());
}

/// A `medium` approval lists what it covers: the agent and each argument value.
#[tokio::test]
async fn a_medium_approval_says_which_agent_and_values_it_covers() {
    use mcp_runtime::host::approval::ApprovalValue;

    let fixture = fixture().await;
    let scope = ApprovalScope {
        user_id: "ana".to_owned(),
        server: "salesforce".to_owned(),
        tool: "create_object".to_owned(),
        agent_id: Some("helper".to_owned()),
        values: BTreeMap::from([(
            "objectName".to_owned(),
            ApprovalValue::Given(json!("Account")),
        )]),
    };
    fixture.console.stores.remember(&scope).await.unwrap();
    let (ana, _) = signed_in(&fixture, "ana", false);
    let listed = get(&fixture, "/console/approvals", Some(&ana)).await;
    assert!(
        listed.body.contains("<li>agent <code>helper</code></li>"),
        "{}",
        listed.body
    );
    assert!(
        listed
            .body
            .contains("<li><code>objectName</code>: Account</li>"),
        "{}",
        listed.body
    );
    assert!(!listed.body.contains("every call"), "{}", listed.body);
}

#[tokio::test]
async fn admins_alone_read_the_audit_log_and_the_servers() {
    let fixture = fixture().await;
    let (ana, _) = signed_in(&fixture, "ana", false);
    let (ada, _) = signed_in(&fixture, "ada", true);
    for path in ["/console/audit", "/console/servers"] {
        assert_eq!(
            get(&fixture, path, Some(&ana)).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(get(&fixture, path, Some(&ada)).await.status, StatusCode::OK);
        assert_eq!(
            get(&fixture, path, None).await.status,
            StatusCode::SEE_OTHER
        );
    }
    // The nav shows admins the way there, and no one else.
    assert!(
        get(&fixture, "/console", Some(&ada))
            .await
            .body
            .contains(r#"href="/console/audit""#)
    );
    assert!(
        !get(&fixture, "/console", Some(&ana))
            .await
            .body
            .contains(r#"href="/console/audit""#)
    );
}

#[tokio::test]
async fn signing_out_needs_the_form_token_and_ends_the_session() {
    let fixture = fixture().await;
    let (ana, csrf) = signed_in(&fixture, "ana", false);
    let forged = post(&fixture, "/console/sign-out", &ana, ORIGIN, "").await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let request = Request::post("/console/sign-out")
        .header(header::COOKIE, &ana)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={csrf}")))
        .unwrap();
    let response = fixture
        .console
        .clone()
        .routes()
        .oneshot(request)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cleared = response.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(
        cleared.starts_with("mcp_console=; Path=/console; Max-Age=0"),
        "{cleared}"
    );
}

/// My connections: whom each is for and what it may do, a connect link for the person alone,
/// and a disconnection that needs the form's token, revokes the token and ends the row.
#[tokio::test]
async fn a_person_sees_and_ends_their_own_connection() {
    use providers::connect::{ConnectionStore as _, Tokens};
    use wiremock::matchers::{body_string_contains, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let platform = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/revoke"))
        .and(body_string_contains("token=ghr_refresh"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&platform)
        .await;
    let fixture = fixture_connecting(Some(format!("{}/revoke", platform.uri()))).await;
    let stores = &fixture.console.stores;
    let tokens = Tokens {
        refresh: Some(SecretString::from("ghr_refresh")),
        scopes: vec!["repo".to_owned(), "read:org".to_owned()],
        ..Tokens::fixed("gho_ana")
    };
    stores.put("ana", "github", &tokens).await.unwrap();
    stores
        .tables()
        .set_account("ana", "github", Some("ana-gh"))
        .await
        .unwrap();

    let (ana, csrf) = signed_in(&fixture, "ana", false);
    let listed = get(&fixture, "/console/connections", Some(&ana)).await;
    assert!(listed.body.contains("ana-gh"), "{}", listed.body);
    assert!(
        listed.body.contains("<code>read:org</code>"),
        "{}",
        listed.body
    );
    assert!(listed.body.contains("renewed as needed"), "{}", listed.body);
    assert!(
        listed
            .body
            .contains(&format!("{ORIGIN}/connect/github?ticket=")),
        "{}",
        listed.body
    );
    // A banner a link asks for is not shown while the connection lives.
    let claimed = get(
        &fixture,
        "/console/connections?ended=github&revoked=yes",
        Some(&ana),
    )
    .await;
    assert!(!claimed.body.contains("Disconnected"), "{}", claimed.body);
    // bo sees no connection of ana's, and cannot end it.
    let (bo, bos_csrf) = signed_in(&fixture, "bo", false);
    assert!(
        get(&fixture, "/console/connections", Some(&bo))
            .await
            .body
            .contains("Not connected")
    );
    let path = "/console/connections/github/disconnect";
    post(&fixture, path, &bo, ORIGIN, &format!("csrf={bos_csrf}")).await;
    assert!(stores.get("ana", "github").await.unwrap().is_some());
    assert_eq!(
        post(&fixture, path, &ana, ORIGIN, "").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(stores.get("ana", "github").await.unwrap().is_some());
    let unknown = post(
        &fixture,
        "/console/connections/jira/disconnect",
        &ana,
        ORIGIN,
        &format!("csrf={csrf}"),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let ended = post(&fixture, path, &ana, ORIGIN, &format!("csrf={csrf}")).await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    assert_eq!(
        ended.location,
        "/console/connections?ended=github&revoked=yes"
    );
    assert!(stores.get("ana", "github").await.unwrap().is_none());
    let said = get(&fixture, &ended.location, Some(&ana)).await;
    assert!(
        said.body
            .contains("Disconnected github. The platform revoked its token."),
        "{}",
        said.body
    );
}

#[tokio::test]
async fn debug_output_names_where_and_for_whom_and_no_key() {
    let fixture = fixture().await;
    assert_eq!(
        format!("{:?}", fixture.pages),
        r#"Pages { base: "https://mcp.example.com", .. }"#
    );
    assert_eq!(
        format!("{:?}", fixture.console),
        r#"Console { base: "https://mcp.example.com", sign_in: SignIn { issuer: "https://idp.example.com", client_id: "mcp-console", .. }, .. }"#
    );
}

/// Each choice records itself: reject refuses, once runs without remembering, always (where
/// the stake allows) remembers; the page then says which, and a decision answers only the
/// call with its own arguments.
#[tokio::test]
async fn each_choice_is_recorded_as_made_and_answers_its_own_call_only() {
    use mcp_runtime::host::approval::{ApprovalStore as _, Decision};

    let fixture = fixture().await;
    let (ana, csrf) = signed_in(&fixture, "ana", false);
    let decide = |id: String, choice: &'static str| {
        let path = format!("/console/calls/{id}");
        let form = format!("decision={choice}&csrf={csrf}");
        let ana = ana.clone();
        let fixture = &fixture;
        async move {
            let posted = post(fixture, &path, &ana, ORIGIN, &form).await;
            assert_eq!(
                posted.status,
                StatusCode::SEE_OTHER,
                "{choice}: {}",
                posted.body
            );
            get(fixture, &path, Some(&ana)).await.body
        }
    };
    let scope = scope_of("ana");

    let rejected = published_with(&fixture, "ana", Stake::Low, [1; 32]).await;
    let said = decide(rejected.clone(), "reject").await;
    assert!(
        said.contains("Call rejected") && said.contains("the call is refused"),
        "{said}"
    );
    assert!(!fixture.console.stores.is_remembered(&scope).await.unwrap());
    // Another call's arguments do not take it; its own do.
    assert_eq!(answer_for(&fixture, "ana", None, [2; 32]).await, None);
    let taken = answer_for(&fixture, "ana", None, [1; 32]).await.unwrap();
    assert_eq!(taken.decision, Some(Decision::Reject));

    let once = published_with(&fixture, "ana", Stake::Low, [3; 32]).await;
    let said = decide(once, "once").await;
    assert!(
        said.contains("Call approved") && said.contains("the call runs"),
        "{said}"
    );
    assert!(
        !fixture.console.stores.is_remembered(&scope).await.unwrap(),
        "once is not always"
    );

    let always = published_with(&fixture, "ana", Stake::Low, [4; 32]).await;
    let said = decide(always, "always").await;
    assert!(said.contains("and its like from now on"), "{said}");
    assert!(fixture.console.stores.is_remembered(&scope).await.unwrap());

    // A medium call names what an "always" covers.
    let medium = published_with(&fixture, "ana", Stake::Medium, [5; 32]).await;
    let shown = get(&fixture, &format!("/console/calls/{medium}"), Some(&ana)).await;
    assert!(
        shown.body.contains("Always allow for these values"),
        "{}",
        shown.body
    );
    assert!(
        shown.body.contains("lets the agent `helper` run <code>create_issue</code> with the same values of repo without"),
        "{}",
        shown.body
    );
}

/// A call's arguments are sealed for its own page: copied to another's, they do not open.
#[tokio::test]
async fn a_pages_arguments_open_on_that_page_only() {
    let fixture = fixture().await;
    let (ana, _) = signed_in(&fixture, "ana", false);
    let one = published_with(&fixture, "ana", Stake::Low, [1; 32]).await;
    let two = published_with(&fixture, "ana", Stake::Low, [2; 32]).await;
    let tables = fixture.console.stores.tables();
    let sealed = tables.page(&one).await.unwrap().unwrap().arguments;
    let mut other = tables.page(&two).await.unwrap().unwrap();
    tables.withdraw_page(&two).await.unwrap();
    other.arguments = sealed;
    tables.publish_page(&other).await.unwrap();
    let shown = get(&fixture, &format!("/console/calls/{two}"), Some(&ana)).await;
    assert!(shown.body.contains("cannot be shown"), "{}", shown.body);
    assert!(!shown.body.contains("alert(1)"), "{}", shown.body);
}

/// What each principal sees: a restricted server exists for the flags it needs, tools the
/// host does not serve are left out, and a stake the host overrides shows the declared one.
#[tokio::test]
async fn admins_see_each_principals_servers_with_the_stakes_held_here() {
    use mcp_runtime::McpServer;
    use mcp_runtime::host::approval::{ApprovalGate, MemoryStore};

    let github = <providers::github::Github as McpServer>::METADATA;
    let salesforce = <providers::salesforce::Salesforce as McpServer>::METADATA;
    let gate = ApprovalGate::new(MemoryStore::default()).with_override(
        "github",
        "update_issue",
        Stake::NeverAsk,
    );
    let calls = CallOptions::new()
        .with_gate(Arc::new(gate))
        .with_tool_filter(Arc::new(|_, tool: &mcp_runtime::ToolMetadata| {
            tool.name != "list_commits"
        }));
    let audience = Audience {
        flags_claim: Some("mcp_flags".to_owned()),
        ..Audience::default()
    };
    let served = Served {
        servers: vec![github, salesforce],
        calls,
        audience: Arc::new(audience),
    };
    let fixture = fixture_serving(None, served).await;
    let (ada, _) = signed_in(&fixture, "ada", true);
    let page = get(&fixture, "/console/servers", Some(&ada)).await.body;
    let row = |tool: &str| {
        let start = page
            .find(&format!("<code>{tool}</code>"))
            .unwrap_or_else(|| panic!("{tool}: {page}"));
        page[start..start + page[start..].find("</tr>").unwrap()].to_owned()
    };
    assert!(
        row("update_issue").contains("never_ask</span> <span class=\"hint\">(declared low)"),
        "{}",
        row("update_issue")
    );
    assert!(
        row("create_issue").contains(">low</span>") && !row("create_issue").contains("declared")
    );
    assert!(
        !page.contains("<code>list_commits</code>"),
        "not served here"
    );
    assert!(page.contains("Does not exist for this principal"), "{page}");
    assert!(!page.contains("<code>create_object</code>"), "{page}");
    let flagged = get(
        &fixture,
        "/console/servers?flags=other+salesforce_tool",
        Some(&ada),
    )
    .await
    .body;
    assert!(flagged.contains("<code>create_object</code>"), "{flagged}");
    assert!(
        !flagged.contains("Does not exist for this principal"),
        "{flagged}"
    );
    assert!(
        flagged.contains(r#"value="other salesforce_tool""#),
        "the form keeps what was asked"
    );
}

/// The audit log: filtered, fifty to a page, the next page where the last ended.
#[tokio::test]
async fn admins_page_through_the_filtered_audit_log() {
    use mcp_runtime::host::approval::{AuditEvent, AuditOutcome};

    let fixture = fixture().await;
    let audit = fixture.console.stores.audit();
    let event = |user: &str, outcome| AuditEvent {
        outcome,
        server: "github".to_owned(),
        tool: "create_issue".to_owned(),
        stake: Stake::Low,
        user_id: user.to_owned(),
        approval_id: None,
    };
    for _ in 0..51 {
        audit.record(&event("cy", AuditOutcome::AllowedByMemory));
    }
    audit.record(&event("ana", AuditOutcome::Rejected));
    fixture.console.stores.flush().await;
    let (ada, _) = signed_in(&fixture, "ada", true);
    let rows = |body: &str| body.matches("<tr>").count() - 1;

    let first = get(
        &fixture,
        "/console/audit?user=cy&outcome=allowed_by_memory",
        Some(&ada),
    )
    .await;
    assert_eq!(rows(&first.body), 50, "{}", first.body);
    assert!(!first.body.contains("Newest events"));
    let older = first.body.split("<a href=\"").find_map(|rest| {
        let href = rest.split('"').next()?;
        href.contains("before=").then(|| href.replace("&#38;", "&"))
    });
    let older = older.expect("a link to older events");
    assert!(
        older.starts_with("/console/audit?user=cy&outcome=allowed_by_memory&before="),
        "{older}"
    );
    let second = get(&fixture, &older, Some(&ada)).await;
    assert_eq!(rows(&second.body), 1, "{}", second.body);
    assert!(second.body.contains("Newest events"));
    assert!(!second.body.contains("Older events"));

    let rejected = get(&fixture, "/console/audit?outcome=rejected", Some(&ada)).await;
    assert_eq!(rows(&rejected.body), 1);
    assert!(
        rejected.body.contains("<td data-label=\"User\">ana</td>"),
        "{}",
        rejected.body
    );
    assert!(
        rejected
            .body
            .contains(r#"<option value="rejected" selected>"#),
        "{}",
        rejected.body
    );
}

/// A store that fails is said to: the page asks to try again, with the person's header.
#[tokio::test]
async fn a_store_that_fails_is_said_to() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sqlite");
    let key = SecretString::from(base64::engine::general_purpose::STANDARD.encode([5u8; 32]));
    let cipher = Arc::new(TokenCipher::new(std::slice::from_ref(&key)).unwrap());
    let stores = Stores::open(&Backend::Sqlite(path.clone()), None)
        .await
        .unwrap();
    let url = reqwest::Url::parse(ORIGIN).unwrap();
    let config = ConsoleConfig {
        admins: None,
        ..console_config()
    };
    let served = nothing_served();
    let console = Arc::new(Console::new(
        config,
        &url,
        cipher,
        stores.clone(),
        served,
        None,
    ));
    let fixture = Fixture {
        pages: pages(&url, stores, console.cipher.clone()),
        console,
    };
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("DROP TABLE remembered_approvals; DROP TABLE page_approvals;")
        .unwrap();
    let (ana, _) = signed_in(&fixture, "ana", false);
    for path in ["/console/approvals", "/console/calls/approval-1"] {
        let failed = get(&fixture, path, Some(&ana)).await;
        assert_eq!(failed.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert!(
            failed.body.contains("Try again in a moment"),
            "{}",
            failed.body
        );
        assert!(failed.body.contains("Sign out ana"), "{}", failed.body);
    }
}
