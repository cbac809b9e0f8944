//! Every ADF document the Jira tools write validates against the Atlassian Document Format's
//! published JSON Schema (npm `@atlaskit/adf-schema`): for what people write (a corpus of the
//! markdown that trips converters) and for generated markdown (proptest).

mod support;

use std::sync::OnceLock;

use proptest::prelude::*;
use providers::jira::adf;
use serde_json::Value;

fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema = support::contracts::json("@atlaskit/adf-schema/dist/json-schema/v1/full.json");
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .build(&schema)
            .expect("the ADF schema compiles")
    })
}

/// What is wrong with the ADF `markdown` becomes; empty when nothing is.
fn problems(markdown: &str) -> Vec<String> {
    let document: Value = adf::from_markdown(markdown);
    validator()
        .iter_errors(&document)
        .map(|error| format!("{error} at `{}`", error.instance_path()))
        .collect()
}

/// Markdown people write, including what trips converters.
const CORPUS: &[&str] = &[
    "",
    "plain text",
    "# Heading\n\nText with **bold**, *italic*, ~~struck~~ and `code`.",
    "**bold with `code` inside** and *italic with `code` inside*",
    "***bold italic*** and **bold *nested italic***",
    "[a link](https://example.com) and <https://example.com/auto>",
    "- item\n- \n- item after an empty one",
    "1. one\n2. two\n   - nested\n     1. deeper",
    "- [ ] task\n- [x] done",
    "| a | b |\n|---|---|\n| 1 |  |\n|  | 2 |",
    "| only header |\n|---|",
    "> quote\n>\n> > nested quote",
    "> # heading inside a quote",
    "- # heading inside a list item\n- > quote inside a list item\n- ---",
    "- ```rust\n  fn main() {}\n  ```",
    "```\ncode without a language\n```",
    "```json\n{\"a\": 1}\n```",
    "line one  \nline two after a hard break",
    "text\n\n---\n\nafter a rule",
    "![an image](https://example.com/a.png)",
    "<b>raw html</b> and <div>a block</div>",
    "<div>\nhtml block\n</div>",
    "a mention [~accountid:5b10ac8d82e05b22cc7d4ef5]",
    "emoji :smile: and unicode ✓ and a\ttab",
    "footnote[^1]\n\n[^1]: the note",
    "1) parenthesis list\n2) second",
    "    indented code",
    "*",
    "**",
    "`",
    "[]()",
    "\\*escaped\\*",
];

#[test]
fn what_people_write_is_valid_adf() {
    let failures: Vec<String> = CORPUS
        .iter()
        .filter_map(|markdown| {
            let problems = problems(markdown);
            (!problems.is_empty()).then(|| {
                format!(
                    "{markdown:?} → {}\n  {}",
                    adf::from_markdown(markdown),
                    problems.join("\n  ")
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_adf_judge_refuses_what_jira_would() {
    let wrong = serde_json::json!({
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": ""}]}]
    });
    assert!(
        !validator().is_valid(&wrong),
        "an empty text node is not ADF"
    );
}

/// Markdown made of the pieces people combine.
fn markdown() -> impl Strategy<Value = String> {
    let inline = prop::sample::select(vec![
        "word",
        "**bold**",
        "*italic*",
        "`code`",
        "~~gone~~",
        "[link](https://example.com)",
        "**`bold code`**",
        "*`italic code`*",
        "<i>html</i>",
        "![img](https://example.com/i.png)",
        " ",
        "",
        "\\*",
        "_under_",
        "__strong__",
    ]);
    let line = prop::collection::vec(inline, 0..5).prop_map(|parts| parts.join(" "));
    let block = (
        prop::sample::select(vec![
            "", "# ", "## ", "- ", "1. ", "> ", "- [ ] ", "> - ", "- > ", "    ", "| ",
        ]),
        line,
    )
        .prop_map(|(prefix, line)| format!("{prefix}{line}"));
    prop::collection::vec(
        prop_oneof![
            4 => block,
            1 => Just("```\ncode\n```".to_owned()),
            1 => Just("---".to_owned()),
            1 => Just("| a | b |\n|---|---|\n|  | x |".to_owned()),
            1 => Just(String::new()),
        ],
        0..8,
    )
    .prop_map(|blocks| blocks.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn generated_markdown_is_valid_adf(markdown in markdown()) {
        let problems = problems(&markdown);
        prop_assert!(
            problems.is_empty(),
            "{:?} → {}\n{}",
            markdown,
            adf::from_markdown(&markdown),
            problems.join("\n")
        );
    }
}

#[test]
fn what_adf_does_not_nest_is_kept_in_a_form_it_does() {
    let quote = adf::from_markdown("> # Title\n>\n> > inner");
    assert_eq!(
        quote["content"][0],
        serde_json::json!({"type": "blockquote", "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": "Title", "marks": [{"type": "strong"}]}]},
            {"type": "paragraph", "content": [{"type": "text", "text": "inner"}]},
        ]})
    );
    let code = adf::from_markdown("**`x`**");
    assert_eq!(
        code["content"][0]["content"][0],
        serde_json::json!({"type": "text", "text": "x", "marks": [{"type": "code"}]})
    );
    let empty = adf::from_markdown("- \n- b");
    assert_eq!(
        empty["content"][0]["content"][0],
        serde_json::json!({"type": "listItem", "content": [{"type": "paragraph", "content": []}]})
    );
}
