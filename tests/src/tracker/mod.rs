//! A server whose tools are split across files, one area per file: issues in `issues.rs`,
//! comments in `comments.rs`, and one tool of its own here.

mod comments;
mod issues;

use std::collections::BTreeMap;
use std::sync::Mutex;

use mcp_runtime::prelude::*;

pub use comments::PostComment;
pub use issues::{CreateIssue, GetIssue};

/// An issue tracker kept in memory.
#[derive(Debug, Default)]
pub struct Tracker {
    issues: Mutex<BTreeMap<u64, String>>,
}

impl Tracker {
    fn title(&self, number: u64) -> Option<String> {
        self.issues.lock().unwrap().get(&number).cloned()
    }
}

/// Issues and comments in a small tracker.
#[mcp_server(id = 40, availability = "manual", parts(issues, comments))]
impl Tracker {
    /// Count the issues.
    #[tool(stake = "never_ask")]
    async fn count_issues(&self, _ctx: &ToolContext) -> ToolResult {
        Ok(ToolOutput::text(
            self.issues.lock().unwrap().len().to_string(),
        ))
    }
}
