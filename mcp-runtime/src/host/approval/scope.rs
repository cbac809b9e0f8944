//! What a remembered approval covers, per stake (Dust's semantics): `low` a user × server × tool,
//! `medium` also the agent and the values of the tool's `approval_args`.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::{Stake, ToolMetadata};

/// The user of calls that name none (the CLI, a single-user stdio client).
pub const LOCAL_USER: &str = "local";

/// The extent of an "always allow".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ApprovalScope {
    /// Who approved.
    pub user_id: String,
    /// The server's name.
    pub server: String,
    /// The tool's name.
    pub tool: String,
    /// The agent, for `medium` approvals.
    pub agent_id: Option<String>,
    /// The values of the tool's `approval_args`, for `medium` approvals.
    pub values: BTreeMap<String, String>,
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

/// The values of `names` in `arguments`: scalars as strings, one-element arrays unwrapped,
/// anything else left out.
pub fn approval_values(names: &[&str], arguments: &Value) -> BTreeMap<String, String> {
    names
        .iter()
        .filter_map(|name| {
            let value = match arguments.get(*name)? {
                Value::Array(items) if items.len() == 1 => &items[0],
                other => other,
            };
            let text = match value {
                Value::String(text) => text.clone(),
                Value::Number(number) => number.to_string(),
                Value::Bool(flag) => flag.to_string(),
                _ => return None,
            };
            Some(((*name).to_owned(), text))
        })
        .collect()
}

/// What the user is asked to approve, e.g. `Post message (channel: #team)`.
pub fn label(tool: &ToolMetadata, arguments: &Value) -> String {
    let action = tool
        .title
        .or(tool.done)
        .map_or_else(|| tool.name.replace('_', " "), str::to_owned);
    let values = approval_values(tool.approval_args, arguments);
    if values.is_empty() {
        return action;
    }
    let shown: Vec<String> = values
        .iter()
        .map(|(name, value)| format!("{name}: {value}"))
        .collect();
    format!("{action} ({})", shown.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_scalars_as_strings_and_single_items_unwrapped() {
        let arguments = json!({
            "channel": "#team", "count": 3, "urgent": true, "to": ["a@example.com"],
            "cc": ["a", "b"], "options": {"x": 1}, "empty": null
        });
        let values = approval_values(
            &[
                "channel", "count", "urgent", "to", "cc", "options", "empty", "absent",
            ],
            &arguments,
        );
        assert_eq!(
            values,
            BTreeMap::from([
                ("channel".to_owned(), "#team".to_owned()),
                ("count".to_owned(), "3".to_owned()),
                ("to".to_owned(), "a@example.com".to_owned()),
                ("urgent".to_owned(), "true".to_owned()),
            ])
        );
    }
}
