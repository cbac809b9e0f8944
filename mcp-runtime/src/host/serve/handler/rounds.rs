//! A 2026-07-28 call, which may take several rounds: the client is asked (the user's approval
//! of a held call, the questions its handler asks) through input-required results, and calls
//! again with the answers and the sealed request state (see `state`), which any replica opens.
//!
//! An approval covers its call through every round until the call completes, and once: when
//! the handler it let run asks a question, the call is held again, already approved, and the
//! retry takes that approval (once, whichever replica it reaches; a replay finds none).

use std::borrow::Cow;
use std::pin::{Pin, pin};
use std::sync::Arc;

use rmcp::ErrorData;
use rmcp::model::{
    CallToolRequestParams, ClientCapabilities, CreateTaskResult, InputRequests, InputRequiredResult,
};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

use super::super::ask;
use super::super::input::InputRound;
use super::super::state::{self, Binding, CallState};
use super::super::tasks::{TaskEntry, TaskInput, TaskOnRequest};
use super::McpHandler;
use crate::host::approval::{Decision, LOCAL_USER, NotAdmitted};
use crate::{BoxFuture, CallError, CallToolResult, Stake, TaskStart, TaskSupport, ToolContext};

/// The tasks extension's identifier.
pub(super) const TASKS_EXTENSION: &str = "io.modelcontextprotocol/tasks";

/// How a round ended.
pub(super) enum Round {
    /// The call ran (or was refused); the result is final.
    Done(Result<CallToolResult, CallError>),
    /// The client must answer first.
    Input(InputRequiredResult),
    /// The call runs as a task the client polls.
    Task(CreateTaskResult),
}

impl McpHandler {
    /// Runs one round of a 2026-07-28 call.
    pub(super) async fn call_in_rounds(
        &self,
        request: CallToolRequestParams,
        ctx: ToolContext,
        client: Option<ClientCapabilities>,
    ) -> Result<Round, ErrorData> {
        let metadata = self.server.metadata();
        let gate = self.options.gate();
        let arguments = request.arguments.map_or(Value::Null, Value::Object);
        let user_id = ctx
            .ids()
            .user_id
            .as_deref()
            .unwrap_or(LOCAL_USER)
            .to_owned();
        // A call that may become a task when its handler says so, and must be one at its end.
        let mut on_request = None;
        if let Some(tool) = metadata.tool(&request.name)
            && tool.task != TaskSupport::Forbidden
        {
            let supports_tasks = client
                .as_ref()
                .is_some_and(|client| client.supports_tasks());
            match (supports_tasks, tool.task_start) {
                (true, TaskStart::Call) => {
                    return self.start_task(&request.name, arguments, ctx, &user_id);
                }
                (true, TaskStart::Handler) => {
                    on_request = Some(tool.task == TaskSupport::Required);
                }
                (false, _) if tool.task == TaskSupport::Required => return Err(tasks_required()),
                (false, _) => {}
            }
        }
        let call = Binding {
            user_id: &user_id,
            server: metadata.name,
            tool: &request.name,
            arguments: &arguments,
        };
        let stake = || match (gate, metadata.tool(&request.name)) {
            (Some(gate), Some(tool)) => gate.effective_stake(metadata, tool),
            _ => Stake::High,
        };
        let responses = request.input_responses;
        let approval_answer = ask::answer_in(responses.as_ref());
        let mut earlier = CallState::default();
        if let Some(sealed) = request.request_state.as_deref() {
            match state::open(&self.request_state, sealed, &call) {
                Ok(opened) => earlier = opened,
                // Answering an approval: the refusal says to call again.
                Err(error) if approval_answer.is_some() => {
                    return Ok(Round::Done(Ok(ask::refused_state(
                        &error,
                        &request.name,
                        stake(),
                    ))));
                }
                Err(_) => return Err(foreign_state(&request.name)),
            }
        }

        // The user's answer to the held call, given now or in an earlier round.
        let mut options = Cow::Borrowed(&self.options);
        let mut approved = None;
        if let (Some(gate), Some(approval_id)) = (gate, earlier.approval.take()) {
            let decision = if earlier.approved {
                Some(Decision::Once)
            } else {
                approval_answer
            };
            // No answer: the call is held and asked about anew.
            if let Some(decision) = decision {
                if let Err(refused) =
                    ask::record_answer(gate, &approval_id, &user_id, decision, stake()).await
                {
                    return Ok(Round::Done(Ok(refused)));
                }
                options = Cow::Owned(self.options.clone().with_approval(&approval_id));
                approved = Some(approval_id);
            }
        }

        let can_elicit = client.as_ref().is_none_or(super::can_ask_forms);
        let round = Arc::new(InputRound::new(earlier.answers, responses, client));
        let ended = match on_request {
            None => {
                let ctx = ctx.clone().with_client(round.clone());
                let call = self
                    .server
                    .call_tool(&request.name, arguments.clone(), ctx, &options);
                race(pin!(call), &round, None).await
            }
            Some(required) => {
                let escalation = Arc::new(TaskOnRequest::new(
                    round.clone(),
                    ctx.cancellation().clone(),
                ));
                let ctx = ctx
                    .clone()
                    .with_cancellation(escalation.cancellation())
                    .with_client(escalation.clone());
                // Owned, to go on in the background once a task.
                let (server, options) = (self.server.clone(), options.clone().into_owned());
                let (name, arguments) = (request.name.to_string(), arguments.clone());
                let mut call =
                    Box::pin(
                        async move { server.call_tool(&name, arguments, ctx, &options).await },
                    );
                match race(call.as_mut(), &round, Some(&escalation)).await {
                    Ended::TaskRequested => return self.escalate(&user_id, &escalation, call),
                    // A required task is one however its handler ends.
                    Ended::Called(Ok(result))
                        if required && missing_capability(&result).is_none() =>
                    {
                        let task = self.tasks.create(&user_id, escalation.cancellation())?;
                        task.finish(Ok(result), failed_task);
                        return Ok(Round::Task(CreateTaskResult::new(task.task())));
                    }
                    ended => ended,
                }
            }
        };
        let called = match ended {
            Ended::Called(called) => called,
            Ended::Asked => {
                let (questions, answers) = round.finish();
                tracing::debug!(
                    tool = %request.name,
                    questions = questions.len(),
                    "the call asks its client; the retry resumes it with the answers"
                );
                let mut next = CallState {
                    answers,
                    ..CallState::default()
                };
                if approved.is_some() {
                    self.hold_approved(&request.name, &arguments, &ctx, &mut next)
                        .await;
                }
                return self.input_required(questions, &next, &call);
            }
            Ended::TaskRequested => unreachable!("only a call that may become a task asks to"),
        };
        let (held, gate) = match (called, gate) {
            (Err(CallError::ApprovalRequired(held)), Some(gate)) => (held, gate),
            (Ok(result), _) => match missing_capability(&result) {
                Some(error) => return Err(error),
                None => return Ok(Round::Done(Ok(result))),
            },
            (called, _) => return Ok(Round::Done(called)),
        };
        if !can_elicit {
            // Refused with the ways to approve it: nobody will be asked.
            let refused = ask::approve(gate, &held, &arguments, &ctx, false)
                .await
                .err();
            return Ok(Round::Done(
                refused.ok_or(CallError::ApprovalRequired(held)),
            ));
        }
        // 2026-07-28 has no session to send a request on: the client is asked to call again
        // with the answer.
        let Some(question) = ask::input_request(&held) else {
            return Ok(Round::Done(Err(CallError::ApprovalRequired(held))));
        };
        gate.hand_to_client(&held.id).await;
        let next = CallState {
            approval: Some(held.id.clone()),
            ..CallState::default()
        };
        let questions = InputRequests::from([(ask::INPUT_KEY.to_owned(), question)]);
        self.input_required(questions, &next, &call)
    }
}

/// How the handler's part of a round ended.
enum Ended {
    /// The call ran to its end.
    Called(Result<CallToolResult, CallError>),
    /// The handler asked what the round has no answer for.
    Asked,
    /// The handler asked to become a task.
    TaskRequested,
}

/// Runs `call` until it ends, asks its client, or (with `escalation`) asks to become a task.
async fn race<F>(call: Pin<&mut F>, round: &InputRound, escalation: Option<&TaskOnRequest>) -> Ended
where
    F: Future<Output = Result<CallToolResult, CallError>>,
{
    let requested = async {
        match escalation {
            Some(escalation) => escalation.requested().await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        // The handler first: every question a `join!` asks is in before the round ends.
        biased;
        called = call => Ended::Called(called),
        () = round.asked() => Ended::Asked,
        () = requested => Ended::TaskRequested,
    }
}

/// The protocol's error for a client that did not declare the tasks extension.
pub(super) fn tasks_required() -> ErrorData {
    let mut required = ClientCapabilities::default();
    required.extensions = Some([(TASKS_EXTENSION.to_owned(), Default::default())].into());
    ErrorData::missing_required_client_capability(required)
}

/// Runs `call` as `task`, which ends as the call does.
fn run_in_background(
    task: Arc<TaskEntry>,
    call: impl Future<Output = Result<CallToolResult, CallError>> + Send + 'static,
) {
    tokio::spawn(async move { task.finish(call.await, failed_task) });
}

/// The error a task fails with when its call's result is not one: a missing capability or a
/// panic.
fn failed_task(result: &CallToolResult) -> Option<ErrorData> {
    missing_capability(result).or_else(|| panicked(result))
}

/// A call that ended in a panic: for a task, a failure of the call rather than a result.
fn panicked(result: &CallToolResult) -> Option<ErrorData> {
    result
        .error_of_kind("panicked")
        .map(|_| ErrorData::internal_error(result.text(), None))
}

/// The error for a request state that does not open for the request `name` carries.
pub(super) fn foreign_state(name: &str) -> ErrorData {
    ErrorData::invalid_params(
        format!(
            "the request state does not belong to this call of `{name}` (altered, expired, or \
             from another call or user); call it again without it"
        ),
        None,
    )
}

/// A call that failed for want of a capability the client did not declare: on 2026-07-28 the
/// protocol's `MissingRequiredClientCapability` error (-32021, HTTP 400), naming it.
fn missing_capability(result: &CallToolResult) -> Option<ErrorData> {
    let detail = result.error_of_kind("missing_client_capability")?;
    missing_capability_error(detail["capability"].as_str()?)
}

/// The protocol's `MissingRequiredClientCapability` error naming `capability`.
pub(super) fn missing_capability_error(capability: &str) -> Option<ErrorData> {
    let required: ClientCapabilities =
        serde_json::from_value(serde_json::json!({ capability: {} })).ok()?;
    Some(ErrorData::missing_required_client_capability(required))
}

impl McpHandler {
    /// Starts `tool` as a task of `user_id` and answers with it: the call runs in the
    /// background with the task's cancellation, asking its client through the task.
    fn start_task(
        &self,
        tool: &str,
        arguments: Value,
        ctx: ToolContext,
        user_id: &str,
    ) -> Result<Round, ErrorData> {
        let task = self.tasks.create(user_id, CancellationToken::new())?;
        let ctx = ctx
            .with_cancellation(task.cancellation())
            .with_client(Arc::new(TaskInput(task.clone())));
        let (server, options, name) = (self.server.clone(), self.options.clone(), tool.to_owned());
        run_in_background(task.clone(), async move {
            server.call_tool(&name, arguments, ctx, &options).await
        });
        Ok(Round::Task(CreateTaskResult::new(task.task())))
    }

    /// Makes `call`, whose handler asked for it, a task of `user_id`: the handler resumes in the
    /// background, asking through the task. When no task can be held, `call` is dropped.
    fn escalate(
        &self,
        user_id: &str,
        escalation: &TaskOnRequest,
        call: BoxFuture<'static, Result<CallToolResult, CallError>>,
    ) -> Result<Round, ErrorData> {
        let task = self.tasks.create(user_id, escalation.cancellation())?;
        escalation.started(task.clone());
        run_in_background(task.clone(), call);
        tracing::debug!("the call's handler made it a task");
        Ok(Round::Task(CreateTaskResult::new(task.task())))
    }

    /// Holds again a call that ran with its approval and stopped to ask a question, already
    /// approved, so that the retry runs it without asking its user twice, and only once.
    async fn hold_approved(
        &self,
        tool: &str,
        arguments: &Value,
        ctx: &ToolContext,
        next: &mut CallState,
    ) {
        let (Some(gate), Some(tool)) = (self.options.gate(), self.server.metadata().tool(tool))
        else {
            return;
        };
        // Allowed now without asking (remembered meanwhile): nothing to carry.
        if let Err(NotAdmitted::Held(held)) = gate
            .hold_again(self.server.metadata(), tool, arguments, ctx.ids())
            .await
        {
            gate.hand_to_client(&held.id).await;
            next.approval = Some(held.id);
            next.approved = true;
        }
    }

    /// The input-required result asking `questions`, with `next` sealed for `call`.
    fn input_required(
        &self,
        questions: InputRequests,
        next: &CallState,
        call: &Binding<'_>,
    ) -> Result<Round, ErrorData> {
        self.sealed_input_required(questions, next, call)
            .map(Round::Input)
    }

    /// The input-required result asking `questions`, with `next` sealed for `call`.
    pub(super) fn sealed_input_required(
        &self,
        questions: InputRequests,
        next: &CallState,
        call: &Binding<'_>,
    ) -> Result<InputRequiredResult, ErrorData> {
        let sealed = state::seal(&self.request_state, next, call).ok_or_else(|| {
            ErrorData::internal_error("the request state could not be sealed", None)
        })?;
        Ok(InputRequiredResult::new(Some(questions), Some(sealed)))
    }
}
