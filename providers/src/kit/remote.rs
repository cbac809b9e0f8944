//! What every server that reaches a platform through an [`Api`] offers its host, once for all.

use std::sync::Arc;

use super::{Api, Platform, RetrySettings};
use crate::connect::{ConnectionStore, OAuthApp};

/// A server holding an [`Api`]: its host can give it users' connections and retry settings.
pub trait Remote: Sized {
    /// The platform the server reaches.
    type Platform: Platform;

    /// The server's API client.
    fn api_mut(&mut self) -> &mut Api<Self::Platform>;

    /// Takes each user's token from `connections` (after the call's own token, before the
    /// configured one); those `app` issued are renewed there when about to expire or when the
    /// platform answers 401.
    fn with_connections(
        mut self,
        connections: Arc<dyn ConnectionStore>,
        app: Option<Arc<OAuthApp>>,
    ) -> Self {
        let api = self.api_mut();
        api.connections = Some(connections);
        api.oauth_app = app;
        self
    }

    /// Replaces the retry settings of its requests (tests shorten the backoff).
    fn with_retry(mut self, retry: RetrySettings) -> Self {
        self.api_mut().retry = retry;
        self
    }
}
