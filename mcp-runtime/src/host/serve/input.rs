//! Questions a tool asks its client on 2026-07-28, where a server sends no requests of its own:
//! the handler's question goes back in an input-required result, and the client's retry runs the
//! handler again from the start with every answer so far (earlier rounds' answers travel in the
//! sealed request state). A question already answered is answered at once; the first one that
//! is not stops the round: every question the handler asked by then (all those a `join!` asks
//! together) goes to the client.
//!
//! rmcp marks sampling and roots deprecated (SEP-2577, after 2026-07-28), which still has them.
#![allow(deprecated)]

use std::collections::BTreeMap;
use std::sync::Mutex;

use rmcp::model::{
    ClientCapabilities, CreateMessageResult, ElicitResult, InputRequest, InputRequests,
    InputResponses, ListRootsResult,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::sync::Notify;

use super::ask;
use crate::host::ClientRequests;
use crate::{BoxFuture, ErrorKind, McpError};

/// The most questions one call may have answered across its rounds: each answer travels in the
/// request state, which the client sends back with every retry.
pub(super) const MAX_ANSWERS: usize = 32;

/// One round of a call: the answers it has, the questions its handler asked.
pub(super) struct InputRound {
    answers: BTreeMap<String, Value>,
    /// What the client declared it can answer, when it declared anything.
    client: Option<ClientCapabilities>,
    asked: Notify,
    progress: Mutex<Progress>,
}

#[derive(Default)]
struct Progress {
    /// Questions without an answer, to send.
    unanswered: InputRequests,
    /// Answers the handler took, to keep for the next round.
    used: BTreeMap<String, Value>,
    /// Questions asked without a key, numbered in order.
    numbered: usize,
}

impl InputRound {
    /// A round with the answers of earlier rounds and those the client's retry brought (which
    /// win: they are the latest).
    pub(super) fn new(
        earlier: BTreeMap<String, Value>,
        responses: Option<InputResponses>,
        client: Option<ClientCapabilities>,
    ) -> Self {
        let mut answers = earlier;
        answers.extend(responses.unwrap_or_default());
        InputRound {
            answers,
            client,
            asked: Notify::new(),
            progress: Mutex::default(),
        }
    }

    /// Resolves once the handler asked a question this round has no answer for.
    pub(super) async fn asked(&self) {
        self.asked.notified().await;
    }

    /// The questions asked and not answered, and the answers to keep for the next round.
    pub(super) fn finish(&self) -> (InputRequests, BTreeMap<String, Value>) {
        let mut progress = self.progress.lock().expect("input round lock");
        (
            std::mem::take(&mut progress.unanswered),
            std::mem::take(&mut progress.used),
        )
    }

    /// The answer to `key`, if the client gave one of the shape `method` answers with.
    fn answer(&self, key: &str, method: &str) -> Option<&Value> {
        let answer = self.answers.get(key)?;
        let valid = match method {
            "elicitation/create" => is::<ElicitResult>(answer),
            "sampling/createMessage" => is::<CreateMessageResult>(answer),
            "roots/list" => is::<ListRootsResult>(answer),
            _ => false,
        };
        valid.then_some(answer)
    }
}

/// Whether a client that declared `capabilities` can answer `method`.
pub(super) fn can_answer(capabilities: &ClientCapabilities, method: &str) -> bool {
    match method {
        "elicitation/create" => capabilities.elicitation.is_some(),
        "sampling/createMessage" => capabilities.sampling.is_some(),
        "roots/list" => capabilities.roots.is_some(),
        _ => false,
    }
}

/// The capability a client declares to answer `method`.
fn capability_of(method: &str) -> &str {
    match method {
        "elicitation/create" => "elicitation",
        "sampling/createMessage" => "sampling",
        "roots/list" => "roots",
        other => other,
    }
}

/// The request `method` with `params`, as an input request (a round's or a task's).
pub(super) fn input_request(method: &str, params: Value) -> Result<InputRequest, McpError> {
    serde_json::from_value(json!({ "method": method, "params": params })).map_err(|error| {
        McpError::new(format!(
            "`{method}` cannot be asked of the client this way: {error}"
        ))
    })
}

fn is<T: DeserializeOwned>(value: &Value) -> bool {
    T::deserialize(value).is_ok()
}

impl ClientRequests for InputRound {
    fn request<'a>(
        &'a self,
        key: Option<&'a str>,
        method: &'a str,
        params: Value,
    ) -> BoxFuture<'a, Result<Value, McpError>> {
        Box::pin(async move {
            let key = {
                let mut progress = self.progress.lock().expect("input round lock");
                match key {
                    Some(key) => key.to_owned(),
                    None => {
                        progress.numbered += 1;
                        format!("input-{}", progress.numbered)
                    }
                }
            };
            if key == ask::INPUT_KEY {
                return Err(McpError::new(format!(
                    "the input key `{key}` is the host's (its approval question); choose another"
                )));
            }
            if let Some(client) = &self.client
                && !can_answer(client, method)
            {
                return Err(McpError::of_kind(
                    ErrorKind::MissingClientCapability {
                        capability: capability_of(method).to_owned(),
                    },
                    format!(
                        "the client cannot answer `{method}` (it did not declare the capability)"
                    ),
                ));
            }
            if let Some(answer) = self.answer(&key, method) {
                let mut progress = self.progress.lock().expect("input round lock");
                if progress.used.len() >= MAX_ANSWERS && !progress.used.contains_key(&key) {
                    return Err(McpError::new(format!(
                        "a call may ask its client at most {MAX_ANSWERS} questions"
                    )));
                }
                progress.used.insert(key, answer.clone());
                return Ok(answer.clone());
            }
            let request = input_request(method, params)?;
            self.progress
                .lock()
                .expect("input round lock")
                .unanswered
                .insert(key, request);
            // A permit is stored if nobody waits yet: the round ends either way.
            self.asked.notify_one();
            // The round ends here: the handler is dropped, and runs again with the answer.
            std::future::pending().await
        })
    }
}
