//! The gate itself: the effective stake of a call, remembered approvals, held calls and their
//! resolution by the user who made them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use serde_json::Value;
use tokio::sync::watch;
// Tokio's clock, so that tests can move it past `HELD_TTL`.
use tokio::time::Instant;

use super::{
    ApprovalPages, ApprovalRequest, ApprovalScope, ApprovalStore, AuditEvent, AuditOutcome,
    AuditSink, Decision, HeldCall, HeldStore, LOCAL_USER, PageAnswer, StoreError, TracingAudit,
    label,
};
use crate::{RunIds, ServerMetadata, Stake, ToolMetadata};

/// How long a held call waits for its answer before it is forgotten: about as long as a client
/// waits for a tool call.
pub const HELD_TTL: Duration = Duration::from_secs(600);

/// The most calls one user can have held at once; past it, their oldest is forgotten.
pub const HELD_PER_USER: usize = 64;

/// The most calls held at once in all; past it, the oldest is forgotten.
pub const HELD_IN_ALL: usize = 4096;

/// A last word on the stake of a tool: called with the stake the gate would use.
pub type StakeCallback = Arc<dyn Fn(&ServerMetadata, &ToolMetadata, Stake) -> Stake + Send + Sync>;

/// Why an answer was not taken.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum ApprovalError {
    /// No call is held under that id (never, already ran, rejected, or expired).
    #[error("no call is waiting for approval `{id}`")]
    UnknownApproval {
        /// The id given.
        id: String,
    },
    /// Only the user who made the call may answer for it.
    #[error("only the user who made the call may approve it")]
    NotTheCallsUser,
    /// The call was answered already.
    #[error("approval `{id}` was answered already")]
    AlreadyResolved {
        /// The id given.
        id: String,
    },
    /// The store could not remember the approval.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a call may not run now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAdmitted {
    /// It is held until its user approves it.
    Held(Box<ApprovalRequest>),
    /// Its user rejected it on its page; this retry took the rejection.
    Rejected(Box<ApprovalRequest>),
}

/// A call held for approval.
struct Pending {
    request: ApprovalRequest,
    scope: ApprovalScope,
    /// A digest of the exact arguments approved: the approval covers this call, not another
    /// (the call is sent again with its arguments, so they need not be kept).
    arguments: [u8; 32],
    decision: watch::Sender<Option<Decision>>,
    held_since: Instant,
    /// Whether its id was handed to the client, whose retry may carry the answer.
    handed_to_client: bool,
    /// The agent that made it.
    agent_id: Option<String>,
}

/// Enforces stakes before handlers run. Share one per host (it is `Send + Sync`); give it to
/// calls with [`CallOptions::with_gate`](crate::host::CallOptions::with_gate).
pub struct ApprovalGate {
    store: Arc<dyn ApprovalStore>,
    overrides: HashMap<(String, String), Stake>,
    callback: Option<StakeCallback>,
    audit: Arc<dyn AuditSink>,
    pending: Mutex<HashMap<String, Pending>>,
    /// Held calls shared with the host's other replicas.
    shared: Option<Arc<dyn HeldStore>>,
    /// Where held calls are put to users whose clients cannot ask them.
    pub(super) pages: Option<Arc<dyn ApprovalPages>>,
}

impl std::fmt::Debug for ApprovalGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApprovalGate")
            .field("overrides", &self.overrides)
            .field("callback", &self.callback.is_some())
            .field("pages", &self.pages)
            .finish_non_exhaustive()
    }
}

impl ApprovalGate {
    /// A gate remembering approvals in `store`, auditing through `tracing`.
    pub fn new(store: impl ApprovalStore + 'static) -> Self {
        ApprovalGate {
            store: Arc::new(store),
            overrides: HashMap::new(),
            callback: None,
            audit: Arc::new(TracingAudit),
            pending: Mutex::default(),
            shared: None,
            pages: None,
        }
    }

    /// Puts the calls of clients that cannot ask their users on `pages`, where the users decide;
    /// the retry of such a call then runs or is refused by what its user decided there.
    pub fn with_pages(mut self, pages: Arc<dyn ApprovalPages>) -> Self {
        self.pages = Some(pages);
        self
    }

    /// Shares the calls handed to clients with the host's other replicas through `held`, so
    /// that a client's answer is taken whichever replica it reaches, once.
    pub fn with_held_store(mut self, held: Arc<dyn HeldStore>) -> Self {
        self.shared = Some(held);
        self
    }

    /// A workspace override: `tool` of `server` has `stake`, whatever it declares.
    pub fn with_override(mut self, server: &str, tool: &str, stake: Stake) -> Self {
        self.overrides
            .insert((server.to_owned(), tool.to_owned()), stake);
        self
    }

    /// A runtime callback with the last word on every stake.
    pub fn with_stake_callback(mut self, callback: StakeCallback) -> Self {
        self.callback = Some(callback);
        self
    }

    /// Sends audit events to `audit` instead of `tracing`.
    pub fn with_audit(mut self, audit: Arc<dyn AuditSink>) -> Self {
        self.audit = audit;
        self
    }

    /// The stake the gate enforces: the override if any, else the tool's, then the callback's.
    pub fn effective_stake(&self, server: &ServerMetadata, tool: &ToolMetadata) -> Stake {
        let stake = self
            .overrides
            .get(&(server.name.to_owned(), tool.name.to_owned()))
            .copied()
            .unwrap_or(tool.stake);
        match &self.callback {
            Some(callback) => callback(server, tool, stake),
            None => stake,
        }
    }

    /// Lets the call run, or holds it and says what the user must approve (or that they
    /// rejected it on its page).
    pub async fn admit(
        &self,
        server: &ServerMetadata,
        tool: &ToolMetadata,
        arguments: &Value,
        ids: &RunIds,
        approval: Option<&str>,
    ) -> Result<(), NotAdmitted> {
        self.admit_with(server, tool, arguments, ids, approval, true)
            .await
    }

    /// Holds again a call that ran with its approval and stopped to ask a question (a
    /// 2026-07-28 round): as [`admit`](Self::admit), but no page's decision is taken, since
    /// the call was approved already and a page of an identical call is not its own.
    pub async fn hold_again(
        &self,
        server: &ServerMetadata,
        tool: &ToolMetadata,
        arguments: &Value,
        ids: &RunIds,
    ) -> Result<(), NotAdmitted> {
        self.admit_with(server, tool, arguments, ids, None, false)
            .await
    }

    async fn admit_with(
        &self,
        server: &ServerMetadata,
        tool: &ToolMetadata,
        arguments: &Value,
        ids: &RunIds,
        approval: Option<&str>,
        consult_pages: bool,
    ) -> Result<(), NotAdmitted> {
        let stake = self.effective_stake(server, tool);
        let user_id = ids.user_id.as_deref().unwrap_or(LOCAL_USER);
        let audit = |outcome, approval_id: Option<&str>| {
            self.audit.record(&AuditEvent {
                outcome,
                server: server.name.to_owned(),
                tool: tool.name.to_owned(),
                stake,
                user_id: user_id.to_owned(),
                approval_id: approval_id.map(str::to_owned),
            });
        };
        if stake == Stake::NeverAsk {
            audit(AuditOutcome::AllowedImplicitly, None);
            return Ok(());
        }
        let agent_id = ids.agent_id.as_deref();
        let scope = ApprovalScope::of_call(stake, user_id, server.name, tool, agent_id, arguments);
        let digest = arguments_digest(arguments);

        if let Some(id) = approval {
            let approved = {
                let mut pending = self.pending();
                let approved = pending.get(id).is_some_and(|held| {
                    held.scope == scope
                        && held.arguments == digest
                        && matches!(
                            *held.decision.borrow(),
                            Some(Decision::Once | Decision::Always)
                        )
                });
                if approved {
                    pending.remove(id);
                }
                approved
            };
            if approved {
                // Answered another way (its client asked): a page it had is not to be used.
                self.withdraw_page(id).await;
                audit(AuditOutcome::RanWithApproval, Some(id));
                return Ok(());
            }
        }
        // A call its user decided on its page: this retry takes the decision, before memory (an
        // "always" given there is remembered too, and its page must not outlive it).
        let on_page = if consult_pages {
            self.page_answer(&scope, agent_id, &digest).await
        } else {
            None
        };
        if let Some(PageAnswer {
            id,
            decision: Some(Decision::Once | Decision::Always),
        }) = &on_page
        {
            audit(AuditOutcome::RanWithApproval, Some(id));
            return Ok(());
        }
        // The stores are asked outside the lock: a slow store does not hold up other calls.
        let rememberable = scope.is_rememberable(stake);
        let rejected = on_page
            .as_ref()
            .is_some_and(|page| page.decision == Some(Decision::Reject));
        if !rejected && rememberable && self.remembered(&scope).await {
            // Allowed meanwhile: a page still waiting for this call would approve another.
            if let Some(page) = &on_page {
                self.withdraw_page(&page.id).await;
            }
            audit(AuditOutcome::AllowedByMemory, None);
            return Ok(());
        }

        let mut pending = self.pending();
        make_room(&mut pending, user_id);
        // A call its user has yet to decide on keeps its page.
        let id = on_page
            .as_ref()
            .map_or_else(random_id, |page| page.id.clone());
        let request = ApprovalRequest {
            id: id.clone(),
            server: server.name.to_owned(),
            tool: tool.name.to_owned(),
            stake,
            label: label(tool, arguments),
            user_id: user_id.to_owned(),
            rememberable,
        };
        if rejected {
            return Err(NotAdmitted::Rejected(Box::new(request)));
        }
        pending.insert(
            id.clone(),
            Pending {
                request: request.clone(),
                scope,
                arguments: digest,
                decision: watch::Sender::new(None),
                held_since: Instant::now(),
                handed_to_client: false,
                agent_id: agent_id.map(str::to_owned),
            },
        );
        audit(AuditOutcome::ApprovalRequested, Some(&id));
        Err(NotAdmitted::Held(Box::new(request)))
    }

    /// The held call `id` as the replicas and pages share it, if held here.
    pub(super) fn shared_call(&self, id: &str) -> Option<HeldCall> {
        self.pending().get(id).map(Pending::shared)
    }

    /// The answer of `user_id` to the held call `id`. "Always" on a rememberable call is stored,
    /// and approves every other call held for the same scope.
    pub async fn resolve(
        &self,
        id: &str,
        user_id: &str,
        decision: Decision,
    ) -> Result<(), ApprovalError> {
        let remembered = {
            let pending = self.pending();
            let held = self.answerable(&pending, id, user_id)?;
            (decision == Decision::Always && held.request.rememberable).then(|| held.scope.clone())
        };
        // The store is written outside the lock (it may be a database round trip); the call is
        // looked up again after, since it may have been answered or forgotten meanwhile.
        if let Some(scope) = &remembered {
            self.store.remember(scope).await?;
        }
        let mut pending = self.pending();
        let held = self.answerable(&pending, id, user_id)?;
        let event = |outcome, request: &ApprovalRequest| AuditEvent {
            outcome,
            server: request.server.clone(),
            tool: request.tool.clone(),
            stake: request.stake,
            user_id: user_id.to_owned(),
            approval_id: Some(request.id.clone()),
        };
        match (decision, remembered) {
            (Decision::Reject, _) => {
                self.audit
                    .record(&event(AuditOutcome::Rejected, &held.request));
                held.decision.send_replace(Some(Decision::Reject));
                pending.remove(id);
            }
            (_, Some(scope)) => {
                for other in pending.values() {
                    if other.scope == scope && other.decision.borrow().is_none() {
                        self.audit
                            .record(&event(AuditOutcome::ApprovedAlways, &other.request));
                        other.decision.send_replace(Some(Decision::Always));
                    }
                }
            }
            // `high` (and `medium` without an agent) is never remembered: "always" is "once".
            (Decision::Once | Decision::Always, None) => {
                self.audit
                    .record(&event(AuditOutcome::ApprovedOnce, &held.request));
                held.decision.send_replace(Some(Decision::Once));
            }
        }
        Ok(())
    }

    /// The held call `id`, if `user_id` may answer it now.
    fn answerable<'p>(
        &self,
        pending: &'p HashMap<String, Pending>,
        id: &str,
        user_id: &str,
    ) -> Result<&'p Pending, ApprovalError> {
        let held = pending
            .get(id)
            .ok_or_else(|| ApprovalError::UnknownApproval { id: id.to_owned() })?;
        if held.request.user_id != user_id {
            self.audit.record(&AuditEvent {
                outcome: AuditOutcome::RefusedWrongUser,
                server: held.request.server.clone(),
                tool: held.request.tool.clone(),
                stake: held.request.stake,
                user_id: user_id.to_owned(),
                approval_id: Some(held.request.id.clone()),
            });
            return Err(ApprovalError::NotTheCallsUser);
        }
        if held.decision.borrow().is_some() {
            return Err(ApprovalError::AlreadyResolved { id: id.to_owned() });
        }
        Ok(held)
    }

    /// Notes that the held call `id` was handed to its client (as the state of an
    /// input-required result), whose retry may carry the user's answer: see
    /// [`resolve_retry`](Self::resolve_retry). With a held store, the other replicas can take
    /// the answer too.
    pub async fn hand_to_client(&self, id: &str) {
        let shared = {
            let mut pending = self.pending();
            let Some(held) = pending.get_mut(id) else {
                return;
            };
            held.handed_to_client = true;
            self.shared
                .as_ref()
                .map(|shared| (shared.clone(), held.shared()))
        };
        if let Some((shared, call)) = shared
            && let Err(error) = shared.hold(&call).await
        {
            // Its answer can still come back to this replica.
            tracing::error!(%error, approval_id = id, "a held call could not be shared with the other replicas");
        }
    }

    /// The answer a client's retry carries for the held call `id`: as
    /// [`resolve`](Self::resolve), but only for a call handed to a client. A call being put to
    /// its user another way (an elicitation in a session, a host's own page) is unknown here,
    /// so no other client can take its decision over. With a held store, the answer is taken
    /// there first, so that it is taken once whichever replica it reaches: a call another
    /// replica held is adopted here.
    pub async fn resolve_retry(
        &self,
        id: &str,
        user_id: &str,
        decision: Decision,
    ) -> Result<(), ApprovalError> {
        if let Some(shared) = &self.shared {
            let Some(call) = shared.take(id).await? else {
                return Err(ApprovalError::UnknownApproval { id: id.to_owned() });
            };
            self.adopt(call);
        }
        let handed = self
            .pending()
            .get(id)
            .is_some_and(|held| held.handed_to_client);
        if !handed {
            return Err(ApprovalError::UnknownApproval { id: id.to_owned() });
        }
        self.resolve(id, user_id, decision).await
    }

    /// Holds here `call`, which a replica handed to its client, unless it is held here already.
    fn adopt(&self, call: HeldCall) {
        let left = call
            .expires_at
            .duration_since(SystemTime::now())
            .unwrap_or_default();
        let now = Instant::now();
        let held_since = now
            .checked_sub(HELD_TTL.saturating_sub(left))
            .unwrap_or(now);
        let mut pending = self.pending();
        pending.entry(call.request.id.clone()).or_insert(Pending {
            request: call.request,
            scope: call.scope,
            arguments: call.arguments,
            decision: watch::Sender::new(None),
            held_since,
            handed_to_client: true,
            agent_id: call.agent_id,
        });
    }

    /// Forgets the held call `id` (its user cannot be asked, or has gone); its waiters get
    /// `None`.
    pub fn forget(&self, id: &str) {
        self.pending().remove(id);
    }

    /// How many calls are held.
    pub fn held(&self) -> usize {
        self.pending().len()
    }

    /// Waits for the answer to the held call `id`; `None` if no call is held under it, or once
    /// it expires unanswered.
    pub async fn wait(&self, id: &str) -> Option<Decision> {
        let (mut receiver, expires) = {
            let pending = self.pending();
            let held = pending.get(id)?;
            (held.decision.subscribe(), held.held_since + HELD_TTL)
        };
        let answered = tokio::time::timeout_at(expires, receiver.wait_for(Option::is_some)).await;
        answered.ok()?.ok().and_then(|decision| *decision)
    }

    async fn remembered(&self, scope: &ApprovalScope) -> bool {
        // A store that cannot answer does not approve: the user is asked instead.
        self.store
            .is_remembered(scope)
            .await
            .unwrap_or_else(|error| {
                tracing::error!(%error, "approval store lookup failed; asking the user");
                false
            })
    }

    /// The calls held and not yet expired: one past `HELD_TTL` is unknown to every caller, the
    /// moment it expires (its waiters get `None`).
    fn pending(&self) -> MutexGuard<'_, HashMap<String, Pending>> {
        // Nothing panics while holding the lock; a poisoned map is still consistent.
        let mut pending = crate::host::lock(&self.pending);
        pending.retain(|_, held| held.held_since.elapsed() < HELD_TTL);
        pending
    }
}

impl Pending {
    /// The call as the replicas and pages share it.
    fn shared(&self) -> HeldCall {
        HeldCall {
            request: self.request.clone(),
            scope: self.scope.clone(),
            arguments: self.arguments,
            expires_at: SystemTime::now() + HELD_TTL.saturating_sub(self.held_since.elapsed()),
            agent_id: self.agent_id.clone(),
        }
    }
}

/// Forgets the oldest of `user_id`'s calls past their cap, then the oldest of all past the total
/// cap, so that one more can be held (expired calls are gone already: see `pending`).
fn make_room(pending: &mut HashMap<String, Pending>, user_id: &str) {
    let oldest = |pending: &HashMap<String, Pending>, of_user: bool| {
        pending
            .iter()
            .filter(|(_, held)| !of_user || held.request.user_id == user_id)
            .min_by_key(|(_, held)| held.held_since)
            .map(|(id, _)| id.clone())
    };
    let of_user = pending
        .values()
        .filter(|held| held.request.user_id == user_id)
        .count();
    if of_user >= HELD_PER_USER
        && let Some(id) = oldest(pending, true)
    {
        pending.remove(&id);
    }
    if pending.len() >= HELD_IN_ALL
        && let Some(id) = oldest(pending, false)
    {
        pending.remove(&id);
    }
}

/// 128 random bits, so that an id cannot be guessed.
fn random_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the system's random source");
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("approval-{hex}")
}

/// SHA-256 of the arguments' JSON (objects' keys sorted, so equal arguments give equal digests;
/// were serde_json's `preserve_order` turned on, reordered arguments would only be asked again).
pub fn arguments_digest(arguments: &Value) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(serde_json::to_vec(arguments).unwrap_or_default()).into()
}
