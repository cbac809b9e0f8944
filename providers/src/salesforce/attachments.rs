//! Records' attachments: classic Attachments and files (ContentDocuments linked to the record).

use std::fmt::Write as _;

use mcp_runtime::prelude::*;

use super::*;
use crate::kit::SegmentRule;
use crate::markdown::{counted, day};

/// An attachment or a file of a record, as both are listed and read.
struct Attached {
    id: String,
    name: String,
    media_type: String,
    size: Option<u64>,
    created: String,
    author: Option<String>,
    /// A file's latest version (read from `VersionData`), rather than a classic attachment
    /// (read from `Body`).
    is_file: bool,
}

#[mcp_tools]
impl Salesforce {
    /// List all attachments and files for a Salesforce record, newest first, with the ids
    /// `read_attachment` takes.
    #[tool(
        stake = "never_ask",
        running = "Listing attachments on Salesforce",
        done = "List attachments on Salesforce"
    )]
    async fn list_attachments(&self, ctx: &ToolContext, args: ListAttachments) -> ToolResult {
        let attached = self.attached(ctx, &args.record_id).await?;
        let mut text = format!(
            "Found {} for record {}.",
            counted(attached.len() as u64, "attachment"),
            args.record_id
        );
        if !attached.is_empty() {
            text.push('\n');
        }
        for item in &attached {
            let _ = write!(
                text,
                "\n- **{}** (id `{}`): {}, {}, {} on {}",
                item.name,
                item.id,
                if item.is_file { "file" } else { "attachment" },
                item.media_type,
                item.size
                    .map_or("size unknown".to_owned(), crate::markdown::size),
                day(&item.created)
            );
            if let Some(author) = &item.author {
                let _ = write!(text, " by {author}");
            }
        }
        Ok(ToolOutput::markdown(text))
    }

    /// Read content from any attachment or file on a Salesforce record: text (plain, CSV,
    /// JSON, XML) as text and images as images, up to 5 MiB; other files are described.
    #[tool(
        stake = "never_ask",
        running = "Reading attachment from Salesforce",
        done = "Read attachment from Salesforce"
    )]
    async fn read_attachment(&self, ctx: &ToolContext, args: ReadAttachment) -> ToolResult {
        let wanted: &str = &args.attachment_id;
        let attached = self.attached(ctx, &args.record_id).await?;
        // Salesforce answers 18-character ids; a 15-character id is their case-sensitive start.
        let Some(item) = attached
            .iter()
            .find(|item| item.id == wanted || (wanted.len() == 15 && item.id.starts_with(wanted)))
        else {
            return Err(McpError::not_found(format!(
                "Attachment with ID {wanted} not found on record {} (see `list_attachments`)",
                args.record_id
            )));
        };
        let size = item.size.unwrap_or_default();
        let summary = format!(
            "{} ({}, {})",
            item.name,
            item.media_type,
            crate::markdown::size(size)
        );
        let is_image = item.media_type.starts_with("image/");
        let readable = is_image
            || item.media_type.starts_with("text/")
            || matches!(
                item.media_type.as_str(),
                "application/json" | "application/xml"
            );
        if !readable || size > ATTACHMENT_LIMIT {
            return Ok(ToolOutput::markdown(format!(
                "{summary} cannot be shown here: only text and images up to {} are read.",
                crate::markdown::size(ATTACHMENT_LIMIT)
            )));
        }
        // The id as Salesforce listed it (18 characters), checked like any id in a path.
        let Some(id) = SalesforceId::new(item.id.as_str()) else {
            return Err(McpError::provider(
                None,
                format!(
                    "Salesforce listed an attachment id of another shape: `{}`",
                    item.id
                ),
            ));
        };
        let path = if item.is_file {
            format!("/sobjects/ContentVersion/{id}/VersionData")
        } else {
            format!("/sobjects/Attachment/{id}/Body")
        };
        let bytes = self.client.get(path).accept("*/*").bytes(ctx).await?;
        if is_image {
            return Ok(ToolOutput::markdown(summary).with_image(&bytes, item.media_type.clone()));
        }
        Ok(ToolOutput::markdown(format!(
            "{summary}\n\n{}",
            String::from_utf8_lossy(&bytes)
        )))
    }
}

impl Salesforce {
    /// The record's attachments and the latest versions of its files, newest first. The ids
    /// entering the queries are checked record ids (letters and digits only).
    async fn attached(
        &self,
        ctx: &ToolContext,
        record_id: &SalesforceId,
    ) -> Result<Vec<Attached>, McpError> {
        let attachments: types::QueryResult<types::Attachment> = self
            .soql(
                ctx,
                format!(
                    "SELECT Id, Name, ContentType, BodyLength, CreatedDate, CreatedBy.Name \
                     FROM Attachment WHERE ParentId = '{record_id}' ORDER BY CreatedDate DESC"
                ),
            )
            .await?;
        let links: types::QueryResult<types::DocumentLink> = self
            .soql(
                ctx,
                format!(
                    "SELECT ContentDocumentId FROM ContentDocumentLink \
                     WHERE LinkedEntityId = '{record_id}'"
                ),
            )
            .await?;
        let documents: Vec<String> = links
            .records
            .iter()
            .map(|link| link.content_document_id.as_str())
            .filter(|id| RecordId::accepts(id))
            .map(|id| format!("'{id}'"))
            .collect();
        let mut attached: Vec<Attached> = attachments
            .records
            .into_iter()
            .map(|attachment| Attached {
                id: attachment.id,
                name: attachment.name,
                media_type: attachment
                    .content_type
                    .unwrap_or_else(|| "application/octet-stream".to_owned()),
                size: attachment.body_length,
                created: attachment.created_date,
                author: attachment.created_by.and_then(|creator| creator.name),
                is_file: false,
            })
            .collect();
        if !documents.is_empty() {
            let versions: types::QueryResult<types::ContentVersion> = self
                .soql(
                    ctx,
                    format!(
                        "SELECT Id, Title, FileType, ContentSize, CreatedDate, CreatedBy.Name \
                         FROM ContentVersion WHERE ContentDocumentId IN ({}) AND IsLatest = true \
                         ORDER BY CreatedDate DESC",
                        documents.join(", ")
                    ),
                )
                .await?;
            attached.extend(versions.records.into_iter().map(|version| Attached {
                id: version.id,
                name: version.title,
                media_type: media_type(version.file_type.as_deref()).to_owned(),
                size: version.content_size,
                created: version.created_date,
                author: version.created_by.and_then(|creator| creator.name),
                is_file: true,
            }));
        }
        // ISO 8601 timestamps of one zone sort as text.
        attached.sort_by(|a, b| b.created.cmp(&a.created));
        Ok(attached)
    }
}

/// The media type of a file of Salesforce's `FileType`.
fn media_type(file_type: Option<&str>) -> &'static str {
    match file_type.map(str::to_ascii_uppercase).as_deref() {
        Some("TEXT") => "text/plain",
        Some("CSV") => "text/csv",
        Some("XML") => "application/xml",
        Some("JSON") => "application/json",
        Some("PDF") => "application/pdf",
        Some("PNG") => "image/png",
        Some("JPG" | "JPEG") => "image/jpeg",
        Some("GIF") => "image/gif",
        _ => "application/octet-stream",
    }
}
