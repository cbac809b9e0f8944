//! What the host's browser flows (the connect flow, the console) share: cookies read and set,
//! redirects, unguessable values, the time in seconds.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The value of the cookie `name` the request carries.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The `Set-Cookie` value setting `name` to `value` under `path` for `max_age` seconds (`0`
/// ends it): HTTP-only, same-site (lax: a flow's way back from a platform or an issuer is a
/// top-level navigation from another site, which must carry the cookie) and, when `secure`,
/// for HTTPS only.
pub fn set_cookie(
    name: &str,
    value: &str,
    path: &str,
    max_age: u64,
    secure: bool,
) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .ok()
}

/// To `location` (after a form, on to a platform or an issuer, or once signed in).
pub fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// 128 random bits in hex: a nonce, a CSRF token.
pub fn random_hex() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the system's random source");
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn each_random_value_is_its_own() {
        let (one, two) = (random_hex(), random_hex());
        assert_ne!(one, two);
        assert_eq!(one.len(), 32);
    }

    #[test]
    fn a_cookie_is_found_by_its_exact_name_among_all_of_them() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, HeaderValue::from_static("a=1; mcp_x=2"));
        headers.append(header::COOKIE, HeaderValue::from_static("mcp=3"));
        assert_eq!(cookie(&headers, "mcp"), Some("3"));
        assert_eq!(cookie(&headers, "mcp_x"), Some("2"));
        assert_eq!(cookie(&headers, "b"), None);
    }
}
