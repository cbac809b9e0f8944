//! Creating and updating contacts, companies, deals, tickets and leads.

use mcp_runtime::prelude::*;

use super::*;

#[mcp_tools]
impl Hubspot {
    /// Create a contact with `properties` (e.g. `email`, `firstname`, `lastname`; see
    /// `get_object_properties`), optionally associated with other objects.
    #[tool(
        stake = "high",
        running = "Creating a contact",
        done = "Create a contact"
    )]
    async fn create_contact(&self, ctx: &ToolContext, args: CreateObject) -> ToolResult {
        self.create_record(ctx, "contacts", args).await
    }

    /// Create a company with `properties` (e.g. `name`, `domain`), optionally associated with
    /// other objects.
    #[tool(
        stake = "high",
        running = "Creating a company",
        done = "Create a company"
    )]
    async fn create_company(&self, ctx: &ToolContext, args: CreateObject) -> ToolResult {
        self.create_record(ctx, "companies", args).await
    }

    /// Create a deal with `properties` (e.g. `dealname`, `amount`, `dealstage`, `pipeline`),
    /// optionally associated with other objects.
    #[tool(stake = "high", running = "Creating a deal", done = "Create a deal")]
    async fn create_deal(&self, ctx: &ToolContext, args: CreateObject) -> ToolResult {
        self.create_record(ctx, "deals", args).await
    }

    /// Create a ticket with `properties`; HubSpot requires `subject` and `hs_pipeline_stage`
    /// (and `hs_pipeline` outside the default pipeline). Optionally associated with other
    /// objects.
    #[tool(
        stake = "high",
        running = "Creating a ticket",
        done = "Create a ticket"
    )]
    async fn create_ticket(&self, ctx: &ToolContext, args: CreateObject) -> ToolResult {
        self.create_record(ctx, "tickets", args).await
    }

    /// Create a lead, recorded as a deal (as the reference integration does) with `properties`
    /// such as `dealname`, `dealstage`, `amount`; optionally associated with other objects.
    #[tool(stake = "high", running = "Creating a lead", done = "Create a lead")]
    async fn create_lead(&self, ctx: &ToolContext, args: CreateObject) -> ToolResult {
        self.create_record(ctx, "deals", args).await
    }

    /// Set properties of a contact.
    #[tool(
        stake = "high",
        running = "Updating a contact",
        done = "Update a contact"
    )]
    async fn update_contact(&self, ctx: &ToolContext, args: UpdateContact) -> ToolResult {
        self.update_record(ctx, "contacts", &args.contact_id, &args.properties)
            .await
    }

    /// Set properties of a company.
    #[tool(
        stake = "high",
        running = "Updating a company",
        done = "Update a company"
    )]
    async fn update_company(&self, ctx: &ToolContext, args: UpdateCompany) -> ToolResult {
        self.update_record(ctx, "companies", &args.company_id, &args.properties)
            .await
    }

    /// Set properties of a deal (e.g. move it to another `dealstage`).
    #[tool(stake = "high", running = "Updating a deal", done = "Update a deal")]
    async fn update_deal(&self, ctx: &ToolContext, args: UpdateDeal) -> ToolResult {
        self.update_record(ctx, "deals", &args.deal_id, &args.properties)
            .await
    }
}

impl Hubspot {
    /// Creates a `kind` object as `args` says, and says so.
    pub(super) async fn create_record(
        &self,
        ctx: &ToolContext,
        kind: &str,
        args: CreateObject,
    ) -> ToolResult {
        if args.properties.is_empty() {
            return Err(McpError::invalid_arguments("`properties` sets nothing"));
        }
        let properties: Map<String, Value> = args
            .properties
            .into_iter()
            .map(|(name, value)| (name, Value::String(value)))
            .collect();
        let associations: Vec<(&str, &str)> = args
            .associations
            .iter()
            .flatten()
            .map(|association| (&*association.to_object_type, &*association.to_object_id))
            .collect();
        let object = self
            .create_object(ctx, kind, properties, &associations)
            .await?;
        Ok(created(kind, &object))
    }

    /// Sets `properties` of `kind` object `id`, and says so.
    pub(super) async fn update_record(
        &self,
        ctx: &ToolContext,
        kind: &str,
        id: &Id,
        properties: &BTreeMap<String, String>,
    ) -> ToolResult {
        let object = self.update_object(ctx, kind, id, properties).await?;
        Ok(saved(kind, &object, "updated"))
    }
}

/// "The contact was created successfully: …" and the object.
pub(super) fn created(kind: &str, object: &types::CrmObject) -> ToolOutput {
    saved(kind, object, "created")
}

/// "The contact was `done` successfully: …" and the object.
fn saved(kind: &str, object: &types::CrmObject, done: &str) -> ToolOutput {
    ToolOutput::markdown(format!(
        "The {} was {done} successfully: {} (id {}).\n\n{}",
        render::singular(kind),
        render::title(kind, object),
        object.id,
        render::object(kind, object)
    ))
}
