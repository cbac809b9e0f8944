//! Dust's server flags acting in a host: which servers a host serves (`availability`,
//! `preview`), and which exist for each principal (`restricted`), in-process and over HTTP.

use axum::body::Body;
use http::{Request, StatusCode};
use mcp_runtime::host::serve::{HttpConfig, http_router};
use mcp_runtime::host::{Audience, NotServed, Servers, SharedServer, Turned, served};
use mcp_runtime::prelude::*;
use mcp_runtime::{CallError, Workspace};
use serde_json::{Map, Value, json};

mod support;
use support::http::{VERSION, initialize, send};

/// For the workspaces with the `beta` flag, or on the `enterprise` plan.
fn not_in_beta(workspace: &Workspace<'_>) -> bool {
    !(workspace.has_flag("beta") || workspace.plan == "enterprise")
}

/// Only for principals whose token says they are staff.
fn not_staff(workspace: &Workspace<'_>) -> bool {
    workspace.claim("staff") != Some(&Value::Bool(true))
}

#[derive(Default)]
pub struct Beta;

/// Answers in beta.
#[mcp_server(id = 7001, availability = "auto", restricted = not_in_beta)]
impl Beta {
    /// Say hello.
    #[tool(stake = "never_ask")]
    async fn hello(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("hello from beta"))
    }
}

#[derive(Default)]
pub struct Staff;

/// Staff tools.
#[mcp_server(id = 7002, availability = "manual", restricted = not_staff)]
impl Staff {
    /// Say hello.
    #[tool(stake = "never_ask")]
    async fn hello(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("hello, staff"))
    }
}

#[derive(Default)]
pub struct Fresh;

/// A preview of something new.
#[mcp_server(id = 7003, availability = "auto", preview = true)]
impl Fresh {
    /// Say hello.
    #[tool(stake = "never_ask")]
    async fn hello(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("hello, fresh"))
    }
}

#[derive(Default)]
pub struct System;

/// Open to all, hidden from builders.
#[mcp_server(id = 7004, availability = "auto_hidden_builder")]
impl System {
    /// Say hello.
    #[tool(stake = "never_ask")]
    async fn hello(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("hello, system"))
    }
}

fn claims(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap()
}

#[test]
fn availability_and_preview_decide_what_a_host_serves() {
    let (beta, staff, fresh, system) = (
        Beta::METADATA,
        Staff::METADATA,
        Fresh::METADATA,
        System::METADATA,
    );
    // `auto` and `auto_hidden_builder`: served unless turned off.
    for server in [beta, system] {
        assert_eq!(served(server, Turned::ByAvailability, false), Ok(()));
        assert_eq!(served(server, Turned::On, false), Ok(()));
        assert_eq!(served(server, Turned::Off, false), Err(NotServed::Off));
    }
    // `manual`: only when turned on.
    assert_eq!(
        served(staff, Turned::ByAvailability, true),
        Err(NotServed::Manual)
    );
    assert_eq!(served(staff, Turned::On, false), Ok(()));
    // A preview: only where the host opts into previews, turned on or not.
    assert_eq!(
        served(fresh, Turned::ByAvailability, false),
        Err(NotServed::Preview)
    );
    assert_eq!(served(fresh, Turned::On, false), Err(NotServed::Preview));
    assert_eq!(served(fresh, Turned::ByAvailability, true), Ok(()));
    assert_eq!(served(fresh, Turned::Off, true), Err(NotServed::Off));
    // Builders browse all but the hidden ones.
    assert!(beta.is_browsed() && staff.is_browsed() && fresh.is_browsed());
    assert!(!system.is_browsed());
}

#[test]
fn a_restricted_server_exists_for_whom_its_predicate_admits() {
    let host = Audience::default();
    assert!(!host.admits(Beta::METADATA, None), "no flag, no plan");
    assert!(host.admits(Fresh::METADATA, None), "not restricted");

    // The host's flags and plan count for everyone.
    let flagged = Audience {
        feature_flags: vec!["beta".to_owned()],
        ..Audience::default()
    };
    assert!(flagged.admits(Beta::METADATA, None));
    let enterprise = Audience {
        plan: "enterprise".to_owned(),
        ..Audience::default()
    };
    assert!(enterprise.admits(Beta::METADATA, None));

    // A principal's claims add flags and name a plan where the host says which claims do.
    let by_claims = Audience {
        plan: "free".to_owned(),
        plan_claim: Some("plan".to_owned()),
        flags_claim: Some("mcp_flags".to_owned()),
        ..Audience::default()
    };
    let listed = claims(json!({"mcp_flags": ["other", "beta"]}));
    let spaced = claims(json!({"mcp_flags": "other beta"}));
    let planned = claims(json!({"plan": "enterprise"}));
    let neither = claims(json!({"mcp_flags": ["other"], "plan": "pro"}));
    assert!(by_claims.admits(Beta::METADATA, Some(&listed)));
    assert!(by_claims.admits(Beta::METADATA, Some(&spaced)));
    assert!(by_claims.admits(Beta::METADATA, Some(&planned)));
    assert!(!by_claims.admits(Beta::METADATA, Some(&neither)));
    assert!(!by_claims.admits(Beta::METADATA, None));
    // Claims the host did not name add nothing.
    assert!(!host.admits(Beta::METADATA, Some(&listed)));

    // A predicate may read the claims themselves.
    let staff = claims(json!({"staff": true}));
    assert!(host.admits(Staff::METADATA, Some(&staff)));
    assert!(!host.admits(Staff::METADATA, Some(&listed)));
}

#[tokio::test]
async fn a_server_refused_a_principal_is_unknown_to_them_in_process() {
    let servers = Servers::new([SharedServer::new(Beta), SharedServer::new(Fresh)]);
    let audience = Audience {
        flags_claim: Some("flags".to_owned()),
        ..Audience::default()
    };
    let ana = claims(json!({"flags": ["beta"]}));
    let seen_by_ana = audience.servers_for(&servers, Some(&ana));
    let seen_by_bo = audience.servers_for(&servers, None);
    let names = |servers: &Servers| {
        servers
            .iter()
            .map(|server| server.metadata().name)
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&seen_by_ana), ["beta", "fresh"]);
    assert_eq!(names(&seen_by_bo), ["fresh"]);

    let options = mcp_runtime::host::CallOptions::new();
    let answered = seen_by_ana
        .call_tool("beta", "hello", json!({}), ToolContext::new(), &options)
        .await
        .unwrap();
    assert_eq!(answered.text(), "hello from beta");
    let refused = seen_by_bo
        .call_tool("beta", "hello", json!({}), ToolContext::new(), &options)
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, CallError::UnknownServer { name, suggestion: None } if name == "beta"),
        "{refused:?}"
    );
}

/// An `initialize` POST to `path`, as `user`.
fn initialize_at(path: &str, user: &str) -> Request<Body> {
    Request::post(path)
        .header("host", "localhost")
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("authorization", format!("Bearer {user}"))
        .body(Body::from(initialize(VERSION)))
        .unwrap()
}

#[tokio::test]
async fn over_http_a_restricted_server_answers_only_the_principals_it_admits() {
    let router = http_router(
        &[SharedServer::new(Beta), SharedServer::new(Fresh)],
        &HttpConfig {
            protected: Some(support::users::protected()),
            // `ana`'s token lists `beta` in its `flags` claim; `bo`'s has no claim.
            audience: std::sync::Arc::new(Audience {
                flags_claim: Some("flags".to_owned()),
                ..Audience::default()
            }),
            ..HttpConfig::default()
        },
    );
    let ana = send(&router, initialize_at("/servers/beta/mcp", "ana")).await;
    assert_eq!(ana.status, StatusCode::OK, "{}", ana.body);
    assert_eq!(ana.message()["result"]["serverInfo"]["name"], "beta");

    // To `bo` it is as a path nothing is served at.
    let bo = send(&router, initialize_at("/servers/beta/mcp", "bo")).await;
    let nothing = send(&router, initialize_at("/servers/gamma/mcp", "bo")).await;
    assert_eq!(bo.status, StatusCode::NOT_FOUND);
    assert_eq!((bo.status, &bo.body), (nothing.status, &nothing.body));
    // What is not restricted answers everyone.
    let fresh = send(&router, initialize_at("/servers/fresh/mcp", "bo")).await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.body);
    // Without a token, the challenge comes first, as for any server.
    let anonymous = send(
        &router,
        Request::post("/servers/beta/mcp")
            .header("host", "localhost")
            .body(Body::from(initialize(VERSION)))
            .unwrap(),
    )
    .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}
