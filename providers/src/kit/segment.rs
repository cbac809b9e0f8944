//! Arguments that enter a URL path (an owner, a repository, an issue key, an id): checked while
//! the arguments are read, so a bad one fails with the field's path before any handler runs,
//! and with their rule in the JSON Schema (`pattern`), so clients know it too. Free-form ones
//! (an email, an id holding `#`) are percent-encoded instead, with [`encode_segment`].

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// What [`encode_segment`] escapes: everything but RFC 3986's unreserved characters.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `value` as one URL path segment, percent-encoded (UTF-8) but for letters, digits and `-._~`:
/// a free-form id (`en.usa#holiday@group.v.calendar.google.com`, `a/b`) stays one segment and
/// cannot end the path or start a query or a fragment. `.` and `..` are still dot segments
/// (URL parsers remove them however they are spelt): the argument's rule refuses them.
pub fn encode_segment(value: &str) -> String {
    utf8_percent_encode(value, NOT_UNRESERVED).to_string()
}

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

#[cfg(test)]
mod tests {
    use super::encode_segment;

    #[test]
    fn free_form_segments_stay_one_segment() {
        assert_eq!(encode_segment("primary"), "primary");
        assert_eq!(
            encode_segment("en.usa#holiday@group.v.calendar.google.com"),
            "en.usa%23holiday%40group.v.calendar.google.com"
        );
        assert_eq!(
            encode_segment("ana+test@example.com"),
            "ana%2Btest%40example.com"
        );
        assert_eq!(encode_segment("a/b?c=d&e"), "a%2Fb%3Fc%3Dd%26e");
        assert_eq!(encode_segment("100%"), "100%25");
        assert_eq!(encode_segment("a b"), "a%20b");
        assert_eq!(encode_segment("naïve"), "na%C3%AFve");
        assert_eq!(
            encode_segment("abc_20261201T090000Z-x.y~z"),
            "abc_20261201T090000Z-x.y~z"
        );
        assert_eq!(encode_segment("..."), "...");
    }

    #[test]
    fn an_encoded_segment_survives_url_parsing_whole() {
        for value in [
            "a/../b",
            "x#y",
            "q?x",
            "ana@example.com",
            "%2F",
            "...",
            "a b",
        ] {
            let url = reqwest::Url::parse(&format!(
                "https://api.example.com/v3/calendars/{}/events",
                encode_segment(value)
            ))
            .unwrap();
            let segments: Vec<&str> = url.path_segments().unwrap().collect();
            assert_eq!(segments.len(), 4, "{value}: {url}");
            assert_eq!(segments[0], "v3");
            assert_eq!(segments[3], "events");
            assert_eq!(url.query(), None);
            assert_eq!(url.fragment(), None);
            let decoded = percent_encoding::percent_decode_str(segments[2])
                .decode_utf8()
                .unwrap();
            assert_eq!(decoded, value);
        }
    }
}
