//! The rule of each path-segment argument is the same in the code that checks it and in the
//! `pattern` clients see.

use providers::github::args::GithubName;
use providers::jira::args::JiraKey;
use providers::kit::SegmentRule;
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
