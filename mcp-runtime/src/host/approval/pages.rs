//! Held calls answered on a page of the host's (a web console) rather than by the client: a
//! client that cannot ask its user gets a link to the call's page; the user decides there, and
//! the client's retry of the same call (same user, scope, agent and arguments) runs or is
//! refused by that decision. The page may be served by any replica, and the retry reach any
//! other: the decision lives in the host's store, and is taken by one retry only.

use serde_json::Value;

use super::{ApprovalGate, ApprovalScope, Decision, HeldCall, StoreError, arguments_digest};
use crate::BoxFuture;

/// What the page of a held call says so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageAnswer {
    /// The held call's id (its page's).
    pub id: String,
    /// The user's decision; `None` while they have not decided.
    pub decision: Option<Decision>,
}

/// Where a host publishes held calls for their users to decide on.
pub trait ApprovalPages: Send + Sync + std::fmt::Debug {
    /// Keeps `call` and its `arguments` (shown on its page) until it is decided and taken, or
    /// expires; publishing a call kept already keeps it as it is. The URL of its page.
    fn publish<'a>(
        &'a self,
        call: &'a HeldCall,
        arguments: &'a Value,
    ) -> BoxFuture<'a, Result<String, StoreError>>;

    /// The page answer for a call of the scope `scope_key`, by `agent_id`, with the arguments
    /// whose digest is `arguments`: a decided one is taken (the first taker gets it; a later
    /// one, `None`), an undecided one only reported. `None` when no page holds such a call.
    fn take_answer<'a>(
        &'a self,
        scope_key: &'a str,
        agent_id: Option<&'a str>,
        arguments: &'a [u8; 32],
    ) -> BoxFuture<'a, Result<Option<PageAnswer>, StoreError>>;

    /// Takes down the page of the held call `id` (it ran without it): a decision given there
    /// later would approve another call.
    fn withdraw<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<(), StoreError>>;
}

impl ApprovalGate {
    /// Puts the held call `id` (made with `arguments`) on its page and forgets it here: its
    /// user decides there, and the retry of the call finds the decision wherever it lands. The
    /// page's URL; `None` without pages, when the call is not held, when `arguments` are not
    /// the ones it was held with (the page would show one call and approve another), or when
    /// it cannot be published.
    pub async fn publish(&self, id: &str, arguments: &Value) -> Option<String> {
        let pages = self.pages.as_ref()?;
        let call = self.shared_call(id)?;
        if call.arguments != arguments_digest(arguments) {
            tracing::error!(
                approval_id = id,
                "a held call was to be published with other arguments than it was held with"
            );
            return None;
        }
        match pages.publish(&call, arguments).await {
            Ok(url) => {
                self.forget(id);
                Some(url)
            }
            Err(error) => {
                tracing::error!(%error, approval_id = id, "a held call could not be put on its page");
                None
            }
        }
    }

    /// What the page of a call of `scope` by `agent_id` with these arguments says, a decision
    /// taken.
    pub(super) async fn page_answer(
        &self,
        scope: &ApprovalScope,
        agent_id: Option<&str>,
        digest: &[u8; 32],
    ) -> Option<PageAnswer> {
        let pages = self.pages.as_ref()?;
        // A store that cannot answer decides nothing: the call is held and put to its user.
        pages
            .take_answer(&scope.key(), agent_id, digest)
            .await
            .unwrap_or_else(|error| {
                tracing::error!(%error, "the approval pages could not be read");
                None
            })
    }

    /// Takes down the page of the held call `id`, if there are pages.
    pub(super) async fn withdraw_page(&self, id: &str) {
        if let Some(pages) = &self.pages
            && let Err(error) = pages.withdraw(id).await
        {
            tracing::error!(%error, approval_id = id, "a held call's page could not be taken down");
        }
    }
}
