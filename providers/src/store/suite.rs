//! What every backend must do, run against each: SQLite files and databases on a PostgreSQL
//! server of the tests' own. Two `Stores` opened on one database are two replicas.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use mcp_runtime::host::approval::{
    ApprovalGate, ApprovalRequest, ApprovalScope, ApprovalStore as _, ApprovalValue, AuditEvent,
    AuditOutcome, Decision, HeldCall, HeldStore, NotAdmitted,
};
use mcp_runtime::{McpServer, RunIds, Stake};
use providers::connect::{ConnectionStore, Tokens};
use providers::github::Github;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::temp_postgres::TempPostgres;
use super::{
    AuditCursor, AuditFilter, Backend, ConnectionSummary, PageRow, Recorded, SealedTokens, Stores,
    TokenCipher,
};

fn key(byte: u8) -> SecretString {
    SecretString::from(base64::engine::general_purpose::STANDARD.encode([byte; 32]))
}

fn cipher(keys: &[u8]) -> Option<TokenCipher> {
    let keys: Vec<SecretString> = keys.iter().map(|byte| key(*byte)).collect();
    Some(TokenCipher::new(&keys).unwrap())
}

fn scope(user: &str, to: Option<&str>) -> ApprovalScope {
    let mut values = BTreeMap::new();
    if let Some(to) = to {
        values.insert("to".to_owned(), ApprovalValue::Given(json!([to])));
    }
    ApprovalScope {
        user_id: user.to_owned(),
        server: "desk".to_owned(),
        tool: "send_email".to_owned(),
        agent_id: to.map(|_| "agent".to_owned()),
        values,
    }
}

/// Every check, each on a fresh database `fresh` gives (named after the check).
async fn suite(fresh: impl AsyncFn(&str) -> Backend) {
    remembered_approvals(fresh("approvals").await).await;
    connections(fresh("connections").await).await;
    audit_log(fresh("audit").await).await;
    replicas_share_always(fresh("replicas").await).await;
    held_calls_are_taken_once(fresh("held").await).await;
    pages_are_decided_by_their_user_and_taken_once(fresh("pages").await).await;
    remembered_approvals_are_listed_and_revoked_per_user(fresh("revoked").await).await;
}

/// A held call's page as stored, expiring `in_seconds` from now.
fn page_row(id: &str, user: &str, in_seconds: i64) -> PageRow {
    PageRow {
        id: id.to_owned(),
        user_id: user.to_owned(),
        scope: scope(user, None).key(),
        agent_id: None,
        digest: "ab".repeat(32),
        call: "{}".to_owned(),
        arguments: "v1.sealed".to_owned(),
        expires_at: super::now() + in_seconds,
        decision: None,
    }
}

async fn pages_are_decided_by_their_user_and_taken_once(backend: Backend) {
    let (one, two) = (
        Stores::open(&backend, None).await.unwrap(),
        Stores::open(&backend, None).await.unwrap(),
    );
    let (one, two) = (one.tables(), two.tables());
    let row = page_row("approval-1", "ana", 600);
    one.publish_page(&row).await.unwrap();
    // Published again (the retry of an undecided call): kept as it is.
    one.publish_page(&PageRow {
        call: "{\"again\":true}".to_owned(),
        ..row.clone()
    })
    .await
    .unwrap();
    assert_eq!(two.page("approval-1").await.unwrap(), Some(row.clone()));
    assert_eq!(two.page("approval-2").await.unwrap(), None);
    let (scope, digest) = (row.scope.as_str(), row.digest.as_str());
    // Undecided: reported, not taken.
    for _ in 0..2 {
        assert_eq!(
            two.take_page_answer(scope, None, digest).await.unwrap(),
            Some(("approval-1".to_owned(), None))
        );
    }
    assert_eq!(two.take_page_answer(scope, None, "cd").await.unwrap(), None);
    assert!(
        !two.decide_page("approval-1", "bo", "once").await.unwrap(),
        "not bo's"
    );
    assert!(two.decide_page("approval-1", "ana", "once").await.unwrap());
    assert!(
        !one.decide_page("approval-1", "ana", "reject")
            .await
            .unwrap(),
        "decided"
    );
    assert_eq!(
        one.page("approval-1")
            .await
            .unwrap()
            .unwrap()
            .decision
            .as_deref(),
        Some("once")
    );
    // Decided: the first retry, on either replica, takes it.
    assert_eq!(
        one.take_page_answer(scope, None, digest).await.unwrap(),
        Some(("approval-1".to_owned(), Some("once".to_owned())))
    );
    assert_eq!(
        two.take_page_answer(scope, None, digest).await.unwrap(),
        None
    );
    assert_eq!(two.page("approval-1").await.unwrap(), None);
    // Another agent's identical call does not take a decision; its own agent's does. A
    // decision waits its time from when it is made.
    let by_agent = PageRow {
        id: "approval-agent".to_owned(),
        agent_id: Some("helper".to_owned()),
        expires_at: super::now() + 30,
        ..row.clone()
    };
    one.publish_page(&by_agent).await.unwrap();
    assert!(
        one.decide_page("approval-agent", "ana", "once")
            .await
            .unwrap()
    );
    assert!(
        one.page("approval-agent")
            .await
            .unwrap()
            .unwrap()
            .expires_at
            >= super::now() + 599,
        "a decision waits ten minutes for its retry"
    );
    assert_eq!(
        two.take_page_answer(scope, None, digest).await.unwrap(),
        None
    );
    assert_eq!(
        two.take_page_answer(scope, Some("other"), digest)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        two.take_page_answer(scope, Some("helper"), digest)
            .await
            .unwrap(),
        Some(("approval-agent".to_owned(), Some("once".to_owned())))
    );
    // Withdrawn (the call ran another way): gone.
    one.publish_page(&page_row("approval-ran", "ana", 600))
        .await
        .unwrap();
    one.withdraw_page("approval-ran").await.unwrap();
    assert_eq!(two.page("approval-ran").await.unwrap(), None);
    // A user's undecided pages are bounded: past the cap, their oldest goes; another user's
    // and decided ones stay.
    let cap = super::pages::PAGES_PER_USER;
    for index in 0..=cap {
        one.publish_page(&page_row(
            &format!("approval-bo-{index:03}"),
            "bo",
            100 + index,
        ))
        .await
        .unwrap();
    }
    assert_eq!(
        two.page("approval-bo-000").await.unwrap(),
        None,
        "the oldest went"
    );
    assert!(two.page("approval-bo-001").await.unwrap().is_some());
    assert!(
        two.page(&format!("approval-bo-{cap:03}"))
            .await
            .unwrap()
            .is_some()
    );

    // Past its time a page is neither shown, decided nor taken, and the next publishing
    // forgets it.
    let expired = page_row("approval-3", "ana", -1);
    one.publish_page(&expired).await.unwrap();
    assert_eq!(two.page("approval-3").await.unwrap(), None);
    assert!(!two.decide_page("approval-3", "ana", "once").await.unwrap());
    assert_eq!(
        two.take_page_answer(&expired.scope, None, &expired.digest)
            .await
            .unwrap(),
        None
    );
}

async fn remembered_approvals_are_listed_and_revoked_per_user(backend: Backend) {
    let stores = Stores::open(&backend, None).await.unwrap();
    let (low, medium, bos) = (
        scope("ana", None),
        scope("ana", Some("a@x")),
        scope("bo", None),
    );
    for scope in [&low, &medium, &bos] {
        stores.remember(scope).await.unwrap();
    }
    let mut listed = stores.tables().remembered_of("ana").await.unwrap();
    listed.sort_by(|a, b| a.scope.cmp(&b.scope));
    let mut expected = vec![low.key(), medium.key()];
    expected.sort();
    assert_eq!(
        listed
            .iter()
            .map(|listed| listed.scope.clone())
            .collect::<Vec<_>>(),
        expected
    );
    for listed in &listed {
        assert!(
            chrono::DateTime::parse_from_rfc3339(&listed.approved_at).is_ok(),
            "{}",
            listed.approved_at
        );
    }
    // An "always" given on a page that no retry took yet goes with the revocation; a "once"
    // stays, as it approved that one call.
    let tables = stores.tables();
    let always = page_row("approval-always", "ana", 600);
    let once = PageRow {
        id: "approval-once".to_owned(),
        digest: "cd".repeat(32),
        ..page_row("approval-once", "ana", 600)
    };
    for (row, decision) in [(&always, "always"), (&once, "once")] {
        tables.publish_page(row).await.unwrap();
        assert!(tables.decide_page(&row.id, "ana", decision).await.unwrap());
    }
    // Only one's own: bo cannot revoke ana's.
    assert!(
        !stores
            .tables()
            .forget_remembered("bo", &low.key())
            .await
            .unwrap()
    );
    assert!(tables.page("approval-always").await.unwrap().is_some());
    assert!(
        stores
            .tables()
            .forget_remembered("ana", &low.key())
            .await
            .unwrap()
    );
    assert!(
        !stores
            .tables()
            .forget_remembered("ana", &low.key())
            .await
            .unwrap()
    );
    assert!(!stores.is_remembered(&low).await.unwrap());
    assert_eq!(tables.page("approval-always").await.unwrap(), None);
    assert_eq!(
        tables
            .take_page_answer(&once.scope, None, &once.digest)
            .await
            .unwrap(),
        Some(("approval-once".to_owned(), Some("once".to_owned())))
    );
    assert!(stores.is_remembered(&medium).await.unwrap());
    assert!(stores.is_remembered(&bos).await.unwrap());
}

/// A held call as a replica shares it, expiring `in_seconds` from now.
fn held_call(id: &str, in_seconds: i64) -> HeldCall {
    let expires_at = if in_seconds >= 0 {
        SystemTime::now() + Duration::from_secs(in_seconds.unsigned_abs())
    } else {
        SystemTime::now() - Duration::from_secs(in_seconds.unsigned_abs())
    };
    HeldCall {
        request: ApprovalRequest {
            id: id.to_owned(),
            server: "github".to_owned(),
            tool: "create_issue".to_owned(),
            stake: Stake::Low,
            label: "Create issue (repo: hello)".to_owned(),
            user_id: "ana".to_owned(),
            rememberable: true,
        },
        scope: scope("ana", None),
        arguments: [7; 32],
        expires_at,
        agent_id: None,
    }
}

async fn held_calls_are_taken_once(backend: Backend) {
    let (one, two) = (
        Stores::open(&backend, None).await.unwrap(),
        Stores::open(&backend, None).await.unwrap(),
    );
    let call = held_call("approval-1", 600);
    HeldStore::hold(&one, &call).await.unwrap();
    HeldStore::hold(&one, &call).await.unwrap();
    let taken = HeldStore::take(&two, "approval-1").await.unwrap().unwrap();
    assert_eq!(taken.request, call.request);
    assert_eq!((taken.scope, taken.arguments), (call.scope, call.arguments));
    assert!(
        HeldStore::take(&one, "approval-1").await.unwrap().is_none(),
        "taken once"
    );
    assert!(
        HeldStore::take(&one, "approval-never")
            .await
            .unwrap()
            .is_none()
    );
    HeldStore::hold(&one, &held_call("approval-expired", -1))
        .await
        .unwrap();
    assert!(
        HeldStore::take(&two, "approval-expired")
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    // Replicas taking one call at once: one gets it.
    HeldStore::hold(&one, &held_call("approval-raced", 600))
        .await
        .unwrap();
    let (first, second) = tokio::join!(
        HeldStore::take(&one, "approval-raced"),
        HeldStore::take(&two, "approval-raced"),
    );
    let winners = [first.unwrap(), second.unwrap()].iter().flatten().count();
    assert_eq!(winners, 1);
}

async fn remembered_approvals(backend: Backend) {
    let approvals = Stores::open(&backend, None).await.unwrap();
    let (low, to_ana, to_bo) = (
        scope("ana", None),
        scope("ana", Some("a@x")),
        scope("ana", Some("b@x")),
    );
    assert!(!approvals.is_remembered(&low).await.unwrap());
    approvals.remember(&low).await.unwrap();
    approvals.remember(&low).await.unwrap();
    approvals.remember(&to_ana).await.unwrap();
    assert!(approvals.is_remembered(&low).await.unwrap());
    assert!(approvals.is_remembered(&to_ana).await.unwrap());
    assert!(
        !approvals.is_remembered(&to_bo).await.unwrap(),
        "other values"
    );
    assert!(
        !approvals.is_remembered(&scope("bo", None)).await.unwrap(),
        "another user"
    );
    // Reopened (a restart), the schema is not migrated twice and nothing is lost.
    drop(approvals);
    let reopened = Stores::open(&backend, None).await.unwrap();
    assert!(reopened.is_remembered(&to_ana).await.unwrap());
}

async fn connections(backend: Backend) {
    let tokens = Tokens {
        access: SecretString::from("gho_access"),
        refresh: Some(SecretString::from("ghr_refresh")),
        expires_at: Some(UNIX_EPOCH + Duration::from_secs(2_000_000_000)),
        instance_url: Some("https://acme.my.salesforce.com".to_owned()),
        scopes: vec!["repo".to_owned(), "read:org".to_owned()],
    };
    let keyless = Stores::open(&backend, None).await.unwrap();
    let refused = keyless.put("ana", "github", &tokens).await.unwrap_err();
    assert!(
        crate::cli::chain(&refused).contains("token keys"),
        "{}",
        crate::cli::chain(&refused)
    );

    let stores = Stores::open(&backend, cipher(&[1])).await.unwrap();
    let connections: &dyn ConnectionStore = &stores;
    assert!(connections.get("ana", "github").await.unwrap().is_none());
    connections.put("ana", "github", &tokens).await.unwrap();
    let read = connections.get("ana", "github").await.unwrap().unwrap();
    assert_eq!(read.access.expose_secret(), "gho_access");
    assert_eq!(read.refresh.unwrap().expose_secret(), "ghr_refresh");
    assert_eq!(read.expires_at, tokens.expires_at);
    assert_eq!(read.instance_url, tokens.instance_url);
    assert_eq!(read.scopes, tokens.scopes);
    assert!(connections.get("bo", "github").await.unwrap().is_none());
    // Listed without its tokens; whom it connects is recorded beside it, and kept when the
    // tokens are renewed.
    let tables = stores.tables();
    tables
        .set_account("ana", "github", Some("ana-gh"))
        .await
        .unwrap();
    connections.put("ana", "github", &tokens).await.unwrap();
    assert_eq!(
        tables.connections_of("ana").await.unwrap(),
        [ConnectionSummary {
            provider: "github".to_owned(),
            account: Some("ana-gh".to_owned()),
            scopes: Some("repo read:org".to_owned()),
            expires_at: Some(2_000_000_000),
            renewable: true,
            instance_url: tokens.instance_url.clone(),
        }]
    );
    assert!(tables.connections_of("bo").await.unwrap().is_empty());
    assert!(connections.get("ana", "jira").await.unwrap().is_none());
    // Stored sealed, never in the clear.
    let stored = stores
        .tables()
        .connection("ana", "github")
        .await
        .unwrap()
        .unwrap();
    assert!(!stored.access.contains("gho_access") && stored.access.starts_with("v1."));
    assert!(!stored.refresh.unwrap().contains("ghr_refresh"));
    // The instance is no secret: stored as it is, for the operators' eyes.
    assert_eq!(stored.instance_url, tokens.instance_url);
    // A sealed token opens only in its row: not copied to another user's, nor with access and
    // refresh swapped.
    let sealed = stores
        .tables()
        .connection("ana", "github")
        .await
        .unwrap()
        .unwrap();
    stores
        .tables()
        .put_connection("bo", "github", &sealed)
        .await
        .unwrap();
    assert!(
        connections.get("bo", "github").await.is_err(),
        "copied to bo"
    );
    let swapped = SealedTokens {
        access: sealed.refresh.clone().unwrap(),
        refresh: Some(sealed.access.clone()),
        expires_at: sealed.expires_at,
        instance_url: sealed.instance_url.clone(),
        scopes: sealed.scopes.clone(),
    };
    stores
        .tables()
        .put_connection("ana", "github", &swapped)
        .await
        .unwrap();
    assert!(connections.get("ana", "github").await.is_err(), "swapped");
    // Replaced after a refresh, without a refresh token or expiry.
    let renewed = Tokens::fixed("gho_renewed");
    connections.put("ana", "github", &renewed).await.unwrap();
    let read = connections.get("ana", "github").await.unwrap().unwrap();
    assert_eq!(read.access.expose_secret(), "gho_renewed");
    assert!(read.refresh.is_none() && read.expires_at.is_none() && read.instance_url.is_none());

    // Ended: gone, and only the user's own.
    connections.put("bo", "github", &renewed).await.unwrap();
    assert!(tables.delete_connection("bo", "github").await.unwrap());
    assert!(!tables.delete_connection("bo", "github").await.unwrap());
    assert!(connections.get("bo", "github").await.unwrap().is_none());
    assert!(connections.get("ana", "github").await.unwrap().is_some());

    // Keys rotated: a new key first, the old one kept, opens what the old one sealed.
    let rotated = Stores::open(&backend, cipher(&[2, 1])).await.unwrap();
    let read = rotated.get("ana", "github").await.unwrap().unwrap();
    assert_eq!(read.access.expose_secret(), "gho_renewed");
    // Without the key it was sealed with, a token cannot be read (and is not guessed at).
    let retired = Stores::open(&backend, cipher(&[2])).await.unwrap();
    assert!(retired.get("ana", "github").await.is_err());
}

async fn audit_log(backend: Backend) {
    let stores = Stores::open(&backend, None).await.unwrap();
    let event = |outcome, user: &str, approval: Option<&str>| AuditEvent {
        outcome,
        server: "desk".to_owned(),
        tool: "add_note".to_owned(),
        stake: Stake::Low,
        user_id: user.to_owned(),
        approval_id: approval.map(str::to_owned),
    };
    let events = [
        event(AuditOutcome::ApprovalRequested, "ana", Some("approval-1")),
        event(AuditOutcome::RefusedWrongUser, "bo", Some("approval-1")),
        event(AuditOutcome::ApprovedAlways, "ana", Some("approval-1")),
        event(AuditOutcome::AllowedByMemory, "ana", None),
    ];
    let audit = stores.audit();
    for event in &events {
        audit.record(event);
    }
    stores.flush().await;
    let all = AuditFilter::default();
    let read = |filter: AuditFilter, before: Option<AuditCursor>, limit: u32| {
        let stores = stores.clone();
        async move {
            stores
                .tables()
                .audit_page(&filter, before.as_ref(), limit)
                .await
                .unwrap()
        }
    };
    let stored: Vec<AuditEvent> = read(all.clone(), None, 10)
        .await
        .into_iter()
        .map(|row| row.event)
        .collect();
    let newest_first: Vec<AuditEvent> = events.iter().rev().cloned().collect();
    assert_eq!(stored, newest_first);
    // A page at a time: each from where the one before ended, none twice.
    let first = read(all.clone(), None, 3).await;
    let rest = read(all.clone(), Some(first[2].cursor()), 3).await;
    assert_eq!(first.len() + rest.len(), 4);
    assert_eq!(rest[0].event, events[0]);
    // Filtered by user, outcome, server and tool.
    let filter = |user: Option<&str>, outcome, tool: Option<&str>| AuditFilter {
        user_id: user.map(str::to_owned),
        server: Some("desk".to_owned()),
        tool: tool.map(str::to_owned),
        outcome,
    };
    let bos = read(filter(Some("bo"), None, None), None, 10).await;
    assert_eq!(bos.len(), 1);
    assert_eq!(bos[0].event.outcome, AuditOutcome::RefusedWrongUser);
    let always = read(
        filter(None, Some(AuditOutcome::ApprovedAlways), None),
        None,
        10,
    )
    .await;
    assert_eq!(always.len(), 1);
    assert_eq!(always[0].event.user_id, "ana");
    assert!(
        read(filter(None, None, Some("other")), None, 10)
            .await
            .is_empty()
    );
    assert!(
        read(
            AuditFilter {
                server: Some("other".to_owned()),
                ..AuditFilter::default()
            },
            None,
            10
        )
        .await
        .is_empty()
    );

    // Replicas write their events each in their own time: the log follows when each was
    // recorded, not when it was written.
    let now = SystemTime::now();
    let later = Recorded {
        at: now + Duration::from_secs(60),
        event: event(AuditOutcome::ApprovedOnce, "ana", Some("approval-2")),
    };
    let earlier = Recorded {
        at: now + Duration::from_secs(30),
        event: event(AuditOutcome::ApprovalRequested, "ana", Some("approval-2")),
    };
    let tables = stores.tables();
    tables
        .append_audit(std::slice::from_ref(&later))
        .await
        .unwrap();
    tables
        .append_audit(std::slice::from_ref(&earlier))
        .await
        .unwrap();
    let latest: Vec<AuditEvent> = read(all, None, 2)
        .await
        .into_iter()
        .map(|row| row.event)
        .collect();
    assert_eq!(latest, [later.event, earlier.event]);
}

/// The gate of one replica holds a call; "always" is given there; a call on another replica
/// runs without asking.
async fn replicas_share_always(backend: Backend) {
    let server = <Github as McpServer>::METADATA;
    let tool = server.tool("create_issue").expect("a `low` tool");
    assert_eq!(tool.stake, Stake::Low);
    let one = ApprovalGate::new(Stores::open(&backend, None).await.unwrap());
    let two = ApprovalGate::new(Stores::open(&backend, None).await.unwrap());
    let ids = RunIds {
        user_id: Some("ana".to_owned()),
        ..RunIds::default()
    };
    let arguments = json!({"text": "hi"});
    let Err(NotAdmitted::Held(held)) = one.admit(server, tool, &arguments, &ids, None).await else {
        panic!("a `low` call is held")
    };
    one.resolve(&held.id, "ana", Decision::Always)
        .await
        .unwrap();
    two.admit(server, tool, &arguments, &ids, None)
        .await
        .expect("remembered by the other replica");
    let bo = RunIds {
        user_id: Some("bo".to_owned()),
        ..RunIds::default()
    };
    assert!(
        two.admit(server, tool, &arguments, &bo, None)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn the_sqlite_backend_passes_the_suite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_owned();
    suite(async |name: &str| Backend::Sqlite(path.join(format!("{name}.sqlite")))).await;
}

#[tokio::test]
async fn the_postgres_backend_passes_the_suite() {
    let server = TempPostgres::start();
    suite(async |name: &str| Backend::Postgres(SecretString::from(server.database(name)))).await;
}

#[tokio::test]
async fn a_database_that_does_not_answer_fails_the_opening_within_seconds() {
    // Accepts connections, never says a word.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("postgres://mcp@{}/mcp", silent.local_addr().unwrap());
    let held = tokio::spawn(async move {
        let mut sockets = Vec::new();
        while let Ok((socket, _)) = silent.accept().await {
            sockets.push(socket);
        }
    });
    let backend = Backend::Postgres(SecretString::from(url));
    let opened = tokio::time::timeout(Duration::from_secs(20), Stores::open(&backend, None))
        .await
        .expect("a bounded wait");
    assert!(opened.is_err());
    held.abort();
    // Its `Debug` shows no URL (it may hold a password).
    let server = TempPostgres::start();
    let url = server.database("debug");
    let postgres = super::postgres::Postgres::open(&SecretString::from(url))
        .await
        .unwrap();
    assert_eq!(format!("{postgres:?}"), "Postgres { .. }");
}

#[tokio::test]
async fn replicas_starting_together_migrate_once() {
    let server = TempPostgres::start();
    let backend = Backend::Postgres(SecretString::from(server.database("together")));
    let (one, two, three) = tokio::join!(
        Stores::open(&backend, None),
        Stores::open(&backend, None),
        Stores::open(&backend, None),
    );
    for stores in [one, two, three] {
        stores.unwrap();
    }
}

#[tokio::test]
async fn a_postgres_database_of_a_newer_build_is_refused_and_expired_held_calls_go() {
    let server = TempPostgres::start();
    let url = server.database("newer");
    let backend = Backend::Postgres(SecretString::from(url.clone()));
    let stores = Stores::open(&backend, None).await.unwrap();
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let count = async |sql: &str| -> i64 { client.query_one(sql, &[]).await.unwrap().get(0) };
    let now = super::now();
    stores
        .tables()
        .hold("expired", "ana", "{}", now - 1)
        .await
        .unwrap();
    stores
        .tables()
        .hold("expiring", "ana", "{}", now)
        .await
        .unwrap();
    stores
        .tables()
        .hold("live", "ana", "{}", now + 600)
        .await
        .unwrap();
    assert_eq!(count("SELECT count(*) FROM held_approvals").await, 1);
    client
        .execute("INSERT INTO schema_migrations (version) VALUES (99)", &[])
        .await
        .unwrap();
    let refused = Stores::open(&backend, None).await.unwrap_err();
    let message = crate::cli::chain(&refused);
    assert!(
        message.contains("the database has schema version 99, newer than this build's"),
        "{message}"
    );
}
