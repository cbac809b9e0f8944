//! Searching CRM objects: counts, pages of results, CSV exports, and an owner's activity.

use std::fmt::Write as _;

use mcp_runtime::ResourceContents;
use mcp_runtime::prelude::*;
use serde_json::json;

use super::*;

/// The engagement types of an owner's activity, each with the property that says what it was.
const ACTIVITY: &[(&str, &str)] = &[
    ("tasks", "hs_task_subject"),
    ("notes", "hs_note_body"),
    ("meetings", "hs_meeting_title"),
    ("calls", "hs_call_title"),
    ("emails", "hs_email_subject"),
];
/// The properties that may name an engagement's owner, tried in turn until one finds some.
const OWNER_PROPERTIES: &[&str] = &["hubspot_owner_id", "hs_created_by", "hs_created_by_user_id"];

#[mcp_tools]
impl Hubspot {
    /// Count the contacts, companies or deals that meet all `filters`. HubSpot counts up to
    /// 10,000; beyond that the answer is "10,000 or more".
    #[tool(
        stake = "never_ask",
        running = "Counting objects",
        done = "Count objects"
    )]
    async fn count_objects_by_properties(
        &self,
        ctx: &ToolContext,
        args: CountObjects,
    ) -> ToolResult {
        let kind = args.object_type.as_str();
        let id = ["id".to_owned()];
        let page = self
            .search(
                ctx,
                kind,
                Search {
                    filters: &args.filters,
                    properties: Some(&id),
                    ..Search::first(1)
                },
            )
            .await?;
        Ok(ToolOutput::markdown(if page.total >= COUNT_LIMIT {
            format!(
                "10,000 or more {} match the filters (HubSpot counts up to 10,000).",
                kind.replace('_', " ")
            )
        } else {
            format!(
                "{} match the filters.",
                render::counted_objects(page.total, kind)
            )
        }))
    }

    /// Search CRM objects of one type (contacts, companies, deals, tickets, tasks, notes,
    /// meetings, calls, emails…) by `filters` (all met) and/or a text `query`, newest first:
    /// contacts at a company, deals by close date, an owner's tasks. For enumeration properties
    /// (`industry`, `dealstage`) read the exact values with `get_object_properties` first.
    /// `limit` 1 to 200 (default 200) per page; the answer ends with the `after` cursor of the
    /// next page. Without `propertiesToReturn`, every property is read and the meaningful ones
    /// are shown.
    #[tool(
        stake = "never_ask",
        running = "Searching the CRM",
        done = "Search the CRM"
    )]
    async fn search_crm_objects(&self, ctx: &ToolContext, args: SearchCrmObjects) -> ToolResult {
        let limit = page_size("limit", args.limit, (SEARCH_LIMIT, SEARCH_LIMIT))?;
        let kind = args.object_type.as_str();
        let page = self
            .search(
                ctx,
                kind,
                Search {
                    filters: args.filters.as_deref().unwrap_or_default(),
                    properties: args.properties_to_return.as_deref(),
                    limit,
                    after: args.after.as_deref(),
                    query: args.query.as_deref(),
                },
            )
            .await?;
        if page.results.is_empty() {
            return Ok(ToolOutput::markdown(format!(
                "No {} match the search.",
                kind.replace('_', " ")
            )));
        }
        let after = types::after(&page.paging);
        Ok(ToolOutput::markdown(format!(
            "Found {} ({} on this page):\n\n{}",
            render::counted_objects(page.total, kind),
            page.results.len(),
            render::objects(
                kind,
                &page.results,
                args.properties_to_return.as_deref(),
                after
            )
        )))
    }

    /// Export CRM objects of one type that meet `filters` and/or `query` as CSV, one column
    /// per property of `propertiesToExport`. Up to `maxRows` rows, 1 to 2000 (default 2000),
    /// read 100 at a time.
    #[tool(
        stake = "never_ask",
        running = "Exporting to CSV",
        done = "Export to CSV"
    )]
    async fn export_crm_objects_csv(
        &self,
        ctx: &ToolContext,
        args: ExportCrmObjects,
    ) -> ToolResult {
        let max_rows = page_size("maxRows", args.max_rows, (EXPORT_LIMIT, EXPORT_LIMIT))?;
        if args.properties_to_export.is_empty() {
            return Err(McpError::invalid_arguments(
                "`propertiesToExport` names no property",
            ));
        }
        let kind = args.object_type.as_str();
        let filters = args.filters.as_deref().unwrap_or_default();
        let prepared = self
            .prepare_search(ctx, kind, filters, Some(&args.properties_to_export))
            .await?;
        let mut rows = Vec::new();
        let mut after: Option<String> = None;
        let mut total = 0;
        while rows.len() < max_rows as usize {
            let left = max_rows - rows.len() as u32;
            let page = self
                .search_with(
                    ctx,
                    kind,
                    &prepared,
                    left.min(EXPORT_PAGE),
                    after.as_deref(),
                    args.query.as_deref(),
                )
                .await?;
            total = page.total;
            after = types::after(&page.paging).map(str::to_owned);
            rows.extend(page.results);
            if after.is_none() {
                break;
            }
        }
        let csv = csv::write(&args.properties_to_export, &rows);
        let mut summary = format!(
            "Exported {} to CSV ({}: {}).",
            render::counted_objects(rows.len() as u64, kind),
            crate::markdown::counted(args.properties_to_export.len() as u64, "column"),
            args.properties_to_export.join(", ")
        );
        if total > rows.len() as u64 {
            let _ = write!(
                summary,
                " {total} match in all; the export stops at {max_rows} rows: narrow the filters for the rest."
            );
        }
        Ok(
            ToolOutput::markdown(summary).with_resource(ResourceContents::text(
                format!("hubspot://export/{kind}.csv"),
                "text/csv",
                csv,
            )),
        )
    }

    /// An owner's tasks, notes, meetings, calls and emails created between `startDate` and
    /// `endDate` (ISO 8601 or milliseconds), newest first, with a count per type; up to
    /// `limit`, 1 to 200 (default 200). For your own activity, find your owner id with
    /// `get_current_user_id` first.
    #[tool(
        stake = "never_ask",
        running = "Reading an owner's activity",
        done = "Read an owner's activity"
    )]
    async fn get_user_activity(&self, ctx: &ToolContext, args: GetUserActivity) -> ToolResult {
        let limit = page_size("limit", args.limit, (SEARCH_LIMIT, SEARCH_LIMIT))?;
        let bound = |field: &str, value: &str| {
            filters::epoch_millis(value.trim()).ok_or_else(|| {
                McpError::invalid_arguments(format!(
                    "`{field}` must be an ISO 8601 date or time or milliseconds since the epoch, not `{value}`"
                ))
            })
        };
        let start = bound("startDate", &args.start_date)?;
        let end = bound("endDate", &args.end_date)?;
        let mut found: Vec<(&str, &str, types::CrmObject)> = Vec::new();
        let mut by_type = Vec::new();
        for (kind, title) in ACTIVITY {
            let mut results = Vec::new();
            for owner_property in OWNER_PROPERTIES {
                let body = json!({
                    "filterGroups": [{"filters": [
                        {"propertyName": owner_property, "operator": "EQ", "value": args.owner_id.to_string()},
                        {"propertyName": "createdate", "operator": "GTE", "value": start},
                        {"propertyName": "createdate", "operator": "LTE", "value": end},
                    ]}],
                    "sorts": ["-createdate"],
                    "properties": [title, "hs_timestamp", "createdate"],
                    "limit": limit,
                });
                results = self.search_page(ctx, kind, &body).await?.results;
                if !results.is_empty() {
                    break;
                }
            }
            by_type.push(format!("{kind} {}", results.len()));
            found.extend(results.into_iter().map(|object| (*kind, *title, object)));
        }
        let total = found.len();
        // Newest first across types; ISO 8601 times in UTC sort as text.
        found.sort_by(|a, b| b.2.created_at.cmp(&a.2.created_at));
        found.truncate(limit as usize);
        let mut text = format!(
            "Found {} of owner {} between {} and {} ({}).\n\n",
            if total == 1 {
                "1 activity".to_owned()
            } else {
                format!("{total} activities")
            },
            args.owner_id,
            args.start_date,
            args.end_date,
            by_type.join(", ")
        );
        for (kind, title, object) in &found {
            let what = object
                .get(title)
                .map(|value| crate::markdown::one_line(&render::html_to_text(value)))
                .unwrap_or_default();
            let _ = writeln!(
                text,
                "- {} {} {}: {what}",
                object.created_at.as_deref().unwrap_or_default(),
                render::singular(kind),
                object.id
            );
        }
        if total > found.len() {
            let _ = writeln!(text, "\n{} more not shown.", total - found.len());
        }
        Ok(ToolOutput::markdown(text))
    }
}
