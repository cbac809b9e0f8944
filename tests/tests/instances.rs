//! Several instances of one server (`allow_multiple_instances`): each under its own name, with
//! its own approvals, audit and path; a server without the flag, or a name breaking the rules of
//! servers' names, has none.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use http::{Request, StatusCode};
use mcp_runtime::CallError;
use mcp_runtime::RunIds;
use mcp_runtime::host::approval::{ApprovalGate, AuditEvent, AuditSink, Decision, MemoryStore};
use mcp_runtime::host::serve::{HttpConfig, http_router};
use mcp_runtime::host::{CallOptions, InstanceError, Servers, SharedServer};
use mcp_runtime::prelude::*;
use serde_json::{Value, json};
use tests::desk::Desk;

mod support;
use support::http::{VERSION, initialize, send};

#[derive(Default)]
pub struct Site;

/// A site of some platform; a host may serve several.
#[mcp_server(id = 7101, availability = "manual", allow_multiple_instances)]
impl Site {
    /// Publish a page.
    #[tool(stake = "low")]
    async fn publish(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("published"))
    }

    /// Read the pages of the site, every one of them, with their complete history.
    #[tool(stake = "never_ask")]
    async fn read_every_page_with_history(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text("pages"))
    }
}

#[derive(Default)]
struct Recorder(Mutex<Vec<AuditEvent>>);

impl AuditSink for Recorder {
    fn record(&self, event: &AuditEvent) {
        self.0.lock().unwrap().push(event.clone());
    }
}

fn as_ana() -> ToolContext {
    ToolContext::new().with_ids(RunIds {
        user_id: Some("ana".to_owned()),
        ..RunIds::default()
    })
}

#[test]
fn an_instance_is_the_server_under_another_name() {
    let site = SharedServer::new(Site);
    let eu = site.instance("site_eu").unwrap();
    assert_eq!(eu.metadata().name, "site_eu");
    assert_eq!(eu.metadata().id, Site::METADATA.id);
    assert_eq!(eu.metadata().tools.len(), 2);
    // Tools without a toolset of their own are in the instance's.
    let publish = eu.metadata().tool("publish").unwrap();
    assert_eq!(eu.metadata().toolset_of(publish), "site_eu");
    // Its own name is no instance: the server itself.
    assert_eq!(site.instance("site").unwrap().metadata().name, "site");
}

#[test]
fn names_follow_the_rules_of_servers_names() {
    let site = SharedServer::new(Site);
    assert_eq!(
        site.instance("site eu").unwrap_err(),
        InstanceError::InvalidName {
            name: "site eu".to_owned()
        }
    );
    assert!(site.instance("").is_err());
    // `mcp__<name>__read_every_page_with_history` within 64 characters: 29 at most.
    assert!(site.instance(&"s".repeat(29)).is_ok());
    let error = site.instance(&"s".repeat(30)).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "instance name `{}` is too long: hosts would list its tool \
             `read_every_page_with_history` as `mcp__{}__read_every_page_with_history` (65 \
             characters, over their limit of 64); shorten the name to at most 29 characters",
            "s".repeat(30),
            "s".repeat(30)
        )
    );
    // Only a server that allows several instances has any.
    assert_eq!(
        SharedServer::new(Desk).instance("desk_two").unwrap_err(),
        InstanceError::NotMultiple { server: "desk" }
    );
}

#[tokio::test]
async fn each_instance_has_its_own_approvals_and_audit() {
    let audit = Arc::new(Recorder::default());
    let gate = Arc::new(ApprovalGate::new(MemoryStore::default()).with_audit(audit.clone()));
    let options = CallOptions::new().with_gate(gate.clone());
    let site = SharedServer::new(Site);
    let servers = Servers::new([
        site.instance("site_eu").unwrap(),
        site.instance("site_us").unwrap(),
    ]);
    let held = |server: &'static str| {
        let (servers, options) = (servers.clone(), options.clone());
        async move {
            match servers
                .call_tool(server, "publish", json!({}), as_ana(), &options)
                .await
            {
                Err(CallError::ApprovalRequired(request)) => *request,
                other => panic!("expected {server} to hold the call, got {other:?}"),
            }
        }
    };
    let request = held("site_eu").await;
    gate.resolve(&request.id, "ana", Decision::Always)
        .await
        .unwrap();
    let ran = servers
        .call_tool("site_eu", "publish", json!({}), as_ana(), &options)
        .await
        .unwrap();
    assert_eq!(ran.text(), "published");
    // "Always" on one site is not on the other.
    held("site_us").await;

    let servers_named: Vec<String> = audit
        .0
        .lock()
        .unwrap()
        .iter()
        .map(|event| event.server.to_string())
        .collect();
    assert!(servers_named.iter().any(|server| server == "site_eu"));
    assert!(servers_named.iter().any(|server| server == "site_us"));
    assert!(!servers_named.iter().any(|server| server == "site"));
}

#[tokio::test]
async fn each_instance_is_served_at_its_own_path_under_its_own_name() {
    let site = SharedServer::new(Site);
    let router = http_router(
        &[
            site.instance("site_eu").unwrap(),
            site.instance("site_us").unwrap(),
        ],
        &HttpConfig::default(),
    );
    for name in ["site_eu", "site_us"] {
        let answer = send(
            &router,
            Request::post(format!("/servers/{name}/mcp"))
                .header("host", "localhost")
                .header("content-type", "application/json")
                .header("accept", "application/json, text/event-stream")
                .body(Body::from(initialize(VERSION)))
                .unwrap(),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        let info: &Value = &answer.message()["result"]["serverInfo"];
        assert_eq!(info["name"], name);
    }
}
