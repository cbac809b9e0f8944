//! Discussions, their categories and comments.

use mcp_runtime::prelude::*;
use serde_json::json;

use super::*;

#[mcp_tools]
impl Github {
    /// List a repository's discussion categories with their ids.
    #[tool(
        stake = "never_ask",
        running = "Listing discussion categories",
        done = "List discussion categories"
    )]
    async fn list_discussion_categories(&self, ctx: &ToolContext, args: Repository) -> ToolResult {
        let Partial {
            data: repository,
            errors,
        } = self
            .in_repository::<graphql::Categories>(
                ctx,
                graphql::DISCUSSION_CATEGORIES,
                json!({"owner": args.owner, "repo": args.repo}),
            )
            .await?;
        Ok(with_errors(
            render::categories(
                &args.owner,
                &args.repo,
                &repository.discussion_categories.nodes,
            ),
            &errors,
        ))
    }

    /// Get a discussion: its body, category and accepted answer.
    #[tool(
        stake = "never_ask",
        running = "Retrieving discussion",
        done = "Retrieve discussion"
    )]
    async fn get_discussion(&self, ctx: &ToolContext, args: DiscussionRef) -> ToolResult {
        let Partial {
            data: repository,
            errors,
        } = self
            .in_repository::<graphql::OneDiscussion>(
                ctx,
                graphql::DISCUSSION,
                json!({"owner": args.owner, "repo": args.repo, "number": args.discussion_number}),
            )
            .await?;
        let discussion = repository
            .discussion
            .ok_or_else(|| no_discussion(&args.owner, &args.repo, args.discussion_number))?;
        Ok(with_errors(render::discussion(&discussion), &errors))
    }

    /// Get the comments of a discussion with their replies, a page at a time.
    #[tool(
        stake = "never_ask",
        running = "Retrieving discussion comments",
        done = "Retrieve discussion comments"
    )]
    async fn get_discussion_comments(
        &self,
        ctx: &ToolContext,
        args: DiscussionComments,
    ) -> ToolResult {
        let first = page_size("first", args.first, GRAPHQL_PAGE)?;
        let Partial {
            data: repository,
            errors,
        } = self
            .in_repository::<graphql::DiscussionWithComments>(
                ctx,
                graphql::DISCUSSION_COMMENTS,
                json!({"owner": args.owner, "repo": args.repo, "number": args.discussion_number, "first": first, "after": args.after}),
            )
            .await?;
        let discussion = repository
            .discussion
            .ok_or_else(|| no_discussion(&args.owner, &args.repo, args.discussion_number))?;
        Ok(with_errors(
            render::discussion_comments(args.discussion_number, &discussion),
            &errors,
        ))
    }

    /// List a repository's discussions, most recently updated first, a page at a time.
    #[tool(
        stake = "never_ask",
        running = "Listing discussions",
        done = "List discussions"
    )]
    async fn list_discussions(&self, ctx: &ToolContext, args: ListDiscussions) -> ToolResult {
        let first = page_size("first", args.first, GRAPHQL_PAGE)?;
        let Partial {
            data: repository,
            errors,
        } = self
            .in_repository::<graphql::DiscussionList>(
                ctx,
                graphql::DISCUSSIONS,
                json!({"owner": args.owner, "repo": args.repo, "first": first, "after": args.after, "categoryId": args.category_id}),
            )
            .await?;
        Ok(with_errors(
            render::discussions(&args.owner, &args.repo, &repository.discussions),
            &errors,
        ))
    }

    /// Start a discussion in a repository's category.
    #[tool(
        stake = "low",
        running = "Creating discussion",
        done = "Create discussion"
    )]
    async fn create_discussion(&self, ctx: &ToolContext, args: CreateDiscussion) -> ToolResult {
        let Partial {
            data: repository,
            errors,
        } = self
            .in_repository::<graphql::NodeId>(
                ctx,
                graphql::REPOSITORY_ID,
                json!({"owner": args.owner, "repo": args.repo}),
            )
            .await?;
        let Partial {
            data: created,
            errors: errors_1,
        } = self
            .client
            .graphql::<graphql::CreatedDiscussion>(
                ctx,
                graphql::CREATE_DISCUSSION,
                json!({"repositoryId": repository.id, "categoryId": args.category_id, "title": args.title, "body": args.body}),
            )
            .await?;
        let discussion = created.create_discussion.discussion;
        Ok(with_errors(
            format!(
                "Created discussion #{}: {}",
                discussion.number, discussion.url
            ),
            &[errors, errors_1].concat(),
        ))
    }

    /// Comment on a discussion, or reply to one of its comments.
    #[tool(
        stake = "low",
        running = "Commenting on discussion",
        done = "Comment on discussion"
    )]
    async fn comment_on_discussion(
        &self,
        ctx: &ToolContext,
        args: CommentOnDiscussion,
    ) -> ToolResult {
        let Partial {
            data: repository,
            errors,
        } = self
            .in_repository::<graphql::DiscussionId>(
                ctx,
                graphql::DISCUSSION_ID,
                json!({"owner": args.owner, "repo": args.repo, "number": args.discussion_number}),
            )
            .await?;
        let discussion = repository
            .discussion
            .ok_or_else(|| no_discussion(&args.owner, &args.repo, args.discussion_number))?;
        let Partial {
            data: added,
            errors: errors_1,
        } = self
            .client
            .graphql::<graphql::AddedComment>(
                ctx,
                graphql::COMMENT_ON_DISCUSSION,
                json!({"discussionId": discussion.id, "body": args.body, "replyToId": args.reply_to_id}),
            )
            .await?;
        let comment = added.add_discussion_comment.comment;
        Ok(with_errors(
            format!(
                "Commented on discussion #{} (comment `{}`): {}",
                args.discussion_number, comment.id, comment.url
            ),
            &[errors, errors_1].concat(),
        ))
    }
}
