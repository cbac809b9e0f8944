//! Subscriptions to resources, for a server that announces their changes (`ResourceChanges`):
//! per session on 2025-11-25 (`resources/subscribe`, `resources/unsubscribe`), per
//! `subscriptions/listen` stream on 2026-07-28. Each subscriber of a URI the server says changed
//! is sent `notifications/resources/updated`, and reads it again.
//!
//! Bounds: 64 URIs per session or stream. A subscriber that falls more than the announcer's
//! backlog behind is told that every resource it subscribes to changed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};

use rmcp::model::{ResourceUpdatedNotificationParam, SubscriptionFilter};
use rmcp::service::SubscriptionContext;
use rmcp::{ErrorData, Peer, RoleServer};
use tokio::sync::broadcast::error::RecvError;
use tokio_util::sync::{CancellationToken, DropGuard};

use crate::changes::Watch;
use crate::{ResourceChanges, ServerMetadata, match_template};

/// The most URIs one session (or one `subscriptions/listen` stream) subscribes to.
pub(super) const SUBSCRIPTIONS_PER_SESSION: usize = 64;

/// Whether `metadata` offers the resource at `uri`: one of its resources, or a URI one of its
/// templates matches.
pub(super) fn offers(metadata: &ServerMetadata, uri: &str) -> bool {
    metadata
        .resources
        .iter()
        .any(|resource| resource.uri == uri)
        || metadata
            .resource_templates
            .iter()
            .any(|template| match_template(template.uri_template, uri).is_some())
}

fn unknown(uri: &str) -> ErrorData {
    ErrorData::invalid_params(
        "Resource not found",
        Some(serde_json::json!({ "uri": uri })),
    )
}

fn too_many() -> ErrorData {
    ErrorData::invalid_request(
        format!(
            "a session subscribes to at most {SUBSCRIPTIONS_PER_SESSION} resources; \
             unsubscribe from one first"
        ),
        None,
    )
}

/// The subscriptions of one 2025-11-25 session.
#[derive(Default)]
pub(super) struct SessionSubscriptions {
    watches: Mutex<HashMap<String, Watch>>,
    /// Stops the session's forwarder when the session ends.
    forwarding: OnceLock<DropGuard>,
}

impl SessionSubscriptions {
    /// Subscribes the session talking through `peer` to `uri`, which `metadata` must offer.
    pub(super) fn subscribe(
        self: &Arc<Self>,
        changes: &ResourceChanges,
        metadata: &ServerMetadata,
        uri: &str,
        peer: &Peer<RoleServer>,
    ) -> Result<(), ErrorData> {
        if !offers(metadata, uri) {
            return Err(unknown(uri));
        }
        {
            let mut watches = crate::host::lock(&self.watches);
            if !watches.contains_key(uri) {
                if watches.len() >= SUBSCRIPTIONS_PER_SESSION {
                    return Err(too_many());
                }
                watches.insert(uri.to_owned(), changes.watch(uri));
            }
        }
        self.forwarding.get_or_init(|| {
            let stop = CancellationToken::new();
            tokio::spawn(forward(
                Arc::downgrade(self),
                peer.clone(),
                changes.clone(),
                stop.clone(),
            ));
            stop.drop_guard()
        });
        Ok(())
    }

    /// Ends the session's subscription to `uri`, if it has one.
    pub(super) fn unsubscribe(&self, uri: &str) {
        crate::host::lock(&self.watches).remove(uri);
    }

    /// The URIs of `announced` the session subscribes to.
    fn subscribed(&self, announced: Result<Arc<str>, RecvError>) -> Vec<String> {
        let watches = crate::host::lock(&self.watches);
        match announced {
            Ok(uri) if watches.contains_key(&*uri) => vec![uri.to_string()],
            Ok(_) | Err(RecvError::Closed) => Vec::new(),
            // Changes were missed: any of its resources may have changed.
            Err(RecvError::Lagged(_)) => watches.keys().cloned().collect(),
        }
    }
}

/// Sends the session's updates until it ends (or its client stops reading).
async fn forward(
    session: Weak<SessionSubscriptions>,
    peer: Peer<RoleServer>,
    changes: ResourceChanges,
    stop: CancellationToken,
) {
    let mut announced = changes.listen();
    loop {
        let received = tokio::select! {
            () = stop.cancelled() => return,
            received = announced.recv() => received,
        };
        let Some(session) = session.upgrade() else {
            return;
        };
        for uri in session.subscribed(received) {
            let updated = ResourceUpdatedNotificationParam::new(uri);
            if peer.notify_resource_updated(updated).await.is_err() {
                return;
            }
        }
    }
}

/// What a `subscriptions/listen` request gets: the resources it names that the server offers
/// (64 at most); nothing else changes while served.
pub(super) fn accepted(
    metadata: &ServerMetadata,
    requested: &SubscriptionFilter,
) -> SubscriptionFilter {
    let mut accepted = SubscriptionFilter::new();
    accepted.resource_subscriptions = requested.resource_subscriptions.as_ref().map(|uris| {
        uris.iter()
            .filter(|uri| offers(metadata, uri))
            .take(SUBSCRIPTIONS_PER_SESSION)
            .cloned()
            .collect()
    });
    accepted
}

/// Serves one `subscriptions/listen` stream until its client closes it.
pub(super) async fn listen(
    changes: &ResourceChanges,
    subscription: SubscriptionContext,
) -> Result<(), ErrorData> {
    let uris = subscription
        .accepted()
        .resource_subscriptions
        .clone()
        .unwrap_or_default();
    let _watches: Vec<Watch> = uris.iter().map(|uri| changes.watch(uri)).collect();
    let mut announced = changes.listen();
    loop {
        let received = tokio::select! {
            () = subscription.cancelled() => return Ok(()),
            received = announced.recv() => received,
        };
        let updated = match received {
            Ok(uri) if uris.iter().any(|subscribed| **subscribed == *uri) => vec![uri.to_string()],
            Ok(_) => continue,
            Err(RecvError::Lagged(_)) => uris.clone(),
            Err(RecvError::Closed) => return Ok(()),
        };
        for uri in updated {
            if subscription
                .sink()
                .notify_resource_updated(uri)
                .await
                .is_err()
            {
                return Ok(());
            }
        }
    }
}
