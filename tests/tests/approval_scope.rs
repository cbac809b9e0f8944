//! What a remembered `medium` approval covers: exactly the calls whose `approval_args` have the
//! values its user saw (absent, `null`, scalars, arrays as sets, objects), in every store, and
//! an "always" on one held call releases only the held calls of that scope.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use mcp_runtime::host::approval::{ApprovalError, ApprovalGate, Decision, MemoryStore};
use proptest::prelude::*;
use serde_json::{Value, json};

mod support;
use support::gate::{as_user, decision, gate, held, ran};

/// One of `send_email`'s optional approval values: absent, `null`, or given.
#[derive(Debug, Clone)]
enum Optional<T> {
    Absent,
    Null,
    Given(T),
}

/// The arguments of a `send_email` call, before they become JSON.
#[derive(Debug, Clone)]
struct Email {
    to: Vec<&'static str>,
    cc: Optional<Vec<&'static str>>,
    headers: Optional<BTreeMap<&'static str, &'static str>>,
    body: &'static str,
}

impl Email {
    fn arguments(&self) -> Value {
        let mut arguments = json!({"to": self.to, "body": self.body});
        let mut put = |name: &str, value: Option<Value>| {
            if let Some(value) = value {
                arguments[name] = value;
            }
        };
        put("cc", optional(&self.cc, |cc| json!(cc)));
        put("headers", optional(&self.headers, |headers| json!(headers)));
        arguments
    }

    /// What the user saw, independently of the gate: recipients as sets, `body` not at all.
    #[allow(clippy::type_complexity)]
    fn seen(
        &self,
    ) -> (
        BTreeSet<&'static str>,
        Option<Option<BTreeSet<&'static str>>>,
        Option<Option<BTreeMap<&'static str, &'static str>>>,
    ) {
        fn seen<T>(value: &Optional<T>) -> Option<Option<&T>> {
            match value {
                Optional::Absent => None,
                Optional::Null => Some(None),
                Optional::Given(value) => Some(Some(value)),
            }
        }
        (
            self.to.iter().copied().collect(),
            seen(&self.cc).map(|cc| cc.map(|cc| cc.iter().copied().collect())),
            seen(&self.headers).map(|headers| headers.cloned()),
        )
    }
}

impl Email {
    /// The same approval values as the user sees them, written differently: recipients
    /// reversed and repeated, another body.
    fn rephrased(&self) -> Email {
        let rephrase = |addresses: &Vec<&'static str>| {
            let mut addresses: Vec<_> = addresses.iter().rev().copied().collect();
            addresses.extend(addresses.first().copied());
            addresses
        };
        Email {
            to: rephrase(&self.to),
            cc: match &self.cc {
                Optional::Given(cc) => Optional::Given(rephrase(cc)),
                other => other.clone(),
            },
            headers: self.headers.clone(),
            body: if self.body == "hello" {
                "again"
            } else {
                "hello"
            },
        }
    }
}

fn optional<T>(value: &Optional<T>, given: impl Fn(&T) -> Value) -> Option<Value> {
    match value {
        Optional::Absent => None,
        Optional::Null => Some(Value::Null),
        Optional::Given(value) => Some(given(value)),
    }
}

/// Few possible values, so that equal ones come up often: orders and repeats vary.
fn emails() -> impl Strategy<Value = Email> {
    let address = prop::sample::select(vec!["ana@example.com", "bo@example.com", "cy@example.com"]);
    let addresses = prop::collection::vec(address, 0..4);
    let headers = prop::collection::btree_map(
        prop::sample::select(vec!["Reply-To", "X-Tag"]),
        prop::sample::select(vec!["a", "b"]),
        0..3,
    );
    fn optional<T: std::fmt::Debug + Clone>(
        given: impl Strategy<Value = T>,
    ) -> impl Strategy<Value = Optional<T>> {
        prop_oneof![
            Just(Optional::Absent),
            Just(Optional::Null),
            given.prop_map(Optional::Given),
        ]
    }
    (
        addresses.clone(),
        optional(addresses),
        optional(headers),
        prop::sample::select(vec!["hello", "again"]),
    )
        .prop_map(|(to, cc, headers, body)| Email {
            to,
            cc,
            headers,
            body,
        })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// "Always" on `first` covers `second` iff their user saw the same approval values, and
    /// releases `second` held at the same time iff so too.
    #[test]
    fn always_covers_exactly_the_calls_with_the_same_values(
        first in emails(),
        other in emails(),
        rephrase in any::<bool>(),
    ) {
        // Half the pairs have the same values, written differently; the others mostly differ.
        let second = if rephrase { first.rephrased() } else { other };
        let same = first.seen() == second.seen();
        // (The host's stores compare scopes by their key, as the memory store does; their own
        // suite checks they keep keys apart.)
        let gates = [ApprovalGate::new(MemoryStore::default())];
        runtime().block_on(async {
            for gate in gates.map(Arc::new) {
                let caller = || as_user(&gate, "ana", Some("helper"));
                let held_first = held("send_email", first.arguments(), caller()).await;
                let held_second = held("send_email", second.arguments(), caller()).await;
                gate.resolve(&held_first.id, "ana", Decision::Always).await.unwrap();

                let released = matches!(
                    gate.resolve(&held_second.id, "ana", Decision::Reject).await,
                    Err(ApprovalError::AlreadyResolved { .. })
                );
                prop_assert_eq!(released, same, "held call released");
                let covered = match mcp_runtime::McpServer::call_tool_with(
                    &tests::desk::Desk,
                    "send_email",
                    second.arguments(),
                    caller().ctx,
                    &caller().options,
                )
                .await
                {
                    Ok(result) => !result.is_error,
                    Err(mcp_runtime::CallError::ApprovalRequired(_)) => false,
                    Err(other) => panic!("{other:?}"),
                };
                prop_assert_eq!(covered, same, "later call covered");
            }
            Ok(())
        })?;
    }
}

#[tokio::test]
async fn the_question_shows_every_value_it_binds() {
    let gate = gate();
    let request = held(
        "send_email",
        json!({"to": ["bo@example.com", "ana@example.com"], "cc": null, "body": "hi"}),
        as_user(&gate, "ana", Some("helper")),
    )
    .await;
    assert_eq!(
        request.label,
        r#"send email (to: ["ana@example.com", "bo@example.com"], cc: null, headers: (not given))"#
    );
}

#[tokio::test]
async fn always_releases_only_the_held_calls_of_its_scope() {
    let gate = gate();
    let caller = || as_user(&gate, "ana", Some("helper"));
    let two = json!({"to": ["ana@example.com", "bo@example.com"], "body": "1"});
    // Whether each call has the scope of the first.
    let calls = [
        (two, true),
        // The same recipients in another order, with another body: the same scope.
        (
            json!({"to": ["bo@example.com", "ana@example.com"], "body": "2"}),
            true,
        ),
        (json!({"to": ["ana@example.com"], "body": "3"}), false),
        (
            json!({"to": ["ana@example.com", "bo@example.com", "cy@example.com"], "body": "4"}),
            false,
        ),
        (
            json!({"to": ["ana@example.com", "bo@example.com"], "cc": null, "body": "5"}),
            false,
        ),
        (json!({"to": [], "body": "6"}), false),
    ];
    let (mut same, mut other) = (Vec::new(), Vec::new());
    for (arguments, in_scope) in calls {
        let id = held("send_email", arguments, caller()).await.id;
        if in_scope { &mut same } else { &mut other }.push(id);
    }
    gate.resolve(&same[0], "ana", Decision::Always)
        .await
        .unwrap();
    for id in &same {
        assert_eq!(decision(&gate, id).await, Some(Decision::Always));
    }
    for id in &other {
        gate.resolve(id, "ana", Decision::Reject)
            .await
            .expect("a call of another scope is still held");
    }
    ran(
        "send_email",
        json!({"to": ["bo@example.com", "bo@example.com", "ana@example.com"], "body": "7"}),
        caller(),
    )
    .await;
}
