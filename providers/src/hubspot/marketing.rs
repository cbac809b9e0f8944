//! Marketing emails (Marketing Email API v3) and email events and campaigns (the legacy Email
//! Events API v1, which HubSpot's published descriptions do not cover).

use std::fmt::Write as _;

use mcp_runtime::prelude::*;

use super::*;

/// The default and the largest page of marketing emails.
const EMAIL_PAGE: (u32, u32) = (50, 100);
/// The default and the largest page of email events and campaigns.
const EVENT_PAGE: (u32, u32) = (100, 1000);

#[mcp_tools]
impl Hubspot {
    /// List marketing emails: name, subject, state, publish date and id; `limit` 1 to 100
    /// (default 50) per page. `state` keeps only emails in that state among the page's
    /// (HubSpot's listing does not filter by state).
    #[tool(
        stake = "never_ask",
        running = "Listing marketing emails",
        done = "List marketing emails"
    )]
    async fn list_marketing_emails(
        &self,
        ctx: &ToolContext,
        args: ListMarketingEmails,
    ) -> ToolResult {
        let limit = page_size("limit", args.limit, EMAIL_PAGE)?;
        let page: types::MarketingEmails = self
            .client
            .get("/marketing/v3/emails")
            .query("limit", limit)
            .query_opt("after", args.after.as_deref())
            .send(ctx)
            .await?;
        let on_page = page.results.len();
        let emails: Vec<&types::MarketingEmail> = page
            .results
            .iter()
            .filter(|email| {
                args.state.as_deref().is_none_or(|state| {
                    email
                        .state
                        .as_deref()
                        .is_some_and(|own| own.eq_ignore_ascii_case(state))
                })
            })
            .collect();
        let mut text = format!(
            "Found {} marketing emails in all; {on_page} on this page",
            page.total.unwrap_or(on_page as u64)
        );
        if let Some(state) = &args.state {
            let _ = write!(text, ", {} of them {state}", emails.len());
        }
        text.push_str(".\n\n");
        for email in &emails {
            let _ = writeln!(
                text,
                "- **{}** (id {}): subject \"{}\", {}{}",
                email.name.as_deref().unwrap_or("Untitled"),
                email.id,
                email.subject.as_deref().unwrap_or_default(),
                email.state.as_deref().unwrap_or("no state"),
                email
                    .publish_date
                    .as_deref()
                    .map(|date| format!(", published {date}"))
                    .unwrap_or_default()
            );
        }
        if let Some(after) = types::after(&page.paging) {
            render::next_page(&mut text, "emails", "after", after);
        }
        Ok(ToolOutput::markdown(text))
    }

    /// Read a marketing email: name, subject, state, dates, sender and statistics.
    #[tool(
        stake = "never_ask",
        running = "Reading a marketing email",
        done = "Read a marketing email"
    )]
    async fn get_marketing_email(&self, ctx: &ToolContext, args: EmailId) -> ToolResult {
        let email: types::MarketingEmail = self
            .client
            .get(format!("/marketing/v3/emails/{}", args.email_id))
            .send(ctx)
            .await?;
        let mut text = format!(
            "# {} (marketing email {})\n\n",
            email.name.as_deref().unwrap_or("Untitled"),
            email.id
        );
        let field = crate::markdown::field;
        let from = email.from.as_ref();
        for (name, value) in [
            ("Subject", email.subject.as_deref()),
            ("State", email.state.as_deref()),
            ("Published", email.publish_date.as_deref()),
            ("Created", email.created_at.as_deref()),
            ("Updated", email.updated_at.as_deref()),
            ("From", from.and_then(|from| from.from_name.as_deref())),
            ("Reply to", from.and_then(|from| from.reply_to.as_deref())),
        ] {
            field(&mut text, name, value.unwrap_or_default());
        }
        if let Some(stats) = email
            .stats
            .as_ref()
            .filter(|stats| !stats.counters.is_empty())
        {
            field(&mut text, "Statistics", &counters(&stats.counters));
        }
        Ok(ToolOutput::markdown(text))
    }

    /// A marketing email's statistics over time (sent, delivered, opened, clicked…), in
    /// buckets of `interval`.
    #[tool(
        stake = "never_ask",
        running = "Reading email statistics",
        done = "Read email statistics"
    )]
    async fn get_marketing_email_statistics(
        &self,
        ctx: &ToolContext,
        args: EmailStatistics,
    ) -> ToolResult {
        let histogram: types::Histogram = self
            .client
            .get("/marketing/v3/emails/statistics/histogram")
            .query("emailIds", &args.email_id)
            .query_opt("interval", args.interval.map(Interval::as_str))
            .send(ctx)
            .await?;
        if histogram.results.is_empty() {
            return Ok(ToolOutput::markdown(format!(
                "No statistics for marketing email {} yet.",
                args.email_id
            )));
        }
        let mut text = format!(
            "Statistics of marketing email {} in {} periods:\n\n",
            args.email_id,
            histogram.results.len()
        );
        for bucket in &histogram.results {
            let shown = bucket
                .aggregations
                .as_ref()
                .map(|stats| counters(&stats.counters))
                .unwrap_or_default();
            let _ = writeln!(
                text,
                "- {} – {}: {}",
                bucket.interval.start,
                bucket.interval.end,
                if shown.is_empty() { "nothing" } else { &shown }
            );
        }
        Ok(ToolOutput::markdown(text))
    }

    /// List email events (sent, delivered, opened, clicked, bounced…), newest first, by type,
    /// campaign or time (milliseconds); `limit` 1 to 1000 (default 100) per page.
    #[tool(
        stake = "never_ask",
        running = "Listing email events",
        done = "List email events"
    )]
    async fn list_email_events(&self, ctx: &ToolContext, args: ListEmailEvents) -> ToolResult {
        let limit = page_size("limit", args.limit, EVENT_PAGE)?;
        let page: types::EmailEvents = self
            .client
            .get("/email/public/v1/events")
            .query("limit", limit)
            .query_opt("offset", args.offset.as_deref())
            .query_opt("eventType", args.event_type.as_deref())
            .query_opt("campaignId", args.campaign_id.as_deref())
            .query_opt("startTimestamp", args.start_timestamp.as_deref())
            .query_opt("endTimestamp", args.end_timestamp.as_deref())
            .send(ctx)
            .await?;
        let mut text = format!(
            "Retrieved {}.\n\n",
            crate::markdown::counted(page.events.len() as u64, "email event")
        );
        for event in &page.events {
            let _ = writeln!(
                text,
                "- {} {} to {}{} (event {})",
                event
                    .created
                    .and_then(chrono::DateTime::from_timestamp_millis)
                    .map(|time| time.format("%Y-%m-%dT%H:%M:%SZ").to_string())
                    .unwrap_or_default(),
                event.kind,
                event.recipient.as_deref().unwrap_or("unknown recipient"),
                event
                    .email_campaign_id
                    .map(|id| format!(", campaign {id}"))
                    .unwrap_or_default(),
                event.id
            );
        }
        if page.has_more
            && let Some(offset) = &page.offset
        {
            render::next_page(&mut text, "events", "offset", offset);
        }
        Ok(ToolOutput::markdown(text))
    }

    /// List email campaigns (the sends of marketing emails) with their ids; `limit` 1 to 1000
    /// (default 100) per page.
    #[tool(
        stake = "never_ask",
        running = "Listing email campaigns",
        done = "List email campaigns"
    )]
    async fn list_email_campaigns(
        &self,
        ctx: &ToolContext,
        args: ListEmailCampaigns,
    ) -> ToolResult {
        let limit = page_size("limit", args.limit, EVENT_PAGE)?;
        let page: types::EmailCampaigns = self
            .client
            .get("/email/public/v1/campaigns")
            .query("limit", limit)
            .query_opt("offset", args.offset.as_deref())
            .send(ctx)
            .await?;
        let mut text = format!(
            "{}:\n\n",
            crate::markdown::counted(page.campaigns.len() as u64, "email campaign")
        );
        for campaign in &page.campaigns {
            let _ = writeln!(
                text,
                "- {} ({})",
                campaign.id,
                campaign.app_name.as_deref().unwrap_or("unknown app")
            );
        }
        if page.has_more
            && let Some(offset) = &page.offset
        {
            render::next_page(&mut text, "campaigns", "offset", offset);
        }
        Ok(ToolOutput::markdown(text))
    }

    /// Read an email campaign: name, subject, type and its counters (sent, opened, clicked…).
    #[tool(
        stake = "never_ask",
        running = "Reading an email campaign",
        done = "Read an email campaign"
    )]
    async fn get_email_campaign(&self, ctx: &ToolContext, args: CampaignId) -> ToolResult {
        let campaign: types::EmailCampaign = self
            .client
            .get(format!("/email/public/v1/campaigns/{}", args.campaign_id))
            .send(ctx)
            .await?;
        let mut text = format!(
            "# {} (email campaign {})\n\n",
            campaign.name.as_deref().unwrap_or("Untitled"),
            campaign.id
        );
        let field = crate::markdown::field;
        for (name, value) in [
            ("Subject", campaign.subject.as_deref()),
            ("Type", campaign.kind.as_deref()),
            ("App", campaign.app_name.as_deref()),
        ] {
            field(&mut text, name, value.unwrap_or_default());
        }
        field(&mut text, "Counters", &counters(&campaign.counters));
        Ok(ToolOutput::markdown(text))
    }
}

/// `sent 120, open 80`.
fn counters(counters: &BTreeMap<String, i64>) -> String {
    counters
        .iter()
        .map(|(name, count)| format!("{name} {count}"))
        .collect::<Vec<_>>()
        .join(", ")
}
