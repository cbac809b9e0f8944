//! A notice board whose notices change while served, for the tests of resource subscriptions.

use std::collections::BTreeMap;
use std::sync::Mutex;

use mcp_runtime::prelude::*;

/// Arguments of `pin`.
#[derive(Deserialize, JsonSchema)]
pub struct Notice {
    /// Which notice: `board://notices/{id}`.
    pub id: String,
    /// What it says.
    pub text: String,
}

/// A board of notices.
#[derive(Debug, Default)]
pub struct Board {
    notices: Mutex<BTreeMap<String, String>>,
    changes: ResourceChanges,
}

/// Notices, pinned and read; a subscriber hears of each change.
#[mcp_server(id = 73, availability = "manual", changes = "changes")]
impl Board {
    /// Pin a notice, replacing the one of the same id.
    #[tool(stake = "low")]
    async fn pin(&self, args: Notice) -> ToolResult {
        self.notices
            .lock()
            .unwrap()
            .insert(args.id.clone(), args.text);
        self.changes
            .updated(&format!("board://notices/{}", args.id));
        self.changes.updated("board://index");
        Ok(ToolOutput::text(format!("pinned {}", args.id)))
    }

    /// The ids of the notices, one per line.
    #[resource(uri = "board://index", mime_type = "text/plain")]
    async fn index(&self) -> ResourceResult {
        let notices = self.notices.lock().unwrap();
        let ids: Vec<&str> = notices.keys().map(String::as_str).collect();
        Ok(ResourceOutput::text("text/plain", ids.join("\n")))
    }

    /// One notice.
    #[resource_template(uri = "board://notices/{id}", mime_type = "text/plain")]
    async fn notice(&self, id: String) -> ResourceResult {
        let notices = self.notices.lock().unwrap();
        let text = notices
            .get(&id)
            .ok_or_else(|| McpError::new(format!("no notice `{id}`")))?;
        Ok(ResourceOutput::text("text/plain", text.clone()))
    }
}
