//! Errors a tool returns, and errors of the call itself.

use std::error::Error as StdError;

/// Why a tool call failed, as far as the caller needs to act on it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The handler failed.
    Tool,
    /// The arguments did not match the tool's input type; the model can correct them.
    InvalidArguments,
    /// The upstream platform failed (5xx, malformed response).
    Provider {
        /// The upstream HTTP status, if there was one.
        status: Option<u16>,
    },
    /// The upstream platform has no such object.
    NotFound,
    /// The user must connect (or reconnect) their account with `provider`.
    PersonalAuthenticationRequired {
        /// The OAuth provider to connect.
        provider: String,
    },
    /// The tool's stake needs an approval the user did not give (or could not be asked for).
    ApprovalRequired {
        /// The effective stake.
        stake: crate::Stake,
    },
    /// The caller made too many calls; a host's rate limit refused this one.
    RateLimited {
        /// When a call would be accepted again.
        retry_after: Option<std::time::Duration>,
    },
    /// The call took longer than the server's `timeout_ms`.
    Timeout,
    /// The handler panicked.
    Panicked,
    /// The call needs the client to answer a request (sampling, elicitation, roots) whose
    /// capability it did not declare; over MCP on 2026-07-28, the call's answer is the protocol's
    /// `MissingRequiredClientCapability` error (-32021).
    MissingClientCapability {
        /// The capability, as MCP names it (`sampling`, `elicitation`, `roots`).
        capability: String,
    },
}

/// The error of a tool: shown to the model as an `isError` result, logged by the runtime.
///
/// `tracked` decides the log level: tracked errors (bugs, upstream outages) are logged as errors,
/// untracked ones (the user's or the model's mistakes) as warnings.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct McpError {
    kind: ErrorKind,
    message: String,
    tracked: bool,
    code: Option<i64>,
    #[source]
    cause: Option<Box<dyn StdError + Send + Sync>>,
}

impl McpError {
    /// A tracked tool error.
    pub fn new(message: impl Into<String>) -> Self {
        Self::of_kind(ErrorKind::Tool, message)
    }

    /// An error of `kind`; tracked unless the kind is the caller's doing.
    pub fn of_kind(kind: ErrorKind, message: impl Into<String>) -> Self {
        let tracked = matches!(
            kind,
            ErrorKind::Tool | ErrorKind::Provider { .. } | ErrorKind::Panicked
        );
        McpError {
            kind,
            message: message.into(),
            tracked,
            code: None,
            cause: None,
        }
    }

    /// Arguments the model must correct.
    pub fn invalid_arguments(message: impl Into<String>) -> Self {
        Self::of_kind(ErrorKind::InvalidArguments, message)
    }

    /// An upstream failure.
    pub fn provider(status: Option<u16>, message: impl Into<String>) -> Self {
        Self::of_kind(ErrorKind::Provider { status }, message)
    }

    /// An object the platform does not have.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::of_kind(ErrorKind::NotFound, message)
    }

    /// The user must connect their `provider` account.
    pub fn personal_authentication_required(provider: impl Into<String>) -> Self {
        let provider = provider.into();
        let message = format!(
            "personal authentication required: connect your {provider} account and try again"
        );
        Self::of_kind(
            ErrorKind::PersonalAuthenticationRequired { provider },
            message,
        )
    }

    /// Marks the error as the user's or the model's doing (logged as a warning).
    pub fn untracked(mut self) -> Self {
        self.tracked = false;
        self
    }

    /// Attaches a numeric code.
    pub fn with_code(mut self, code: i64) -> Self {
        self.code = Some(code);
        self
    }

    /// Attaches the underlying error.
    pub fn with_cause(mut self, cause: impl StdError + Send + Sync + 'static) -> Self {
        self.cause = Some(Box::new(cause));
        self
    }

    /// What failed.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The message shown to the model.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the error is logged as an error (true) or a warning (false).
    pub fn is_tracked(&self) -> bool {
        self.tracked
    }

    /// The numeric code, if any.
    pub fn code(&self) -> Option<i64> {
        self.code
    }
}

/// A call that produced no tool result: the protocol answers it with an error, not `isError`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallError {
    /// No server of that name in the registry.
    #[error("unknown server `{name}`{}", suggestion_text(suggestion))]
    UnknownServer {
        /// The requested name.
        name: String,
        /// The closest existing name.
        suggestion: Option<&'static str>,
    },
    /// No tool of that name in the server.
    #[error(
        "unknown tool `{name}` in server `{server}`{}",
        suggestion_text(suggestion)
    )]
    UnknownTool {
        /// The server asked.
        server: &'static str,
        /// The requested name.
        name: String,
        /// The closest existing name.
        suggestion: Option<&'static str>,
    },
    /// The tool's stake asks for the user's approval first: the call is held until the host
    /// resolves it with [`ApprovalGate::resolve`](crate::host::approval::ApprovalGate::resolve).
    #[error(
        "`{}` has stake `{}` and needs the approval of its user: {}",
        .0.tool,
        .0.stake,
        .0.label
    )]
    ApprovalRequired(Box<crate::host::approval::ApprovalRequest>),
    /// The call was cancelled before it finished; MCP sends no response for it.
    #[error("the call to `{tool}` was cancelled")]
    Cancelled {
        /// The tool that was running.
        tool: &'static str,
    },
}

fn suggestion_text(suggestion: &Option<&'static str>) -> String {
    suggestion
        .map(|name| format!("; did you mean `{name}`?"))
        .unwrap_or_default()
}

/// The name among `candidates` closest to `name`, if any is close enough to be a typo.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .map(|candidate| (strsim::jaro_winkler(name, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}
