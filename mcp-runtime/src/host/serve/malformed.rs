//! A request for a method the server knows, whose parameters do not fit it (`tools/call`
//! without a `name`, or with `arguments` that are not an object): rmcp reads it as a custom
//! request and answers "method not found" (-32601); it is "invalid params" (-32602).

use rmcp::RoleServer;
use rmcp::model::{ClientRequest, JsonRpcMessage};
use rmcp::service::RxJsonRpcMessage;
use serde_json::{Value, json};

/// The methods whose parameters rmcp types; a custom request by one of these names had
/// parameters that did not fit.
const TYPED_METHODS: &[&str] = &["tools/call", "tools/list", "initialize", "logging/setLevel"];

/// The JSON-RPC error answering `message`, if it is a known method with parameters that do not
/// fit.
pub(super) fn invalid_params(message: &RxJsonRpcMessage<RoleServer>) -> Option<Value> {
    let JsonRpcMessage::Request(request) = message else {
        return None;
    };
    let ClientRequest::CustomRequest(custom) = &request.request else {
        return None;
    };
    let method = custom.method.as_str();
    if !TYPED_METHODS.contains(&method) {
        return None;
    }
    let problem = match (method, custom.params.as_ref()) {
        ("tools/call", Some(Value::Object(params))) if !params.contains_key("name") => {
            "`name` is missing".to_owned()
        }
        ("tools/call", Some(Value::Object(params))) if !params["name"].is_string() => {
            "`name` must be a string".to_owned()
        }
        ("tools/call", Some(Value::Object(params)))
            if params
                .get("arguments")
                .is_some_and(|arguments| !arguments.is_object() && !arguments.is_null()) =>
        {
            "`arguments` must be an object".to_owned()
        }
        (_, None) => "the parameters are missing".to_owned(),
        (_, Some(_)) => "the parameters do not fit the method".to_owned(),
    };
    Some(json!({
        "jsonrpc": "2.0",
        "id": request.id,
        "error": {"code": -32602, "message": format!("invalid params for `{method}`: {problem}")},
    }))
}
