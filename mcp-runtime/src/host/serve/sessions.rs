//! What the HTTP transport knows of each live session (2025-11-25) beside rmcp: when it was
//! last used (the idlest is ended when the cap is reached, and one idle too long is ended), the
//! protocol version it negotiated, and the JSON-RPC ids of its requests in flight (unique, and
//! at most so many).
//!
//! Idle sessions are ended here rather than by rmcp, whose session worker counts as activity
//! only the messages it sees: calls this transport answers itself never reach it, so it would
//! end a session busy with them.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use rmcp::transport::streamable_http_server::session::SessionManager;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use tokio_util::sync::CancellationToken;

use super::HttpLimits;
use super::session_calls::SessionCalls;

/// A service's sessions: rmcp's manager and what this layer keeps of each.
pub(super) struct Sessions {
    pub(super) manager: Arc<LocalSessionManager>,
    known: Mutex<HashMap<Arc<str>, Session>>,
    admissions: AtomicU64,
    pub(super) limits: HttpLimits,
    /// The longest a request may run (a call's deadline and the time its user has to approve
    /// it): how long the id of a request whose client hung up is held.
    pub(super) answer_deadline: Duration,
}

#[derive(Default)]
struct Session {
    last_used: Option<Instant>,
    version: Option<Arc<str>>,
    /// Ids (as JSON text, so `1` and `"1"` differ) of requests whose answer is not yet sent,
    /// each with the admission it belongs to (an id may be reused once free).
    in_flight: HashMap<Box<str>, u64>,
    /// Set once the session's client has initialized: this transport answers its calls.
    calls: Option<Arc<SessionCalls>>,
}

/// Why a request may not start.
pub(super) enum Refusal {
    DuplicateId,
    TooManyInFlight(usize),
}

/// Holds a request's id in flight until dropped (when its response has been sent).
pub(super) struct InFlight {
    sessions: Arc<Sessions>,
    session: Arc<str>,
    id: Box<str>,
    admission: u64,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        if let Some(session) = self.sessions.known().get_mut(&self.session)
            && session.in_flight.get(&self.id) == Some(&self.admission)
        {
            session.in_flight.remove(&self.id);
        }
    }
}

impl Sessions {
    pub(super) fn new(
        manager: Arc<LocalSessionManager>,
        limits: HttpLimits,
        answer_deadline: Duration,
    ) -> Self {
        Sessions {
            manager,
            known: Mutex::default(),
            admissions: AtomicU64::new(0),
            limits,
            answer_deadline,
        }
    }

    fn known(&self) -> MutexGuard<'_, HashMap<Arc<str>, Session>> {
        crate::host::lock(&self.known)
    }

    fn cap(&self) -> usize {
        self.limits.max_sessions.max(1)
    }

    /// Notes that a live session was used, and returns the version it negotiated, when known.
    /// Ids rmcp does not know are not kept (a client could send any number of them).
    pub(super) async fn touch(&self, id: &Arc<str>) -> Option<Arc<str>> {
        if let Some(session) = self.known().get_mut(id) {
            session.last_used = Some(Instant::now());
            return session.version.clone();
        }
        let live = self.manager.sessions.read().await;
        if live.contains_key(id) {
            self.known().entry(id.clone()).or_default().last_used = Some(Instant::now());
        }
        None
    }

    /// Ends the sessions idle for `session_idle_timeout`: no request in flight, and none
    /// received for that long. Sessions rmcp made that no request has named yet start their
    /// idle time now.
    pub(super) async fn end_idle(&self) {
        let now = Instant::now();
        let timeout = self.limits.session_idle_timeout;
        let idle: Vec<Arc<str>> = {
            let live = self.manager.sessions.read().await;
            let mut known = self.known();
            // A session ended but still noted (its DELETE raced a request) is dropped.
            known.retain(|id, session| {
                let live = live.contains_key(id);
                if !live && let Some(calls) = &session.calls {
                    calls.end();
                }
                live
            });
            for id in live.keys() {
                known
                    .entry(id.clone())
                    .or_default()
                    .last_used
                    .get_or_insert(now);
            }
            known
                .iter()
                .filter(|(_, session)| {
                    session.in_flight.is_empty()
                        && session
                            .last_used
                            .is_some_and(|used| now.duration_since(used) >= timeout)
                })
                .map(|(id, _)| id.clone())
                .collect()
        };
        for id in idle {
            let _ = self.manager.close_session(&id).await;
            self.forget(&id);
        }
    }

    /// Records the version a new session negotiated.
    pub(super) async fn negotiated(&self, id: &Arc<str>, version: &str) {
        let _ = self.touch(id).await;
        if let Some(session) = self.known().get_mut(id) {
            session.version = Some(Arc::from(version));
        }
    }

    /// Admits request `request_id` (JSON text) of live session `id` unless another request
    /// with that id is in flight there, or too many are. `None` for a session not known here
    /// (rmcp answers that it does not exist).
    pub(super) fn admit(
        self: &Arc<Self>,
        id: &Arc<str>,
        request_id: Box<str>,
    ) -> Result<Option<InFlight>, Refusal> {
        let mut known = self.known();
        let Some(session) = known.get_mut(id) else {
            return Ok(None);
        };
        if session.in_flight.contains_key(&request_id) {
            return Err(Refusal::DuplicateId);
        }
        let cap = self.limits.max_requests_per_session.max(1);
        if session.in_flight.len() >= cap {
            return Err(Refusal::TooManyInFlight(cap));
        }
        let admission = self.admissions.fetch_add(1, Ordering::Relaxed);
        session.in_flight.insert(request_id.clone(), admission);
        Ok(Some(InFlight {
            sessions: self.clone(),
            session: id.clone(),
            id: request_id,
            admission,
        }))
    }

    /// The client cancelled request `request_id` (JSON text) of session `id`: neither rmcp
    /// nor this transport sends it an answer, so its id is free again.
    pub(super) fn cancelled(&self, id: &str, request_id: &str) {
        if let Some(session) = self.known().get_mut(id) {
            session.in_flight.remove(request_id);
            if let Some(calls) = &session.calls {
                calls.cancel(request_id);
            }
        }
    }

    /// The client of session `id` has initialized: from now on `calls` answers its calls.
    pub(super) fn register(&self, id: &str, calls: SessionCalls) {
        if let Some(session) = self.known().get_mut(id) {
            session.calls = Some(Arc::new(calls));
        }
    }

    /// What answers the calls of session `id`, once its client has initialized.
    pub(super) fn calls_of(&self, id: &str) -> Option<Arc<SessionCalls>> {
        self.known().get(id)?.calls.clone()
    }

    /// [`Sessions::calls_of`] with the version the session negotiated, in one lookup.
    pub(super) fn calls_and_version(&self, id: &str) -> Option<(Arc<SessionCalls>, Arc<str>)> {
        let known = self.known();
        let session = known.get(id)?;
        Some((session.calls.clone()?, session.version.clone()?))
    }

    /// Session `id` ended: the calls this transport runs for it stop.
    pub(super) fn forget(&self, id: &str) {
        let forgotten = self.known().remove(id);
        if let Some(calls) = forgotten.and_then(|session| session.calls) {
            calls.end();
        }
    }

    /// Ends the idlest sessions until one more fits under the cap.
    pub(super) async fn make_room(&self) {
        loop {
            let idlest = {
                let live = self.manager.sessions.read().await;
                if live.len() < self.cap() {
                    return;
                }
                let known = self.known();
                // A session not noted yet is one being initialized now: the newest, not the
                // idlest.
                let now = Instant::now();
                live.keys()
                    .min_by_key(|id| {
                        known
                            .get(*id)
                            .and_then(|session| session.last_used)
                            .unwrap_or(now)
                    })
                    .cloned()
            };
            let Some(idlest) = idlest else { return };
            let _ = self.manager.close_session(&idlest).await;
            self.forget(&idlest);
        }
    }
}

/// Ends the idle sessions of `sessions` a few times within each idle timeout, until `stop` is
/// cancelled or the sessions are dropped.
pub(super) async fn end_idle_sessions(sessions: Weak<Sessions>, stop: CancellationToken) {
    let Some(period) = sessions
        .upgrade()
        .map(|sessions| sweep_period(sessions.limits.session_idle_timeout))
    else {
        return;
    };
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(period) => {}
        }
        let Some(sessions) = sessions.upgrade() else {
            return;
        };
        sessions.end_idle().await;
    }
}

/// The time between two looks for sessions idle for `timeout`: a quarter of it, so that one
/// is ended at most a quarter late, and at most 30 s.
fn sweep_period(timeout: Duration) -> Duration {
    (timeout / 4).min(Duration::from_secs(30))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::sweep_period;

    #[test]
    fn idle_sessions_are_looked_for_four_times_per_timeout_and_at_least_every_30_s() {
        assert_eq!(
            sweep_period(Duration::from_millis(400)),
            Duration::from_millis(100)
        );
        assert_eq!(
            sweep_period(Duration::from_secs(300)),
            Duration::from_secs(30)
        );
    }
}
