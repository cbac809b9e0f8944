//! Where the next page is, as the platform says it: an RFC 8288 `Link` header (`rel="next"`).
//! Cursors and tokens in response bodies are read by the response's own type.

use reqwest::header::{HeaderMap, LINK};

/// A response, and the URL of its next page when the platform named one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paged<T> {
    /// The response.
    pub value: T,
    /// The next page's URL, from the `Link` header.
    pub next: Option<String>,
}

impl<T> Paged<T> {
    /// The value of `parameter` in the next page's URL (e.g. `page`).
    pub fn next_parameter(&self, parameter: &str) -> Option<String> {
        let url = reqwest::Url::parse(self.next.as_deref()?).ok()?;
        url.query_pairs()
            .find(|(key, _)| key == parameter)
            .map(|(_, value)| value.into_owned())
    }
}

/// The `rel="next"` target of the `Link` headers in `headers`.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .find_map(|link| {
            let (target, params) = link.split_once(';')?;
            let is_next = params.split(';').any(|param| {
                let param = param.trim();
                param
                    .strip_prefix("rel=")
                    .is_some_and(|rel| rel.trim_matches('"').split(' ').any(|rel| rel == "next"))
            });
            is_next.then(|| {
                target
                    .trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_owned()
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn the_next_link_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            LINK,
            HeaderValue::from_static(
                r#"<https://api.example.com/items?page=1>; rel="prev", <https://api.example.com/items?page=3&per_page=30>; rel="next", <https://api.example.com/items?page=9>; rel="last""#,
            ),
        );
        let next = next_link(&headers);
        assert_eq!(
            next.as_deref(),
            Some("https://api.example.com/items?page=3&per_page=30")
        );
        let paged = Paged { value: (), next };
        assert_eq!(paged.next_parameter("page").as_deref(), Some("3"));
        assert_eq!(next_link(&HeaderMap::new()), None);
        let mut last = HeaderMap::new();
        last.insert(
            LINK,
            HeaderValue::from_static(r#"<https://api.example.com/items?page=1>; rel="first""#),
        );
        assert_eq!(next_link(&last), None);
    }
}
