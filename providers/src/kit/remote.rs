//! What every server that reaches a platform through an [`Api`] offers its host, once for all.

use std::sync::Arc;

use super::{Api, Platform, RetrySettings};
use crate::connect::ConnectionStore;

/// A server holding an [`Api`]: its host can give it users' connections and retry settings.
pub trait Remote: Sized {
    /// The platform the server reaches.
    type Platform: Platform;

    /// The server's API client.
    fn api_mut(&mut self) -> &mut Api<Self::Platform>;

    /// Takes each user's token from `connections` (after the call's own token, before the
    /// configured one), renewing OAuth tokens there when the platform answers 401.
    fn with_connections(mut self, connections: Arc<dyn ConnectionStore>) -> Self {
        self.api_mut().connections = Some(connections);
        self
    }

    /// Replaces the retry settings of its requests (tests shorten the backoff).
    fn with_retry(mut self, retry: RetrySettings) -> Self {
        self.api_mut().retry = retry;
        self
    }
}
