//! The organization's objects: listing and describing them, creating and updating records.

use mcp_runtime::prelude::*;
use serde_json::{Map, Value, json};

use super::*;

#[mcp_tools]
impl Salesforce {
    /// List the objects in Salesforce: standard and custom objects, with their API names (what
    /// queries and `describe_object` take) and labels.
    #[tool(
        stake = "never_ask",
        running = "Listing Salesforce objects",
        done = "List Salesforce objects"
    )]
    async fn list_objects(&self, ctx: &ToolContext, args: ListObjects) -> ToolResult {
        let global: types::DescribeGlobal = self.client.get("/sobjects").send(ctx).await?;
        let objects: Vec<&types::GlobalObject> = global
            .sobjects
            .iter()
            .filter(|object| match args.filter {
                ObjectFilter::All => true,
                ObjectFilter::Standard => !object.custom,
                ObjectFilter::Custom => object.custom,
            })
            .collect();
        Ok(ToolOutput::markdown(render::objects(&objects, args.filter)))
    }

    /// Describe an object in Salesforce: what it allows, its fields (type, references, picklist
    /// values) and its child relationships, to write queries and records with.
    #[tool(
        stake = "never_ask",
        running = "Describing Salesforce object",
        done = "Describe Salesforce object"
    )]
    async fn describe_object(&self, ctx: &ToolContext, args: DescribeObject) -> ToolResult {
        let object: types::Describe = self
            .client
            .get(format!("/sobjects/{}/describe", args.object_name))
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::describe(&object)))
    }

    /// Create one or more records in Salesforce: 1 to 200 records of one object, in one
    /// request. Each record's outcome is reported (its new id, or why it failed); with
    /// `allOrNone`, one failure rolls back all.
    #[tool(
        stake = "medium",
        approval_args(object_name),
        running = "Creating Salesforce records",
        done = "Create Salesforce records"
    )]
    async fn create_object(&self, ctx: &ToolContext, args: CreateObject) -> ToolResult {
        within_collection_limit(args.records.len())?;
        let records: Vec<Value> = args
            .records
            .into_iter()
            .map(|fields| record(&args.object_name, None, fields))
            .collect();
        let results: Vec<types::SaveResult> = self
            .client
            .post("/composite/sobjects")
            .json(&json!({"allOrNone": args.all_or_none, "records": records}))
            .send(ctx)
            .await?;
        Ok(ToolOutput::markdown(render::saved(
            "Create",
            &args.object_name,
            &results,
            &[],
        )))
    }

    /// Update one or more records in Salesforce: 1 to 200 records of one object, each with its
    /// `Id` and the fields to change, in one request. Each record's outcome is reported; with
    /// `allOrNone`, one failure rolls back all.
    #[tool(
        stake = "medium",
        approval_args(object_name),
        running = "Updating Salesforce records",
        done = "Update Salesforce records"
    )]
    async fn update_object(&self, ctx: &ToolContext, args: UpdateObject) -> ToolResult {
        within_collection_limit(args.records.len())?;
        if let Some(unchanged) = args
            .records
            .iter()
            .find(|update| update.fields.keys().all(|name| name == "attributes"))
        {
            return Err(McpError::invalid_arguments(format!(
                "the record {} has no field to change: give the fields to update besides `Id`",
                unchanged.id
            )));
        }
        let ids: Vec<String> = args
            .records
            .iter()
            .map(|update| update.id.to_string())
            .collect();
        let records: Vec<Value> = args
            .records
            .into_iter()
            .map(|update| record(&args.object_name, Some(&update.id), update.fields))
            .collect();
        let results: Vec<types::SaveResult> = self
            .client
            .patch("/composite/sobjects")
            .json(&json!({"allOrNone": args.all_or_none, "records": records}))
            .send(ctx)
            .await?;
        let ids: Vec<Option<&str>> = ids.iter().map(|id| Some(id.as_str())).collect();
        Ok(ToolOutput::markdown(render::saved(
            "Update",
            &args.object_name,
            &results,
            &ids,
        )))
    }
}

/// A record as sObject Collections takes it: its type in `attributes`, its id (updates) as
/// `id`, then its fields. Nulls are kept: they clear a field.
fn record(object: &ObjectName, id: Option<&SalesforceId>, mut fields: Map<String, Value>) -> Value {
    fields.insert("attributes".to_owned(), json!({"type": &**object}));
    if let Some(id) = id {
        fields.insert("id".to_owned(), json!(&**id));
    }
    Value::Object(fields)
}

/// Refuses more records than one sObject Collections request takes, or none.
fn within_collection_limit(count: usize) -> Result<(), McpError> {
    if (1..=COLLECTION_LIMIT).contains(&count) {
        Ok(())
    } else {
        Err(McpError::invalid_arguments(format!(
            "`records` must hold 1 to {COLLECTION_LIMIT} records (one request's limit), not \
             {count}; split larger batches"
        )))
    }
}
