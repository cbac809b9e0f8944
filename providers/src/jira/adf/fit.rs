//! The nesting rules of the ADF schema, applied to a converted document: markdown nests freely,
//! ADF does not (a quote holds no heading or quote, a list item no heading, quote or rule, a
//! list item, cell or quote is never empty, inline code takes no other formatting).

use serde_json::{Value, json};

/// `node` with every part where ADF allows it: what ADF does not allow somewhere is changed into
/// the nearest thing it does (a heading into a bold paragraph, a nested quote into its content).
pub(super) fn fit(mut node: Value) -> Value {
    let kind = kind(&node).to_owned();
    if kind == "text" {
        code_alone(&mut node);
        return node;
    }
    let Some(children) = node.get_mut("content").and_then(Value::as_array_mut) else {
        return node;
    };
    let fitted: Vec<Value> = std::mem::take(children).into_iter().map(fit).collect();
    let mut content = match kind.as_str() {
        "blockquote" => fitted.into_iter().flat_map(in_quote).collect(),
        "listItem" => fitted.into_iter().flat_map(in_list_item).collect(),
        _ => fitted,
    };
    let needs_content = matches!(
        kind.as_str(),
        "blockquote" | "listItem" | "tableCell" | "tableHeader"
    );
    if needs_content && content.is_empty() {
        content.push(json!({"type": "paragraph", "content": []}));
    }
    node["content"] = Value::Array(content);
    node
}

/// What `child` becomes inside a quote.
fn in_quote(child: Value) -> Vec<Value> {
    match kind(&child) {
        "paragraph" | "orderedList" | "bulletList" | "codeBlock" | "mediaSingle" | "mediaGroup" => {
            vec![child]
        }
        // Its content was fitted for a quote already.
        "blockquote" => content(child),
        "heading" => vec![bold_paragraph(child)],
        "rule" => Vec::new(),
        _ => vec![as_paragraph(child)],
    }
}

/// What `child` becomes inside a list item.
fn in_list_item(child: Value) -> Vec<Value> {
    match kind(&child) {
        "paragraph" | "bulletList" | "orderedList" | "taskList" | "codeBlock" | "mediaSingle"
        | "mediaGroup" => vec![child],
        // A quote's content (paragraphs, lists, code) is all allowed in a list item.
        "blockquote" => content(child),
        "heading" => vec![bold_paragraph(child)],
        "rule" => Vec::new(),
        _ => vec![as_paragraph(child)],
    }
}

/// Inline code takes links and nothing else (`**`code`**` is code).
fn code_alone(text: &mut Value) {
    let Some(marks) = text.get_mut("marks").and_then(Value::as_array_mut) else {
        return;
    };
    if marks.iter().any(|mark| kind(mark) == "code") {
        marks.retain(|mark| matches!(kind(mark), "code" | "link"));
    }
}

/// A heading's text as a bold paragraph.
fn bold_paragraph(heading: Value) -> Value {
    let content: Vec<Value> = content(heading)
        .into_iter()
        .map(|mut inline| {
            if kind(&inline) == "text" && !has_mark(&inline, "code") {
                let marks = inline
                    .as_object_mut()
                    .map(|inline| inline.entry("marks").or_insert_with(|| json!([])));
                if let Some(Value::Array(marks)) = marks
                    && !marks.iter().any(|mark| kind(mark) == "strong")
                {
                    marks.push(json!({"type": "strong"}));
                }
            }
            inline
        })
        .collect();
    json!({"type": "paragraph", "content": content})
}

/// Any other block as a paragraph of its text.
fn as_paragraph(block: Value) -> Value {
    let text = super::to_markdown(&block);
    if text.is_empty() {
        return json!({"type": "paragraph", "content": []});
    }
    json!({"type": "paragraph", "content": [{"type": "text", "text": text}]})
}

fn kind(node: &Value) -> &str {
    node.get("type").and_then(Value::as_str).unwrap_or_default()
}

fn content(node: Value) -> Vec<Value> {
    match node {
        Value::Object(mut object) => match object.remove("content") {
            Some(Value::Array(children)) => children,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

fn has_mark(node: &Value, mark: &str) -> bool {
    node.get("marks")
        .and_then(Value::as_array)
        .is_some_and(|marks| marks.iter().any(|one| kind(one) == mark))
}
