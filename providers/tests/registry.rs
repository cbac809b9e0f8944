//! Every registered server's contract (tools, descriptions, schemas, stakes; resources, resource
//! templates and prompts) is snapshotted, so a change to a contract shows up in review, and every
//! schema is valid JSON Schema.

use providers::SERVERS;
use serde_json::{Value, json};

#[test]
fn the_contract_of_every_server() {
    let servers: Vec<Value> = SERVERS
        .iter()
        .map(|entry| {
            let metadata = entry.metadata();
            json!({
                "id": metadata.id,
                "name": metadata.name,
                "availability": metadata.availability,
                "description": metadata.description,
                "tools": entry.catalog().listing(),
                "resources": metadata.resources,
                "resourceTemplates": metadata.resource_templates,
                "prompts": metadata.prompts,
            })
        })
        .collect();
    insta::assert_json_snapshot!(servers);
}

#[test]
fn every_schema_is_valid_and_every_catalog_builds() {
    for entry in SERVERS.iter() {
        let catalog = entry.catalog();
        assert!(
            catalog.errors().is_empty(),
            "{}: {:?}",
            entry.metadata().name,
            catalog.errors()
        );
        for tool in catalog.listing() {
            jsonschema::draft202012::meta::validate(&tool["inputSchema"])
                .unwrap_or_else(|error| panic!("{}: {error}", tool["name"]));
        }
    }
}

#[test]
fn ids_and_names_are_unique() {
    // Also a compile-time check in `mcp_registry!`; this pins the registry's lookups.
    for entry in SERVERS.iter() {
        let metadata = entry.metadata();
        assert_eq!(
            SERVERS.by_id(metadata.id).unwrap().metadata().name,
            metadata.name
        );
        assert_eq!(
            SERVERS.get(metadata.name).unwrap().metadata().id,
            metadata.id
        );
    }
}
