//! Attachments of issues.

use mcp_runtime::prelude::*;

use super::*;

#[mcp_tools]
impl Jira {
    /// List an issue's attachments with the ids `read_attachment` takes.
    #[tool(
        stake = "never_ask",
        running = "Listing attachments",
        done = "List attachments"
    )]
    async fn get_attachments(&self, ctx: &ToolContext, args: IssueKey) -> ToolResult {
        let issue: types::Issue = self
            .client
            .get(format!("/issue/{}", &args.issue_key))
            .query("fields", "attachment")
            .send(ctx)
            .await?;
        let attachments = issue.fields.attachment.unwrap_or_default();
        Ok(ToolOutput::markdown(render::attachments(
            &args.issue_key,
            &attachments,
        )))
    }

    /// Read an attachment: text as text, images as images; other files are described.
    #[tool(
        stake = "never_ask",
        running = "Reading attachment",
        done = "Read attachment"
    )]
    async fn read_attachment(&self, ctx: &ToolContext, args: ReadAttachment) -> ToolResult {
        let id = &args.attachment_id;
        let attachment: types::Attachment = self
            .client
            .get(format!("/attachment/{id}"))
            .send(ctx)
            .await?;
        let summary = format!(
            "{} ({}, {})",
            attachment.filename,
            attachment.mime_type,
            crate::markdown::size(attachment.size)
        );
        let readable = attachment.mime_type.starts_with("text/")
            || attachment.mime_type.starts_with("image/")
            || matches!(
                attachment.mime_type.as_str(),
                "application/json" | "application/xml"
            );
        if !readable || attachment.size > ATTACHMENT_LIMIT {
            return Ok(ToolOutput::markdown(format!(
                "{summary} cannot be shown here: only text and images up to {} are read.",
                crate::markdown::size(ATTACHMENT_LIMIT)
            )));
        }
        let bytes = self
            .client
            .get(format!("/attachment/content/{id}"))
            .accept("*/*")
            .bytes(ctx)
            .await?;
        if attachment.mime_type.starts_with("image/") {
            return Ok(ToolOutput::markdown(summary).with_image(&bytes, attachment.mime_type));
        }
        Ok(ToolOutput::markdown(format!(
            "{summary}\n\n{}",
            String::from_utf8_lossy(&bytes)
        )))
    }

    /// Attach a file (given as base64) to an issue.
    #[tool(
        stake = "low",
        running = "Uploading attachment",
        done = "Upload attachment"
    )]
    async fn upload_attachment(&self, ctx: &ToolContext, args: UploadAttachment) -> ToolResult {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(args.content_base64.trim())
            .map_err(|error| {
                McpError::invalid_arguments(format!("`contentBase64` is not base64: {error}"))
            })?;
        let media_type = args
            .mime_type
            .as_deref()
            .unwrap_or("application/octet-stream");
        let size = bytes.len() as u64;
        let attached: Vec<types::Attachment> = self
            .client
            .post(format!("/issue/{}/attachments", &args.issue_key))
            // Jira refuses uploads without it (XSRF protection).
            .header("x-atlassian-token", "no-check")
            .file(&args.filename, media_type, bytes)
            .send(ctx)
            .await?;
        let id = attached
            .first()
            .map_or("?".to_owned(), types::Attachment::id);
        Ok(ToolOutput::markdown(format!(
            "Attached {} ({}) to {} (attachment {id}).",
            args.filename,
            crate::markdown::size(size),
            args.issue_key
        )))
    }
}
