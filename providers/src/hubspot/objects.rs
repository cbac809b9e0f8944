//! Reading CRM objects: a type's properties, one object by id or email, the newest ones, and
//! files' public URLs.

use mcp_runtime::prelude::*;

use super::*;

/// What `get_company` reads besides `extraProperties`.
const COMPANY_PROPERTIES: &[&str] = &["createdate", "domain", "name", "hubspot_owner_id"];
/// What `get_deal` reads besides `extraProperties`.
const DEAL_PROPERTIES: &[&str] = &[
    "amount",
    "hubspot_owner_id",
    "closedate",
    "createdate",
    "dealname",
    "dealstage",
    "hs_lastmodifieddate",
    "hs_object_id",
    "pipeline",
];

#[mcp_tools]
impl Hubspot {
    /// List the properties of contacts, companies, deals or owners: names, labels, types and,
    /// for enumerations, their values (the first 50). By default only those a user can set
    /// when creating an object; `creatableOnly: false` lists all.
    #[tool(
        stake = "never_ask",
        running = "Listing properties",
        done = "List properties"
    )]
    async fn get_object_properties(
        &self,
        ctx: &ToolContext,
        args: GetObjectProperties,
    ) -> ToolResult {
        let kind = args.object_type.as_str();
        let creatable_only = args.creatable_only.unwrap_or(true);
        let definitions = self.property_definitions(ctx, kind).await?;
        let shown: Vec<&types::Property> = definitions
            .iter()
            .filter(|property| !creatable_only || property.is_creatable())
            .collect();
        Ok(ToolOutput::markdown(render::properties(
            kind,
            &shown,
            creatable_only,
        )))
    }

    /// Find the contact, company, deal or owner with an email address.
    #[tool(
        stake = "never_ask",
        running = "Finding by email",
        done = "Find by email"
    )]
    async fn get_object_by_email(&self, ctx: &ToolContext, args: GetObjectByEmail) -> ToolResult {
        if args.email.trim().is_empty() {
            return Err(McpError::invalid_arguments("`email` is empty"));
        }
        let kind = args.object_type.as_str();
        if args.object_type == AnyObject::Owners {
            return match self.owner_by_email(ctx, &args.email).await? {
                Some(owner) => Ok(ToolOutput::markdown(render::owner(&owner))),
                None => Err(McpError::not_found(format!(
                    "HubSpot has no owner with the email `{}`",
                    args.email
                ))),
            };
        }
        let filter = Filter {
            property_name: "email".to_owned(),
            operator: FilterOperator::Eq,
            value: Some(args.email.clone()),
            values: None,
        };
        let page = self
            .search(
                ctx,
                kind,
                Search {
                    filters: std::slice::from_ref(&filter),
                    ..Search::first(1)
                },
            )
            .await?;
        match page.results.first() {
            Some(object) => Ok(ToolOutput::markdown(render::object(kind, object))),
            None => Err(McpError::not_found(format!(
                "HubSpot has no {} with the email `{}`",
                render::singular(kind),
                args.email
            ))),
        }
    }

    /// The most recently created contacts, companies or deals, newest first, with their
    /// properties; `limit` 1 to 200 (default 200).
    #[tool(
        stake = "never_ask",
        running = "Reading the latest objects",
        done = "Read the latest objects"
    )]
    async fn get_latest_objects(&self, ctx: &ToolContext, args: GetLatestObjects) -> ToolResult {
        let limit = page_size("limit", args.limit, (SEARCH_LIMIT, SEARCH_LIMIT))?;
        let kind = args.object_type.as_str();
        let page = self.search(ctx, kind, Search::first(limit)).await?;
        if page.results.is_empty() {
            return Ok(ToolOutput::markdown(format!(
                "No {kind} in this HubSpot account."
            )));
        }
        Ok(ToolOutput::markdown(format!(
            "The {} most recently created of {}:\n\n{}",
            render::counted_objects(page.results.len() as u64, kind),
            page.total,
            render::objects(kind, &page.results, None, None)
        )))
    }

    /// Read a contact by id, with HubSpot's default contact properties.
    #[tool(
        stake = "never_ask",
        running = "Reading a contact",
        done = "Read a contact"
    )]
    async fn get_contact(&self, ctx: &ToolContext, args: ContactId) -> ToolResult {
        let contact: types::CrmObject = self
            .client
            .get(format!("/crm/v3/objects/contacts/{}", args.contact_id))
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::object("contacts", &contact)))
    }

    /// Read a company by id: name, domain, owner, creation date and `extraProperties`.
    #[tool(
        stake = "never_ask",
        running = "Reading a company",
        done = "Read a company"
    )]
    async fn get_company(&self, ctx: &ToolContext, args: GetCompany) -> ToolResult {
        let company = self
            .read_object(
                ctx,
                "companies",
                &args.company_id,
                COMPANY_PROPERTIES,
                args.extra_properties.as_deref(),
            )
            .await?;
        Ok(ToolOutput::markdown(render::object("companies", &company)))
    }

    /// Read a deal by id: name, amount, stage, pipeline, owner, dates and `extraProperties`.
    #[tool(stake = "never_ask", running = "Reading a deal", done = "Read a deal")]
    async fn get_deal(&self, ctx: &ToolContext, args: GetDeal) -> ToolResult {
        let deal = self
            .read_object(
                ctx,
                "deals",
                &args.deal_id,
                DEAL_PROPERTIES,
                args.extra_properties.as_deref(),
            )
            .await?;
        Ok(ToolOutput::markdown(render::object("deals", &deal)))
    }

    /// Read a meeting by id: title, time, outcome, location, link and its notes.
    #[tool(
        stake = "never_ask",
        running = "Reading a meeting",
        done = "Read a meeting"
    )]
    async fn get_meeting(&self, ctx: &ToolContext, args: MeetingId) -> ToolResult {
        let meeting = self
            .read_object(
                ctx,
                "meetings",
                &args.meeting_id,
                render::MEETING_PROPERTIES,
                None,
            )
            .await?;
        Ok(ToolOutput::markdown(render::meeting(&meeting)))
    }

    /// The URL of a file in HubSpot's file manager: its public URL, or a signed URL for a
    /// private file.
    #[tool(
        stake = "never_ask",
        running = "Finding a file's URL",
        done = "Find a file's URL"
    )]
    async fn get_file_public_url(&self, ctx: &ToolContext, args: FileId) -> ToolResult {
        let file: types::File = self
            .client
            .get(format!("/files/v3/files/{}", args.file_id))
            .send(ctx)
            .await?;
        let url = match file.url.filter(|url| !url.is_empty()) {
            Some(url) => url,
            None => {
                let signed: types::File = self
                    .client
                    .get(format!("/files/v3/files/{}/signed-url", args.file_id))
                    .send(ctx)
                    .await?;
                signed.url.filter(|url| !url.is_empty()).ok_or_else(|| {
                    McpError::not_found(format!(
                        "HubSpot has no public URL for file {}",
                        args.file_id
                    ))
                })?
            }
        };
        Ok(ToolOutput::markdown(format!(
            "File {}: {url}",
            args.file_id
        )))
    }
}

impl Hubspot {
    /// `kind`'s object `id` with `properties` and `extra` (each a repeated `properties` query
    /// parameter, as HubSpot's client sends them).
    async fn read_object(
        &self,
        ctx: &ToolContext,
        kind: &str,
        id: &Id,
        properties: &[&str],
        extra: Option<&[String]>,
    ) -> Result<types::CrmObject, McpError> {
        let mut request = self.client.get(format!("/crm/v3/objects/{kind}/{id}"));
        for property in properties
            .iter()
            .copied()
            .chain(extra.unwrap_or_default().iter().map(String::as_str))
        {
            request = request.query("properties", property);
        }
        request.send(ctx).await
    }
}
