//! A user not connected to a platform is sent, in band, to the page where they connect: a call
//! ending with a "not connected" error (`personal_authentication_required`) becomes a URL-mode
//! elicitation pointing at the host's connect link for that user and provider. On 2026-07-28 it
//! is an input-required result; on 2025-11-25 the `URLElicitationRequiredError` (`-32042`) for
//! clients that declared URL elicitation, else the error result with the link in its text.
//! Either way the client calls again once the user has connected.

use rmcp::ErrorData;
use rmcp::model::{ErrorCode, InputRequest, InputRequests, InputRequiredResult};
use serde_json::{Value, json};

use crate::CallToolResult;

/// The code of the 2025-11-25 error telling a client that a URL must be visited first.
pub const URL_ELICITATION_REQUIRED: i32 = -32042;

/// Where a host's users connect their accounts.
pub trait ConnectLinks: Send + Sync + std::fmt::Debug {
    /// The URL at which `user_id` connects `provider` (it may carry a ticket for that user),
    /// or `None` when this host offers no connection to it.
    fn link(&self, user_id: &str, provider: &str) -> Option<String>;
}

/// The provider a "not connected" error result names.
pub(super) fn not_connected(result: &CallToolResult) -> Option<&str> {
    result.error_of_kind("personal_authentication_required")?["provider"].as_str()
}

/// What the user is told when sent to connect `provider`.
pub(super) fn message(provider: &str) -> String {
    format!("Connect your {provider} account, then try again.")
}

/// The URL-mode elicitation sending the user to `url`.
fn elicitation(url: &str, message: &str) -> Value {
    let mut id = [0u8; 16];
    getrandom::fill(&mut id).expect("the system's random source");
    let id: String = id.iter().map(|byte| format!("{byte:02x}")).collect();
    json!({"mode": "url", "message": message, "url": url, "elicitationId": id})
}

/// The 2026-07-28 input-required result sending the user to `url`, under `key` among the
/// input requests.
pub(super) fn input_required(key: &str, url: &str, message: &str) -> Option<InputRequiredResult> {
    let request = serde_json::from_value(json!({
        "method": "elicitation/create",
        "params": elicitation(url, message),
    }))
    .ok()?;
    let requests = InputRequests::from([(key.to_owned(), InputRequest::Elicitation(request))]);
    Some(InputRequiredResult::new(Some(requests), None))
}

/// The 2025-11-25 error sending the user to `url` before the call is made again.
pub(super) fn url_required(url: &str, message: &str) -> ErrorData {
    ErrorData::new(
        ErrorCode(URL_ELICITATION_REQUIRED),
        message.to_owned(),
        Some(json!({"elicitations": [elicitation(url, message)]})),
    )
}

/// `result` with the link, for a client that cannot open it itself.
pub(super) fn with_link(mut result: CallToolResult, url: &str) -> CallToolResult {
    result.content.push(crate::Content::Text {
        text: format!("Connect at {url}, then call again."),
    });
    result
}
