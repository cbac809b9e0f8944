//! Runtime of MCP server integrations declared with [`mcp_server`].
//!
//! One attribute on an impl block is the whole integration: metadata, input and output schemas,
//! stakes, typed tool names, dispatch and documentation are generated, and every mistake the
//! macros can see is a compile error. This crate holds what the generated code stands on: the
//! metadata types, the client-safe schema profile, the tool context, outputs and errors, the
//! in-process call path and the registry.
//!
//! ```
//! use mcp_runtime::prelude::*;
//!
//! #[derive(Deserialize, JsonSchema)]
//! pub struct GetIssue {
//!     /// Issue key, e.g. `PROJ-42`.
//!     pub key: String,
//! }
//!
//! #[derive(Default)]
//! pub struct Jira;
//!
//! /// Issues, projects and comments in Jira.
//! #[mcp_server(id = 22, availability = "manual")]
//! impl Jira {
//!     /// Get an issue by its key.
//!     #[tool(stake = "never_ask", running = "Retrieving issue", done = "Retrieve issue")]
//!     async fn get_issue(&self, _ctx: &ToolContext, args: GetIssue) -> ToolResult {
//!         Ok(ToolOutput::markdown(format!("# {}", args.key)))
//!     }
//! }
//!
//! assert_eq!(Jira::METADATA.tools[0].stake, Stake::NeverAsk);
//! assert_eq!(JiraTool::GetIssue.name(), "get_issue");
//! ```

extern crate self as mcp_runtime;

mod arguments;
mod call;
mod catalog;
mod changes;
mod content;
mod context;
mod error;
pub mod host;
mod metadata;
mod offer_call;
mod output;
pub mod schema;
mod server;

#[doc(inline)]
pub use mcp_macros::{
    mcp_registry, mcp_server, mcp_tools, prompt, resource, resource_template, tool,
};

pub use arguments::{IntoToolResult, Json, ToolArguments};
pub use changes::ResourceChanges;
pub use content::{
    CompletionTarget, MAX_COMPLETIONS, PromptArgument, PromptMessage, PromptMetadata, PromptOutput,
    PromptResult, ResourceMetadata, ResourceOutput, ResourceResult, ResourceTemplateMetadata, Role,
    match_template,
};
pub use context::{ClientInput, DEFAULT_OUTPUT_LIMIT, LogLevel, RunIds, ToolContext};
pub use error::{CallError, ErrorKind, McpError};
pub use metadata::{
    Authorization, Availability, Cost, RetryPolicy, ServerMetadata, Stake, TaskStart, TaskSupport,
    ToolAnnotations, ToolMetadata, UseCase, Workspace,
};
pub use offer_call::OfferError;
pub use output::{CallToolResult, Content, ResourceContents, ResourceLink, ToolOutput};
pub use server::{BoxFuture, McpServer, ToolName, UnknownToolName};
pub use tokio_util::sync::CancellationToken;

/// What a tool returns: an output, or an error the model reads.
pub type ToolResult<T = ToolOutput> = Result<T, McpError>;

/// Everything an integration needs, in one import.
pub mod prelude {
    pub use crate::{
        Json, McpError, McpServer, PromptOutput, PromptResult, ResourceChanges, ResourceOutput,
        ResourceResult, Stake, ToolContext, ToolName, ToolOutput, ToolResult, mcp_registry,
        mcp_server, mcp_tools, prompt, resource, resource_template, tool,
    };
    // The derives need no `serde` or `schemars` in the user's dependencies (see
    // `mcp_macros::derive`). serde's traits come from paths that hold only the trait;
    // `schemars::JsonSchema` is also schemars' derive, so it comes through a glob, which the
    // explicit import of our derive shadows in the macro namespace.
    pub use super::schemars_trait::*;
    pub use mcp_macros::{Deserialize, JsonSchema, Serialize};
    pub use serde::de::Deserialize;
    pub use serde::ser::Serialize;
    pub use serde_json::json;
}

/// `schemars::JsonSchema`, for the prelude's glob.
mod schemars_trait {
    pub use schemars::JsonSchema;
}

/// Not public API: what generated code refers to, by absolute path.
#[doc(hidden)]
pub mod __private {
    pub use crate::arguments::{NoWireNames, check_no_arguments, wire_name};
    pub use crate::catalog::ToolSchemas;
    pub use crate::content::{optional_prompt_argument, prompt_argument};
    pub use crate::host::registry_checks as checks;
    pub use crate::host::{Catalog, Registry, ServerEntry, Setting, Settings};
    pub use crate::server::Composes;
    pub use crate::*;
    pub use core;
    pub use mcp_macros::mcp_compose;
    pub use schemars;
    pub use serde;
    pub use serde_json::Map;
    pub use serde_json::Value;
    pub use std::borrow::Cow;
    pub use std::boxed::Box;
    pub use std::string::String;
    pub use std::sync::OnceLock;
    pub use std::vec::Vec;
}

/// The README's example, compiled and run as a doctest so it cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
