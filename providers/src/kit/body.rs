//! Request bodies as platforms expect them: an optional field that was not given is absent, not
//! `null` (which platforms read as "clear this", or refuse).

use serde_json::Value;

/// `value` without the object members that are `null`, at any depth.
pub fn present(value: Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .into_iter()
                .filter(|(_, member)| !member.is_null())
                .map(|(key, member)| (key, present(member)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(present).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nulls_are_left_out_at_any_depth() {
        assert_eq!(
            present(
                json!({"title": "t", "body": null, "fields": {"a": null, "b": [1, {"c": null}]}})
            ),
            json!({"title": "t", "fields": {"b": [1, {}]}})
        );
    }
}
