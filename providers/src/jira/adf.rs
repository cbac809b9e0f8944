//! Atlassian Document Format: markdown to ADF for writes, ADF to markdown for reads.
//!
//! Reading never fails: a node this module does not know is shown as the text it contains, so a
//! new ADF node type on Jira's side degrades to plain text instead of breaking a tool. Both
//! directions are single linear walks (Dust's recursive ADF schema once took 18 s on 11 levels).

mod fit;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use serde_json::{Map, Value, json};

/// Markdown (CommonMark with tables and strikethrough) as an ADF document. `[~accountid:ID]`
/// becomes a mention of that account.
pub fn from_markdown(markdown: &str) -> Value {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut builder = Builder::default();
    for event in Parser::new_ext(markdown, options) {
        builder.event(event);
    }
    fit::fit(builder.finish())
}

/// An ADF document (or any node) as markdown; a plain string (Data Center's rich text) as is.
pub fn to_markdown(adf: &Value) -> String {
    match adf {
        Value::String(text) => text.clone(),
        Value::Object(_) if kind(adf) == "doc" => blocks(children(adf)),
        Value::Object(_) if is_inline(adf) => inline(std::slice::from_ref(adf)),
        Value::Object(_) => block(adf),
        Value::Array(nodes) => blocks(nodes),
        _ => String::new(),
    }
    .trim()
    .to_owned()
}

// Markdown to ADF.

/// A block node being built.
#[derive(Debug)]
struct Open {
    kind: &'static str,
    attrs: Option<Value>,
    content: Vec<Value>,
    /// A paragraph the builder opened itself around loose inline content (tight list items,
    /// table cells), closed by the next block boundary.
    implicit: bool,
}

/// What a `Start` event opened, so its `End` closes the same thing.
#[derive(Debug)]
enum Opened {
    Node,
    Mark,
    Nothing,
}

#[derive(Debug)]
struct Builder {
    nodes: Vec<Open>,
    marks: Vec<Value>,
    opened: Vec<Opened>,
    in_table_head: bool,
    /// Text not yet emitted: the parser splits text at `[`, and a mention spans such splits.
    pending: String,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            nodes: vec![Open::new("doc", None)],
            marks: Vec::new(),
            opened: Vec::new(),
            in_table_head: false,
            pending: String::new(),
        }
    }
}

impl Open {
    fn new(kind: &'static str, attrs: Option<Value>) -> Self {
        Open {
            kind,
            attrs,
            content: Vec::new(),
            implicit: false,
        }
    }
}

impl Builder {
    fn event(&mut self, event: Event<'_>) {
        if let Event::Text(text) = &event {
            self.pending.push_str(text);
            return;
        }
        self.flush_text();
        match event {
            Event::Start(tag) => {
                let opened = self.start(tag);
                self.opened.push(opened);
            }
            Event::End(end) => self.end(end),
            Event::Text(_) => unreachable!("text is buffered above"),
            Event::Code(code) => {
                let mut marks = self.marks.clone();
                marks.push(json!({"type": "code"}));
                self.inline_node(text_node(&code, &marks));
            }
            Event::Html(html) | Event::InlineHtml(html) => self.text(&html),
            Event::InlineMath(math) | Event::DisplayMath(math) => self.text(&math),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.inline_node(json!({"type": "hardBreak"})),
            Event::Rule => {
                self.close_implicit();
                self.append(json!({"type": "rule"}));
            }
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
            Event::FootnoteReference(label) => self.text(&format!("[^{label}]")),
        }
    }

    fn start(&mut self, tag: Tag<'_>) -> Opened {
        let block = |kind: &'static str, attrs: Option<Value>| (kind, attrs);
        let (kind, attrs) = match tag {
            Tag::Paragraph => block("paragraph", None),
            Tag::Heading { level, .. } => block("heading", Some(json!({"level": level as u8}))),
            Tag::BlockQuote(_) => block("blockquote", None),
            Tag::CodeBlock(CodeBlockKind::Fenced(language)) if !language.is_empty() => {
                block("codeBlock", Some(json!({"language": language.as_ref()})))
            }
            Tag::CodeBlock(_) => block("codeBlock", None),
            Tag::List(Some(start)) if start != 1 => {
                block("orderedList", Some(json!({"order": start})))
            }
            Tag::List(Some(_)) => block("orderedList", None),
            Tag::List(None) => block("bulletList", None),
            Tag::Item => block("listItem", None),
            Tag::Table(_) => block("table", None),
            Tag::TableHead => {
                self.in_table_head = true;
                block("tableRow", None)
            }
            Tag::TableRow => block("tableRow", None),
            Tag::TableCell if self.in_table_head => block("tableHeader", None),
            Tag::TableCell => block("tableCell", None),
            Tag::Emphasis => return self.mark(json!({"type": "em"})),
            Tag::Strong => return self.mark(json!({"type": "strong"})),
            Tag::Strikethrough => return self.mark(json!({"type": "strike"})),
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                return self.mark(json!({"type": "link", "attrs": {"href": dest_url.as_ref()}}));
            }
            // Footnotes, definition lists, metadata and HTML blocks keep their text only.
            _ => return Opened::Nothing,
        };
        self.close_implicit();
        self.nodes.push(Open::new(kind, attrs));
        Opened::Node
    }

    fn mark(&mut self, mark: Value) -> Opened {
        self.marks.push(mark);
        Opened::Mark
    }

    fn end(&mut self, end: TagEnd) {
        if matches!(end, TagEnd::TableHead) {
            self.in_table_head = false;
        }
        match self.opened.pop() {
            Some(Opened::Node) => {
                self.close_implicit();
                if let Some(node) = self.nodes.pop() {
                    self.close(node);
                }
            }
            Some(Opened::Mark) => {
                self.marks.pop();
            }
            Some(Opened::Nothing) | None => {}
        }
    }

    fn flush_text(&mut self) {
        if !self.pending.is_empty() {
            let text = std::mem::take(&mut self.pending);
            self.text(&text);
        }
    }

    fn text(&mut self, text: &str) {
        if self
            .nodes
            .last()
            .is_some_and(|node| node.kind == "codeBlock")
        {
            // Code keeps its text verbatim and carries no marks.
            self.append(json!({"type": "text", "text": text}));
            return;
        }
        for node in with_mentions(text, &self.marks) {
            self.inline_node(node);
        }
    }

    /// Appends an inline node, opening a paragraph first where blocks are expected.
    fn inline_node(&mut self, node: Value) {
        let takes_inline = self
            .nodes
            .last()
            .is_some_and(|open| matches!(open.kind, "paragraph" | "heading" | "codeBlock"));
        if !takes_inline {
            let mut paragraph = Open::new("paragraph", None);
            paragraph.implicit = true;
            self.nodes.push(paragraph);
        }
        self.append(node);
    }

    fn append(&mut self, node: Value) {
        if let Some(open) = self.nodes.last_mut() {
            open.content.push(node);
        }
    }

    fn close_implicit(&mut self) {
        if self.nodes.last().is_some_and(|open| open.implicit)
            && let Some(paragraph) = self.nodes.pop()
        {
            self.close(paragraph);
        }
    }

    fn close(&mut self, open: Open) {
        let mut content = open.content;
        if open.kind == "codeBlock" {
            let code: String = content
                .iter()
                .filter_map(|node| node["text"].as_str())
                .collect();
            let code = code.strip_suffix('\n').unwrap_or(&code);
            content = if code.is_empty() {
                Vec::new()
            } else {
                vec![json!({"type": "text", "text": code})]
            };
        } else if open.kind == "paragraph" && content.is_empty() {
            return;
        }
        let mut node = Map::new();
        node.insert("type".into(), open.kind.into());
        if let Some(attrs) = open.attrs {
            node.insert("attrs".into(), attrs);
        }
        if open.kind != "rule" {
            node.insert("content".into(), Value::Array(content));
        }
        self.append(Value::Object(node));
    }

    fn finish(mut self) -> Value {
        self.flush_text();
        while self.nodes.len() > 1 {
            if let Some(open) = self.nodes.pop() {
                self.close(open);
            }
        }
        let content = self.nodes.pop().map(|doc| doc.content).unwrap_or_default();
        json!({"type": "doc", "version": 1, "content": content})
    }
}

/// Text nodes for `text`, with `[~accountid:ID]` as mention nodes; no empty text nodes (ADF
/// refuses them).
fn with_mentions(text: &str, marks: &[Value]) -> Vec<Value> {
    const OPEN: &str = "[~accountid:";
    let mut nodes = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let Some(end) = after.find(']') else { break };
        if start > 0 {
            nodes.push(text_node(&rest[..start], marks));
        }
        nodes.push(json!({"type": "mention", "attrs": {"id": &after[..end]}}));
        rest = &after[end + 1..];
    }
    if !rest.is_empty() {
        nodes.push(text_node(rest, marks));
    }
    nodes
}

fn text_node(text: &str, marks: &[Value]) -> Value {
    if marks.is_empty() {
        json!({"type": "text", "text": text})
    } else {
        json!({"type": "text", "text": text, "marks": marks})
    }
}

// ADF to markdown.

fn kind(node: &Value) -> &str {
    node.get("type").and_then(Value::as_str).unwrap_or_default()
}

fn children(node: &Value) -> &[Value] {
    node.get("content")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn attr<'a>(node: &'a Value, name: &str) -> Option<&'a Value> {
    node.get("attrs")?.get(name)
}

fn attr_str<'a>(node: &'a Value, name: &str) -> Option<&'a str> {
    attr(node, name)?.as_str()
}

fn is_inline(node: &Value) -> bool {
    matches!(
        kind(node),
        "text"
            | "hardBreak"
            | "mention"
            | "emoji"
            | "inlineCard"
            | "status"
            | "date"
            | "placeholder"
    )
}

/// Blocks separated by a blank line; loose inline nodes between them form paragraphs.
fn blocks(nodes: &[Value]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut run: Vec<Value> = Vec::new();
    for node in nodes {
        if is_inline(node) {
            run.push(node.clone());
            continue;
        }
        if !run.is_empty() {
            parts.push(inline(&run));
            run.clear();
        }
        parts.push(block(node));
    }
    if !run.is_empty() {
        parts.push(inline(&run));
    }
    parts.retain(|part| !part.trim().is_empty());
    parts.join("\n\n")
}

fn block(node: &Value) -> String {
    match kind(node) {
        "paragraph" => inline(children(node)),
        "heading" => {
            let level = attr(node, "level")
                .and_then(Value::as_u64)
                .unwrap_or(1)
                .clamp(1, 6);
            format!("{} {}", "#".repeat(level as usize), inline(children(node)))
        }
        "bulletList" | "decisionList" => list(node, |_| "- ".to_owned()),
        "taskList" => list(node, |item| {
            if attr_str(item, "state") == Some("DONE") {
                "- [x] ".to_owned()
            } else {
                "- [ ] ".to_owned()
            }
        }),
        "orderedList" => {
            let start = attr(node, "order").and_then(Value::as_u64).unwrap_or(1);
            let mut number = start;
            list(node, move |_| {
                let marker = format!("{number}. ");
                number += 1;
                marker
            })
        }
        "codeBlock" => {
            let code: String = children(node)
                .iter()
                .filter_map(|text| text.get("text").and_then(Value::as_str))
                .collect();
            let language = attr_str(node, "language").unwrap_or_default();
            format!("```{language}\n{code}\n```")
        }
        "blockquote" | "panel" => quote(&blocks(children(node))),
        "rule" => "---".to_owned(),
        "table" => table(node),
        "mediaSingle" | "mediaGroup" => blocks(children(node)),
        "media" => match attr_str(node, "alt").or_else(|| attr_str(node, "id")) {
            Some(name) => format!("[attachment: {name}]"),
            None => "[attachment]".to_owned(),
        },
        "expand" | "nestedExpand" => {
            let body = blocks(children(node));
            match attr_str(node, "title").filter(|title| !title.is_empty()) {
                Some(title) => format!("**{title}**\n\n{body}"),
                None => body,
            }
        }
        "blockCard" | "embedCard" => attr_str(node, "url")
            .map(|url| format!("<{url}>"))
            .unwrap_or_default(),
        "listItem" | "taskItem" | "decisionItem" | "tableCell" | "tableHeader" | "doc" => {
            blocks(children(node))
        }
        // Unknown blocks: whatever text they hold.
        _ => blocks(children(node)),
    }
}

/// A list whose items start with `marker(item)`; their further lines are indented under it.
fn list(node: &Value, mut marker: impl FnMut(&Value) -> String) -> String {
    children(node)
        .iter()
        .map(|item| {
            // Jira nests a task list directly in its parent list, not in an item.
            if matches!(kind(item), "taskList" | "bulletList" | "orderedList") {
                return indented(&block(item), "  ");
            }
            let marker = marker(item);
            let body = blocks(children(item)).replace("\n\n", "\n");
            let indent = " ".repeat(marker.chars().count());
            let (first, rest) = body.split_once('\n').unwrap_or((&body, ""));
            if rest.is_empty() {
                format!("{marker}{first}")
            } else {
                format!("{marker}{first}\n{}", indented(rest, &indent))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every non-empty line of `text` indented by `indent`.
fn indented(text: &str, indent: &str) -> String {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("{indent}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn quote(text: &str) -> String {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                ">".to_owned()
            } else {
                format!("> {line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A GFM table; the header is the first row (Jira's header cells, or the first data row).
fn table(node: &Value) -> String {
    let rows: Vec<Vec<String>> = children(node)
        .iter()
        .map(|row| {
            children(row)
                .iter()
                .map(|cell| {
                    blocks(children(cell))
                        .replace('|', "\\|")
                        .replace("\n\n", "<br>")
                        .replace('\n', "<br>")
                })
                .collect()
        })
        .collect();
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    if width == 0 {
        return String::new();
    }
    let line = |cells: &[String]| {
        let mut padded: Vec<&str> = cells.iter().map(String::as_str).collect();
        padded.resize(width, "");
        format!("| {} |", padded.join(" | "))
    };
    let mut text = vec![line(&rows[0]), format!("|{}", "---|".repeat(width))];
    text.extend(rows[1..].iter().map(|row| line(row)));
    text.join("\n")
}

fn inline(nodes: &[Value]) -> String {
    nodes.iter().map(inline_node).collect()
}

fn inline_node(node: &Value) -> String {
    match kind(node) {
        "text" => with_marks(
            node.get("text").and_then(Value::as_str).unwrap_or_default(),
            node,
        ),
        // A backslash before the newline keeps it a hard break when read back as markdown.
        "hardBreak" => "\\\n".to_owned(),
        "mention" => {
            let name = attr_str(node, "text")
                .or_else(|| attr_str(node, "id"))
                .unwrap_or("someone");
            if name.starts_with('@') {
                name.to_owned()
            } else {
                format!("@{name}")
            }
        }
        "emoji" => attr_str(node, "text")
            .or_else(|| attr_str(node, "shortName"))
            .unwrap_or_default()
            .to_owned(),
        "inlineCard" => attr_str(node, "url")
            .map(|url| format!("<{url}>"))
            .unwrap_or_default(),
        "status" => format!("[{}]", attr_str(node, "text").unwrap_or_default()),
        "date" => attr(node, "timestamp").map(date).unwrap_or_default(),
        // Unknown inline nodes: their text.
        _ => {
            let text = inline(children(node));
            if text.is_empty() {
                node.get("text")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            } else {
                text
            }
        }
    }
}

fn with_marks(text: &str, node: &Value) -> String {
    let Some(marks) = node.get("marks").and_then(Value::as_array) else {
        return text.to_owned();
    };
    // Markdown does not read `** bold **` as bold: spaces go outside the markers.
    let core = text.trim();
    if core.is_empty() {
        return text.to_owned();
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    let mut marked = core.to_owned();
    // Code first: inside backticks other markup would show literally.
    if marks.iter().any(|mark| kind(mark) == "code") {
        marked = format!("`{marked}`");
    }
    for mark in marks {
        marked = match kind(mark) {
            "strong" => format!("**{marked}**"),
            "em" => format!("_{marked}_"),
            "strike" => format!("~~{marked}~~"),
            "link" => match attr_str(mark, "href") {
                Some(href) => format!("[{marked}]({href})"),
                None => marked,
            },
            _ => marked,
        };
    }
    format!("{lead}{marked}{trail}")
}

/// `YYYY-MM-DD` (UTC) of a timestamp in milliseconds since the epoch, given as a number or a
/// string.
fn date(timestamp: &Value) -> String {
    let millis = match timestamp {
        Value::String(text) => text.parse::<i64>().ok(),
        other => other.as_i64(),
    };
    let Some(millis) = millis else {
        return String::new();
    };
    let (year, month, day) = civil_from_days(millis.div_euclid(86_400_000));
    format!("{year:04}-{month:02}-{day:02}")
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests;
