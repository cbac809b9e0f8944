//! `salesforce`: SOQL queries, the organization's objects and their metadata, creating and
//! updating records (sObject Collections), and records' attachments and files, on the REST API
//! of the user's instance (named by the OAuth token response).

pub mod args;
mod attachments;
mod client;
mod objects;
mod query;
mod render;
mod types;

use mcp_runtime::prelude::*;

pub use client::{API_VERSION, Client, InstanceUrl, OAUTH, SalesforcePlatform};

use args::*;

/// The most records one create or update sends: the sObject Collections limit.
const COLLECTION_LIMIT: usize = 200;

/// The largest attachment `read_attachment` returns.
const ATTACHMENT_LIMIT: u64 = 5 * 1024 * 1024;

/// The `salesforce` server.
#[derive(Debug, Clone)]
pub struct Salesforce {
    client: Client,
}

impl Salesforce {
    /// Salesforce at `instance_url` (e.g. `https://acme.my.salesforce.com`) unless the user's
    /// connection or the host names another, with `token` when neither the call nor the user's
    /// connection carries one.
    pub fn new(instance_url: &str, token: Option<String>) -> Self {
        Salesforce {
            client: client::client(Some(instance_url.to_owned()), token),
        }
    }
}

impl crate::kit::Remote for Salesforce {
    type Platform = SalesforcePlatform;

    fn api_mut(&mut self) -> &mut Client {
        &mut self.client
    }
}

/// The settings of the `salesforce` server (in the environment: `SALESFORCE_INSTANCE_URL`,
/// `SALESFORCE_TOKEN`).
#[derive(Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The organization's instance (`https://your-org.my.salesforce.com`), for the configured
    /// token and for hosts that name none; a user's OAuth connection brings its own.
    pub instance_url: Option<String>,
    /// The access token used when neither the call nor the user's connection carries one.
    pub token: Option<String>,
}

impl Salesforce {
    /// The server `settings` describe; what the registry builds.
    pub fn from_settings(settings: Settings) -> Result<Self, std::convert::Infallible> {
        Ok(Salesforce {
            client: client::client(settings.instance_url, settings.token),
        })
    }
}

/// Whether Salesforce is hidden for `workspace`: it is there only for the workspaces with the
/// `salesforce_tool` feature flag, as in Dust (where the plan may also allow it; plans are a
/// host's own, so here a host grants it by the flag, for everyone or per principal).
fn without_salesforce_flag(workspace: &mcp_runtime::Workspace<'_>) -> bool {
    !workspace.has_flag("salesforce_tool")
}

/// SOQL queries, objects and their metadata, record creation and updates, and records'
/// attachments in Salesforce.
#[mcp_server(
    id = 1004,
    availability = "manual",
    allow_multiple_instances,
    restricted = without_salesforce_flag,
    name = "salesforce",
    title = "Salesforce",
    authorization(provider = "salesforce", use_cases(personal_actions, platform_actions)),
    documentation_url = "https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/",
    timeout_ms = 60_000,
    parts(query, objects, attachments)
)]
impl Salesforce {}
