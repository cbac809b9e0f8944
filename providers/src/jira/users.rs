//! Users and the connection itself.

use mcp_runtime::prelude::*;

use super::*;

#[mcp_tools]
impl Jira {
    /// Say which Jira site this connection reaches and as whom.
    #[tool(
        stake = "never_ask",
        running = "Checking connection",
        done = "Check connection"
    )]
    async fn get_connection_info(&self, ctx: &ToolContext) -> ToolResult {
        let me: types::User = self.client.get("/myself").send(ctx).await?;
        let email = me
            .email_address
            .map(|email| format!(" <{email}>"))
            .unwrap_or_default();
        Ok(ToolOutput::markdown(format!(
            "Connected to {} as {}{email} (account id `{}`).",
            self.client.platform().site_name(ctx),
            me.display_name,
            me.account_id
        )))
    }

    /// Find users by exact email address or by part of their name, with the account ids
    /// assignments take.
    #[tool(stake = "never_ask", running = "Finding users", done = "Find users")]
    async fn get_users(&self, ctx: &ToolContext, args: GetUsers) -> ToolResult {
        let max_results = page_size("maxResults", args.max_results, PAGE)?;
        let start_at = args.start_at.unwrap_or(0);
        let query = match (&args.email_address, &args.name) {
            (Some(email), _) => email.clone(),
            (None, Some(name)) => name.clone(),
            (None, None) => {
                return Err(McpError::invalid_arguments("give `emailAddress` or `name`"));
            }
        };
        let found: Vec<types::User> = self
            .client
            .get("/user/search")
            .query("query", &query)
            .query("startAt", start_at)
            .query("maxResults", max_results)
            .send(ctx)
            .await?;
        let more = found.len() == max_results as usize;
        // The search matches prefixes of names and emails; an email lookup wants that one user.
        let users: Vec<types::User> = match &args.email_address {
            Some(email) => found
                .into_iter()
                .filter(|user| {
                    user.email_address
                        .as_deref()
                        .is_some_and(|address| address.eq_ignore_ascii_case(email))
                })
                .collect(),
            None => found,
        };
        Ok(ToolOutput::markdown(render::users(
            &users,
            start_at,
            more && args.email_address.is_none(),
        )))
    }
}
