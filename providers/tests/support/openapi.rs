//! An OpenAPI 3.0 description as a judge of requests and a source of responses: which operation
//! a request is, whether its query and body are what the operation declares, and the
//! operation's own example answer.

use std::sync::Arc;

use serde_json::{Map, Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

/// A loaded description, `nullable` turned into JSON Schema's `null` type so that a JSON Schema
/// validator reads its schemas as OpenAPI means them.
#[derive(Clone)]
pub struct OpenApi {
    spec: Arc<Value>,
    /// The path prefix the server is mounted under in the tests (none for a mock at the root).
    prefix: String,
}

/// The operation a request is.
pub struct Operation<'a> {
    pub template: &'a str,
    pub method: String,
    pub item: &'a Value,
    pub operation: &'a Value,
}

impl OpenApi {
    /// The description in `spec`.
    pub fn new(mut spec: Value) -> Self {
        nullable_to_null(&mut spec);
        OpenApi {
            spec: Arc::new(spec),
            prefix: String::new(),
        }
    }

    /// The operation `method path` is, if the description has it.
    pub fn operation(&self, method: &str, path: &str) -> Option<Operation<'_>> {
        let path = path.strip_prefix(&self.prefix).unwrap_or(path);
        let method = method.to_ascii_lowercase();
        let paths = self.spec["paths"].as_object()?;
        let mut found: Option<(usize, &str, &Value)> = None;
        for (template, item) in paths {
            if let Some(params) = matches(template, path)
                && item.get(&method).is_some()
                && found.is_none_or(|(fewest, ..)| params < fewest)
            {
                found = Some((params, template, item));
            }
        }
        let (_, template, item) = found?;
        Some(Operation {
            template,
            method: method.clone(),
            item,
            operation: &item[&method],
        })
    }

    /// What is wrong with `request` by the description; empty when nothing is.
    pub fn problems(&self, request: &Request) -> Vec<String> {
        let method = request.method.as_str();
        let path = request.url.path();
        let Some(operation) = self.operation(method, path) else {
            return vec![format!("{method} {path}: no such operation")];
        };
        let at = format!(
            "{method} {path} ({} {})",
            operation.method, operation.template
        );
        let mut problems = Vec::new();
        let parameters = self.parameters(&operation);
        let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        for (name, value) in &query {
            let declared = parameters.iter().find(|parameter| {
                parameter["in"] == "query" && parameter["name"].as_str() == Some(name)
            });
            match declared {
                None => problems.push(format!("{at}: undeclared query parameter `{name}`")),
                Some(parameter) => {
                    // An array is sent as the parameter repeated (OpenAPI's default `form`,
                    // `explode`): each occurrence is one item.
                    let schema = match &parameter["schema"] {
                        array if array["type"] == "array" => &array["items"],
                        schema => schema,
                    };
                    let value = typed(value, schema);
                    for error in self.errors(schema, &value) {
                        problems.push(format!("{at}: query `{name}`: {error}"));
                    }
                }
            }
        }
        for parameter in &parameters {
            let name = parameter["name"].as_str().unwrap_or_default();
            if parameter["in"] == "query"
                && parameter["required"] == true
                && !query.iter().any(|(given, _)| given == name)
            {
                problems.push(format!("{at}: missing required query parameter `{name}`"));
            }
        }
        let body = &operation.operation["requestBody"];
        let sent = (!request.body.is_empty()).then_some(&request.body);
        match (sent, body.is_null()) {
            (Some(_), true) => problems.push(format!("{at}: a body, and the operation takes none")),
            (None, false) if body["required"] == true => {
                problems.push(format!("{at}: no body, and the operation requires one"));
            }
            (Some(bytes), false) => {
                let content_type = request
                    .headers
                    .get("content-type")
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or_default();
                if content_type.starts_with("application/json") {
                    match serde_json::from_slice::<Value>(bytes) {
                        Err(error) => problems.push(format!("{at}: the body is not JSON: {error}")),
                        Ok(sent) => {
                            let schema = &body["content"]["application/json"]["schema"];
                            for error in self.errors(schema, &sent) {
                                problems.push(format!("{at}: body: {error}"));
                            }
                        }
                    }
                }
            }
            (None, _) => {}
        }
        problems
    }

    /// The operation's parameters, the path item's included, references resolved.
    fn parameters<'a>(&'a self, operation: &Operation<'a>) -> Vec<&'a Value> {
        let item = operation.item["parameters"]
            .as_array()
            .into_iter()
            .flatten();
        let own = operation.operation["parameters"]
            .as_array()
            .into_iter()
            .flatten();
        item.chain(own)
            .map(|parameter| self.resolve(parameter))
            .collect()
    }

    /// `value` with a `$ref` followed.
    pub fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => self
                .spec
                .pointer(reference.trim_start_matches('#'))
                .map_or(value, |target| self.resolve(target)),
            None => value,
        }
    }

    /// Validation errors of `instance` against `schema` (which may refer to the description's
    /// components).
    pub fn errors(&self, schema: &Value, instance: &Value) -> Vec<String> {
        schema_errors(schema, &self.spec["components"], instance)
    }

    /// The success answer of `operation`: its status and its own example, if it has one.
    pub fn example(&self, operation: &Operation<'_>) -> Option<(u16, Value)> {
        let responses = operation.operation["responses"].as_object()?;
        let (status, response) = responses
            .iter()
            .filter(|(status, _)| status.starts_with('2'))
            .min_by_key(|(status, _)| status.as_str())?;
        let status: u16 = status.parse().ok()?;
        let response = self.resolve(response);
        let Some(content) = response["content"]["application/json"].as_object() else {
            return Some((status, Value::Null));
        };
        let example = content
            .get("examples")
            .and_then(Value::as_object)
            .and_then(|examples| examples.get("default").or_else(|| examples.values().next()))
            .map(|example| self.example_value(example).clone())
            .or_else(|| content.get("example").cloned())?;
        Some((status, example))
    }

    /// The value of an Example object, which may itself be a reference (to an Example object,
    /// or in GitHub's description, `{"value": {"$ref": ..}}`).
    fn example_value<'a>(&'a self, example: &'a Value) -> &'a Value {
        let value = &self.resolve(example)["value"];
        match value.get("$ref") {
            Some(_) => self.example_value(value),
            None => value,
        }
    }
}

/// Validation errors of `instance` against `schema`, whose references point into `components`
/// (a description's, or an altered copy of them); none for a schema that is not an object.
pub fn schema_errors(schema: &Value, components: &Value, instance: &Value) -> Vec<String> {
    let mut document = match schema {
        Value::Object(schema) => schema.clone(),
        _ => return Vec::new(),
    };
    document.insert("components".into(), components.clone());
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&Value::Object(document))
        .expect("the description's schemas compile");
    validator
        .iter_errors(instance)
        .map(|error| format!("{error} at `{}`", error.instance_path()))
        .collect()
}

/// Answers every request with its operation's own example (a 404 for an unknown operation):
/// what the tools read is what the description says the platform sends.
pub struct Examples(pub OpenApi);

impl Respond for Examples {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let Some(operation) = self
            .0
            .operation(request.method.as_str(), request.url.path())
        else {
            return ResponseTemplate::new(404).set_body_json(json!({"message": "Not Found"}));
        };
        match self.0.example(&operation) {
            Some((status, Value::Null)) => ResponseTemplate::new(status),
            Some((status, example)) => ResponseTemplate::new(status).set_body_json(example),
            None => ResponseTemplate::new(501).set_body_json(json!({
                "message": format!("the description has no example for {} {}", operation.method, operation.template)
            })),
        }
    }
}

/// The number of parameters of `template` if `path` matches it (a trailing `{path}` takes the
/// rest of the path, slashes included).
fn matches(template: &str, path: &str) -> Option<usize> {
    let template: Vec<&str> = template.trim_start_matches('/').split('/').collect();
    let path: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let mut params = 0;
    for (index, segment) in template.iter().enumerate() {
        let is_param = segment.starts_with('{') && segment.ends_with('}');
        if is_param && *segment == "{path}" && index == template.len() - 1 {
            return (path.len() > index).then_some(params + 1);
        }
        let given = path.get(index)?;
        if is_param {
            if given.is_empty() {
                return None;
            }
            params += 1;
        } else if segment != given {
            return None;
        }
    }
    (path.len() == template.len()).then_some(params)
}

/// A query value as the type its schema names.
fn typed(value: &str, schema: &Value) -> Value {
    let kind = schema["type"].as_str().or_else(|| {
        schema["type"].as_array().and_then(|kinds| {
            kinds
                .iter()
                .find_map(|kind| kind.as_str().filter(|k| *k != "null"))
        })
    });
    match kind {
        Some("integer") => value
            .parse::<i64>()
            .map_or_else(|_| json!(value), Value::from),
        Some("number") => value
            .parse::<f64>()
            .map_or_else(|_| json!(value), Value::from),
        Some("boolean") => value
            .parse::<bool>()
            .map_or_else(|_| json!(value), Value::from),
        _ => json!(value),
    }
}

/// OpenAPI 3.0's `nullable: true` as JSON Schema: `null` among the types, or beside the schema.
fn nullable_to_null(value: &mut Value) {
    match value {
        Value::Object(object) => {
            for child in object.values_mut() {
                nullable_to_null(child);
            }
            if object.remove("nullable") == Some(Value::Bool(true)) {
                match object.get_mut("type") {
                    Some(Value::String(kind)) => {
                        let kind = kind.clone();
                        object.insert("type".into(), json!([kind, "null"]));
                        if let Some(Value::Array(values)) = object.get_mut("enum") {
                            values.push(Value::Null);
                        }
                    }
                    _ => {
                        let schema = Value::Object(std::mem::take(object));
                        let mut wrapped = Map::new();
                        wrapped.insert("anyOf".into(), json!([schema, {"type": "null"}]));
                        *object = wrapped;
                    }
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(nullable_to_null),
        _ => {}
    }
}
