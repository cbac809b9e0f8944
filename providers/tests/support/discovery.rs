//! A Google discovery document (the machine-readable description Google publishes of each of
//! its APIs) as the judge of requests and responses: converted to the OpenAPI shape
//! [`OpenApi`] judges, so one validator checks every platform.
//!
//! Conversion: each method becomes an operation at `/{servicePath}{path}`; its parameters and
//! the document's global ones (`fields`, `prettyPrint`, ...) keep their JSON Schema (numbers
//! written as strings become numbers; a `repeated` parameter is judged per occurrence); a
//! request body is the method's `request` schema plus the fields whose `annotations.required`
//! names the method. Google's schemas leave objects open; for requests they are closed
//! (`additionalProperties: false` where the schema sets nothing), so a misspelt field, which
//! Google would ignore silently, fails. Responses keep them open: Google adds fields.

use serde_json::{Map, Value, json};
use wiremock::Request;

use super::openapi::OpenApi;

/// A discovery document, as two judges: closed schemas for requests, open ones for responses.
#[derive(Clone)]
pub struct Discovery {
    requests: OpenApi,
    responses: OpenApi,
}

impl Discovery {
    /// The judges of `document`.
    pub fn new(document: &Value) -> Self {
        Discovery {
            requests: OpenApi::new(openapi(document, true)),
            responses: OpenApi::new(openapi(document, false)),
        }
    }

    /// What is wrong with `request` (operation, query parameters, body); empty when nothing is.
    pub fn problems(&self, request: &Request) -> Vec<String> {
        self.requests.problems(request)
    }

    /// The id of the method `method path` is (`calendar.events.list`), if any.
    pub fn method_id(&self, method: &str, path: &str) -> Option<String> {
        let operation = self.requests.operation(method, path)?;
        operation.operation["operationId"]
            .as_str()
            .map(str::to_owned)
    }

    /// What is wrong with `body` as the answer of `method path`; empty when nothing is.
    pub fn response_problems(&self, method: &str, path: &str, body: &Value) -> Vec<String> {
        let Some(operation) = self.responses.operation(method, path) else {
            return vec![format!("{method} {path}: no such operation")];
        };
        let schema =
            &operation.operation["responses"]["200"]["content"]["application/json"]["schema"];
        if schema.is_null() {
            return vec![format!("{method} {path}: the method answers no body")];
        }
        self.responses
            .errors(schema, body)
            .into_iter()
            .map(|error| format!("{method} {path} answer: {error}"))
            .collect()
    }
}

/// `document` as an OpenAPI 3.0 description; request schemas closed when `closed`.
fn openapi(document: &Value, closed: bool) -> Value {
    let prefix = format!("/{}", document["servicePath"].as_str().unwrap_or_default());
    let schemas = document["schemas"]
        .as_object()
        .expect("a discovery document has schemas");
    let mut methods = Vec::new();
    collect_methods(&document["resources"], &mut methods);
    let mut paths = Map::new();
    for method in methods {
        let id = method["id"].as_str().expect("methods have ids");
        let verb = method["httpMethod"]
            .as_str()
            .expect("methods have a verb")
            .to_ascii_lowercase();
        let mut parameters: Vec<Value> = Vec::new();
        for source in [&document["parameters"], &method["parameters"]] {
            for (name, parameter) in source.as_object().into_iter().flatten() {
                parameters.push(json!({
                    "name": name,
                    "in": parameter["location"],
                    "required": parameter["required"] == true,
                    "schema": schema(parameter, false),
                }));
            }
        }
        let mut operation = json!({"operationId": id, "parameters": parameters});
        if let Some(name) = method["request"]["$ref"].as_str() {
            let required: Vec<&String> = schemas[name]["properties"]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(_, property)| {
                    property["annotations"]["required"]
                        .as_array()
                        .is_some_and(|methods| methods.iter().any(|m| m == id))
                })
                .map(|(field, _)| field)
                .collect();
            let mut body = json!({"allOf": [{"$ref": format!("#/components/schemas/{name}")}]});
            if !required.is_empty() {
                body["allOf"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"required": required}));
            }
            operation["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": body}}});
        }
        operation["responses"] = match method["response"]["$ref"].as_str() {
            Some(name) => json!({"200": {"content": {"application/json": {
                "schema": {"$ref": format!("#/components/schemas/{name}")}
            }}}}),
            None => json!({"204": {}}),
        };
        let path = format!(
            "{prefix}{}",
            method["path"].as_str().expect("methods have a path")
        );
        let item = paths.entry(path).or_insert_with(|| json!({}));
        item[verb] = operation;
    }
    let components: Map<String, Value> = schemas
        .iter()
        .map(|(name, definition)| (name.clone(), schema(definition, closed)))
        .collect();
    json!({"openapi": "3.0.3", "paths": paths, "components": {"schemas": components}})
}

/// Every method of `resources`, nested resources' included.
fn collect_methods<'a>(resources: &'a Value, into: &mut Vec<&'a Value>) {
    for resource in resources.as_object().into_iter().flatten().map(|(_, r)| r) {
        into.extend(
            resource["methods"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(_, m)| m),
        );
        collect_methods(&resource["resources"], into);
    }
}

/// A discovery schema (or parameter) as JSON Schema: references into the components, numbers
/// as numbers, discovery's own keys dropped, objects closed when `closed`.
fn schema(definition: &Value, closed: bool) -> Value {
    let Some(definition) = definition.as_object() else {
        return definition.clone();
    };
    let mut out = Map::new();
    for (key, value) in definition {
        match key.as_str() {
            // Discovery's own keys: documentation, per-method annotations, where a parameter
            // goes, and defaults written as strings (`"false"`), which are annotations anyway.
            "id" | "description" | "enumDescriptions" | "annotations" | "location" | "required"
            | "repeated" | "default" | "readOnly" | "deprecated" => {}
            // Discovery's `any` is JSON Schema's absence of a type.
            "type" if value == "any" => {}
            "$ref" => {
                let name = value.as_str().expect("references are names");
                out.insert(key.clone(), json!(format!("#/components/schemas/{name}")));
            }
            "minimum" | "maximum" => {
                let number = value
                    .as_str()
                    .and_then(|text| text.parse::<f64>().ok())
                    .map_or_else(|| value.clone(), |n| json!(n));
                out.insert(key.clone(), number);
            }
            "properties" => {
                let properties: Map<String, Value> = value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, property)| (name.clone(), schema(property, closed)))
                    .collect();
                out.insert(key.clone(), Value::Object(properties));
            }
            "items" | "additionalProperties" => {
                out.insert(key.clone(), schema(value, closed));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if closed && out.contains_key("properties") && !out.contains_key("additionalProperties") {
        out.insert("additionalProperties".into(), json!(false));
    }
    Value::Object(out)
}
