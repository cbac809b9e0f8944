//! What a tool returns: content blocks in the MCP shape, and a deterministic size bound.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::Serialize;
use serde_json::{Map, Value};

/// The contents of an embedded resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged, rename_all = "camelCase")]
pub enum ResourceContents {
    /// Text contents.
    Text {
        /// The resource URI.
        uri: String,
        /// Its media type.
        #[serde(rename = "mimeType", skip_serializing_if = "Option::is_none")]
        mime_type: Option<String>,
        /// The text.
        text: String,
    },
    /// Binary contents, base64-encoded.
    Blob {
        /// The resource URI.
        uri: String,
        /// Its media type.
        #[serde(rename = "mimeType", skip_serializing_if = "Option::is_none")]
        mime_type: Option<String>,
        /// The bytes, base64-encoded.
        blob: String,
    },
}

impl ResourceContents {
    /// A text resource.
    pub fn text(
        uri: impl Into<String>,
        mime_type: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        ResourceContents::Text {
            uri: uri.into(),
            mime_type: Some(mime_type.into()),
            text: text.into(),
        }
    }

    /// A binary resource.
    pub fn blob(uri: impl Into<String>, mime_type: impl Into<String>, bytes: &[u8]) -> Self {
        ResourceContents::Blob {
            uri: uri.into(),
            mime_type: Some(mime_type.into()),
            blob: BASE64.encode(bytes),
        }
    }
}

/// A link to a resource the client may fetch.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceLink {
    /// The resource URI.
    pub uri: String,
    /// Its name.
    pub name: String,
    /// Its media type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    /// What it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One content block of a tool result, serialized as MCP's `ContentBlock`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Content {
    /// Text or markdown.
    Text {
        /// The text.
        text: String,
    },
    /// An image, base64-encoded.
    Image {
        /// The bytes, base64-encoded.
        data: String,
        /// Its media type.
        #[serde(rename = "mimeType")]
        mime_type: String,
    },
    /// Audio, base64-encoded.
    Audio {
        /// The bytes, base64-encoded.
        data: String,
        /// Its media type.
        #[serde(rename = "mimeType")]
        mime_type: String,
    },
    /// An embedded resource.
    Resource {
        /// Its contents.
        resource: ResourceContents,
    },
    /// A link to a resource.
    ResourceLink(ResourceLink),
}

impl Content {
    /// A text block.
    pub fn text(text: impl Into<String>) -> Self {
        Content::Text { text: text.into() }
    }

    /// An image block of `bytes`.
    pub fn image(bytes: &[u8], mime_type: impl Into<String>) -> Self {
        Content::Image {
            data: BASE64.encode(bytes),
            mime_type: mime_type.into(),
        }
    }

    /// An embedded resource.
    pub fn resource(contents: ResourceContents) -> Self {
        Content::Resource { resource: contents }
    }

    /// The bytes this block costs against an output bound.
    fn size(&self) -> usize {
        match self {
            Content::Text { text } => text.len(),
            Content::Image { data, .. } | Content::Audio { data, .. } => data.len(),
            Content::Resource { resource } => match resource {
                ResourceContents::Text { uri, text, .. } => uri.len() + text.len(),
                ResourceContents::Blob { uri, blob, .. } => uri.len() + blob.len(),
            },
            Content::ResourceLink(link) => link.uri.len() + link.name.len(),
        }
    }
}

/// The successful output of a tool, built with chained calls:
///
/// ```
/// # use mcp_runtime::ToolOutput;
/// let output = ToolOutput::markdown("# PROJ-42: Fix login")
///     .with_text("**Status:** In progress");
/// assert_eq!(output.content().len(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolOutput {
    content: Vec<Content>,
    #[serde(skip_serializing_if = "Option::is_none")]
    structured_content: Option<Value>,
}

impl ToolOutput {
    /// An output with no content yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A single text block.
    pub fn text(text: impl Into<String>) -> Self {
        Self::new().with_text(text)
    }

    /// A single markdown block (MCP has no markdown type; markdown travels as text).
    pub fn markdown(markdown: impl Into<String>) -> Self {
        Self::text(markdown)
    }

    /// Structured content (with its JSON mirrored as text for clients that ignore it).
    pub fn structured(value: Value) -> Self {
        let mirror = value.to_string();
        Self::text(mirror).with_structured(value)
    }

    /// Appends a text block.
    pub fn with_text(mut self, text: impl Into<String>) -> Self {
        self.content.push(Content::Text { text: text.into() });
        self
    }

    /// Appends an image.
    pub fn with_image(mut self, bytes: &[u8], mime_type: impl Into<String>) -> Self {
        self.content.push(Content::Image {
            data: BASE64.encode(bytes),
            mime_type: mime_type.into(),
        });
        self
    }

    /// Appends audio.
    pub fn with_audio(mut self, bytes: &[u8], mime_type: impl Into<String>) -> Self {
        self.content.push(Content::Audio {
            data: BASE64.encode(bytes),
            mime_type: mime_type.into(),
        });
        self
    }

    /// Appends an embedded resource.
    pub fn with_resource(mut self, resource: ResourceContents) -> Self {
        self.content.push(Content::Resource { resource });
        self
    }

    /// Appends a resource link.
    pub fn with_resource_link(mut self, link: ResourceLink) -> Self {
        self.content.push(Content::ResourceLink(link));
        self
    }

    /// Sets the structured content, without a text mirror.
    pub fn with_structured(mut self, value: Value) -> Self {
        self.structured_content = Some(value);
        self
    }

    /// The content blocks.
    pub fn content(&self) -> &[Content] {
        &self.content
    }

    /// The structured content.
    pub fn structured_content(&self) -> Option<&Value> {
        self.structured_content.as_ref()
    }

    /// Bounds the output to `limit` bytes of payload, deterministically.
    ///
    /// Blocks are kept in order while they fit. The first text block that does not fit is cut at
    /// a character boundary; binary blocks and structured content that do not fit are dropped
    /// whole. When anything was cut, a final text block says how much.
    pub fn bounded(self, limit: usize) -> Self {
        let structured_size = self
            .structured_content
            .as_ref()
            .map_or(0, |value| value.to_string().len());
        let total: usize = self.content.iter().map(Content::size).sum::<usize>() + structured_size;
        if total <= limit {
            return self;
        }

        let mut budget = limit;
        let mut kept = Vec::with_capacity(self.content.len() + 1);
        let mut dropped_blocks = 0;
        for block in self.content {
            let size = block.size();
            if size <= budget {
                budget -= size;
                kept.push(block);
            } else if let Content::Text { text } = block
                && budget > 0
            {
                let cut = floor_char_boundary(&text, budget);
                budget -= cut;
                kept.push(Content::Text {
                    text: text[..cut].to_owned(),
                });
            } else {
                dropped_blocks += 1;
            }
        }
        let structured_content = match self.structured_content {
            Some(value) if structured_size <= budget => {
                budget -= structured_size;
                Some(value)
            }
            Some(_) => {
                dropped_blocks += 1;
                None
            }
            None => None,
        };
        let kept_bytes = limit - budget;
        let mut notice = format!("[output truncated: kept {kept_bytes} of {total} bytes");
        if dropped_blocks > 0 {
            notice.push_str(&format!(", {dropped_blocks} block(s) dropped"));
        }
        notice.push(']');
        kept.push(Content::Text { text: notice });
        ToolOutput {
            content: kept,
            structured_content,
        }
    }
}

fn floor_char_boundary(text: &str, index: usize) -> usize {
    (0..=index.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

/// The result of a call as MCP's `CallToolResult`: content, structured content, `isError`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallToolResult {
    /// The content blocks.
    pub content: Vec<Content>,
    /// The structured content, for tools with an output schema.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structured_content: Option<Value>,
    /// Whether the tool failed (the model sees the text and may retry).
    pub is_error: bool,
    /// Namespaced metadata, e.g. the outcome kind of an error.
    #[serde(rename = "_meta", skip_serializing_if = "Option::is_none")]
    pub meta: Option<Map<String, Value>>,
}

impl CallToolResult {
    /// The detail of an error result of `kind` (its `_meta` under
    /// [`ERROR_META_KEY`](crate::host::ERROR_META_KEY)), if it is one.
    pub(crate) fn error_of_kind(&self, kind: &str) -> Option<&Value> {
        let detail = self.meta.as_ref()?.get(crate::call::ERROR_META_KEY)?;
        (self.is_error && detail["kind"] == kind).then_some(detail)
    }

    /// The text of every text block, joined by newlines (handy in tests and the CLI).
    pub fn text(&self) -> String {
        self.content
            .iter()
            .filter_map(|block| match block {
                Content::Text { text } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl From<ToolOutput> for CallToolResult {
    fn from(output: ToolOutput) -> Self {
        CallToolResult {
            content: output.content,
            structured_content: output.structured_content,
            is_error: false,
            meta: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_error_results_detail_is_read_for_its_own_kind_only() {
        use crate::{ErrorKind, McpError};

        let result = crate::call::error_result(&McpError::of_kind(
            ErrorKind::PersonalAuthenticationRequired {
                provider: "github".to_owned(),
            },
            "connect first",
        ));
        let detail = result.error_of_kind("personal_authentication_required");
        assert_eq!(detail.unwrap()["provider"], "github");
        assert!(result.error_of_kind("approval_required").is_none());
        // The same detail on a result that is not an error is no error of any kind.
        let not_an_error = CallToolResult {
            is_error: false,
            ..result
        };
        assert!(
            not_an_error
                .error_of_kind("personal_authentication_required")
                .is_none()
        );
    }

    #[test]
    fn every_content_type_serializes_as_mcp() {
        let output = ToolOutput::markdown("# Title")
            .with_image(b"png", "image/png")
            .with_audio(b"wav", "audio/wav")
            .with_resource(ResourceContents::text(
                "file:///a.txt",
                "text/plain",
                "hello",
            ))
            .with_resource(ResourceContents::blob(
                "file:///a.bin",
                "application/octet-stream",
                b"\x00\x01",
            ))
            .with_resource_link(ResourceLink {
                uri: "file:///b.txt".into(),
                name: "b.txt".into(),
                mime_type: Some("text/plain".into()),
                description: None,
            })
            .with_structured(json!({"ok": true}));
        let result = CallToolResult::from(output);
        assert_eq!(
            serde_json::to_value(&result).unwrap(),
            json!({
                "content": [
                    { "type": "text", "text": "# Title" },
                    { "type": "image", "data": "cG5n", "mimeType": "image/png" },
                    { "type": "audio", "data": "d2F2", "mimeType": "audio/wav" },
                    { "type": "resource", "resource": { "uri": "file:///a.txt", "mimeType": "text/plain", "text": "hello" } },
                    { "type": "resource", "resource": { "uri": "file:///a.bin", "mimeType": "application/octet-stream", "blob": "AAE=" } },
                    { "type": "resource_link", "uri": "file:///b.txt", "name": "b.txt", "mimeType": "text/plain" },
                ],
                "structuredContent": { "ok": true },
                "isError": false,
            })
        );
    }

    #[test]
    fn structured_output_is_mirrored_as_text() {
        let output = ToolOutput::structured(json!({"total": 3}));
        assert_eq!(
            output.content(),
            [Content::Text {
                text: r#"{"total":3}"#.into()
            }]
        );
        assert_eq!(output.structured_content(), Some(&json!({"total": 3})));
    }

    #[test]
    fn an_output_within_the_bound_is_unchanged() {
        let output = ToolOutput::text("short").with_text("also short");
        assert_eq!(output.clone().bounded(15), output);
    }

    #[test]
    fn text_is_cut_at_a_character_boundary_and_the_cut_is_said() {
        let output = ToolOutput::text("héllo wörld").bounded(3);
        assert_eq!(
            output.content(),
            [
                Content::Text {
                    text: "h\u{e9}".into()
                },
                Content::Text {
                    text: "[output truncated: kept 3 of 13 bytes]".into()
                },
            ]
        );
    }

    #[test]
    fn blocks_that_do_not_fit_are_dropped_whole_and_counted() {
        let output = ToolOutput::text("0123456789")
            .with_image(&[0; 30], "image/png")
            .with_text("tail")
            .with_structured(json!({"big": "x".repeat(50)}))
            .bounded(16);
        assert_eq!(
            output.content(),
            [
                Content::Text {
                    text: "0123456789".into()
                },
                Content::Text {
                    text: "tail".into()
                },
                Content::Text {
                    text: "[output truncated: kept 14 of 114 bytes, 2 block(s) dropped]".into()
                },
            ]
        );
        assert_eq!(output.structured_content(), None);
    }

    #[test]
    fn bounding_is_deterministic() {
        let build = || ToolOutput::text("a".repeat(100)).with_image(&[1; 100], "image/png");
        assert_eq!(build().bounded(50), build().bounded(50));
    }
}
