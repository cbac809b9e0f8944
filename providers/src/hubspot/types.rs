//! HubSpot's answers, only the fields the tools read.

use std::collections::BTreeMap;

use serde::Deserialize;

/// A CRM object (`SimplePublicObject`): its properties are text or null.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CrmObject {
    pub id: String,
    #[serde(default)]
    pub properties: BTreeMap<String, Option<String>>,
    #[serde(default)]
    pub created_at: Option<String>,
}

impl CrmObject {
    /// The value of `name`, when it has one.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.properties
            .get(name)
            .and_then(Option::as_deref)
            .filter(|value| !value.is_empty())
    }
}

/// Where the next page starts.
#[derive(Debug, Default, Deserialize)]
pub struct Paging {
    #[serde(default)]
    pub next: Option<NextPage>,
}

/// The cursor of the next page.
#[derive(Debug, Deserialize)]
pub struct NextPage {
    pub after: String,
}

/// The cursor of the page after this one, if any.
pub fn after(paging: &Option<Paging>) -> Option<&str> {
    paging
        .as_ref()
        .and_then(|paging| paging.next.as_ref())
        .map(|next| next.after.as_str())
}

/// A page of search results (`CollectionResponseWithTotalSimplePublicObjectForwardPaging`).
#[derive(Debug, Deserialize)]
pub struct SearchPage {
    pub total: u64,
    pub results: Vec<CrmObject>,
    #[serde(default)]
    pub paging: Option<Paging>,
}

/// Objects read together (`BatchResponseSimplePublicObject`).
#[derive(Debug, Deserialize)]
pub struct Batch {
    pub results: Vec<CrmObject>,
}

/// A type's properties.
#[derive(Debug, Deserialize)]
pub struct Properties {
    pub results: Vec<Property>,
}

/// A property's definition.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Property {
    pub name: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub options: Vec<PropertyOption>,
    #[serde(default)]
    pub form_field: bool,
    #[serde(default)]
    pub hidden: bool,
    #[serde(default)]
    pub calculated: bool,
    #[serde(default)]
    pub modification_metadata: Option<ModificationMetadata>,
}

impl Property {
    /// Whether a user can set it when creating an object (the reference integration's rule).
    pub fn is_creatable(&self) -> bool {
        self.form_field
            && !self.hidden
            && !self.calculated
            && !self
                .modification_metadata
                .as_ref()
                .is_some_and(|metadata| metadata.read_only_value)
            && self.kind != "file"
    }
}

/// Whether a property's value can be changed.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModificationMetadata {
    #[serde(default)]
    pub read_only_value: bool,
}

/// One value an enumeration property takes.
#[derive(Debug, Deserialize)]
pub struct PropertyOption {
    pub label: String,
    pub value: String,
}

/// A page of `T`s (owners, an object's associations) and where the next one starts.
#[derive(Debug, Deserialize)]
pub struct Page<T> {
    pub results: Vec<T>,
    #[serde(default)]
    pub paging: Option<Paging>,
}

/// A user who can own CRM records.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Owner {
    pub id: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub user_id: Option<u64>,
    #[serde(default)]
    pub archived: bool,
}

impl Owner {
    /// `First Last`, or nothing.
    pub fn name(&self) -> String {
        [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A file (only its public URL matters here).
#[derive(Debug, Deserialize)]
pub struct File {
    #[serde(default)]
    pub url: Option<String>,
}

/// What an OAuth access token is (`GET /oauth/v1/access-tokens/{token}`).
#[derive(Debug, Deserialize)]
pub struct AccessTokenInfo {
    pub hub_id: u64,
    #[serde(default)]
    pub user: Option<String>,
    pub user_id: u64,
}

/// The portal of a private app's token (`GET /account-info/v3/details`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountDetails {
    pub portal_id: u64,
    #[serde(default)]
    pub ui_domain: Option<String>,
}

/// What a private app's token is (`POST /oauth/v2/private-apps/get/access-token-info`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrivateAppTokenInfo {
    pub user_id: u64,
    pub hub_id: u64,
}

/// An associated object and how it is associated (a page of them: an object's associations to
/// one type).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Associated {
    pub to_object_id: ObjectId,
    #[serde(default)]
    pub association_types: Vec<AssociationType>,
}

/// An object's id, which HubSpot's description types as text and its answers may give as a
/// number.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ObjectId {
    Text(String),
    Number(u64),
}

impl std::fmt::Display for ObjectId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ObjectId::Text(id) => f.write_str(id),
            ObjectId::Number(id) => write!(f, "{id}"),
        }
    }
}

/// A kind of association (`{category, typeId, label}`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssociationType {
    pub category: String,
    pub type_id: u32,
    #[serde(default)]
    pub label: Option<String>,
}

/// The kinds of association between two types.
#[derive(Debug, Deserialize)]
pub struct AssociationLabels {
    pub results: Vec<AssociationType>,
}

/// A page of marketing emails.
#[derive(Debug, Deserialize)]
pub struct MarketingEmails {
    #[serde(default)]
    pub total: Option<u64>,
    pub results: Vec<MarketingEmail>,
    #[serde(default)]
    pub paging: Option<Paging>,
}

/// A marketing email.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MarketingEmail {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub publish_date: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub from: Option<EmailFrom>,
    #[serde(default)]
    pub stats: Option<EmailStats>,
}

/// Who a marketing email is from.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailFrom {
    #[serde(default)]
    pub from_name: Option<String>,
    #[serde(default)]
    pub reply_to: Option<String>,
}

/// A marketing email's statistics, when asked for.
#[derive(Debug, Deserialize)]
pub struct EmailStats {
    #[serde(default)]
    pub counters: BTreeMap<String, i64>,
}

/// Email statistics over time.
#[derive(Debug, Deserialize)]
pub struct Histogram {
    pub results: Vec<HistogramBucket>,
}

/// One bucket of statistics.
#[derive(Debug, Deserialize)]
pub struct HistogramBucket {
    pub interval: TimeInterval,
    #[serde(default)]
    pub aggregations: Option<EmailStats>,
}

/// A period.
#[derive(Debug, Deserialize)]
pub struct TimeInterval {
    pub start: String,
    pub end: String,
}

/// A page of email events (legacy Email Events API v1).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailEvents {
    pub events: Vec<EmailEvent>,
    #[serde(default)]
    pub has_more: bool,
    #[serde(default)]
    pub offset: Option<String>,
}

/// Something that happened to an email.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailEvent {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub created: Option<i64>,
    #[serde(default)]
    pub recipient: Option<String>,
    #[serde(default)]
    pub email_campaign_id: Option<u64>,
}

/// A page of email campaigns (legacy Email Events API v1).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailCampaigns {
    pub campaigns: Vec<EmailCampaignRef>,
    #[serde(default)]
    pub has_more: bool,
    #[serde(default)]
    pub offset: Option<String>,
}

/// A campaign in a list.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailCampaignRef {
    pub id: u64,
    #[serde(default)]
    pub app_name: Option<String>,
}

/// An email campaign.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailCampaign {
    pub id: u64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub app_name: Option<String>,
    #[serde(default)]
    pub counters: BTreeMap<String, i64>,
}
