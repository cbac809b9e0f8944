//! How the console answers: pages rendered from templates checked at compile time (askama,
//! which escapes every value), with headers that keep them to themselves: a content security
//! policy allowing nothing but the console's own stylesheet and forms, no framing, no caching,
//! and a referrer for the console's own pages only (a held call's URL names it; `no-referrer`
//! would also make browsers send `Origin: null` with the console's own forms).

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::session::Session;
pub use crate::web::see_other;

/// The policy every page is served with: no script at all, styles and forms of the console's
/// own.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// What the header says of the person signed in.
#[derive(Debug, Clone)]
pub struct Nav {
    pub name: String,
    pub admin: bool,
    /// The sign-out form's CSRF token.
    pub csrf: String,
}

impl Nav {
    pub fn of(session: &Session) -> Option<Self> {
        Some(Nav {
            name: session.name.clone(),
            admin: session.admin,
            csrf: session.csrf.clone(),
        })
    }
}

/// A page saying one thing.
#[derive(Template)]
#[template(path = "console/message.html")]
pub struct Message {
    pub nav: Option<Nav>,
    pub title: String,
    pub text: String,
    pub link: Option<(String, String)>,
}

impl Message {
    pub fn new(title: &str, text: &str) -> Self {
        Message {
            nav: None,
            title: title.to_owned(),
            text: text.to_owned(),
            link: None,
        }
    }

    /// With a link on, to `href`.
    pub fn with_link(mut self, href: &str, label: &str) -> Self {
        self.link = Some((href.to_owned(), label.to_owned()));
        self
    }

    /// With the header of `session`'s person.
    pub fn for_session(mut self, session: &Session) -> Self {
        self.nav = Nav::of(session);
        self
    }
}

/// `page` rendered, answered with `status`.
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => html(status, body),
        Err(error) => {
            tracing::error!(%error, "a console page could not be rendered");
            html(
                StatusCode::INTERNAL_SERVER_ERROR,
                "<!doctype html><title>Error</title><p>This page could not be shown.</p>"
                    .to_owned(),
            )
        }
    }
}

/// A page saying `message`.
pub fn message(status: StatusCode, message: &Message) -> Response {
    render(status, message)
}

/// The page of what does not exist, or is not the person's to see: the two look alike.
pub fn not_found(session: &Session) -> Response {
    message(
        StatusCode::NOT_FOUND,
        &Message::new(
            "Nothing waits here",
            "No call waits for your approval at this address: it was decided, it expired (calls \
             wait ten minutes), or it is not yours.",
        )
        .with_link("/console", "Back to the console")
        .for_session(session),
    )
}

/// The refusal of a form that did not come from this console's page, or outlived its session.
pub fn forged(session: Option<&Session>) -> Response {
    let mut refused = Message::new(
        "This form cannot be taken",
        "It did not come from this console, or your session has changed since it was shown. \
         Go back, reload the page and try again.",
    )
    .with_link("/console", "Back to the console");
    if let Some(session) = session {
        refused = refused.for_session(session);
    }
    message(StatusCode::FORBIDDEN, &refused)
}

/// The console's stylesheet.
pub async fn stylesheet() -> Response {
    let mut response = include_str!("../../templates/console/style.css").into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn html(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn what_a_page_says_is_escaped_and_kept_to_itself() {
        let page = Message::new("<b>title</b>", r#"<script>alert("x")</script> & 'y'"#)
            .with_link("/console?a=1&b=\"2\"", "<i>on</i>");
        let response = message(StatusCode::OK, &page);
        let headers = response.headers().clone();
        assert_eq!(
            headers[header::CONTENT_SECURITY_POLICY],
            CONTENT_SECURITY_POLICY
        );
        assert_eq!(headers[header::REFERRER_POLICY], "same-origin");
        assert_eq!(headers[header::CACHE_CONTROL], "no-store");
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = String::from_utf8(body.to_vec()).unwrap();
        assert!(!body.contains("<script>") && !body.contains("<b>") && !body.contains("<i>"));
        assert!(
            body.contains("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#39;y&#39;"),
            "{body}"
        );
        assert!(
            body.contains(r#"href="/console?a=1&#38;b=&#34;2&#34;""#),
            "{body}"
        );
    }
}
