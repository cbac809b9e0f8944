use serde_json::{Value, json};

use super::{from_markdown, to_markdown};

fn doc(content: Value) -> Value {
    json!({"type": "doc", "version": 1, "content": content})
}

/// Every text node in `node`, at any depth.
fn texts(node: &Value) -> Vec<&Value> {
    let mut found = Vec::new();
    if node.get("type") == Some(&json!("text")) {
        found.push(node);
    }
    if let Some(content) = node.get("content").and_then(Value::as_array) {
        found.extend(content.iter().flat_map(texts));
    }
    found
}

#[test]
fn paragraphs_headings_and_marks() {
    let adf = from_markdown(
        "# Title\n\nSome **bold**, _em_, ~~gone~~, `code` and [a link](https://example.com).",
    );
    assert_eq!(
        adf,
        doc(json!([
            {"type": "heading", "attrs": {"level": 1}, "content": [{"type": "text", "text": "Title"}]},
            {"type": "paragraph", "content": [
                {"type": "text", "text": "Some "},
                {"type": "text", "text": "bold", "marks": [{"type": "strong"}]},
                {"type": "text", "text": ", "},
                {"type": "text", "text": "em", "marks": [{"type": "em"}]},
                {"type": "text", "text": ", "},
                {"type": "text", "text": "gone", "marks": [{"type": "strike"}]},
                {"type": "text", "text": ", "},
                {"type": "text", "text": "code", "marks": [{"type": "code"}]},
                {"type": "text", "text": " and "},
                {"type": "text", "text": "a link", "marks": [{"type": "link", "attrs": {"href": "https://example.com"}}]},
                {"type": "text", "text": "."}
            ]}
        ]))
    );
}

#[test]
fn tight_list_items_get_paragraphs_and_nested_lists_nest() {
    let adf = from_markdown("- one\n- two\n  1. inner\n");
    assert_eq!(
        adf,
        doc(json!([{"type": "bulletList", "content": [
            {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "one"}]}]},
            {"type": "listItem", "content": [
                {"type": "paragraph", "content": [{"type": "text", "text": "two"}]},
                {"type": "orderedList", "content": [
                    {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "inner"}]}]}
                ]}
            ]}
        ]}]))
    );
}

#[test]
fn ordered_lists_keep_their_start() {
    let adf = from_markdown("3. three\n4. four\n");
    assert_eq!(adf["content"][0]["attrs"], json!({"order": 3}));
}

#[test]
fn code_blocks_keep_text_and_language() {
    let adf = from_markdown("```rust\nfn main() {}\n```\n");
    assert_eq!(
        adf["content"][0],
        json!({"type": "codeBlock", "attrs": {"language": "rust"}, "content": [{"type": "text", "text": "fn main() {}"}]})
    );
}

#[test]
fn tables_quotes_rules_breaks_and_mentions() {
    let adf = from_markdown(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n> quoted\n\n---\n\nline  \nbreak, thanks [~accountid:5b10a2844c20165700ede21g]",
    );
    let content = adf["content"].as_array().unwrap();
    assert_eq!(content[0]["type"], "table");
    assert_eq!(
        content[0]["content"][0]["content"][0]["type"],
        "tableHeader"
    );
    assert_eq!(
        content[0]["content"][1]["content"][1]["content"][0]["content"][0]["text"],
        "2"
    );
    assert_eq!(content[1]["type"], "blockquote");
    assert_eq!(content[2], json!({"type": "rule"}));
    let last = content[3]["content"].as_array().unwrap();
    assert_eq!(last[1], json!({"type": "hardBreak"}));
    assert_eq!(
        last[3],
        json!({"type": "mention", "attrs": {"id": "5b10a2844c20165700ede21g"}})
    );
}

#[test]
fn no_empty_text_nodes_and_empty_markdown_is_an_empty_document() {
    assert_eq!(from_markdown(""), doc(json!([])));
    let adf = from_markdown("**a**[~accountid:x]\n\n- \n- b\n\n```\n```\n");
    for text in texts(&adf) {
        assert!(!text["text"].as_str().unwrap().is_empty(), "{adf}");
    }
}

#[test]
fn markdown_round_trips() {
    let markdown = "\
# Release plan

Ship **v2** on _Friday_, see [the board](https://example.com/board).

- freeze the branch
- run the checks
  1. unit
  2. integration

```sh
cargo test
```

| step | owner |
|---|---|
| build | ana |
| deploy | bo |

> no deploys after 4pm";
    assert_eq!(to_markdown(&from_markdown(markdown)), markdown);
}

#[test]
fn reads_what_jira_writes() {
    let description = json!({"type": "doc", "version": 1, "content": [
        {"type": "paragraph", "content": [
            {"type": "text", "text": "Reported by "},
            {"type": "mention", "attrs": {"id": "abc", "text": "@Ana Lima"}},
            {"type": "text", "text": " on "},
            {"type": "date", "attrs": {"timestamp": "1761955200000"}},
            {"type": "text", "text": ", now "},
            {"type": "status", "attrs": {"text": "IN PROGRESS", "color": "blue"}},
            {"type": "text", "text": " "},
            {"type": "emoji", "attrs": {"shortName": ":fire:", "text": "🔥"}}
        ]},
        {"type": "panel", "attrs": {"panelType": "info"}, "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": "Customers on SSO only."}]}
        ]},
        {"type": "taskList", "content": [
            {"type": "taskItem", "attrs": {"state": "DONE"}, "content": [{"type": "text", "text": "reproduce"}]},
            {"type": "taskItem", "attrs": {"state": "TODO"}, "content": [{"type": "text", "text": "fix"}]}
        ]},
        {"type": "table", "content": [
            {"type": "tableRow", "content": [
                {"type": "tableHeader", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "env"}]}]},
                {"type": "tableHeader", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "result"}]}]}
            ]},
            {"type": "tableRow", "content": [
                {"type": "tableCell", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "staging"}]}]},
                {"type": "tableCell", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "500 | loop"}]}]}
            ]}
        ]},
        {"type": "mediaSingle", "content": [{"type": "media", "attrs": {"id": "f-1", "type": "file", "alt": "trace.png"}}]},
        {"type": "expand", "attrs": {"title": "Logs"}, "content": [
            {"type": "codeBlock", "attrs": {"language": "text"}, "content": [{"type": "text", "text": "ERROR callback"}]}
        ]},
        {"type": "extension", "attrs": {"extensionKey": "jira-chart"}, "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": "chart data"}]}
        ]},
        {"type": "paragraph", "content": [{"type": "inlineCard", "attrs": {"url": "https://example.com/PROJ-1"}}]}
    ]});
    insta::assert_snapshot!(to_markdown(&description));
}

#[test]
fn plain_strings_and_nulls() {
    assert_eq!(to_markdown(&json!("Data Center text")), "Data Center text");
    assert_eq!(to_markdown(&Value::Null), "");
}

#[test]
fn deep_nesting_is_walked_linearly() {
    let mut node = json!({"type": "paragraph", "content": [{"type": "text", "text": "deep"}]});
    for _ in 0..200 {
        node = json!({"type": "blockquote", "content": [node]});
    }
    let markdown = to_markdown(&doc(json!([node])));
    assert!(markdown.ends_with("deep"));
    let nested_markdown = "> ".repeat(200) + "deep";
    assert!(to_markdown(&from_markdown(&nested_markdown)).ends_with("deep"));
}

#[test]
fn spaces_stay_outside_marks_and_hard_breaks_survive() {
    let paragraph = doc(json!([{"type": "paragraph", "content": [
        {"type": "text", "text": "a"},
        {"type": "text", "text": " bold ", "marks": [{"type": "strong"}]},
        {"type": "text", "text": "word"},
        {"type": "hardBreak"},
        {"type": "text", "text": "next line"}
    ]}]));
    let markdown = to_markdown(&paragraph);
    assert_eq!(markdown, "a **bold** word\\\nnext line");
    let again = from_markdown(&markdown);
    assert_eq!(
        again["content"][0]["content"][3],
        json!({"type": "hardBreak"})
    );
}

#[test]
fn nested_task_lists_are_indented() {
    let tasks = doc(json!([{"type": "taskList", "content": [
        {"type": "taskItem", "attrs": {"state": "TODO"}, "content": [{"type": "text", "text": "release"}]},
        {"type": "taskList", "content": [
            {"type": "taskItem", "attrs": {"state": "DONE"}, "content": [{"type": "text", "text": "tag"}]}
        ]}
    ]}]));
    assert_eq!(to_markdown(&tasks), "- [ ] release\n  - [x] tag");
}
