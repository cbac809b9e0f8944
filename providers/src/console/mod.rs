//! The web console: a few server-rendered pages on the host's HTTP listener where the people
//! behind the agents decide what their clients cannot ask them: approve or reject a held call,
//! and take back an "always allow". People sign in at the issuer that protects the MCP
//! endpoints (OpenID Connect); every page is theirs alone, every form carries a CSRF token,
//! nothing runs script. Any replica serves any page: sessions are sealed cookies, and what a
//! page shows or changes is in the shared store.

mod approvals;
mod arguments;
mod audit;
mod calls;
mod connections;
mod page;
mod servers;
mod session;
mod sign_in;

use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use mcp_runtime::ServerMetadata;
use mcp_runtime::host::approval::{ApprovalPages, AuditSink};
use mcp_runtime::host::{Audience, CallOptions};
use serde::Deserialize;

use crate::config::ConsoleConfig;
use crate::connect_flow::ConnectFlow;
use crate::store::{Stores, TokenCipher};
use crate::web::{now, random_hex};
use page::{Message, Nav};
use session::{Session, form_is_ours};
use sign_in::SignIn;

/// What the host serves, as the console shows it to admins.
pub struct Served {
    /// The servers, by their served names.
    pub servers: Vec<&'static ServerMetadata>,
    /// What every call runs with: the tools served and the gate's stakes.
    pub calls: CallOptions,
    /// Who each restricted server is for.
    pub audience: Arc<Audience>,
}

/// Where held calls are put to their users: the pages of the console of a host reached at
/// `public_url`, kept in `stores`, their arguments sealed with `cipher`.
pub fn pages(
    public_url: &reqwest::Url,
    stores: Stores,
    cipher: Arc<TokenCipher>,
) -> Arc<dyn ApprovalPages> {
    Arc::new(calls::Pages {
        base: public_url.as_str().trim_end_matches('/').to_owned(),
        stores,
        cipher,
    })
}

/// The console of one host.
pub struct Console {
    /// The public URL, without a trailing slash.
    base: String,
    /// The public URL's origin, which forms must come from.
    origin: String,
    /// Whether cookies are sent over HTTPS only.
    secure: bool,
    sign_in: SignIn,
    cipher: Arc<TokenCipher>,
    stores: Stores,
    audit: Arc<dyn AuditSink>,
    /// What the host serves, and how.
    served: Served,
    /// How people connect their accounts, if the host connects any.
    connect: Option<Arc<ConnectFlow>>,
}

impl std::fmt::Debug for Console {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Console")
            .field("base", &self.base)
            .field("sign_in", &self.sign_in)
            .finish_non_exhaustive()
    }
}

impl Console {
    /// The console of a host reached at `public_url` serving `servers`, signing people in per
    /// `config`, sealing with `cipher`, reading and changing `stores`, connecting accounts
    /// through `connect`.
    pub fn new(
        config: ConsoleConfig,
        public_url: &reqwest::Url,
        cipher: Arc<TokenCipher>,
        stores: Stores,
        served: Served,
        connect: Option<Arc<ConnectFlow>>,
    ) -> Self {
        let base = public_url.as_str().trim_end_matches('/').to_owned();
        Console {
            sign_in: SignIn::new(config, &base),
            origin: public_url.origin().ascii_serialization(),
            secure: public_url.scheme() == "https",
            base,
            cipher,
            audit: stores.audit(),
            stores,
            served,
            connect,
        }
    }

    /// The console's routes, under `/console`.
    pub fn routes(self: Arc<Self>) -> Router {
        Router::new()
            .route("/console", get(home))
            .route("/console/style.css", get(page::stylesheet))
            .route("/console/sign-in", get(sign_in::start))
            .route("/console/callback", get(sign_in::callback))
            .route("/console/sign-out", post(sign_out))
            .route("/console/calls/{id}", get(calls::show).post(calls::decide))
            .route("/console/approvals", get(approvals::list))
            .route("/console/approvals/revoke", post(approvals::revoke))
            .route("/console/audit", get(audit::log))
            .route("/console/servers", get(servers::list))
            .route("/console/connections", get(connections::list))
            .route(
                "/console/connections/{provider}/disconnect",
                post(connections::disconnect),
            )
            .with_state(self)
    }

    /// The session of the request, if signed in.
    fn session(&self, headers: &HeaderMap) -> Option<Session> {
        Session::of(headers, &self.cipher)
    }

    /// The session of an admin opening `here`; else the way to sign in, or the refusal saying
    /// that `what` is for admins.
    fn admin_session(
        &self,
        headers: &HeaderMap,
        here: &str,
        what: &str,
    ) -> Result<Session, Box<Response>> {
        let Some(session) = self.session(headers) else {
            return Err(Box::new(sign_in_first(here)));
        };
        if !session.admin {
            return Err(Box::new(page::message(
                StatusCode::FORBIDDEN,
                &Message::new("Admins only", &format!("{what} is for this host's admins."))
                    .with_link("/console", "Back to the console")
                    .for_session(&session),
            )));
        }
        Ok(session)
    }

    /// The session of a form's sender, if the form is theirs to send: signed in, carrying their
    /// session's CSRF token, from this console's origin; else the refusal to answer with.
    fn form_sender(&self, headers: &HeaderMap, csrf: &str) -> Result<Session, Box<Response>> {
        let Some(session) = Session::of(headers, &self.cipher) else {
            return Err(Box::new(page::forged(None)));
        };
        if !form_is_ours(&session, csrf, headers, &self.origin) {
            tracing::warn!(user_id = %session.user, "a console form without its CSRF token was refused");
            return Err(Box::new(page::forged(Some(&session))));
        }
        Ok(session)
    }

    /// The page of a store that failed.
    fn unavailable(&self, session: &Session) -> Response {
        page::message(
            StatusCode::SERVICE_UNAVAILABLE,
            &Message::new(
                "Try again in a moment",
                "The console cannot reach its store right now.",
            )
            .for_session(session),
        )
    }
}

#[derive(Template)]
#[template(path = "console/home.html")]
struct Home {
    nav: Option<Nav>,
    name: String,
    admin: bool,
}

/// `GET /console`.
async fn home(State(console): State<Arc<Console>>, headers: HeaderMap) -> Response {
    let Some(session) = console.session(&headers) else {
        return sign_in_first("/console");
    };
    page::render(
        StatusCode::OK,
        &Home {
            nav: Nav::of(&session),
            name: session.name.clone(),
            admin: session.admin,
        },
    )
}

#[derive(Deserialize)]
struct SignOut {
    #[serde(default)]
    csrf: String,
}

/// `POST /console/sign-out`.
async fn sign_out(
    State(console): State<Arc<Console>>,
    headers: HeaderMap,
    Form(form): Form<SignOut>,
) -> Response {
    if let Err(refused) = console.form_sender(&headers, &form.csrf) {
        return *refused;
    }
    let mut response = page::message(
        StatusCode::OK,
        &Message::new("Signed out", "You are signed out of the console.")
            .with_link("/console/sign-in", "Sign in again"),
    );
    if let Some(cleared) = Session::cleared(console.secure) {
        response.headers_mut().insert(header::SET_COOKIE, cleared);
    }
    response
}

/// To the sign-in, then back to `here`.
fn sign_in_first(here: &str) -> Response {
    let next: String =
        percent_encoding::utf8_percent_encode(here, percent_encoding::NON_ALPHANUMERIC).collect();
    page::see_other(&format!("/console/sign-in?next={next}"))
}

#[cfg(test)]
mod tests;
