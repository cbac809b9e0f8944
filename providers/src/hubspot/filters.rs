//! Search filters as HubSpot's search takes them, from the tools' simpler form: which operators
//! need which values, ranges of dates as milliseconds, and text compared in lower case (as the
//! reference integration sends it). Every problem is found before any request.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate};
use mcp_runtime::McpError;
use mcp_runtime::prelude::*;
use serde_json::{Value, json};

/// How a filter compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FilterOperator {
    /// Equal to `value`.
    Eq,
    /// Not equal to `value`.
    Neq,
    /// Less than `value`.
    Lt,
    /// Less than or equal to `value`.
    Lte,
    /// Greater than `value`.
    Gt,
    /// Greater than or equal to `value`.
    Gte,
    /// Between two values: `values` `[low, high]`, or `value` `"low;high"`.
    Between,
    /// One of `values`.
    In,
    /// None of `values`.
    NotIn,
    /// The property has a value.
    HasProperty,
    /// The property has no value.
    NotHasProperty,
    /// The property's text contains the word `value` (`*` as a wildcard).
    ContainsToken,
    /// The property's text does not contain the word `value`.
    NotContainsToken,
}

impl FilterOperator {
    fn as_str(self) -> &'static str {
        match self {
            FilterOperator::Eq => "EQ",
            FilterOperator::Neq => "NEQ",
            FilterOperator::Lt => "LT",
            FilterOperator::Lte => "LTE",
            FilterOperator::Gt => "GT",
            FilterOperator::Gte => "GTE",
            FilterOperator::Between => "BETWEEN",
            FilterOperator::In => "IN",
            FilterOperator::NotIn => "NOT_IN",
            FilterOperator::HasProperty => "HAS_PROPERTY",
            FilterOperator::NotHasProperty => "NOT_HAS_PROPERTY",
            FilterOperator::ContainsToken => "CONTAINS_TOKEN",
            FilterOperator::NotContainsToken => "NOT_CONTAINS_TOKEN",
        }
    }

    /// Whether the value is compared as text, in lower case.
    fn compares_text(self) -> bool {
        matches!(
            self,
            FilterOperator::Eq
                | FilterOperator::Neq
                | FilterOperator::ContainsToken
                | FilterOperator::NotContainsToken
                | FilterOperator::In
                | FilterOperator::NotIn
        )
    }

    /// Whether the filter's meaning depends on the property's type.
    pub fn needs_type(self) -> bool {
        self.compares_text() || self == FilterOperator::Between
    }
}

/// One condition on a property.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    /// The property's name, e.g. `email`, `dealstage`, `createdate`.
    pub property_name: String,
    /// How to compare.
    pub operator: FilterOperator,
    /// The value, for every operator but `IN`, `NOT_IN`, `HAS_PROPERTY`, `NOT_HAS_PROPERTY`
    /// (dates as ISO 8601 or milliseconds since the epoch).
    #[serde(default)]
    pub value: Option<String>,
    /// The values of `IN` and `NOT_IN`, or `[low, high]` of `BETWEEN`.
    #[serde(default)]
    pub values: Option<Vec<String>>,
}

/// What kind of value a property holds, as far as filters care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Date,
    Enumeration,
    Text,
}

/// The kind of `property` by its declared type (`date`, `datetime`, `enumeration`…), else by its
/// name.
fn kind(property: &str, types: &HashMap<String, String>) -> Kind {
    match types.get(property).map(String::as_str) {
        Some("date" | "datetime") => Kind::Date,
        Some("enumeration") => Kind::Enumeration,
        Some(_) => Kind::Text,
        None => {
            let name = property.to_ascii_lowercase();
            if ["date", "time", "timestamp"]
                .iter()
                .any(|word| name.contains(word))
            {
                Kind::Date
            } else {
                Kind::Text
            }
        }
    }
}

/// Whether any of `filters` needs the properties' types.
pub fn need_types(filters: &[Filter]) -> bool {
    filters.iter().any(|filter| filter.operator.needs_type())
}

/// Whether every filter has the values its operator needs: what can be known before the
/// properties' types are.
pub fn check(filters: &[Filter]) -> Result<(), McpError> {
    let as_text = filters
        .iter()
        .map(|filter| (filter.property_name.clone(), "string".to_owned()))
        .collect();
    build(filters, &as_text).map(drop)
}

/// HubSpot's filters for `filters`, whose properties have `types` (name → declared type).
pub fn build(filters: &[Filter], types: &HashMap<String, String>) -> Result<Vec<Value>, McpError> {
    filters
        .iter()
        .enumerate()
        .map(|(index, filter)| one(index, filter, types))
        .collect()
}

fn one(index: usize, filter: &Filter, types: &HashMap<String, String>) -> Result<Value, McpError> {
    let name = &filter.property_name;
    let operator = filter.operator;
    let at = format!("`filters[{index}]` ({name} {})", operator.as_str());
    let kind = kind(name, types);
    let text = |value: &str| {
        if operator.compares_text() && kind == Kind::Text {
            value.to_lowercase()
        } else {
            value.to_owned()
        }
    };
    let mut built = json!({"propertyName": name, "operator": operator.as_str()});
    match operator {
        FilterOperator::HasProperty | FilterOperator::NotHasProperty => {}
        FilterOperator::In | FilterOperator::NotIn => {
            let values = filter
                .values
                .as_deref()
                .filter(|values| !values.is_empty())
                .ok_or_else(|| McpError::invalid_arguments(format!("{at} needs `values`")))?;
            built["values"] = json!(values.iter().map(|v| text(v)).collect::<Vec<_>>());
        }
        FilterOperator::Between => {
            let (low, high) = match (filter.values.as_deref(), filter.value.as_deref()) {
                (Some([low, high]), _) => (low.as_str(), high.as_str()),
                (_, Some(value)) if value.split(';').count() == 2 => {
                    value.split_once(';').expect("two parts")
                }
                _ => {
                    return Err(McpError::invalid_arguments(format!(
                        "{at} needs `values` [low, high] or `value` \"low;high\""
                    )));
                }
            };
            let bound = |value: &str| match kind {
                Kind::Date => epoch_millis(value.trim()).ok_or_else(|| {
                    McpError::invalid_arguments(format!(
                        "{at}: `{value}` is not an ISO 8601 date or milliseconds since the epoch"
                    ))
                }),
                _ => Ok(value.trim().to_owned()),
            };
            built["value"] = json!(bound(low)?);
            built["highValue"] = json!(bound(high)?);
        }
        _ => {
            let value = filter
                .value
                .as_deref()
                .ok_or_else(|| McpError::invalid_arguments(format!("{at} needs `value`")))?;
            built["value"] = json!(text(value));
        }
    }
    Ok(built)
}

/// `value` as milliseconds since the epoch: digits as they are, an ISO 8601 time or date
/// (midnight UTC) converted.
pub fn epoch_millis(value: &str) -> Option<String> {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value.to_owned());
    }
    if let Ok(time) = DateTime::parse_from_rfc3339(value) {
        return Some(time.timestamp_millis().to_string());
    }
    let day = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()?;
    Some(
        day.and_hms_opt(0, 0, 0)?
            .and_utc()
            .timestamp_millis()
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(value: Value) -> Filter {
        serde_json::from_value(value).unwrap()
    }

    fn types() -> HashMap<String, String> {
        [
            ("email", "string"),
            ("closedate", "datetime"),
            ("dealstage", "enumeration"),
            ("amount", "number"),
        ]
        .into_iter()
        .map(|(name, kind)| (name.to_owned(), kind.to_owned()))
        .collect()
    }

    fn built(value: Value) -> Result<Value, String> {
        build(&[filter(value)], &types())
            .map(|mut filters| filters.remove(0))
            .map_err(|error| error.to_string())
    }

    #[test]
    fn text_is_compared_in_lower_case_but_enumerations_and_dates_as_given() {
        assert_eq!(
            built(json!({"propertyName": "email", "operator": "EQ", "value": "Ana@Example.COM"})),
            Ok(json!({"propertyName": "email", "operator": "EQ", "value": "ana@example.com"}))
        );
        assert_eq!(
            built(
                json!({"propertyName": "dealstage", "operator": "IN", "values": ["ClosedWon", "appointmentScheduled"]})
            ),
            Ok(
                json!({"propertyName": "dealstage", "operator": "IN", "values": ["ClosedWon", "appointmentScheduled"]})
            )
        );
        assert_eq!(
            built(
                json!({"propertyName": "firstname", "operator": "NOT_IN", "values": ["Ana", "BOB"]})
            ),
            Ok(
                json!({"propertyName": "firstname", "operator": "NOT_IN", "values": ["ana", "bob"]})
            )
        );
        // Ordering compares as given.
        assert_eq!(
            built(json!({"propertyName": "amount", "operator": "GTE", "value": "1000"})),
            Ok(json!({"propertyName": "amount", "operator": "GTE", "value": "1000"}))
        );
    }

    #[test]
    fn presence_sends_no_value() {
        assert_eq!(
            built(json!({"propertyName": "phone", "operator": "HAS_PROPERTY", "value": "ignored"})),
            Ok(json!({"propertyName": "phone", "operator": "HAS_PROPERTY"}))
        );
    }

    #[test]
    fn between_dates_becomes_milliseconds_from_either_form() {
        let expected = json!({"propertyName": "closedate", "operator": "BETWEEN",
            "value": "1767225600000", "highValue": "1769904000000"});
        assert_eq!(
            built(
                json!({"propertyName": "closedate", "operator": "BETWEEN", "values": ["2026-01-01", "2026-02-01T00:00:00Z"]})
            ),
            Ok(expected.clone())
        );
        assert_eq!(
            built(
                json!({"propertyName": "closedate", "operator": "BETWEEN", "value": "1767225600000;2026-02-01"})
            ),
            Ok(expected)
        );
        // An undeclared property named like a date is taken for one.
        assert_eq!(
            built(
                json!({"propertyName": "hs_lastmodifieddate", "operator": "BETWEEN", "values": ["2026-01-01", "2026-01-02"]})
            ),
            Ok(
                json!({"propertyName": "hs_lastmodifieddate", "operator": "BETWEEN",
                "value": "1767225600000", "highValue": "1767312000000"})
            )
        );
        assert_eq!(
            built(json!({"propertyName": "amount", "operator": "BETWEEN", "value": "10;20"})),
            Ok(
                json!({"propertyName": "amount", "operator": "BETWEEN", "value": "10", "highValue": "20"})
            )
        );
    }

    #[test]
    fn missing_or_unreadable_values_are_refused() {
        for (value, expected) in [
            (
                json!({"propertyName": "email", "operator": "EQ"}),
                "`filters[0]` (email EQ) needs `value`",
            ),
            (
                json!({"propertyName": "dealstage", "operator": "IN", "values": []}),
                "`filters[0]` (dealstage IN) needs `values`",
            ),
            (
                json!({"propertyName": "amount", "operator": "BETWEEN", "value": "10"}),
                "`filters[0]` (amount BETWEEN) needs `values` [low, high] or `value` \"low;high\"",
            ),
            (
                json!({"propertyName": "closedate", "operator": "BETWEEN", "values": ["soon", "later"]}),
                "`filters[0]` (closedate BETWEEN): `soon` is not an ISO 8601 date or milliseconds since the epoch",
            ),
        ] {
            let error = built(value).unwrap_err();
            assert!(error.contains(expected), "{error}");
        }
    }

    const OPERATORS: [FilterOperator; 13] = [
        FilterOperator::Eq,
        FilterOperator::Neq,
        FilterOperator::Lt,
        FilterOperator::Lte,
        FilterOperator::Gt,
        FilterOperator::Gte,
        FilterOperator::Between,
        FilterOperator::In,
        FilterOperator::NotIn,
        FilterOperator::HasProperty,
        FilterOperator::NotHasProperty,
        FilterOperator::ContainsToken,
        FilterOperator::NotContainsToken,
    ];

    proptest::proptest! {
        /// Whatever a model sends, a filter is built or refused as invalid arguments, and a
        /// built one is what HubSpot's filter is: its property, its operator, and a value
        /// exactly where the operator takes one.
        #[test]
        fn any_filter_is_built_or_refused(
            name in "(email|closedate|dealstage|amount|[a-z_]{1,12})",
            operator in 0usize..13,
            value in proptest::option::of(".{0,16}"),
            values in proptest::option::of(proptest::collection::vec(".{0,8}", 0..4)),
        ) {
            let operator = OPERATORS[operator];
            let filter = Filter { property_name: name.clone(), operator, value, values };
            match build(std::slice::from_ref(&filter), &types()) {
                Err(error) => proptest::prop_assert!(error.to_string().starts_with("`filters[0]`")),
                Ok(built) => {
                    let built = &built[0];
                    proptest::prop_assert_eq!(&built["propertyName"], &json!(name));
                    proptest::prop_assert_eq!(&built["operator"], &json!(operator.as_str()));
                    let takes_value = !matches!(
                        operator,
                        FilterOperator::In | FilterOperator::NotIn
                            | FilterOperator::HasProperty | FilterOperator::NotHasProperty
                    );
                    proptest::prop_assert_eq!(built.get("value").is_some(), takes_value);
                    if operator == FilterOperator::Eq && name == "email" {
                        let lower = filter.value.as_deref().unwrap_or_default().to_lowercase();
                        proptest::prop_assert_eq!(&built["value"], &json!(lower));
                    }
                }
            }
        }

        /// Every day from 1970 to 2079 is its midnight UTC in milliseconds.
        #[test]
        fn days_are_their_midnight_in_milliseconds(days in 0i64..40_000) {
            let day = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Duration::days(days);
            proptest::prop_assert_eq!(
                epoch_millis(&day.format("%Y-%m-%d").to_string()),
                Some((days * 86_400_000).to_string())
            );
        }
    }

    #[test]
    fn only_comparisons_of_text_and_ranges_need_types() {
        let gte = filter(json!({"propertyName": "amount", "operator": "GTE", "value": "1"}));
        let eq = filter(json!({"propertyName": "email", "operator": "EQ", "value": "a"}));
        assert!(!need_types(std::slice::from_ref(&gte)));
        assert!(need_types(&[gte, eq]));
    }
}
