//! Arguments that enter a URL path (an owner, a repository, an issue key, an id): checked while
//! the arguments are read, so a bad one fails with the field's path before any handler runs,
//! and with their rule in the JSON Schema (`pattern`), so clients know it too.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// The rule of one kind of path segment.
pub trait SegmentRule {
    /// The rule as a regular expression (ECMA-262, as JSON Schema's `pattern`).
    const PATTERN: &'static str;
    /// What a valid value is, for the error: e.g. "a GitHub name such as `octocat`".
    const EXPECTED: &'static str;
    /// Whether `value` follows the rule (the same rule as [`SegmentRule::PATTERN`]).
    fn accepts(value: &str) -> bool;
}

/// A string argument that is safe in a URL path, by the rule `R`.
pub struct Segment<R> {
    value: String,
    rule: PhantomData<fn() -> R>,
}

impl<R: SegmentRule> Segment<R> {
    /// `value`, if it follows the rule.
    pub fn new(value: impl Into<String>) -> Option<Self> {
        let value = value.into();
        R::accepts(&value).then_some(Segment {
            value,
            rule: PhantomData,
        })
    }
}

impl<R> Deref for Segment<R> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.value
    }
}

impl<R> fmt::Display for Segment<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl<R> fmt::Debug for Segment<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.value, f)
    }
}

impl<R> Clone for Segment<R> {
    fn clone(&self) -> Self {
        Segment {
            value: self.value.clone(),
            rule: PhantomData,
        }
    }
}

impl<R> PartialEq for Segment<R> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<R> Eq for Segment<R> {}

impl<'de, R: SegmentRule> Deserialize<'de> for Segment<R> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        let shown: String = value.chars().take(80).collect();
        Segment::new(value)
            .ok_or_else(|| de::Error::custom(format!("expected {}, not `{shown}`", R::EXPECTED)))
    }
}

impl<R> Serialize for Segment<R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

impl<R: SegmentRule> JsonSchema for Segment<R> {
    fn schema_name() -> Cow<'static, str> {
        "Segment".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": "string", "pattern": R::PATTERN})
    }
}
