//! What Salesforce answers, as far as the tools read it (field names as the REST API and
//! jsforce's `ApiSchemas` spell them).

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// A batch of query results (`GET /query`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryResult<R = Ordered> {
    /// How many records the query matches in all.
    pub total_size: u64,
    /// Whether this batch is the last.
    pub done: bool,
    /// The records of this batch.
    pub records: Vec<R>,
}

/// The organization's objects (`GET /sobjects`).
#[derive(Debug, Deserialize)]
pub struct DescribeGlobal {
    pub sobjects: Vec<GlobalObject>,
}

/// One object of the organization.
#[derive(Debug, Deserialize)]
pub struct GlobalObject {
    pub name: String,
    pub label: String,
    pub custom: bool,
}

/// One object's metadata (`GET /sobjects/{name}/describe`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Describe {
    pub name: String,
    pub label: String,
    pub label_plural: String,
    pub key_prefix: Option<String>,
    pub custom: bool,
    pub queryable: bool,
    pub createable: bool,
    pub updateable: bool,
    pub deletable: bool,
    #[serde(default)]
    pub feed_enabled: bool,
    #[serde(default)]
    pub fields: Vec<Field>,
    #[serde(default)]
    pub child_relationships: Vec<ChildRelationship>,
}

/// A field of an object.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    pub name: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub custom: bool,
    pub nillable: bool,
    pub createable: bool,
    pub updateable: bool,
    #[serde(default)]
    pub reference_to: Vec<String>,
    pub relationship_name: Option<String>,
    #[serde(default)]
    pub picklist_values: Vec<PicklistEntry>,
}

/// A value a picklist field offers.
#[derive(Debug, Deserialize)]
pub struct PicklistEntry {
    pub value: String,
    pub active: bool,
}

/// Records of another object pointing at this one.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChildRelationship {
    #[serde(rename = "childSObject")]
    pub child_object: String,
    pub field: String,
    pub relationship_name: Option<String>,
}

/// The outcome of one record of an sObject Collections request.
#[derive(Debug, Deserialize)]
pub struct SaveResult {
    pub id: Option<String>,
    pub success: bool,
    #[serde(default)]
    pub errors: Vec<SaveError>,
}

/// Why a record was not saved.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SaveError {
    pub status_code: String,
    pub message: String,
    #[serde(default)]
    pub fields: Vec<String>,
}

/// A classic attachment of a record.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Attachment {
    pub id: String,
    pub name: String,
    pub content_type: Option<String>,
    pub body_length: Option<u64>,
    pub created_date: String,
    pub created_by: Option<Creator>,
}

/// A file (ContentDocument) linked to a record.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DocumentLink {
    pub content_document_id: String,
}

/// The latest version of a file.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContentVersion {
    pub id: String,
    pub title: String,
    pub file_type: Option<String>,
    pub content_size: Option<u64>,
    pub created_date: String,
    pub created_by: Option<Creator>,
}

/// Who created a record (`CreatedBy.Name`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Creator {
    pub name: Option<String>,
}

/// A JSON value whose objects keep their keys in the order Salesforce sent them: a query's
/// records list their fields in the order of its `SELECT`.
#[derive(Debug, Clone, PartialEq)]
pub enum Ordered {
    /// An object, its entries in order.
    Object(Vec<(String, Ordered)>),
    /// Anything else.
    Other(Value),
}

impl Ordered {
    /// The entry `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Ordered> {
        match self {
            Ordered::Object(entries) => entries
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value),
            Ordered::Other(_) => None,
        }
    }
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OrderedVisitor)
    }
}

struct OrderedVisitor;

impl<'de> Visitor<'de> for OrderedVisitor {
    type Value = Ordered;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<String, Ordered>()? {
            entries.push(entry);
        }
        Ok(Ordered::Object(entries))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(Ordered::Other(Value::Array(items)))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Ordered, E> {
        Ok(Ordered::Other(Value::Bool(value)))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Ordered, E> {
        Ok(Ordered::Other(Value::from(value)))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Ordered, E> {
        Ok(Ordered::Other(Value::from(value)))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Ordered, E> {
        Ok(Ordered::Other(Value::from(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Ordered, E> {
        Ok(Ordered::Other(Value::from(value)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Ordered, E> {
        Ok(Ordered::Other(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Ordered, E> {
        Ok(Ordered::Other(Value::Null))
    }
}
