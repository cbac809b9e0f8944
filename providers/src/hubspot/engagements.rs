//! Engagements: tasks, notes, communications and meetings logged on CRM records.

use mcp_runtime::prelude::*;
use serde_json::json;

use super::records::created;
use super::*;

/// The channels a communication is logged on.
const CHANNELS: &[&str] = &["SMS", "WHATS_APP", "LINKEDIN"];

#[mcp_tools]
impl Hubspot {
    /// Create a task with `properties`: `hs_task_subject`, `hs_task_body`, `hs_timestamp`
    /// (due, required by HubSpot), `hs_task_status` (`NOT_STARTED`, `COMPLETED`…),
    /// `hs_task_priority` (`LOW`, `MEDIUM`, `HIGH`), `hubspot_owner_id`; optionally associated
    /// with other objects.
    #[tool(stake = "high", running = "Creating a task", done = "Create a task")]
    async fn create_task(&self, ctx: &ToolContext, args: CreateObject) -> ToolResult {
        self.create_record(ctx, "tasks", args).await
    }

    /// Set properties of a task (`hs_task_subject`, `hs_task_body`, `hs_timestamp`,
    /// `hs_task_priority`, `hs_task_status`; `complete_task` marks it done).
    #[tool(stake = "high", running = "Updating a task", done = "Update a task")]
    async fn update_task(&self, ctx: &ToolContext, args: UpdateTask) -> ToolResult {
        self.update_record(ctx, "tasks", &args.task_id, &args.properties)
            .await
    }

    /// Mark a task completed.
    #[tool(
        stake = "high",
        running = "Completing a task",
        done = "Complete a task"
    )]
    async fn complete_task(&self, ctx: &ToolContext, args: TaskId) -> ToolResult {
        let status = BTreeMap::from([("hs_task_status".to_owned(), "COMPLETED".to_owned())]);
        self.update_object(ctx, "tasks", &args.task_id, &status)
            .await?;
        Ok(ToolOutput::markdown(format!(
            "Task {} marked as completed.",
            args.task_id
        )))
    }

    /// Delete a task (HubSpot archives it; it can be restored from HubSpot's recycle bin for
    /// 90 days).
    #[tool(stake = "high", running = "Deleting a task", done = "Delete a task")]
    async fn delete_task(&self, ctx: &ToolContext, args: TaskId) -> ToolResult {
        self.client
            .delete(format!("/crm/v3/objects/tasks/{}", args.task_id))
            .empty(ctx)
            .await?;
        Ok(ToolOutput::markdown(format!(
            "Task {} deleted.",
            args.task_id
        )))
    }

    /// Create a note (`hs_note_body`, HTML allowed) on contacts, companies, deals or owners;
    /// `hs_timestamp` defaults to now.
    #[tool(stake = "high", running = "Creating a note", done = "Create a note")]
    async fn create_note(&self, ctx: &ToolContext, args: CreateNote) -> ToolResult {
        if args.properties.hs_note_body.trim().is_empty() {
            return Err(McpError::invalid_arguments(
                "`properties.hs_note_body` is empty",
            ));
        }
        let timestamp = match &args.properties.hs_timestamp {
            Some(given) => filters::epoch_millis(given.trim()).ok_or_else(|| {
                McpError::invalid_arguments(format!(
                    "`properties.hs_timestamp` must be an ISO 8601 time, not `{given}`"
                ))
            })?,
            None => chrono::Utc::now().timestamp_millis().to_string(),
        };
        let mut properties = Map::new();
        properties.insert("hs_note_body".into(), json!(args.properties.hs_note_body));
        properties.insert("hs_timestamp".into(), json!(timestamp));
        if let Some(owner) = &args.properties.hubspot_owner_id {
            properties.insert("hubspot_owner_id".into(), json!(owner));
        }
        let given = args.associations.unwrap_or_default();
        let associations = linked(&[
            ("contacts", given.contact_ids.as_deref()),
            ("companies", given.company_ids.as_deref()),
            ("deals", given.deal_ids.as_deref()),
            ("owners", given.owner_ids.as_deref()),
        ]);
        let note = self
            .create_object(ctx, "notes", properties, &associations)
            .await?;
        Ok(created("notes", &note))
    }

    /// Log a communication (an SMS, WhatsApp or LinkedIn message) with `properties`:
    /// `hs_communication_channel_type` (`SMS`, `WHATS_APP` or `LINKEDIN`, required),
    /// `hs_communication_body`, `hs_timestamp`, `hubspot_owner_id`; on contacts, companies or
    /// deals.
    #[tool(
        stake = "high",
        running = "Logging a communication",
        done = "Log a communication"
    )]
    async fn create_communication(&self, ctx: &ToolContext, args: CreateEngagement) -> ToolResult {
        let channel = args
            .properties
            .get("hs_communication_channel_type")
            .and_then(Value::as_str);
        if !channel.is_some_and(|channel| CHANNELS.contains(&channel)) {
            return Err(McpError::invalid_arguments(format!(
                "`properties.hs_communication_channel_type` must be one of {}",
                CHANNELS.join(", ")
            )));
        }
        self.create_engagement(ctx, "communications", args).await
    }

    /// Log a meeting with `properties`: `hs_meeting_title`, `hs_meeting_body`,
    /// `hs_meeting_start_time`, `hs_meeting_end_time`, `hs_timestamp` (required by HubSpot),
    /// `hs_meeting_location`, `hs_meeting_outcome`, `hubspot_owner_id`; on contacts, companies
    /// or deals.
    #[tool(stake = "high", running = "Logging a meeting", done = "Log a meeting")]
    async fn create_meeting(&self, ctx: &ToolContext, args: CreateEngagement) -> ToolResult {
        self.create_engagement(ctx, "meetings", args).await
    }
}

impl Hubspot {
    /// Creates a `kind` engagement, its properties as text (HubSpot takes only text).
    async fn create_engagement(
        &self,
        ctx: &ToolContext,
        kind: &str,
        args: CreateEngagement,
    ) -> ToolResult {
        if args.properties.is_empty() {
            return Err(McpError::invalid_arguments("`properties` sets nothing"));
        }
        let properties: Map<String, Value> = args
            .properties
            .into_iter()
            .filter(|(_, value)| !value.is_null())
            .map(|(name, value)| {
                let text = match value {
                    Value::String(text) => text,
                    other => other.to_string(),
                };
                (name, Value::String(text))
            })
            .collect();
        let given = args.associations.unwrap_or_default();
        let associations = linked(&[
            ("contacts", given.contact_ids.as_deref()),
            ("companies", given.company_ids.as_deref()),
            ("deals", given.deal_ids.as_deref()),
        ]);
        let engagement = self
            .create_object(ctx, kind, properties, &associations)
            .await?;
        Ok(created(kind, &engagement))
    }
}

/// `(type, id)` pairs of the ids given per type.
fn linked<'a>(given: &[(&'a str, Option<&'a [Id]>)]) -> Vec<(&'a str, &'a str)> {
    given
        .iter()
        .flat_map(|(kind, ids)| ids.unwrap_or_default().iter().map(move |id| (*kind, &**id)))
        .collect()
}
