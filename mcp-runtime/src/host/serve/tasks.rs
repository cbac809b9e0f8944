//! Tasks (2026-07-28's tasks extension, SEP-2663): a call to a tool that supports tasks, from a
//! client that declared the extension, answers at once with a task; the tool runs in the
//! background, and the client polls `tasks/get` (the result inlined once done), answers its
//! questions with `tasks/update`, and may `tasks/cancel` it.
//!
//! A task lives in the process that runs it (its handler cannot move), so a client polls the
//! replica it called. Bounds: 16 tasks per user and 1 024 in all; a finished task is kept an hour
//! for its client to read, and the oldest finished one goes first when room is needed; when all a
//! user's tasks still run, a new one is refused.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rmcp::ErrorData;
use rmcp::model::{DetailedTask, InputRequest, JsonObject, Task, TaskPayload, TaskStatus};
use serde_json::{Value, json};
use tokio::sync::{oneshot, watch};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::input::InputRound;
use crate::host::ClientRequests;
use crate::{BoxFuture, CallError, CallToolResult, McpError};

/// The most tasks one user may hold.
pub(super) const TASKS_PER_USER: usize = 16;

/// The most tasks held in all.
pub(super) const TASKS_IN_ALL: usize = 1024;

/// How long a finished task stays readable.
pub(super) const TASK_TTL: Duration = Duration::from_secs(3600);

/// How often a client should poll, as the task says.
const POLL_INTERVAL_MS: u64 = 500;

/// The tasks of one server.
#[derive(Default)]
pub(super) struct Tasks(Mutex<HashMap<String, Arc<TaskEntry>>>);

/// One task.
pub(super) struct TaskEntry {
    id: String,
    user_id: String,
    created_at: String,
    cancel: CancellationToken,
    state: Mutex<TaskState>,
}

struct TaskState {
    status: State,
    updated_at: String,
    finished: Option<Instant>,
    /// Questions waiting for the client, with where each answer goes.
    pending: BTreeMap<String, (InputRequest, oneshot::Sender<Value>)>,
    /// Questions asked without a key, numbered.
    numbered: usize,
}

enum State {
    Working,
    Completed(JsonObject),
    Failed(JsonObject),
    Cancelled,
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    crate::host::lock(mutex)
}

impl Tasks {
    /// A new task of `user_id`, cancelled through `cancel`, held before it is returned (a
    /// `tasks/get` right after finds it); `Err` when the user holds too many that still run.
    pub(super) fn create(
        &self,
        user_id: &str,
        cancel: CancellationToken,
    ) -> Result<Arc<TaskEntry>, ErrorData> {
        let mut tasks = lock(&self.0);
        let expired = |task: &TaskEntry| {
            lock(&task.state)
                .finished
                .is_some_and(|finished| finished.elapsed() >= TASK_TTL)
        };
        tasks.retain(|_, task| !expired(task));
        let mine = tasks
            .values()
            .filter(|task| task.user_id == user_id)
            .count();
        if mine >= TASKS_PER_USER || tasks.len() >= TASKS_IN_ALL {
            // Room is made by forgetting the oldest finished task (the user's own first).
            let oldest = tasks
                .values()
                .filter(|task| mine < TASKS_PER_USER || task.user_id == user_id)
                .filter_map(|task| Some((lock(&task.state).finished?, task.id.clone())))
                .min();
            match oldest {
                Some((_, id)) => {
                    tasks.remove(&id);
                }
                None => {
                    return Err(ErrorData::invalid_request(
                        format!(
                            "too many tasks still running (at most {TASKS_PER_USER} per user, \
                             {TASKS_IN_ALL} in all); wait for one to finish or cancel one"
                        ),
                        None,
                    ));
                }
            }
        }
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).expect("the system's random source");
        let id: String = id.iter().map(|byte| format!("{byte:02x}")).collect();
        let created_at = now();
        let task = Arc::new(TaskEntry {
            id: id.clone(),
            user_id: user_id.to_owned(),
            created_at: created_at.clone(),
            cancel,
            state: Mutex::new(TaskState {
                status: State::Working,
                updated_at: created_at,
                finished: None,
                pending: BTreeMap::new(),
                numbered: 0,
            }),
        });
        tasks.insert(id, task.clone());
        Ok(task)
    }

    /// The task `id` of `user_id`; another user's is unknown to them.
    pub(super) fn get(&self, id: &str, user_id: &str) -> Result<Arc<TaskEntry>, ErrorData> {
        lock(&self.0)
            .get(id)
            .filter(|task| task.user_id == user_id)
            .cloned()
            .ok_or_else(|| ErrorData::invalid_params(format!("unknown task `{id}`"), None))
    }
}

impl TaskEntry {
    /// The task as `tasks/create` answers it.
    pub(super) fn task(&self) -> Task {
        let state = lock(&self.state);
        self.wire(&state)
    }

    fn wire(&self, state: &TaskState) -> Task {
        let status = match (&state.status, state.pending.is_empty()) {
            (State::Working, true) => TaskStatus::Working,
            (State::Working, false) => TaskStatus::InputRequired,
            (State::Completed(_), _) => TaskStatus::Completed,
            (State::Failed(_), _) => TaskStatus::Failed,
            (State::Cancelled, _) => TaskStatus::Cancelled,
        };
        Task::new(&self.id, status, &self.created_at, &state.updated_at)
            .with_ttl_ms(TASK_TTL.as_millis() as u64)
            .with_poll_interval_ms(POLL_INTERVAL_MS)
    }

    /// The task with what it has for its client: its questions, its result or its error.
    pub(super) fn detailed(&self) -> DetailedTask {
        let state = lock(&self.state);
        let payload = match &state.status {
            State::Working if state.pending.is_empty() => TaskPayload::Working,
            State::Working => TaskPayload::InputRequired {
                input_requests: state
                    .pending
                    .iter()
                    .map(|(key, (request, _))| (key.clone(), request.clone()))
                    .collect(),
            },
            State::Completed(result) => TaskPayload::Completed {
                result: result.clone(),
            },
            State::Failed(error) => TaskPayload::Failed {
                error: error.clone(),
            },
            State::Cancelled => TaskPayload::Cancelled,
        };
        DetailedTask::new(self.wire(&state), payload)
    }

    /// Cancels the task's call, if it still runs; a finished task stays as it finished.
    pub(super) fn cancel(&self) {
        let mut state = lock(&self.state);
        if matches!(state.status, State::Working) {
            state.status = State::Cancelled;
            state.pending.clear();
            state.finished = Some(Instant::now());
            state.updated_at = now();
        }
        drop(state);
        self.cancel.cancel();
    }

    /// Cancelled when the task is.
    pub(super) fn cancellation(&self) -> CancellationToken {
        self.cancel.clone()
    }

    /// Hands the client's answers to the questions waiting for them; others are ignored.
    pub(super) fn answer(&self, responses: impl IntoIterator<Item = (String, Value)>) {
        let mut state = lock(&self.state);
        for (key, answer) in responses {
            if let Some((_, sender)) = state.pending.remove(&key) {
                let _ = sender.send(answer);
            }
        }
        state.updated_at = now();
    }

    /// Records how the call ended: a result (an error result of a tool is still a result), or a
    /// failure of the call itself. A cancelled task stays cancelled.
    pub(super) fn finish(
        &self,
        called: Result<CallToolResult, CallError>,
        protocol_error: impl FnOnce(&CallToolResult) -> Option<ErrorData>,
    ) {
        let mut state = lock(&self.state);
        if !matches!(state.status, State::Working) {
            return;
        }
        state.status = match called {
            Ok(result) => match protocol_error(&result) {
                Some(error) => State::Failed(error_object(&error)),
                None => match serde_json::to_value(&result) {
                    Ok(Value::Object(mut object)) => {
                        object.insert("resultType".into(), json!("complete"));
                        State::Completed(object)
                    }
                    _ => State::Failed(error_object(&ErrorData::internal_error(
                        "the result could not be written",
                        None,
                    ))),
                },
            },
            Err(CallError::Cancelled { .. }) => State::Cancelled,
            Err(error) => State::Failed(error_object(&ErrorData::internal_error(
                error.to_string(),
                None,
            ))),
        };
        state.pending.clear();
        state.finished = Some(Instant::now());
        state.updated_at = now();
    }
}

fn error_object(error: &ErrorData) -> JsonObject {
    match serde_json::to_value(error) {
        Ok(Value::Object(object)) => object,
        _ => JsonObject::new(),
    }
}

/// A task's questions to its client: each parks the task as `input_required` until
/// `tasks/update` brings its answer.
pub(super) struct TaskInput(pub Arc<TaskEntry>);

impl ClientRequests for TaskInput {
    fn request<'a>(
        &'a self,
        key: Option<&'a str>,
        method: &'a str,
        params: Value,
    ) -> BoxFuture<'a, Result<Value, McpError>> {
        Box::pin(async move {
            let request = super::input::input_request(method, params)?;
            let (sender, receiver) = oneshot::channel();
            {
                let mut state = lock(&self.0.state);
                let key = match key {
                    Some(key) => key.to_owned(),
                    None => {
                        state.numbered += 1;
                        format!("input-{}", state.numbered)
                    }
                };
                state.pending.insert(key, (request, sender));
                state.updated_at = now();
            }
            receiver
                .await
                .map_err(|_| McpError::new("the task ended before its client answered").untracked())
        })
    }
}

/// The client of a call that becomes a task when its handler says so (`task_start = "handler"`):
/// until then its questions go to its round, and from then on to its task.
pub(super) struct TaskOnRequest {
    round: Arc<InputRound>,
    /// The request's cancellation, which stops the call until it becomes a task.
    request: CancellationToken,
    /// The call's cancellation: the request's, then the task's.
    call: CancellationToken,
    /// Cancelled when the handler asks to become a task.
    requested: CancellationToken,
    task: watch::Sender<Option<Arc<TaskEntry>>>,
}

impl TaskOnRequest {
    /// The client of a call asking through `round`, cancelled with `request` until it is a task.
    pub(super) fn new(round: Arc<InputRound>, request: CancellationToken) -> Self {
        TaskOnRequest {
            round,
            request,
            call: CancellationToken::new(),
            requested: CancellationToken::new(),
            task: watch::Sender::new(None),
        }
    }

    /// The call's cancellation, for its context and then its task.
    pub(super) fn cancellation(&self) -> CancellationToken {
        self.call.clone()
    }

    /// Resolves when the handler asks to become a task; a cancelled request cancels the call
    /// meanwhile (which then ends as its handler stops).
    pub(super) async fn requested(&self) {
        tokio::select! {
            () = self.requested.cancelled() => {}
            () = self.request.cancelled() => {
                self.call.cancel();
                std::future::pending().await
            }
        }
    }

    /// The call is `task` from now on: its handler resumes.
    pub(super) fn started(&self, task: Arc<TaskEntry>) {
        self.task.send_replace(Some(task));
    }
}

impl ClientRequests for TaskOnRequest {
    fn request<'a>(
        &'a self,
        key: Option<&'a str>,
        method: &'a str,
        params: Value,
    ) -> BoxFuture<'a, Result<Value, McpError>> {
        let task = self.task.borrow().clone();
        Box::pin(async move {
            match task {
                Some(task) => TaskInput(task).request(key, method, params).await,
                None => self.round.request(key, method, params).await,
            }
        })
    }

    fn start_task(&self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            let mut started = self.task.subscribe();
            self.requested.cancel();
            // The sender lives as long as `self`; if no task can be made, the call is dropped
            // here, never resumed.
            let _ = started.wait_for(Option::is_some).await;
        })
    }
}
