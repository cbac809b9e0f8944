//! The rule of each path-segment argument is the same in the code that checks it and in the
//! `pattern` clients see.

use providers::github::args::GithubName;
use providers::jira::args::JiraKey;
use providers::kit::SegmentRule;
use providers::salesforce::args::{RecordId, SObjectName};
use serde_json::json;

const SAMPLES: &[&str] = &[
    "",
    ".",
    "..",
    "...",
    "a",
    "octocat",
    "hello-world",
    "hello_world.rs",
    "-x",
    "A-1",
    "PROJ-42",
    "10001",
    "a/b",
    "../admin",
    "a b",
    "a%2Fb",
    "naïve",
    "x?y",
    "x#y",
    ".hidden",
    "001000000000001",
    "001000000000001AAA",
    "00100000000001",
    "0010000000000001AAAA",
    "001000000000001' OR",
    "Invoice__c",
    "ns__Invoice__c",
    "_Account",
    "1Account",
];

fn agrees<R: SegmentRule>() {
    let validator = jsonschema::validator_for(&json!({"type": "string", "pattern": R::PATTERN}))
        .expect("the pattern compiles");
    for sample in SAMPLES {
        assert_eq!(
            validator.is_valid(&json!(sample)),
            R::accepts(sample),
            "`{sample}` under {}",
            R::PATTERN
        );
    }
}

#[test]
fn github_names_agree() {
    agrees::<GithubName>();
}

#[test]
fn jira_keys_agree() {
    agrees::<JiraKey>();
}

#[test]
fn salesforce_ids_and_object_names_agree() {
    agrees::<RecordId>();
    agrees::<SObjectName>();
}
