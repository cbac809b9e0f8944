//! What a server offers besides tools: resources (fixed URIs and URI templates) and prompts,
//! declared with `#[resource]`, `#[resource_template]` and `#[prompt]` in the server's impl
//! block, and what their handlers return.

use serde::Serialize;

use crate::{Content, McpError, ResourceContents};

/// A resource at a fixed URI, from `#[resource(uri = "..")]`.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceMetadata {
    /// Its URI.
    pub uri: &'static str,
    /// Its name (the method's, unless given).
    pub name: &'static str,
    /// Its display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'static str>,
    /// What it is (the doc comment).
    pub description: &'static str,
    /// Its media type, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<&'static str>,
    /// Its icon's URI.
    #[serde(
        rename = "icons",
        serialize_with = "crate::metadata::icons",
        skip_serializing_if = "crate::metadata::no_icon"
    )]
    pub icon: Option<&'static str>,
}

/// Resources whose URIs match a template, from `#[resource_template(uri = "..")]`.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceTemplateMetadata {
    /// The URI template (RFC 6570 level 1, and `{+name}` for a variable spanning `/`).
    pub uri_template: &'static str,
    /// Its name (the method's, unless given).
    pub name: &'static str,
    /// Its display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'static str>,
    /// What it is (the doc comment).
    pub description: &'static str,
    /// The media type of its resources, when they have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<&'static str>,
    /// The variables that have completions.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub completions: &'static [&'static str],
    /// Its icon's URI.
    #[serde(
        rename = "icons",
        serialize_with = "crate::metadata::icons",
        skip_serializing_if = "crate::metadata::no_icon"
    )]
    pub icon: Option<&'static str>,
}

/// A prompt, from `#[prompt]`.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PromptMetadata {
    /// Its name (the method's, unless given).
    pub name: &'static str,
    /// Its display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'static str>,
    /// What it is for (the doc comment).
    pub description: &'static str,
    /// Its arguments, in the method's order.
    pub arguments: &'static [PromptArgument],
    /// The arguments that have completions.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub completions: &'static [&'static str],
    /// Its icon's URI.
    #[serde(
        rename = "icons",
        serialize_with = "crate::metadata::icons",
        skip_serializing_if = "crate::metadata::no_icon"
    )]
    pub icon: Option<&'static str>,
}

/// An argument of a prompt: a parameter of its method, documented by its doc comment.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct PromptArgument {
    /// Its name.
    pub name: &'static str,
    /// What to give (the parameter's doc comment).
    pub description: &'static str,
    /// Whether it must be given (the parameter is not an `Option`).
    pub required: bool,
}

/// What a resource handler returns.
pub type ResourceResult = Result<ResourceOutput, McpError>;

/// The contents of a resource read; the URI is the one read.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ResourceOutput {
    /// Text, with its media type.
    Text {
        /// Its media type.
        mime_type: String,
        /// The text.
        text: String,
    },
    /// Bytes, with their media type.
    Blob {
        /// Their media type.
        mime_type: String,
        /// The bytes.
        bytes: Vec<u8>,
    },
}

impl ResourceOutput {
    /// Text contents.
    pub fn text(mime_type: impl Into<String>, text: impl Into<String>) -> Self {
        ResourceOutput::Text {
            mime_type: mime_type.into(),
            text: text.into(),
        }
    }

    /// Binary contents.
    pub fn blob(mime_type: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        ResourceOutput::Blob {
            mime_type: mime_type.into(),
            bytes: bytes.into(),
        }
    }

    /// The contents as read at `uri`.
    pub fn at(self, uri: &str) -> ResourceContents {
        match self {
            ResourceOutput::Text { mime_type, text } => {
                ResourceContents::text(uri, mime_type, text)
            }
            ResourceOutput::Blob { mime_type, bytes } => {
                ResourceContents::blob(uri, mime_type, &bytes)
            }
        }
    }
}

/// What a prompt handler returns.
pub type PromptResult = Result<PromptOutput, McpError>;

/// Who says a prompt message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The user.
    User,
    /// The model.
    Assistant,
}

/// One message of a prompt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PromptMessage {
    /// Who says it.
    pub role: Role,
    /// What is said.
    pub content: Content,
}

/// The messages of a prompt, and what they are for.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PromptOutput {
    /// What the messages are for, when it is not the prompt's description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The messages.
    pub messages: Vec<PromptMessage>,
}

impl PromptOutput {
    /// No messages yet.
    pub fn new() -> Self {
        PromptOutput::default()
    }

    /// One user message of `text`.
    pub fn user(text: impl Into<String>) -> Self {
        PromptOutput::new().with_user(Content::text(text))
    }

    /// Adds a user message.
    pub fn with_user(mut self, content: Content) -> Self {
        self.messages.push(PromptMessage {
            role: Role::User,
            content,
        });
        self
    }

    /// Adds a model message.
    pub fn with_assistant(mut self, content: Content) -> Self {
        self.messages.push(PromptMessage {
            role: Role::Assistant,
            content,
        });
        self
    }
}

/// What a completion is asked for: an argument of a prompt or a variable of a resource template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionTarget<'a> {
    /// The prompt of this name.
    Prompt(&'a str),
    /// The resource template of this URI template.
    ResourceTemplate(&'a str),
}

/// The value of the required prompt argument `name` (generated code reads arguments with it).
#[doc(hidden)]
pub fn prompt_argument(
    arguments: &serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> Result<String, McpError> {
    optional_prompt_argument(arguments, name).ok_or_else(|| {
        McpError::of_kind(
            crate::ErrorKind::InvalidArguments,
            format!("missing the prompt's required argument `{name}`"),
        )
    })
}

/// The value of the optional prompt argument `name`: prompt arguments are strings, and any other
/// JSON value is taken as written.
#[doc(hidden)]
pub fn optional_prompt_argument(
    arguments: &serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> Option<String> {
    match arguments.get(name)? {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// The most completion values a server returns (MCP's own bound).
pub const MAX_COMPLETIONS: usize = 100;

/// The values of the variables of `template` in `uri`, in the template's order and
/// percent-decoded, if `uri` matches it: `{name}` matches one or more characters up to the next
/// `/`, `{+name}` any. A value that does not decode to UTF-8 matches nothing.
pub fn match_template(template: &str, uri: &str) -> Option<Vec<String>> {
    let parts = template_parts(template)?;
    let mut values = Vec::new();
    if !matches(&parts, uri, &mut values) {
        return None;
    }
    values
        .iter()
        .map(|value| {
            percent_encoding::percent_decode_str(value)
                .decode_utf8()
                .ok()
                .map(|value| value.into_owned())
        })
        .collect()
}

/// One piece of a URI template.
#[derive(Debug, PartialEq)]
enum Part<'t> {
    Literal(&'t str),
    /// A variable; `true` when it may span `/`.
    Variable(&'t str, bool),
}

/// The pieces of `template`, or `None` when it is not one this crate matches (the macro refuses
/// those at compile time, with the same rules).
fn template_parts(template: &str) -> Option<Vec<Part<'_>>> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(Part::Literal(&rest[..open]));
        }
        let close = rest[open..].find('}')? + open;
        let expression = &rest[open + 1..close];
        let (name, spans) = match expression.strip_prefix('+') {
            Some(name) => (name, true),
            None => (expression, false),
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        parts.push(Part::Variable(name, spans));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(Part::Literal(rest));
    }
    Some(parts)
}

fn matches(parts: &[Part<'_>], uri: &str, values: &mut Vec<String>) -> bool {
    match parts.split_first() {
        None => uri.is_empty(),
        Some((Part::Literal(literal), rest)) => uri
            .strip_prefix(literal)
            .is_some_and(|uri| matches(rest, uri, values)),
        Some((Part::Variable(_, spans), rest)) => {
            // The shortest value that lets the rest match: a literal follows every variable.
            let ends = uri.char_indices().map(|(end, _)| end).skip(1);
            for end in ends.chain([uri.len()]).filter(|&end| end > 0) {
                let value = &uri[..end];
                if !spans && value.contains('/') {
                    return false;
                }
                values.push(value.to_owned());
                if matches(rest, &uri[end..], values) {
                    return true;
                }
                values.pop();
            }
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_their_uris_and_only_those() {
        let data = "test://template/{id}/data";
        assert_eq!(
            match_template(data, "test://template/123/data"),
            Some(vec!["123".to_owned()])
        );
        for other in [
            "test://template//data",
            "test://template/1/2/data",
            "test://template/123/datum",
            "test://template/123/data/",
        ] {
            assert_eq!(match_template(data, other), None, "{other}");
        }
        let file = "github://{owner}/{repo}/files/{+path}";
        assert_eq!(
            match_template(file, "github://octo/hello/files/src/lib.rs"),
            Some(vec!["octo".into(), "hello".into(), "src/lib.rs".into()])
        );
        assert_eq!(
            match_template("sqlite://tables/{name}", "sqlite://tables/a"),
            Some(vec!["a".into()])
        );
    }
}
