//! The arguments of the Salesforce tools, named on the wire as the reference integration names
//! them.

use mcp_runtime::prelude::*;
use serde_json::{Map, Value};

use crate::kit::{Segment, SegmentRule};

/// A Salesforce record id, safe in a URL path and in a SOQL string literal.
pub type SalesforceId = Segment<RecordId>;

/// The rule of record ids: 15 (case-sensitive) or 18 (case-insensitive) letters and digits.
#[derive(Debug)]
pub enum RecordId {}

impl SegmentRule for RecordId {
    const PATTERN: &'static str = r"^[A-Za-z0-9]{15,18}$";
    const EXPECTED: &'static str =
        "a Salesforce record id of 15 to 18 letters and digits, such as `001Dn00000AbCdEIAV`";

    fn accepts(value: &str) -> bool {
        (15..=18).contains(&value.len()) && value.chars().all(|c| c.is_ascii_alphanumeric())
    }
}

/// An sObject's API name, safe in a URL path.
pub type ObjectName = Segment<SObjectName>;

/// The rule of sObject API names: a letter, then letters, digits and `_` (`Account`,
/// `Invoice__c`, `ns__Invoice__c`).
#[derive(Debug)]
pub enum SObjectName {}

impl SegmentRule for SObjectName {
    const PATTERN: &'static str = r"^[A-Za-z][A-Za-z0-9_]*$";
    const EXPECTED: &'static str =
        "an object's API name such as `Account` or `Invoice__c` (see `list_objects`)";

    fn accepts(value: &str) -> bool {
        value.starts_with(|c: char| c.is_ascii_alphabetic())
            && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    }
}

/// Arguments of `execute_read_query`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ExecuteReadQuery {
    /// The SOQL read query to execute, e.g.
    /// `SELECT Id, Name, Owner.Name FROM Account WHERE Industry = 'Banking' LIMIT 10`.
    pub query: String,
}

/// Which objects `list_objects` lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ObjectFilter {
    /// Standard and custom objects (the default).
    #[default]
    All,
    /// Salesforce's own objects.
    Standard,
    /// The organization's custom objects (`__c`).
    Custom,
}

/// Arguments of `list_objects`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ListObjects {
    /// Filter objects by type: all (the default), standard, or custom.
    #[serde(default)]
    pub filter: ObjectFilter,
}

/// Arguments of `describe_object`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DescribeObject {
    /// The name of the object to describe, e.g. `Account` or `Invoice__c`.
    pub object_name: ObjectName,
}

/// Arguments of `create_object`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateObject {
    /// The name of the Salesforce object (e.g. `Account`, `Contact`).
    pub object_name: ObjectName,
    /// The record(s) to create, 1 to 200: each an object of field API names and values, e.g.
    /// `{"Name": "Acme", "Industry": "Banking"}`.
    #[schemars(length(min = 1, max = 200))]
    pub records: Vec<Map<String, Value>>,
    /// If true, all creations must succeed or all fail (default false: each record on its own).
    #[serde(default)]
    pub all_or_none: bool,
}

/// A record to update: its id and the fields to change.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct RecordUpdate {
    /// The Salesforce record ID.
    #[serde(rename = "Id")]
    pub id: SalesforceId,
    /// The fields to change, by API name.
    #[serde(flatten)]
    pub fields: Map<String, Value>,
}

/// Arguments of `update_object`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateObject {
    /// The name of the Salesforce object (e.g. `Account`, `Contact`).
    pub object_name: ObjectName,
    /// The record(s) to update, 1 to 200: each must include its `Id` and the fields to change.
    #[schemars(length(min = 1, max = 200))]
    pub records: Vec<RecordUpdate>,
    /// If true, all updates must succeed or all fail (default false: each record on its own).
    #[serde(default)]
    pub all_or_none: bool,
}

/// Arguments of `list_attachments`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListAttachments {
    /// The Salesforce record ID, e.g. `001Dn00000AbCdEIAV`.
    pub record_id: SalesforceId,
}

/// Arguments of `read_attachment`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReadAttachment {
    /// The Salesforce record ID the attachment is on.
    pub record_id: SalesforceId,
    /// The ID of the attachment (`00P…`) or file version (`068…`) to read, as
    /// `list_attachments` shows it.
    pub attachment_id: SalesforceId,
}
