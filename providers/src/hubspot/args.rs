//! The arguments of the HubSpot tools, named on the wire as the reference integration names
//! them (camelCase).

use std::collections::BTreeMap;

use mcp_runtime::prelude::*;
use serde_json::Value;

use crate::kit::{Segment, SegmentRule};

pub use super::filters::{Filter, FilterOperator};

/// A HubSpot record, owner, file or email id (all numeric), safe in a URL path.
pub type Id = Segment<HubspotId>;

/// The rule of HubSpot ids: digits.
#[derive(Debug)]
pub enum HubspotId {}

impl SegmentRule for HubspotId {
    const PATTERN: &'static str = r"^[0-9]{1,20}$";
    const EXPECTED: &'static str = "a HubSpot id such as `51`";

    fn accepts(value: &str) -> bool {
        (1..=20).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit())
    }
}

/// An object type's name or id (`companies`, `0-2`), safe in a URL path.
pub type TypeName = Segment<ObjectTypeName>;

/// The rule of object type names and ids: letters, digits, `_` and `-`.
#[derive(Debug)]
pub enum ObjectTypeName {}

impl SegmentRule for ObjectTypeName {
    const PATTERN: &'static str = r"^[A-Za-z0-9_-]{1,64}$";
    const EXPECTED: &'static str = "an object type such as `companies`";

    fn accepts(value: &str) -> bool {
        (1..=64).contains(&value.len())
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
    }
}

/// An enum of object types, each variant with its HubSpot name.
macro_rules! object_types {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
        pub enum $name {
            $(#[serde(rename = $wire)] $variant,)+
        }

        impl $name {
            /// HubSpot's name of the type, as in `/crm/v3/objects/{type}`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)+
                }
            }
        }
    };
}

object_types!(
    /// Contacts, companies, deals or owners.
    AnyObject {
        Contacts = "contacts",
        Companies = "companies",
        Deals = "deals",
        Owners = "owners",
    }
);

object_types!(
    /// Contacts, companies or deals.
    SimpleObject {
        Contacts = "contacts",
        Companies = "companies",
        Deals = "deals",
    }
);

object_types!(
    /// A CRM object type the search reaches.
    SearchableObject {
        Contacts = "contacts",
        Companies = "companies",
        Deals = "deals",
        Tasks = "tasks",
        Notes = "notes",
        Meetings = "meetings",
        Calls = "calls",
        Emails = "emails",
        Products = "products",
        LineItems = "line_items",
        Quotes = "quotes",
        FeedbackSubmissions = "feedback_submissions",
        Tickets = "tickets",
    }
);

/// Arguments of `get_object_properties`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetObjectProperties {
    /// The object type.
    pub object_type: AnyObject,
    /// Only the properties a user can set when creating an object (default true).
    #[serde(default)]
    pub creatable_only: Option<bool>,
}

/// Arguments of `get_object_by_email`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetObjectByEmail {
    /// The object type.
    pub object_type: AnyObject,
    /// The email address, e.g. `bh@hubspot.com`.
    pub email: String,
}

/// Arguments of `get_latest_objects`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetLatestObjects {
    /// The object type.
    pub object_type: SimpleObject,
    /// How many, 1 to 200 (default 200).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// A contact.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContactId {
    /// The contact's id.
    pub contact_id: Id,
}

/// Arguments of `get_company`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetCompany {
    /// The company's id.
    pub company_id: Id,
    /// Property names to read besides the usual ones (name, domain, owner, creation date).
    #[serde(default)]
    pub extra_properties: Option<Vec<String>>,
}

/// Arguments of `get_deal`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetDeal {
    /// The deal's id.
    pub deal_id: Id,
    /// Property names to read besides the usual ones (name, amount, stage, pipeline, owner,
    /// dates).
    #[serde(default)]
    pub extra_properties: Option<Vec<String>>,
}

/// A meeting.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MeetingId {
    /// The meeting's id.
    pub meeting_id: Id,
}

/// A file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FileId {
    /// The file's id.
    pub file_id: Id,
}

/// Arguments of `count_objects_by_properties`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CountObjects {
    /// The object type.
    pub object_type: SimpleObject,
    /// Conditions the objects all meet.
    pub filters: Vec<Filter>,
}

/// Arguments of `search_crm_objects`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchCrmObjects {
    /// The object type.
    pub object_type: SearchableObject,
    /// Conditions the objects all meet.
    #[serde(default)]
    pub filters: Option<Vec<Filter>>,
    /// Text searched in the type's default searchable properties (names, emails, domains…).
    #[serde(default)]
    pub query: Option<String>,
    /// The properties to read (default: all of them, of which the meaningful ones are shown).
    #[serde(default)]
    pub properties_to_return: Option<Vec<String>>,
    /// Results per page, 1 to 200 (default 200).
    #[serde(default)]
    pub limit: Option<u32>,
    /// The cursor printed at the end of the previous page.
    #[serde(default)]
    pub after: Option<String>,
}

/// Arguments of `export_crm_objects_csv`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExportCrmObjects {
    /// The object type.
    pub object_type: SearchableObject,
    /// The properties to export, one column each, in this order (at least one).
    pub properties_to_export: Vec<String>,
    /// Conditions the objects all meet.
    #[serde(default)]
    pub filters: Option<Vec<Filter>>,
    /// Text searched in the type's default searchable properties.
    #[serde(default)]
    pub query: Option<String>,
    /// The most rows to export, 1 to 2000 (default 2000).
    #[serde(default)]
    pub max_rows: Option<u32>,
}

/// Arguments of `get_user_activity`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetUserActivity {
    /// The owner's id (see `list_owners` or `get_current_user_id`).
    pub owner_id: Id,
    /// The start of the period: an ISO 8601 date or time, or milliseconds since the epoch.
    pub start_date: String,
    /// The end of the period, as `startDate`.
    pub end_date: String,
    /// The most activities to show, 1 to 200 (default 200).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// Arguments of `search_owners`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchOwners {
    /// Part of a name or an email address, or an owner or user id.
    pub search_query: String,
}

/// What kind of page `get_hubspot_link` links to.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PageType {
    /// One object's page (needs `objectId`).
    Record,
    /// The list of a type's objects.
    Index,
}

/// One page to link to.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PageRequest {
    /// A record page or an index page.
    #[serde(rename = "pagetype")]
    pub page_type: PageType,
    /// The object type: a name (`contacts`), its id (`0-1`), or a custom object's id (`2-…`).
    pub object_type_id: String,
    /// The object's id, for record pages.
    #[serde(default)]
    pub object_id: Option<String>,
}

/// Arguments of `get_hubspot_link`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetHubspotLink {
    /// The portal (account) id, from `get_hubspot_portal_id`.
    pub portal_id: String,
    /// The portal's UI domain, e.g. `app.hubspot.com`, from `get_hubspot_portal_id`.
    pub ui_domain: String,
    /// The pages to link to.
    pub page_requests: Vec<PageRequest>,
}

/// Arguments of `get_associated_meetings`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetAssociatedMeetings {
    /// The type of the object the meetings are associated with.
    pub from_object_type: SimpleObject,
    /// Its id.
    pub from_object_id: Id,
}

/// Arguments of `list_associations`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListAssociations {
    /// The object's type.
    pub object_type: SimpleObject,
    /// The object's id.
    pub object_id: Id,
    /// Only associations to this type (default: contacts, companies, deals, tasks and notes).
    #[serde(default)]
    pub to_object_type: Option<SimpleObject>,
}

/// Two objects, for `create_association` and `remove_association`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssociationPair {
    /// The first object's type.
    pub from_object_type: SimpleObject,
    /// The first object's id.
    pub from_object_id: Id,
    /// The second object's type.
    pub to_object_type: SimpleObject,
    /// The second object's id.
    pub to_object_id: Id,
}

/// An object a new one is associated with.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Association {
    /// The object's id.
    pub to_object_id: Id,
    /// The object's type, e.g. `companies`.
    pub to_object_type: TypeName,
}

/// Arguments of the `create_*` tools of contacts, companies, deals, tickets, leads and tasks.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateObject {
    /// Property values by property name (see `get_object_properties`).
    pub properties: BTreeMap<String, String>,
    /// Objects to associate the new one with.
    #[serde(default)]
    pub associations: Option<Vec<Association>>,
}

/// Arguments of `update_contact`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateContact {
    /// The contact's id.
    pub contact_id: Id,
    /// Property values to set, by property name.
    pub properties: BTreeMap<String, String>,
}

/// Arguments of `update_company`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCompany {
    /// The company's id.
    pub company_id: Id,
    /// Property values to set, by property name.
    pub properties: BTreeMap<String, String>,
}

/// Arguments of `update_deal`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateDeal {
    /// The deal's id.
    pub deal_id: Id,
    /// Property values to set, by property name.
    pub properties: BTreeMap<String, String>,
}

/// Arguments of `update_task`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateTask {
    /// The task's id.
    pub task_id: Id,
    /// Property values to set, by property name (`hs_task_subject`, `hs_task_status`…).
    pub properties: BTreeMap<String, String>,
}

/// A task.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskId {
    /// The task's id.
    pub task_id: Id,
}

/// The properties of a note.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct NoteProperties {
    /// The note's text (HTML allowed).
    pub hs_note_body: String,
    /// When the note was taken, ISO 8601 (default now).
    #[serde(default)]
    pub hs_timestamp: Option<String>,
    /// The owner's id.
    #[serde(default)]
    pub hubspot_owner_id: Option<String>,
}

/// The objects a note is associated with.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct NoteAssociations {
    /// Contact ids.
    #[serde(default)]
    pub contact_ids: Option<Vec<Id>>,
    /// Company ids.
    #[serde(default)]
    pub company_ids: Option<Vec<Id>>,
    /// Deal ids.
    #[serde(default)]
    pub deal_ids: Option<Vec<Id>>,
    /// Owner ids.
    #[serde(default)]
    pub owner_ids: Option<Vec<Id>>,
}

/// Arguments of `create_note`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateNote {
    /// The note.
    pub properties: NoteProperties,
    /// What the note is about.
    #[serde(default)]
    pub associations: Option<NoteAssociations>,
}

/// The objects a communication or a meeting is associated with.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EngagementAssociations {
    /// Contact ids.
    #[serde(default)]
    pub contact_ids: Option<Vec<Id>>,
    /// Company ids.
    #[serde(default)]
    pub company_ids: Option<Vec<Id>>,
    /// Deal ids.
    #[serde(default)]
    pub deal_ids: Option<Vec<Id>>,
}

/// Arguments of `create_communication` and `create_meeting`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateEngagement {
    /// Property values by property name; numbers and booleans are sent as text.
    pub properties: BTreeMap<String, Value>,
    /// What it is about.
    #[serde(default)]
    pub associations: Option<EngagementAssociations>,
}

/// Arguments of `list_marketing_emails`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListMarketingEmails {
    /// Emails per page, 1 to 100 (default 50).
    #[serde(default)]
    pub limit: Option<u32>,
    /// The cursor printed at the end of the previous page.
    #[serde(default)]
    pub after: Option<String>,
    /// Only emails in this state (`DRAFT`, `PUBLISHED`, `SCHEDULED`…), among those of the page.
    #[serde(default)]
    pub state: Option<String>,
}

/// A marketing email.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EmailId {
    /// The email's id.
    pub email_id: Id,
}

/// The length of a statistics bucket.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Interval {
    /// Years.
    Year,
    /// Quarters.
    Quarter,
    /// Months.
    Month,
    /// Weeks.
    Week,
    /// Days.
    Day,
    /// Hours.
    Hour,
    /// Quarter hours.
    QuarterHour,
    /// Minutes.
    Minute,
    /// Seconds.
    Second,
}

impl Interval {
    /// HubSpot's name of the interval.
    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Year => "YEAR",
            Interval::Quarter => "QUARTER",
            Interval::Month => "MONTH",
            Interval::Week => "WEEK",
            Interval::Day => "DAY",
            Interval::Hour => "HOUR",
            Interval::QuarterHour => "QUARTER_HOUR",
            Interval::Minute => "MINUTE",
            Interval::Second => "SECOND",
        }
    }
}

/// Arguments of `get_marketing_email_statistics`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct EmailStatistics {
    /// The email's id.
    pub email_id: Id,
    /// The length of each bucket (default: HubSpot's).
    #[serde(default)]
    pub interval: Option<Interval>,
}

/// Arguments of `list_email_events`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListEmailEvents {
    /// Events per page, 1 to 1000 (default 100).
    #[serde(default)]
    pub limit: Option<u32>,
    /// The offset printed at the end of the previous page.
    #[serde(default)]
    pub offset: Option<String>,
    /// Only events of this type: `SENT`, `DELIVERED`, `OPEN`, `CLICK`, `BOUNCE`…
    #[serde(default)]
    pub event_type: Option<String>,
    /// Only events of this email campaign.
    #[serde(default)]
    pub campaign_id: Option<Id>,
    /// Only events from this time on, in milliseconds since the epoch.
    #[serde(default)]
    pub start_timestamp: Option<Id>,
    /// Only events until this time, in milliseconds since the epoch.
    #[serde(default)]
    pub end_timestamp: Option<Id>,
}

/// Arguments of `list_email_campaigns`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListEmailCampaigns {
    /// Campaigns per page, 1 to 1000 (default 100).
    #[serde(default)]
    pub limit: Option<u32>,
    /// The offset printed at the end of the previous page.
    #[serde(default)]
    pub offset: Option<String>,
}

/// An email campaign.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CampaignId {
    /// The campaign's id.
    pub campaign_id: Id,
}
