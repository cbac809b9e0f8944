//! The prelude's `Deserialize`, `Serialize` and `JsonSchema` behave as serde's and schemars' own
//! derives: the same schemas, the same wire format, attributes honoured.

use std::collections::BTreeMap;

use serde_json::json;

/// The same shapes, derived by the prelude's derives and by serde's and schemars' own.
macro_rules! mirrored {
    ($($item:item)*) => {
        mod ours {
            use mcp_runtime::prelude::*;
            $($item)*
        }
        mod theirs {
            use schemars::JsonSchema;
            use serde::{Deserialize, Serialize};
            $($item)*
        }
    };
}

mirrored! {
    /// Create an issue.
    #[derive(Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub struct CreateIssue {
        /// The project key.
        pub project_key: String,
        /// Labels, in order.
        #[serde(default)]
        pub labels: Vec<String>,
        /// The priority.
        pub priority: Option<Priority>,
        /// Named after the wire, not the field.
        #[serde(rename = "type")]
        pub kind: Kind,
        #[serde(skip)]
        pub internal: u8,
        /// Extra fields by id.
        #[serde(default)]
        pub fields: std::collections::BTreeMap<String, String>,
    }

    /// How urgent.
    #[derive(Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
    #[serde(rename_all = "snake_case")]
    pub enum Priority {
        /// Now.
        Highest,
        /// Soon.
        Low,
    }

    /// What an issue is.
    #[derive(Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
    #[serde(tag = "name")]
    pub enum Kind {
        /// A defect.
        Bug {
            /// How bad.
            severity: u8,
        },
        /// Work.
        Task,
    }

    /// A page of anything.
    #[derive(Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
    pub struct Page<T> {
        /// The items.
        pub items: Vec<T>,
        /// Where the next page starts.
        pub cursor: Option<String>,
    }

    /// A newtype.
    #[derive(Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
    pub struct Key(pub String);
}

fn schema<T: schemars::JsonSchema>() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(T)).unwrap()
}

#[test]
fn schemas_are_schemars_own() {
    assert_eq!(
        schema::<ours::CreateIssue>(),
        schema::<theirs::CreateIssue>()
    );
    assert_eq!(
        schema::<ours::Page<ours::Key>>(),
        schema::<theirs::Page<theirs::Key>>()
    );
    assert_eq!(schema::<ours::CreateIssue>()["title"], "CreateIssue");
    assert_eq!(
        <ours::Page<ours::Key> as schemars::JsonSchema>::schema_name(),
        "Page"
    );
    assert_eq!(
        <ours::CreateIssue as schemars::JsonSchema>::schema_id(),
        "derives::ours::CreateIssue"
    );
    assert_eq!(
        <ours::Page<ours::Key> as schemars::JsonSchema>::schema_id(),
        "derives::ours::Page<derives::ours::Key>"
    );
}

#[test]
fn the_wire_format_is_serdes_own() {
    let wire = json!({
        "projectKey": "PROJ",
        "priority": "highest",
        "type": {"name": "Bug", "severity": 2},
        "fields": {"customfield_1": "x"},
    });
    let ours: ours::CreateIssue = serde_json::from_value(wire.clone()).unwrap();
    let theirs: theirs::CreateIssue = serde_json::from_value(wire).unwrap();
    assert_eq!(ours.project_key, "PROJ");
    assert_eq!(ours.priority, Some(ours::Priority::Highest));
    assert_eq!(ours.kind, ours::Kind::Bug { severity: 2 });
    assert_eq!(
        ours.fields,
        BTreeMap::from([("customfield_1".into(), "x".into())])
    );
    assert_eq!(
        serde_json::to_value(&ours).unwrap(),
        serde_json::to_value(&theirs).unwrap()
    );

    let unknown = json!({"projectKey": "P", "type": {"name": "Task"}, "extra": 1});
    let ours = serde_json::from_value::<ours::CreateIssue>(unknown.clone()).unwrap_err();
    let theirs = serde_json::from_value::<theirs::CreateIssue>(unknown).unwrap_err();
    assert_eq!(ours.to_string(), theirs.to_string());

    let page: ours::Page<ours::Key> =
        serde_json::from_value(json!({"items": ["A-1"], "cursor": null})).unwrap();
    assert_eq!(page.items, [ours::Key("A-1".into())]);
}
