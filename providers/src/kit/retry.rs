//! When a failed request is worth another attempt, and how long to wait first.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

use super::Failure;

/// How a retryable tool retries: attempts in all, the first backoff (doubled each time), and the
/// longest `Retry-After` worth waiting for within one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetrySettings {
    /// Attempts in all, the first included.
    pub attempts: u32,
    /// The wait before the second attempt when the platform names none.
    pub first_backoff: Duration,
    /// A longer `Retry-After` fails the call at once, saying when to try again.
    pub longest_wait: Duration,
}

impl Default for RetrySettings {
    fn default() -> Self {
        RetrySettings {
            attempts: 3,
            first_backoff: Duration::from_millis(500),
            longest_wait: Duration::from_secs(30),
        }
    }
}

impl RetrySettings {
    /// The wait before attempt `attempt + 1`, or `None` when `failure` (`throttled`, as its
    /// platform says) is not worth retrying.
    pub(super) fn wait_before_retry(
        &self,
        failure: &Failure,
        throttled: bool,
        attempt: u32,
    ) -> Option<Duration> {
        match failure {
            Failure::Transport(error) if error.is_connect() || error.is_timeout() => {
                Some(self.backoff(attempt))
            }
            Failure::Status {
                status, headers, ..
            } if throttled || status.is_server_error() => match retry_after(headers) {
                Some(wait) if wait > self.longest_wait => None,
                Some(wait) => Some(wait),
                None => Some(self.backoff(attempt)),
            },
            _ => None,
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.first_backoff
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
    }
}

/// `Retry-After` as seconds or as an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;
    use reqwest::header::HeaderValue;

    fn headers(name: &'static str, value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(
            retry_after(&headers("retry-after", "7")),
            Some(Duration::from_secs(7))
        );
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        let wait = retry_after(&headers("retry-after", &later)).unwrap();
        assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120));
        let past = httpdate::fmt_http_date(SystemTime::UNIX_EPOCH);
        assert_eq!(
            retry_after(&headers("retry-after", &past)),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("retry-after", "soon")), None);
    }

    #[test]
    fn backoff_doubles_and_long_waits_are_not_waited_for() {
        let settings = RetrySettings::default();
        assert_eq!(settings.backoff(1), Duration::from_millis(500));
        assert_eq!(settings.backoff(3), Duration::from_millis(2000));
        let throttled = |after: &str| Failure::Status {
            status: StatusCode::TOO_MANY_REQUESTS,
            headers: headers("retry-after", after),
            body: Vec::new(),
        };
        assert_eq!(
            settings.wait_before_retry(&throttled("2"), true, 1),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            settings.wait_before_retry(&throttled("3600"), true, 1),
            None
        );
        let not_found = Failure::Status {
            status: StatusCode::NOT_FOUND,
            headers: HeaderMap::new(),
            body: Vec::new(),
        };
        assert_eq!(settings.wait_before_retry(&not_found, false, 1), None);
    }
}
