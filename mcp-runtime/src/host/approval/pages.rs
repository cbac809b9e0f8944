//! Held calls answered on a page of the host's (a web console) rather than by the client: a
//! client that cannot ask its user gets a link to the call's page; the user decides there, and
//! the client's retry of the same call (same user, scope and arguments) runs or is refused by
//! that decision. The page may be served by any replica, and the retry reach any other: the
//! decision lives in the host's store, and is taken by one retry only.

use serde_json::Value;

use super::{Decision, HeldCall, StoreError};
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

    /// The page answer for a call of the scope `scope_key` with the arguments whose digest is
    /// `arguments`: a decided one is taken (the first taker gets it; a later one, `None`), an
    /// undecided one only reported. `None` when no page holds such a call.
    fn take_answer<'a>(
        &'a self,
        scope_key: &'a str,
        arguments: &'a [u8; 32],
    ) -> BoxFuture<'a, Result<Option<PageAnswer>, StoreError>>;
}
