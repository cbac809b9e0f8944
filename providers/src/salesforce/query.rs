//! SOQL queries.

use mcp_runtime::prelude::*;

use super::*;

#[mcp_tools]
impl Salesforce {
    /// Execute a read query on Salesforce: a SOQL `SELECT` (the query endpoint runs nothing
    /// else). Returns the first batch of results (Salesforce sends up to 2,000 records at a
    /// time; up to 200 rows are shown) and says when more records match: add a `LIMIT` or a
    /// narrower `WHERE` then. Parent fields read as `Owner.Name`; child sub-queries are counted.
    #[tool(
        stake = "never_ask",
        running = "Executing Salesforce query",
        done = "Execute Salesforce query"
    )]
    async fn execute_read_query(&self, ctx: &ToolContext, args: ExecuteReadQuery) -> ToolResult {
        let query = args.query.trim();
        if query.is_empty() {
            return Err(McpError::invalid_arguments(
                "`query` is empty: give a SOQL query such as `SELECT Id, Name FROM Account LIMIT 10`",
            ));
        }
        let result: types::QueryResult = self.soql(ctx, query).await?;
        Ok(ToolOutput::markdown(render::query(&result)))
    }
}

impl Salesforce {
    /// The first batch of the SOQL `query`'s results.
    pub(super) async fn soql<T: serde::de::DeserializeOwned>(
        &self,
        ctx: &ToolContext,
        query: impl ToString,
    ) -> Result<T, McpError> {
        self.client.get("/query").query("q", query).send(ctx).await
    }
}
