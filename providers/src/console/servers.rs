//! The servers and tools a principal sees, for admins: each served server, whether it exists
//! for a principal of the plan and feature flags given (a `restricted` server may not), and its
//! tools this host serves, each with the stake the gate holds it at (an override shows the
//! stake the tool declares beside).

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use mcp_runtime::Stake;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::Console;
use super::page::{self, Nav};

/// The principal to view as, as the form says.
#[derive(Debug, Default, Deserialize)]
pub struct ViewAs {
    #[serde(default)]
    plan: String,
    /// Space- or comma-separated.
    #[serde(default)]
    flags: String,
}

struct ToolView {
    name: &'static str,
    title: &'static str,
    stake: Stake,
    /// The stake the tool declares, when the host holds it at another.
    overridden: Option<Stake>,
}

struct ServerView {
    name: &'static str,
    restricted: bool,
    /// Whether the server exists for the principal viewed as.
    seen: bool,
    tools: Vec<ToolView>,
}

#[derive(Template)]
#[template(path = "console/servers.html")]
struct ServersPage {
    nav: Option<Nav>,
    per_principal: bool,
    plan_claim: Option<String>,
    flags_claim: Option<String>,
    plan: String,
    flags: String,
    servers: Vec<ServerView>,
}

/// The claims of a token carrying `view`'s plan and flags under the host's claim names.
fn claims(
    view: &ViewAs,
    plan_claim: Option<&str>,
    flags_claim: Option<&str>,
) -> Map<String, Value> {
    let mut claims = Map::new();
    if let Some(claim) = plan_claim
        && !view.plan.trim().is_empty()
    {
        claims.insert(claim.to_owned(), Value::String(view.plan.trim().to_owned()));
    }
    if let Some(claim) = flags_claim {
        let flags = view
            .flags
            .split([' ', ','])
            .filter(|flag| !flag.is_empty())
            .map(|flag| Value::String(flag.to_owned()))
            .collect();
        claims.insert(claim.to_owned(), Value::Array(flags));
    }
    claims
}

/// The first sentence of a description (what a tool without a title does).
fn summary(description: &'static str) -> &'static str {
    let first = description.lines().next().unwrap_or_default();
    match first.find(". ") {
        Some(end) => &first[..=end],
        None => first,
    }
}

/// `GET /console/servers`: admins only.
pub async fn list(
    State(console): State<Arc<Console>>,
    Query(view): Query<ViewAs>,
    headers: HeaderMap,
) -> Response {
    let what = "What each principal sees";
    let session = match console.admin_session(&headers, "/console/servers", what) {
        Ok(session) => session,
        Err(refused) => return *refused,
    };
    let served = &console.served;
    let audience = &served.audience;
    let claims = claims(
        &view,
        audience.plan_claim.as_deref(),
        audience.flags_claim.as_deref(),
    );
    let servers = served
        .servers
        .iter()
        .map(|server| ServerView {
            name: server.name,
            restricted: server.restricted.is_some(),
            seen: audience.admits(server, Some(&claims)),
            tools: server
                .tools
                .iter()
                .filter(|tool| served.calls.serves(server, tool))
                .map(|tool| {
                    let stake = served
                        .calls
                        .gate()
                        .map_or(tool.stake, |gate| gate.effective_stake(server, tool));
                    ToolView {
                        name: tool.name,
                        title: tool
                            .title
                            .or(tool.done)
                            .unwrap_or_else(|| summary(tool.description)),
                        stake,
                        overridden: (stake != tool.stake).then_some(tool.stake),
                    }
                })
                .collect(),
        })
        .collect();
    page::render(
        StatusCode::OK,
        &ServersPage {
            nav: Nav::of(&session),
            per_principal: audience.plan_claim.is_some() || audience.flags_claim.is_some(),
            plan_claim: audience.plan_claim.clone(),
            flags_claim: audience.flags_claim.clone(),
            plan: view.plan,
            flags: view.flags,
            servers,
        },
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_tool_without_a_title_is_said_by_its_descriptions_first_sentence() {
        assert_eq!(
            summary("Lists tables. Then more.\nAnd more."),
            "Lists tables."
        );
        assert_eq!(summary("Lists tables"), "Lists tables");
        assert_eq!(summary(""), "");
    }

    #[test]
    fn the_form_becomes_the_claims_of_a_token_under_the_hosts_names() {
        let view = ViewAs {
            plan: " pro ".to_owned(),
            flags: "salesforce_tool, beta".to_owned(),
        };
        assert_eq!(
            Value::Object(claims(&view, Some("mcp_plan"), Some("mcp_flags"))),
            json!({"mcp_plan": "pro", "mcp_flags": ["salesforce_tool", "beta"]})
        );
        // Claims the host does not read are not made up.
        assert_eq!(Value::Object(claims(&view, None, None)), json!({}));
        assert_eq!(
            Value::Object(claims(
                &ViewAs::default(),
                Some("mcp_plan"),
                Some("mcp_flags")
            )),
            json!({"mcp_flags": []})
        );
    }
}
