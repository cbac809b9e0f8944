//! Associations between CRM objects: listing them, an object's meetings, and linking and
//! unlinking two objects.

use std::fmt::Write as _;

use mcp_runtime::prelude::*;
use serde_json::json;

use super::*;

/// The most meetings `get_associated_meetings` reads.
const MEETINGS_READ: usize = 100;
/// The types `list_associations` looks at when not told one.
const ASSOCIATED_TYPES: &[&str] = &["contacts", "companies", "deals", "tasks", "notes"];

#[mcp_tools]
impl Hubspot {
    /// The meetings associated with a contact, company or deal: title, time, outcome,
    /// location, link and notes of each, up to 100.
    #[tool(
        stake = "never_ask",
        running = "Reading associated meetings",
        done = "Read associated meetings"
    )]
    async fn get_associated_meetings(
        &self,
        ctx: &ToolContext,
        args: GetAssociatedMeetings,
    ) -> ToolResult {
        let from = args.from_object_type.as_str();
        let associated = self
            .associations(ctx, from, &args.from_object_id, "meetings")
            .await?;
        if associated.results.is_empty() {
            return Ok(ToolOutput::markdown(format!(
                "No meetings are associated with {} {}.",
                render::singular(from),
                args.from_object_id
            )));
        }
        let ids: Vec<String> = associated
            .results
            .iter()
            .take(MEETINGS_READ)
            .map(|associated| associated.to_object_id.to_string())
            .collect();
        let batch: types::Batch = self
            .client
            .post("/crm/v3/objects/meetings/batch/read")
            .json(&json!({
                "inputs": ids.iter().map(|id| json!({"id": id})).collect::<Vec<_>>(),
                "properties": render::MEETING_PROPERTIES,
                "propertiesWithHistory": [],
            }))
            .send(ctx)
            .await?;
        let meetings: Vec<types::CrmObject> = batch
            .results
            .into_iter()
            .filter(|meeting| {
                meeting
                    .get("hs_engagement_type")
                    .is_none_or(|kind| kind == "MEETING")
            })
            .collect();
        let mut summary = format!(
            "{} associated with {} {}",
            crate::markdown::counted(meetings.len() as u64, "meeting"),
            render::singular(from),
            args.from_object_id
        );
        if associated.results.len() > MEETINGS_READ || types::after(&associated.paging).is_some() {
            let _ = write!(
                summary,
                " (only the first {MEETINGS_READ} associated engagements were read)"
            );
        }
        summary.push(':');
        Ok(ToolOutput::markdown(render::meetings(&summary, &meetings)))
    }

    /// The objects a contact, company or deal is associated with, by type, with the
    /// associations' labels: of `toObjectType`, or of contacts, companies, deals, tasks and
    /// notes.
    #[tool(
        stake = "never_ask",
        running = "Listing associations",
        done = "List associations"
    )]
    async fn list_associations(&self, ctx: &ToolContext, args: ListAssociations) -> ToolResult {
        let from = args.object_type.as_str();
        let targets: Vec<&str> = match args.to_object_type {
            Some(to) => vec![to.as_str()],
            None => ASSOCIATED_TYPES
                .iter()
                .copied()
                .filter(|kind| *kind != from)
                .collect(),
        };
        let mut text = format!(
            "Associations of {} {}:\n",
            render::singular(from),
            args.object_id
        );
        for to in targets {
            let _ = write!(text, "\n## {to}\n\n");
            match self.associations(ctx, from, &args.object_id, to).await {
                Ok(page) if page.results.is_empty() => text.push_str("None.\n"),
                Ok(page) => {
                    for associated in &page.results {
                        let labels: Vec<String> = associated
                            .association_types
                            .iter()
                            .map(|kind| match &kind.label {
                                Some(label) => format!("{label} ({})", kind.type_id),
                                None => format!("{} {}", kind.category, kind.type_id),
                            })
                            .collect();
                        let _ = writeln!(
                            text,
                            "- {} {}: {}",
                            render::singular(to),
                            associated.to_object_id,
                            labels.join(", ")
                        );
                    }
                    if types::after(&page.paging).is_some() {
                        text.push_str("- … more not listed\n");
                    }
                }
                // A single type asked for: its failure is the answer. Among several, the others
                // still say something.
                Err(error) if args.to_object_type.is_some() => return Err(error),
                Err(error) => {
                    let _ = writeln!(text, "Could not be read: {error}");
                }
            }
        }
        Ok(ToolOutput::markdown(text))
    }

    /// Associate two objects (contacts, companies, deals) with HubSpot's default association
    /// between their types.
    #[tool(
        stake = "high",
        running = "Associating objects",
        done = "Associate objects"
    )]
    async fn create_association(&self, ctx: &ToolContext, args: AssociationPair) -> ToolResult {
        let (from, to) = (args.from_object_type.as_str(), args.to_object_type.as_str());
        self.client
            .put(format!(
                "/crm/v4/objects/{from}/{}/associations/default/{to}/{}",
                args.from_object_id, args.to_object_id
            ))
            .empty(ctx)
            .await?;
        Ok(ToolOutput::markdown(format!(
            "Associated {} {} with {} {}.",
            render::singular(from),
            args.from_object_id,
            render::singular(to),
            args.to_object_id
        )))
    }

    /// Remove every association between two objects (contacts, companies, deals).
    #[tool(
        stake = "high",
        running = "Removing an association",
        done = "Remove an association"
    )]
    async fn remove_association(&self, ctx: &ToolContext, args: AssociationPair) -> ToolResult {
        let (from, to) = (args.from_object_type.as_str(), args.to_object_type.as_str());
        self.client
            .delete(format!(
                "/crm/v4/objects/{from}/{}/associations/{to}/{}",
                args.from_object_id, args.to_object_id
            ))
            .empty(ctx)
            .await?;
        Ok(ToolOutput::markdown(format!(
            "Removed the associations between {} {} and {} {}.",
            render::singular(from),
            args.from_object_id,
            render::singular(to),
            args.to_object_id
        )))
    }
}

impl Hubspot {
    /// The first page (up to 500) of `from` object `id`'s associations to `to` objects.
    async fn associations(
        &self,
        ctx: &ToolContext,
        from: &str,
        id: &Id,
        to: &str,
    ) -> Result<types::Page<types::Associated>, McpError> {
        self.client
            .get(format!("/crm/v4/objects/{from}/{id}/associations/{to}"))
            .query("limit", 500)
            .send(ctx)
            .await
    }
}
