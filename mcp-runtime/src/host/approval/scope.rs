//! What a remembered approval covers, per stake: `low` a user × server × tool, `medium` also the
//! agent and every value of the tool's `approval_args`.
//!
//! Dust keeps only scalar values and one-element arrays in a `medium` scope, so an "always" on a
//! call to two recipients covers any number of recipients; here every value is part of the
//! scope, and two calls share one only when their user would have seen the same values.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{Stake, ToolMetadata};

/// The user of calls that name none (the CLI, a single-user stdio client).
pub const LOCAL_USER: &str = "local";

/// The extent of an "always allow".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ApprovalScope {
    /// Who approved.
    pub user_id: String,
    /// The server's name.
    pub server: String,
    /// The tool's name.
    pub tool: String,
    /// The agent, for `medium` approvals.
    pub agent_id: Option<String>,
    /// Every one of the tool's `approval_args`, for `medium` approvals.
    pub values: BTreeMap<String, ApprovalValue>,
}

/// One of a call's `approval_args` as a scope holds it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalValue {
    /// The call did not give it.
    Absent,
    /// Its value in canonical form: objects' keys sorted, an array as the sorted set of its
    /// items (their order and repeats do not change what the user approves).
    Given(Value),
}

impl ApprovalValue {
    /// The value of a field that `value` holds, if given.
    pub fn of(value: Option<&Value>) -> Self {
        let Some(value) = value else {
            return ApprovalValue::Absent;
        };
        let mut value = value.clone();
        // A no-op unless some crate turns on serde_json's `preserve_order`.
        value.sort_all_objects();
        if let Value::Array(items) = &mut value {
            items.sort_by_cached_key(Value::to_string);
            items.dedup();
        }
        ApprovalValue::Given(value)
    }
}

/// Shown as the user is bound by it: strings bare, arrays with every item, objects as JSON.
impl std::fmt::Display for ApprovalValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApprovalValue::Absent => f.write_str("(not given)"),
            ApprovalValue::Given(Value::String(text)) => f.write_str(text),
            ApprovalValue::Given(Value::Array(items)) => {
                let items: Vec<String> = items.iter().map(Value::to_string).collect();
                write!(f, "[{}]", items.join(", "))
            }
            ApprovalValue::Given(other) => write!(f, "{other}"),
        }
    }
}

impl ApprovalScope {
    /// The scope of a call of `tool` with `arguments` at `stake`.
    pub fn of_call(
        stake: Stake,
        user_id: &str,
        server: &str,
        tool: &ToolMetadata,
        agent_id: Option<&str>,
        arguments: &Value,
    ) -> Self {
        let medium = stake == Stake::Medium;
        ApprovalScope {
            user_id: user_id.to_owned(),
            server: server.to_owned(),
            tool: tool.name.to_owned(),
            agent_id: agent_id.filter(|_| medium).map(str::to_owned),
            values: if medium {
                approval_values(tool.approval_args, arguments)
            } else {
                BTreeMap::new()
            },
        }
    }

    /// A stable text key for stores: the scope as canonical JSON (maps are sorted).
    pub fn key(&self) -> String {
        serde_json::to_string(self).expect("scopes serialize")
    }

    /// Whether an "always" can be remembered: a `medium` approval needs an agent to scope it
    /// (without one, as in Dust's sandbox, approvals are one-time).
    pub fn is_rememberable(&self, stake: Stake) -> bool {
        match stake {
            Stake::Low => true,
            Stake::Medium => self.agent_id.is_some(),
            Stake::High | Stake::NeverAsk => false,
        }
    }
}

/// Each of `names` as `arguments` holds it, absent ones included.
pub fn approval_values(names: &[&str], arguments: &Value) -> BTreeMap<String, ApprovalValue> {
    names
        .iter()
        .map(|name| ((*name).to_owned(), ApprovalValue::of(arguments.get(*name))))
        .collect()
}

/// What the user is asked to approve, with every value an "always" would be bound to, e.g.
/// `Send email (to: ["alice@example.com", "bob@example.com"], cc: (not given))`.
pub fn label(tool: &ToolMetadata, arguments: &Value) -> String {
    let action = tool
        .title
        .or(tool.done)
        .map_or_else(|| tool.name.replace('_', " "), str::to_owned);
    if tool.approval_args.is_empty() {
        return action;
    }
    let shown: Vec<String> = tool
        .approval_args
        .iter()
        .map(|name| format!("{name}: {}", ApprovalValue::of(arguments.get(*name))))
        .collect();
    format!("{action} ({})", shown.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn value(arguments: Value) -> ApprovalValue {
        ApprovalValue::of(arguments.get("to"))
    }

    #[test]
    fn every_shape_is_kept() {
        assert_eq!(value(json!({})), ApprovalValue::Absent);
        assert_eq!(
            value(json!({"to": null})),
            ApprovalValue::Given(Value::Null)
        );
        assert_eq!(value(json!({"to": "a"})), ApprovalValue::Given(json!("a")));
        assert_eq!(value(json!({"to": 3})), ApprovalValue::Given(json!(3)));
        assert_eq!(
            value(json!({"to": {"b": 1, "a": [2, 1]}})),
            ApprovalValue::Given(json!({"a": [2, 1], "b": 1}))
        );
    }

    #[test]
    fn an_array_is_the_set_of_its_items() {
        assert_eq!(
            value(json!({"to": ["b", "a", "b"]})),
            value(json!({"to": ["a", "b"]}))
        );
        assert_ne!(
            value(json!({"to": ["a", "b"]})),
            value(json!({"to": ["a"]}))
        );
        assert_ne!(value(json!({"to": ["a"]})), value(json!({"to": "a"})));
        assert_ne!(value(json!({"to": []})), value(json!({})));
    }

    #[test]
    fn absent_null_and_lookalike_scalars_differ() {
        assert_ne!(value(json!({})), value(json!({"to": null})));
        assert_ne!(value(json!({"to": "3"})), value(json!({"to": 3})));
        assert_ne!(value(json!({"to": "true"})), value(json!({"to": true})));
    }

    #[test]
    fn the_label_shows_every_value_in_declared_order() {
        let tool = ToolMetadata {
            name: "send_email",
            title: None,
            description: "Sends an email.",
            stake: Stake::Medium,
            running: None,
            done: None,
            approval_args: &["to", "cc", "subject"],
            retry: crate::RetryPolicy::Never,
            annotations: crate::ToolAnnotations {
                read_only: false,
                destructive: false,
                idempotent: false,
                open_world: true,
            },
            cost: crate::Cost::Basic,
            eager: false,
            toolset: None,
            icon: None,
            task: crate::TaskSupport::Forbidden,
            task_start: crate::TaskStart::Call,
        };
        assert_eq!(
            label(
                &tool,
                &json!({"to": ["bob@example.com", "alice@example.com"], "subject": "Hi"})
            ),
            r#"send email (to: ["alice@example.com", "bob@example.com"], cc: (not given), subject: Hi)"#
        );
    }
}
