//! What the host's browser flows (the connect flow, the console) share: cookies read from a
//! request, unguessable values, the time in seconds.

use axum::http::{HeaderMap, header};

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
