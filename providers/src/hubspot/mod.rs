//! `hubspot`: contacts, companies, deals, tickets and the other CRM objects (search with
//! filters, counts, CSV exports), owners, associations, engagements (tasks, notes,
//! communications, meetings) and marketing emails in HubSpot, with a private app's token or an
//! OAuth connection; the CRM API v3/v4 and, for email events and campaigns, the legacy Email
//! Events API v1.

pub mod args;
mod associations;
mod client;
mod csv;
mod engagements;
mod filters;
mod marketing;
mod objects;
mod owners;
mod records;
mod render;
mod search;
mod types;

use std::collections::{BTreeMap, HashMap};

use mcp_runtime::prelude::*;
use serde_json::{Map, Value, json};

pub use client::{Client, DEFAULT_URL, HubspotPlatform, OAUTH};

use crate::kit::page_size;
use args::*;

/// The largest page of a search, and so the most results one search call shows.
const SEARCH_LIMIT: u32 = 200;
/// The most objects HubSpot counts: a search's `total` stops there.
const COUNT_LIMIT: u64 = 10_000;
/// The most rows a CSV export holds, read in pages of `EXPORT_PAGE`.
const EXPORT_LIMIT: u32 = 2_000;
const EXPORT_PAGE: u32 = 100;

/// The `hubspot` server.
#[derive(Debug, Clone)]
pub struct Hubspot {
    client: Client,
}

impl Hubspot {
    /// The server reaching HubSpot's API at `base`, with `token` when a call carries none.
    pub fn new(base: &str, token: Option<String>) -> Self {
        Hubspot {
            client: client::new(base, token),
        }
    }

    /// The definitions of `kind`'s properties.
    async fn property_definitions(
        &self,
        ctx: &ToolContext,
        kind: &str,
    ) -> Result<Vec<types::Property>, McpError> {
        let properties: types::Properties = self
            .client
            .get(format!("/crm/v3/properties/{kind}"))
            .send(ctx)
            .await?;
        Ok(properties.results)
    }

    /// One page of `kind`'s search.
    async fn search_page(
        &self,
        ctx: &ToolContext,
        kind: &str,
        body: &Value,
    ) -> Result<types::SearchPage, McpError> {
        self.client
            .post(format!("/crm/v3/objects/{kind}/search"))
            .json(body)
            .send(ctx)
            .await
    }

    /// A search of `kind`'s objects: `filters` (checked before any request), the properties to
    /// read (all of them when not given), newest first.
    async fn search(
        &self,
        ctx: &ToolContext,
        kind: &str,
        search: Search<'_>,
    ) -> Result<types::SearchPage, McpError> {
        let prepared = self
            .prepare_search(ctx, kind, search.filters, search.properties)
            .await?;
        self.search_with(
            ctx,
            kind,
            &prepared,
            search.limit,
            search.after,
            search.query,
        )
        .await
    }

    /// HubSpot's filters for `filters` (checked before any request) and the properties to
    /// read (all of them when not given): the property definitions are read when either needs
    /// them, once however many pages follow.
    async fn prepare_search(
        &self,
        ctx: &ToolContext,
        kind: &str,
        filters: &[Filter],
        properties: Option<&[String]>,
    ) -> Result<PreparedSearch, McpError> {
        filters::check(filters)?;
        let definitions = if properties.is_none() || filters::need_types(filters) {
            self.property_definitions(ctx, kind).await?
        } else {
            Vec::new()
        };
        let types: HashMap<String, String> = definitions
            .iter()
            .map(|property| (property.name.clone(), property.kind.clone()))
            .collect();
        let built = filters::build(filters, &types)?;
        let properties: Vec<String> = match properties {
            Some(properties) => properties.to_vec(),
            None => definitions
                .into_iter()
                .map(|property| property.name)
                .collect(),
        };
        Ok(PreparedSearch {
            filter_groups: filter_groups(built),
            properties,
        })
    }

    /// One page of a prepared search, newest first.
    async fn search_with(
        &self,
        ctx: &ToolContext,
        kind: &str,
        prepared: &PreparedSearch,
        limit: u32,
        after: Option<&str>,
        query: Option<&str>,
    ) -> Result<types::SearchPage, McpError> {
        let body = crate::kit::present(json!({
            "filterGroups": prepared.filter_groups,
            "sorts": ["-createdate"],
            "properties": prepared.properties,
            "limit": limit,
            "after": after,
            "query": query,
        }));
        self.search_page(ctx, kind, &body).await
    }
}

/// A search whose filters and properties are ready.
struct PreparedSearch {
    filter_groups: Value,
    properties: Vec<String>,
}

impl Hubspot {
    /// Creates a `kind` object with `properties`, associated with each `(type, id)` of
    /// `associations` by HubSpot's default association between the two types.
    async fn create_object(
        &self,
        ctx: &ToolContext,
        kind: &str,
        properties: Map<String, Value>,
        associations: &[(&str, &str)],
    ) -> Result<types::CrmObject, McpError> {
        let mut type_ids: HashMap<&str, u32> = HashMap::new();
        let mut links = Vec::new();
        for (to, id) in associations {
            let type_id = match type_ids.get(to) {
                Some(type_id) => *type_id,
                None => {
                    let type_id = self.association_type(ctx, kind, to).await?;
                    type_ids.insert(to, type_id);
                    type_id
                }
            };
            links.push(json!({
                "to": {"id": id},
                "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}],
            }));
        }
        let mut body = json!({"properties": properties});
        if !links.is_empty() {
            body["associations"] = json!(links);
        }
        self.client
            .post(format!("/crm/v3/objects/{kind}"))
            .json(&body)
            .send(ctx)
            .await
    }

    /// Sets `properties` of `kind` object `id`.
    async fn update_object(
        &self,
        ctx: &ToolContext,
        kind: &str,
        id: &Id,
        properties: &BTreeMap<String, String>,
    ) -> Result<types::CrmObject, McpError> {
        if properties.is_empty() {
            return Err(McpError::invalid_arguments("`properties` sets nothing"));
        }
        self.client
            .patch(format!("/crm/v3/objects/{kind}/{id}"))
            .json(&json!({"properties": properties}))
            .send(ctx)
            .await
    }

    /// The id of HubSpot's default association from `from` objects to `to` objects: the
    /// unlabelled one HubSpot defines, else the first there is.
    async fn association_type(
        &self,
        ctx: &ToolContext,
        from: &str,
        to: &str,
    ) -> Result<u32, McpError> {
        let labels: types::AssociationLabels = self
            .client
            .get(format!("/crm/v4/associations/{from}/{to}/labels"))
            .send(ctx)
            .await?;
        labels
            .results
            .iter()
            .find(|kind| kind.category == "HUBSPOT_DEFINED" && kind.label.is_none())
            .or_else(|| labels.results.first())
            .map(|kind| kind.type_id)
            .ok_or_else(|| {
                McpError::invalid_arguments(format!(
                    "HubSpot has no association from {from} to {to}"
                ))
            })
    }
}

/// What a search asks for.
struct Search<'a> {
    filters: &'a [Filter],
    /// The properties to read; all of them when `None`.
    properties: Option<&'a [String]>,
    limit: u32,
    after: Option<&'a str>,
    query: Option<&'a str>,
}

impl Search<'_> {
    /// The first page of `limit` objects, unfiltered, every property read.
    fn first(limit: u32) -> Self {
        Search {
            filters: &[],
            properties: None,
            limit,
            after: None,
            query: None,
        }
    }
}

/// One group of filters all met, or none at all.
fn filter_groups(filters: Vec<Value>) -> Value {
    if filters.is_empty() {
        json!([])
    } else {
        json!([{"filters": filters}])
    }
}

impl crate::kit::Remote for Hubspot {
    type Platform = HubspotPlatform;

    fn api_mut(&mut self) -> &mut Client {
        &mut self.client
    }
}

/// The settings of the `hubspot` server (in the environment: `HUBSPOT_TOKEN`, `HUBSPOT_API_URL`).
#[derive(Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// HubSpot's API (default `https://api.hubapi.com`; a proxy or a test server in its place).
    pub api_url: Option<String>,
    /// The token used when neither the call nor the user's connection carries one: a private
    /// app's access token (`pat-…`).
    pub token: Option<String>,
}

impl Hubspot {
    /// The server `settings` describe; what the registry builds.
    pub fn from_settings(settings: Settings) -> Result<Self, std::convert::Infallible> {
        let base = settings.api_url.as_deref().unwrap_or(DEFAULT_URL);
        Ok(Hubspot::new(base, settings.token))
    }
}

/// Contacts, companies, deals, tickets and other CRM objects, owners, associations,
/// engagements and marketing emails in HubSpot.
#[mcp_server(
    id = 1003,
    availability = "manual",
    allow_multiple_instances,
    name = "hubspot",
    title = "HubSpot",
    authorization(provider = "hubspot", use_cases(platform_actions, personal_actions)),
    documentation_url = "https://developers.hubspot.com/docs/api-reference/overview",
    timeout_ms = 60_000,
    parts(objects, search, records, owners, associations, engagements, marketing)
)]
impl Hubspot {}
