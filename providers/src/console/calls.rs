//! Held calls on their pages: a call whose client cannot ask its user is kept in the store with
//! its arguments (sealed), and its user decides on `/console/calls/{id}` (once, always where it
//! would be remembered, or reject). Only that user sees the page; to anyone else it does not
//! exist. The decision stays in the store until the call's retry takes it, on any replica.

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use mcp_runtime::BoxFuture;
use mcp_runtime::Stake;
use mcp_runtime::host::StoreError;
use mcp_runtime::host::approval::{
    ApprovalPages, ApprovalStore as _, AuditEvent, AuditOutcome, Decision, HeldCall, PageAnswer,
};
use secrecy::{ExposeSecret as _, SecretString};
use serde::Deserialize;
use serde_json::Value;

use super::arguments::{self, Argument, Shown};
use super::page::{self, Nav};
use super::session::Session;
use super::{Console, now};
use crate::store::{PageRow, Stores, TokenCipher};

/// The held calls' pages of a console at `base`, kept in `stores`.
pub struct Pages {
    pub base: String,
    pub stores: Stores,
    pub cipher: Arc<TokenCipher>,
}

impl std::fmt::Debug for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

/// The most of a call's arguments (as JSON) a page keeps to show: a call's body may be
/// megabytes, and the page is read by a person.
const SHOWN_ARGUMENTS: usize = 64 * 1024;

/// `arguments` as the page keeps them: whole, or past [`SHOWN_ARGUMENTS`] their start, said so.
fn kept(arguments: &Value) -> String {
    let json = arguments.to_string();
    if json.len() <= SHOWN_ARGUMENTS {
        return json;
    }
    Value::String(format!(
        "{}… ({} bytes of arguments in all; only the first {} KiB are shown)",
        &json[..json.floor_char_boundary(SHOWN_ARGUMENTS)],
        json.len(),
        SHOWN_ARGUMENTS / 1024
    ))
    .to_string()
}

/// What a held call's sealed arguments are bound to: its row.
fn arguments_row(id: &str) -> String {
    format!("held-call\0{id}")
}

fn hex(digest: &[u8; 32]) -> String {
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

impl ApprovalPages for Pages {
    fn publish<'a>(
        &'a self,
        call: &'a HeldCall,
        arguments: &'a Value,
    ) -> BoxFuture<'a, Result<String, StoreError>> {
        Box::pin(async move {
            let id = &call.request.id;
            let row = PageRow {
                id: id.clone(),
                user_id: call.request.user_id.clone(),
                scope: call.scope.key(),
                agent_id: call.agent_id.clone(),
                digest: hex(&call.arguments),
                call: serde_json::to_string(call).map_err(StoreError::new)?,
                arguments: self
                    .cipher
                    .seal(&SecretString::from(kept(arguments)), &arguments_row(id)),
                expires_at: crate::store::unix_seconds(call.expires_at),
                decision: None,
            };
            self.stores.tables().publish_page(&row).await?;
            Ok(format!("{}/console/calls/{id}", self.base))
        })
    }

    fn take_answer<'a>(
        &'a self,
        scope_key: &'a str,
        agent_id: Option<&'a str>,
        arguments: &'a [u8; 32],
    ) -> BoxFuture<'a, Result<Option<PageAnswer>, StoreError>> {
        Box::pin(async move {
            let found = self
                .stores
                .tables()
                .take_page_answer(scope_key, agent_id, &hex(arguments))
                .await?;
            found
                .map(|(id, decision)| {
                    let decision = decision.map(crate::store::parse_word).transpose()?;
                    Ok(PageAnswer { id, decision })
                })
                .transpose()
        })
    }

    fn withdraw<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        self.stores.tables().withdraw_page(id)
    }
}

/// A held call as its page shows it.
struct HeldCallView {
    /// "Approve a call?", or what was decided.
    heading: &'static str,
    /// How long the call waits: for a decision, or for the retry that takes it.
    wait_label: &'static str,
    server: String,
    tool: String,
    stake: Stake,
    label: String,
    minutes_left: i64,
    arguments: Vec<Argument>,
    rememberable: bool,
    medium: bool,
    agent: String,
    covered: String,
    /// What was decided, said to the person; `None` while undecided.
    decided: Option<String>,
    approved: bool,
}

#[derive(Template)]
#[template(path = "console/call.html")]
struct CallPage {
    nav: Option<Nav>,
    csrf: String,
    call: HeldCallView,
}

/// The held call `id` if it is `session`'s; else nothing, its wrong user recorded.
async fn their_call(
    console: &Console,
    id: &str,
    session: &Session,
) -> Result<(PageRow, HeldCall), Response> {
    let row = match console.stores.tables().page(id).await {
        Ok(Some(row)) => row,
        Ok(None) => return Err(page::not_found(session)),
        Err(error) => {
            tracing::error!(%error, "the held calls' pages could not be read");
            return Err(console.unavailable(session));
        }
    };
    let Ok(call) = serde_json::from_str::<HeldCall>(&row.call) else {
        tracing::error!(
            approval_id = id,
            "a held call's page holds a call that does not read"
        );
        return Err(page::not_found(session));
    };
    if row.user_id != session.user {
        console.audit.record(&AuditEvent {
            outcome: AuditOutcome::RefusedWrongUser,
            server: call.request.server.clone(),
            tool: call.request.tool.clone(),
            stake: call.request.stake,
            user_id: session.user.clone(),
            approval_id: Some(call.request.id.clone()),
        });
        return Err(page::not_found(session));
    }
    Ok((row, call))
}

/// Whole minutes until `expires_at` (seconds since the Unix epoch), rounded up.
fn minutes_until(expires_at: i64) -> i64 {
    let left = (expires_at - i64::try_from(now()).unwrap_or(i64::MAX)).max(0);
    (left + 59) / 60
}

/// `GET /console/calls/{id}`.
pub async fn show(
    State(console): State<Arc<Console>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(session) = console.session(&headers) else {
        return super::sign_in_first(&format!("/console/calls/{id}"));
    };
    let (row, call) = match their_call(&console, &id, &session).await {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let arguments = console
        .cipher
        .open(&row.arguments, &arguments_row(&id))
        .ok()
        .and_then(|opened| serde_json::from_str::<Value>(opened.expose_secret()).ok())
        .map_or_else(
            || {
                vec![Argument {
                    name: "arguments".to_owned(),
                    shown: Shown::Short(
                        "(cannot be shown: sealed with a key no longer configured)".to_owned(),
                    ),
                }]
            },
            |arguments| arguments::shown(&arguments),
        );
    let decision = row
        .decision
        .as_deref()
        .and_then(|word| crate::store::parse_word::<Decision>(word.to_owned()).ok());
    let request = &call.request;
    let shown = HeldCallView {
        heading: match decision {
            None => "Approve a call?",
            Some(Decision::Reject) => "Call rejected",
            Some(_) => "Call approved",
        },
        wait_label: if decision.is_some() {
            "Your agent's retry"
        } else {
            "Waits"
        },
        server: request.server.clone(),
        tool: request.tool.clone(),
        stake: request.stake,
        label: request.label.clone(),
        minutes_left: minutes_until(row.expires_at),
        arguments,
        rememberable: request.rememberable,
        medium: request.stake == Stake::Medium,
        agent: call.scope.agent_id.as_deref().map_or_else(
            || "your agents".to_owned(),
            |agent| format!("the agent `{agent}`"),
        ),
        covered: call
            .scope
            .values
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
        decided: decision.map(|decision| {
            match decision {
                Decision::Once => "You approved this call once.",
                Decision::Always => "You approved this call, and its like from now on.",
                Decision::Reject => "You rejected this call.",
            }
            .to_owned()
        }),
        approved: decision.is_some_and(|decision| decision != Decision::Reject),
    };
    page::render(
        StatusCode::OK,
        &CallPage {
            nav: Nav::of(&session),
            csrf: session.csrf.clone(),
            call: shown,
        },
    )
}

#[derive(Deserialize)]
pub struct Decide {
    #[serde(default)]
    csrf: String,
    decision: String,
}

/// `POST /console/calls/{id}`: the person's decision, then back to the page, which says it.
pub async fn decide(
    State(console): State<Arc<Console>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<Decide>,
) -> Response {
    let session = match console.form_sender(&headers, &form.csrf) {
        Ok(session) => session,
        Err(refused) => return *refused,
    };
    let (_, call) = match their_call(&console, &id, &session).await {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let request = &call.request;
    let decision = match form.decision.as_str() {
        "once" => Decision::Once,
        "always" if request.rememberable => Decision::Always,
        "reject" => Decision::Reject,
        _ => {
            return page::message(
                StatusCode::BAD_REQUEST,
                &page::Message::new("Choose again", "That choice is not offered for this call.")
                    .with_link(&format!("/console/calls/{id}"), "Back to the call")
                    .for_session(&session),
            );
        }
    };
    let word = crate::store::word(decision);
    match console
        .stores
        .tables()
        .decide_page(&id, &session.user, &word)
        .await
    {
        Ok(true) => {}
        // Decided meanwhile (another tab), or expired: the page says which.
        Ok(false) => return page::see_other(&format!("/console/calls/{id}")),
        Err(error) => {
            tracing::error!(%error, "a decision could not be recorded");
            return console.unavailable(&session);
        }
    }
    // Remembered once the decision is recorded, so that a decision not taken remembers
    // nothing. A retry in between takes the page's "always" and runs; the next asks memory.
    if decision == Decision::Always
        && let Err(error) = console.stores.remember(&call.scope).await
    {
        tracing::error!(%error, "an approval could not be remembered");
        return page::message(
            StatusCode::SERVICE_UNAVAILABLE,
            &page::Message::new(
                "Approved once, not remembered",
                "This call will run when your agent calls again, but the console could not \
                 remember to allow its like: you will be asked again next time.",
            )
            .for_session(&session),
        );
    }
    console.audit.record(&AuditEvent {
        outcome: match decision {
            Decision::Once => AuditOutcome::ApprovedOnce,
            Decision::Always => AuditOutcome::ApprovedAlways,
            Decision::Reject => AuditOutcome::Rejected,
        },
        server: request.server.clone(),
        tool: request.tool.clone(),
        stake: request.stake,
        user_id: session.user.clone(),
        approval_id: Some(request.id.clone()),
    });
    page::see_other(&format!("/console/calls/{id}"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_page_keeps_at_most_what_a_person_reads_of_the_arguments() {
        let small = json!({"title": "Ship it"});
        assert_eq!(kept(&small), small.to_string());
        let big = json!({"body": "é".repeat(SHOWN_ARGUMENTS)});
        let kept: Value = serde_json::from_str(&kept(&big)).unwrap();
        let text = kept.as_str().unwrap();
        assert!(text.starts_with("{\"body\":\"éé"), "{}", &text[..20]);
        assert!(
            text.ends_with(&format!(
                "… ({} bytes of arguments in all; only the first 64 KiB are shown)",
                big.to_string().len()
            )),
            "{}",
            &text[text.len() - 100..]
        );
        // Cut on the last character that fits.
        assert_eq!(text.find('…'), Some(SHOWN_ARGUMENTS - 1));
    }

    #[test]
    fn the_minutes_left_are_rounded_up() {
        let now = i64::try_from(now()).unwrap();
        assert_eq!(minutes_until(now + 600), 10);
        assert_eq!(minutes_until(now + 61), 2);
        assert_eq!(minutes_until(now - 5), 0);
    }
}
