//! Owners, the portal and the connected user, and links into HubSpot's web app.

use std::fmt::Write as _;

use mcp_runtime::prelude::*;
use serde_json::json;

use super::*;
use crate::kit::TOKEN_PLACEHOLDER;

/// Owners per page, and the most pages read: 1,000 owners.
const OWNER_PAGE: u32 = 100;
const OWNER_PAGES: usize = 10;

/// HubSpot's object types and their ids, as its web app's URLs name them.
const OBJECT_TYPE_IDS: &[(&str, &str)] = &[
    ("appointments", "0-421"),
    ("calls", "0-48"),
    ("communications", "0-18"),
    ("companies", "0-2"),
    ("contacts", "0-1"),
    ("courses", "0-410"),
    ("deals", "0-3"),
    ("emails", "0-49"),
    ("leads", "0-136"),
    ("line_items", "0-8"),
    ("listings", "0-420"),
    ("marketing_events", "0-54"),
    ("meetings", "0-47"),
    ("notes", "0-46"),
    ("orders", "0-123"),
    ("postal_mail", "0-116"),
    ("products", "0-7"),
    ("quotes", "0-14"),
    ("services", "0-162"),
    ("subscriptions", "0-69"),
    ("tasks", "0-27"),
    ("tickets", "0-5"),
    ("users", "0-115"),
];

#[mcp_tools]
impl Hubspot {
    /// List the account's owners (the users records are assigned to): owner ids, names,
    /// emails and user ids, for `get_user_activity` and `hubspot_owner_id` properties (your
    /// own: `get_current_user_id`). Reads up to 1,000 owners.
    #[tool(stake = "never_ask", running = "Listing owners", done = "List owners")]
    async fn list_owners(&self, ctx: &ToolContext) -> ToolResult {
        let (owners, more) = self.all_owners(ctx).await?;
        let all: Vec<&types::Owner> = owners.iter().collect();
        let mut text = render::owners(&format!("{} owners:", all.len()), &all);
        if more {
            let _ = write!(
                text,
                "\nThe account has more than {} owners; use `search_owners` to find one.\n",
                OWNER_PAGE as usize * OWNER_PAGES
            );
        }
        Ok(ToolOutput::markdown(text))
    }

    /// Find owners by part of their name or email (case-insensitive), or by their exact owner
    /// or user id.
    #[tool(stake = "never_ask", running = "Finding owners", done = "Find owners")]
    async fn search_owners(&self, ctx: &ToolContext, args: SearchOwners) -> ToolResult {
        let wanted = args.search_query.trim().to_lowercase();
        if wanted.is_empty() {
            return Err(McpError::invalid_arguments("`searchQuery` is empty"));
        }
        let (owners, _) = self.all_owners(ctx).await?;
        let found: Vec<&types::Owner> = owners
            .iter()
            .filter(|owner| {
                let text = [
                    owner.email.as_deref().unwrap_or_default(),
                    owner.first_name.as_deref().unwrap_or_default(),
                    owner.last_name.as_deref().unwrap_or_default(),
                    &owner.name(),
                ];
                owner.id == wanted
                    || owner.user_id.is_some_and(|id| id.to_string() == wanted)
                    || text
                        .iter()
                        .any(|text| text.to_lowercase().contains(&wanted))
            })
            .collect();
        if found.is_empty() {
            return Ok(ToolOutput::markdown(format!(
                "No owners found matching \"{}\".",
                args.search_query
            )));
        }
        Ok(ToolOutput::markdown(render::owners(
            &format!(
                "{} matching \"{}\":",
                crate::markdown::counted(found.len() as u64, "owner"),
                args.search_query
            ),
            &found,
        )))
    }

    /// Links to pages of HubSpot's web app: a record's page or a type's list. Takes the portal
    /// id and UI domain `get_hubspot_portal_id` gives; makes no request.
    #[tool(
        stake = "never_ask",
        running = "Making HubSpot links",
        done = "Make HubSpot links"
    )]
    async fn get_hubspot_link(&self, args: GetHubspotLink) -> ToolResult {
        if args.portal_id.is_empty() || !args.portal_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(McpError::invalid_arguments(
                "`portalId` must be a number such as `62515`",
            ));
        }
        let domain_ok = !args.ui_domain.is_empty()
            && args
                .ui_domain
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'));
        if !domain_ok {
            return Err(McpError::invalid_arguments(
                "`uiDomain` must be a host name such as `app.hubspot.com`",
            ));
        }
        let mut text = String::new();
        for (index, page) in args.page_requests.iter().enumerate() {
            let type_id = object_type_id(&page.object_type_id).ok_or_else(|| {
                let known: Vec<String> = OBJECT_TYPE_IDS
                    .iter()
                    .map(|(name, id)| format!("{name} ({id})"))
                    .collect();
                McpError::invalid_arguments(format!(
                    "`pageRequests[{index}].objectTypeId` `{}` is not an object type; use one of {}, or a custom object's id (`2-…`)",
                    page.object_type_id,
                    known.join(", ")
                ))
            })?;
            let base = format!("https://{}/contacts/{}", args.ui_domain, args.portal_id);
            let url = match page.page_type {
                PageType::Index => format!("{base}/objects/{type_id}"),
                PageType::Record => {
                    let id = page
                        .object_id
                        .as_deref()
                        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
                        .ok_or_else(|| {
                            McpError::invalid_arguments(format!(
                                "`pageRequests[{index}]` is a record page and needs a numeric `objectId`"
                            ))
                        })?;
                    format!("{base}/record/{type_id}/{id}")
                }
            };
            let _ = writeln!(text, "- {}: {url}", page.object_type_id);
        }
        Ok(ToolOutput::markdown(text))
    }

    /// The portal (account) id and UI domain of this connection, which `get_hubspot_link`
    /// takes.
    #[tool(
        stake = "never_ask",
        running = "Reading the portal",
        done = "Read the portal"
    )]
    async fn get_hubspot_portal_id(&self, ctx: &ToolContext) -> ToolResult {
        let (portal, domain) = if self.is_private_app(ctx).await? {
            let details: types::AccountDetails = self
                .client
                .get("/account-info/v3/details")
                .send(ctx)
                .await?;
            (details.portal_id, details.ui_domain)
        } else {
            let info = self.access_token_info(ctx).await?;
            (info.hub_id, None)
        };
        // OAuth tokens do not say their portal's UI domain; most portals are on this one.
        let domain = domain.unwrap_or_else(|| "app.hubspot.com".to_owned());
        Ok(ToolOutput::markdown(format!(
            "Portal ID: {portal}\nUI Domain: {domain}"
        )))
    }

    /// Who this connection acts as: the HubSpot user id, their email, the portal, and their
    /// owner id (what `hubspot_owner_id` properties and `get_user_activity` take).
    #[tool(
        stake = "never_ask",
        running = "Reading the current user",
        done = "Read the current user"
    )]
    async fn get_current_user_id(&self, ctx: &ToolContext) -> ToolResult {
        let (user_id, portal, owner) = if self.is_private_app(ctx).await? {
            let token = self.client.credential(ctx).await?.token().to_owned();
            let info: types::PrivateAppTokenInfo = self
                .client
                .post("/oauth/v2/private-apps/get/access-token-info")
                .json(&json!({"tokenKey": token}))
                .send(ctx)
                .await?;
            let owner: types::Owner = self
                .client
                .get(format!("/crm/v3/owners/{}", info.user_id))
                .query("idProperty", "userId")
                .send(ctx)
                .await?;
            (info.user_id, info.hub_id, Some(owner))
        } else {
            let info = self.access_token_info(ctx).await?;
            let owner = match &info.user {
                Some(email) => self.owner_by_email(ctx, email).await?,
                None => None,
            };
            (info.user_id, info.hub_id, owner)
        };
        let mut text = format!("User ID: {user_id}\nPortal ID: {portal}\n");
        match owner {
            Some(owner) => {
                if let Some(email) = &owner.email {
                    let _ = writeln!(text, "Email: {email}");
                }
                let _ = writeln!(text, "Owner ID: {}", owner.id);
            }
            None => text.push_str("This user is not an owner of CRM records.\n"),
        }
        Ok(ToolOutput::markdown(text))
    }
}

impl Hubspot {
    /// The account's owners, up to `OWNER_PAGES` pages, and whether there are more.
    async fn all_owners(&self, ctx: &ToolContext) -> Result<(Vec<types::Owner>, bool), McpError> {
        let mut owners = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..OWNER_PAGES {
            let page: types::Page<types::Owner> = self
                .client
                .get("/crm/v3/owners/")
                .query("limit", OWNER_PAGE)
                .query_opt("after", after.as_deref())
                .send(ctx)
                .await?;
            owners.extend(page.results);
            after = types::after(&page.paging).map(str::to_owned);
            if after.is_none() {
                return Ok((owners, false));
            }
        }
        Ok((owners, true))
    }

    /// The owner whose email is `email`, if any.
    pub(super) async fn owner_by_email(
        &self,
        ctx: &ToolContext,
        email: &str,
    ) -> Result<Option<types::Owner>, McpError> {
        let owners: types::Page<types::Owner> = self
            .client
            .get("/crm/v3/owners/")
            .query("email", email)
            .query("limit", 1)
            .send(ctx)
            .await?;
        Ok(owners.results.into_iter().next())
    }

    /// Whether this call's token is a private app's.
    async fn is_private_app(&self, ctx: &ToolContext) -> Result<bool, McpError> {
        let credential = self.client.credential(ctx).await?;
        Ok(client::is_private_app(&credential))
    }

    /// What HubSpot knows of this call's OAuth access token (the token goes in the path, and
    /// nowhere in messages).
    async fn access_token_info(
        &self,
        ctx: &ToolContext,
    ) -> Result<types::AccessTokenInfo, McpError> {
        self.client
            .get(format!("/oauth/v1/access-tokens/{TOKEN_PLACEHOLDER}"))
            .token_in_path()
            .send(ctx)
            .await
    }
}

/// The id of an object type given by name (`contacts`) or id (`0-1`, custom `2-123`).
fn object_type_id(given: &str) -> Option<String> {
    if let Some((_, id)) = OBJECT_TYPE_IDS
        .iter()
        .find(|(name, id)| *name == given || *id == given)
    {
        return Some((*id).to_owned());
    }
    let custom = given
        .strip_prefix("2-")
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()));
    custom.then(|| given.to_owned())
}
