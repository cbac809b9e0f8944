//! A server's tools with their schemas and MCP listing, built once per process.

use std::sync::{Arc, LazyLock, OnceLock};

use serde_json::{Map, Value, json};

use crate::ToolMetadata;
use crate::schema::{self, JsonObject, SchemaError};
use crate::{ServerMetadata, Stake};

/// The `_meta` key under which tools carry their stake and labels.
pub const TOOL_META_KEY: &str = "mcp-runtime/tool";

/// The schemas of one tool, as generated code hands them to [`Catalog::build`].
#[derive(Debug)]
#[doc(hidden)]
pub struct ToolSchemas {
    input: Result<Arc<JsonObject>, SchemaError>,
    output: Option<Arc<JsonObject>>,
}

impl ToolSchemas {
    /// A tool with arguments.
    pub fn new(
        input: Result<Arc<JsonObject>, SchemaError>,
        output: Option<Arc<JsonObject>>,
    ) -> Self {
        ToolSchemas { input, output }
    }

    /// A tool without arguments.
    pub fn without_arguments(output: Option<Arc<JsonObject>>) -> Self {
        Self::new(Ok(empty_input_schema()), output)
    }
}

/// The input schema of every tool without arguments: one copy.
fn empty_input_schema() -> Arc<JsonObject> {
    static EMPTY: LazyLock<Arc<JsonObject>> =
        LazyLock::new(|| Arc::new(schema::empty_input_schema()));
    EMPTY.clone()
}

/// One tool: its metadata and schemas.
#[derive(Debug, Clone)]
pub struct ToolEntry {
    /// The static metadata.
    pub metadata: &'static ToolMetadata,
    /// The client-safe input schema, shared with the listings built from it.
    pub input_schema: Arc<JsonObject>,
    /// The output schema, for structured results.
    pub output_schema: Option<Arc<JsonObject>>,
}

/// The tools of a server with their schemas, and their MCP `tools/list` entries.
#[derive(Debug)]
pub struct Catalog {
    tools: Vec<ToolEntry>,
    /// Made on first use: a host serving MCP builds its own listing from [`Catalog::tools`], one
    /// entry at a time, and never needs these copies of every schema.
    listing: OnceLock<Vec<Value>>,
    listing_json: OnceLock<String>,
    errors: Vec<SchemaError>,
}

impl Catalog {
    /// Builds the catalog; generated code calls this once, behind a `OnceLock`.
    pub fn build(server: &'static ServerMetadata, schemas: Vec<ToolSchemas>) -> Self {
        assert_eq!(
            server.tools.len(),
            schemas.len(),
            "generated tables of `{}` disagree",
            server.name
        );
        let mut errors = Vec::new();
        let tools: Vec<ToolEntry> = server
            .tools
            .iter()
            .zip(schemas)
            .map(|(metadata, schemas)| ToolEntry {
                metadata,
                input_schema: schemas.input.unwrap_or_else(|error| {
                    errors.push(error);
                    empty_input_schema()
                }),
                output_schema: schemas.output,
            })
            .collect();
        Catalog {
            tools,
            listing: OnceLock::new(),
            listing_json: OnceLock::new(),
            errors,
        }
    }

    /// The tools, in declaration order.
    pub fn tools(&self) -> &[ToolEntry] {
        &self.tools
    }

    /// The MCP `Tool` objects, as `tools/list` returns them.
    pub fn listing(&self) -> &[Value] {
        self.listing
            .get_or_init(|| self.tools.iter().map(ToolEntry::listing_entry).collect())
    }

    /// The listing as a JSON array, serialized once, for transports that write it as is.
    pub fn listing_json(&self) -> &str {
        self.listing_json
            .get_or_init(|| serde_json::to_string(self.listing()).expect("JSON values serialize"))
    }

    /// Arguments types whose schema is not an object; the host refuses to serve such a server.
    pub fn errors(&self) -> &[SchemaError] {
        &self.errors
    }
}

impl ToolEntry {
    /// The tool's MCP `Tool` object, as `tools/list` returns it.
    pub fn listing_entry(&self) -> Value {
        let metadata = self.metadata;
        let mut entry = Map::new();
        entry.insert("name".into(), metadata.name.into());
        if let Some(title) = metadata.title {
            entry.insert("title".into(), title.into());
        }
        entry.insert("description".into(), metadata.description.into());
        if let Some(icon) = self.listed_icon() {
            entry.insert("icons".into(), json!([{ "src": icon }]));
        }
        let input = JsonObject::clone(&self.input_schema);
        entry.insert("inputSchema".into(), Value::Object(input));
        if let Some(output) = &self.output_schema {
            entry.insert(
                "outputSchema".into(),
                Value::Object(JsonObject::clone(output)),
            );
        }
        let mut annotations = serde_json::to_value(metadata.annotations).expect("plain booleans");
        if let Some(title) = metadata.title {
            annotations["title"] = title.into();
        }
        entry.insert("annotations".into(), annotations);
        entry.insert("_meta".into(), Value::Object(self.listing_meta()));
        Value::Object(entry)
    }

    /// The icon listed: the metadata's, when it is a URI (Dust's bare icon names are not).
    pub fn listed_icon(&self) -> Option<&'static str> {
        self.metadata
            .icon
            .filter(|icon| crate::metadata::is_uri(icon))
    }

    /// The tool's `_meta` as listed: this framework's metadata under [`TOOL_META_KEY`].
    pub fn listing_meta(&self) -> JsonObject {
        let metadata = self.metadata;
        let mut meta = json!({
            "stake": metadata.stake,
            "retry": metadata.retry,
            "cost": metadata.cost,
            "eager": metadata.eager,
        });
        if metadata.running.is_some() || metadata.done.is_some() {
            meta["displayLabels"] = json!({ "running": metadata.running, "done": metadata.done });
        }
        if metadata.stake == Stake::Medium && !metadata.approval_args.is_empty() {
            meta["approvalArgs"] = json!(metadata.approval_args);
        }
        // 2026-07-28's tools carry no task support of their own (rmcp's `Tool` has no field for
        // 2025-11-25's `execution`): said here, where clients of this framework read the rest.
        if metadata.task != crate::TaskSupport::Forbidden {
            meta["task"] = json!(metadata.task);
        }
        JsonObject::from_iter([(TOOL_META_KEY.to_owned(), meta)])
    }
}
