//! `serve --rate-limit N`: at most N calls a minute per user, as a layer around every call.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use mcp_runtime::host::approval::LOCAL_USER;
use mcp_runtime::host::{Call, CallFuture, Layer, Next, error_result};
use mcp_runtime::{ErrorKind, McpError};

/// Past this many users tracked, those whose budget is full again are forgotten.
const TRACKED_USERS: usize = 10_000;

/// Refuses a user's calls beyond `per_minute` a minute (with bursts up to that many), with an
/// error result saying when to try again; other users are not affected.
pub(crate) struct RateLimit {
    per_minute: NonZeroU32,
    limiter: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl RateLimit {
    pub(crate) fn per_minute(calls: NonZeroU32) -> Self {
        RateLimit {
            per_minute: calls,
            limiter: DefaultKeyedRateLimiter::keyed(Quota::per_minute(calls)),
            clock: DefaultClock::default(),
        }
    }

    /// How long `user` must wait before a call is accepted, or `None` to run it now.
    fn wait(&self, user: &str) -> Option<Duration> {
        let refused = self.limiter.check_key(&user.to_owned()).err()?;
        if self.limiter.len() > TRACKED_USERS {
            self.limiter.retain_recent();
        }
        Some(refused.wait_time_from(self.clock.now()))
    }
}

impl Layer for RateLimit {
    fn call<'a>(&'a self, call: Call, next: Next<'a>) -> CallFuture<'a> {
        let user = call.ctx.ids().user_id.as_deref().unwrap_or(LOCAL_USER);
        let Some(wait) = self.wait(user) else {
            return next.run(call);
        };
        // Whole seconds, rounded up: "try again in 0 s" would invite an immediate retry.
        let seconds = wait.as_millis().div_ceil(1000).max(1);
        let error = McpError::of_kind(
            ErrorKind::RateLimited {
                retry_after: Some(wait),
            },
            format!(
                "rate limit: at most {} calls a minute per user, and `{user}` has made them; \
                 try `{}` again in {seconds} s",
                self.per_minute, call.tool.name
            ),
        )
        .untracked();
        Box::pin(std::future::ready(Ok(error_result(&error))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mcp_runtime::host::{CallOptions, ERROR_META_KEY};
    use mcp_runtime::{McpServer, RunIds, ToolContext};
    use providers::conformance::Conformance;
    use serde_json::json;

    fn as_user(user: &str) -> ToolContext {
        ToolContext::new().with_ids(RunIds {
            user_id: Some(user.to_owned()),
            ..RunIds::default()
        })
    }

    #[tokio::test]
    async fn each_user_gets_their_own_budget_and_a_clear_refusal() {
        let options =
            CallOptions::new().with_layer(RateLimit::per_minute(NonZeroU32::new(2).unwrap()));
        let server = Conformance::default();
        let call = |user: &str| {
            server.call_tool_with("test_simple_text", json!({}), as_user(user), &options)
        };
        assert!(!call("ana").await.unwrap().is_error);
        assert!(!call("ana").await.unwrap().is_error);
        let refused = call("ana").await.unwrap();
        assert!(refused.is_error);
        let text = refused.text();
        assert!(
            text.starts_with(
                "rate limit: at most 2 calls a minute per user, and `ana` has made them; \
                 try `test_simple_text` again in "
            ),
            "{text}"
        );
        let meta = &refused.meta.as_ref().unwrap()[ERROR_META_KEY];
        assert_eq!(meta["kind"], "rate_limited");
        assert!(meta["retry_after_ms"].as_u64().unwrap() > 0);
        // Another user is not held back by ana's calls.
        assert!(!call("bo").await.unwrap().is_error);
    }
}
