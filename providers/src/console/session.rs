//! Who is signed in to the console: a session sealed into an HTTP-only cookie (any replica can
//! open it: the replicas share the token keys), carrying the person's user id, whether they are
//! an admin, and the token their forms must echo (CSRF).

use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue, header};
use secrecy::{ExposeSecret as _, SecretString};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq as _;

use crate::store::TokenCipher;
use crate::web::{cookie, set_cookie};

/// How long a session lasts.
pub const SESSION_TTL: Duration = Duration::from_secs(8 * 3600);

/// The session cookie's name.
const COOKIE: &str = "mcp_console";

/// What a sealed session says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    /// The user their agents' calls run for.
    pub user: String,
    /// What the page calls them.
    pub name: String,
    /// Whether they may read the audit log.
    pub admin: bool,
    /// What each of their forms carries back.
    pub csrf: String,
    /// Seconds since the Unix epoch.
    pub expires_at: u64,
}

impl Session {
    /// A new session for `user`, with a fresh CSRF token.
    pub fn new(user: String, name: String, admin: bool) -> Self {
        Session {
            user,
            name,
            admin,
            csrf: super::random_hex(),
            expires_at: super::now() + SESSION_TTL.as_secs(),
        }
    }

    /// The session the request's cookie holds, if it opens and has not expired.
    pub fn of(headers: &HeaderMap, cipher: &TokenCipher) -> Option<Self> {
        let sealed = cookie(headers, COOKIE)?;
        let opened = cipher.open(sealed, "console-session").ok()?;
        let session: Session = serde_json::from_str(opened.expose_secret()).ok()?;
        (session.expires_at > super::now()).then_some(session)
    }

    /// Whether `token` is this session's CSRF token (compared in constant time).
    pub fn csrf_matches(&self, token: &str) -> bool {
        bool::from(self.csrf.as_bytes().ct_eq(token.as_bytes()))
    }

    /// The `Set-Cookie` value carrying this session.
    pub fn cookie(&self, cipher: &TokenCipher, secure: bool) -> Option<HeaderValue> {
        let json = serde_json::to_string(self).ok()?;
        let sealed = cipher.seal(&SecretString::from(json), "console-session");
        set_cookie(COOKIE, &sealed, "/console", SESSION_TTL.as_secs(), secure)
    }

    /// The `Set-Cookie` value ending a session.
    pub fn cleared(secure: bool) -> Option<HeaderValue> {
        set_cookie(COOKIE, "", "/console", 0, secure)
    }
}

/// Whether a form POST may be taken: its CSRF token is the session's, and if the browser says
/// where the form came from, it came from this console's `origin`.
pub fn form_is_ours(session: &Session, token: &str, headers: &HeaderMap, origin: &str) -> bool {
    let from_elsewhere = headers
        .get(header::ORIGIN)
        .is_some_and(|from| from.as_bytes() != origin.as_bytes());
    session.csrf_matches(token) && !from_elsewhere
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;

    use super::*;

    fn cipher() -> TokenCipher {
        let key = base64::engine::general_purpose::STANDARD.encode([3u8; 32]);
        TokenCipher::new(&[SecretString::from(key)]).unwrap()
    }

    fn with_cookie(value: &HeaderValue) -> HeaderMap {
        let pair = value
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(&pair).unwrap());
        headers
    }

    #[test]
    fn a_session_opens_from_its_cookie_and_not_once_altered_or_expired() {
        let cipher = cipher();
        let session = Session::new("ana".into(), "Ana".into(), false);
        let cookie = session.cookie(&cipher, true).unwrap();
        let text = cookie.to_str().unwrap();
        assert!(
            text.ends_with("; Path=/console; Max-Age=28800; HttpOnly; SameSite=Lax; Secure"),
            "{text}"
        );
        let opened = Session::of(&with_cookie(&cookie), &cipher).unwrap();
        assert_eq!((opened.user.as_str(), opened.csrf), ("ana", session.csrf));

        let altered = text.replacen("mcp_console=v1.", "mcp_console=v1.A", 1);
        let altered = HeaderValue::from_str(&altered).unwrap();
        assert!(Session::of(&with_cookie(&altered), &cipher).is_none());

        // Expired the moment its time is up.
        let at_its_end = Session {
            expires_at: crate::web::now(),
            ..Session::new("ana".into(), "Ana".into(), false)
        };
        let cookie = at_its_end.cookie(&cipher, false).unwrap();
        assert!(Session::of(&with_cookie(&cookie), &cipher).is_none());
        let expired = Session {
            expires_at: super::super::now() - 1,
            ..Session::new("ana".into(), "Ana".into(), false)
        };
        let cookie = expired.cookie(&cipher, false).unwrap();
        assert!(!cookie.to_str().unwrap().contains("Secure"));
        assert!(Session::of(&with_cookie(&cookie), &cipher).is_none());
    }

    #[test]
    fn a_form_needs_the_sessions_token_and_no_other_origin() {
        let session = Session::new("ana".into(), "Ana".into(), false);
        let origin = "https://mcp.example.com";
        let mut headers = HeaderMap::new();
        assert!(form_is_ours(&session, &session.csrf, &headers, origin));
        assert!(!form_is_ours(&session, "guess", &headers, origin));
        assert!(!form_is_ours(&session, "", &headers, origin));
        headers.insert(header::ORIGIN, HeaderValue::from_static(origin));
        assert!(form_is_ours(&session, &session.csrf, &headers, origin));
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!form_is_ours(&session, &session.csrf, &headers, origin));
    }
}
