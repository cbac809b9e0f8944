//! Resources and prompts over MCP: reads and gets run for the caller with what the host's layers
//! give calls, and every failure is a JSON-RPC error while the server keeps serving. And an
//! argument mirrored in a header (`x-mcp-header`, checked by rmcp against the listed schema).

use axum::Router;
use http::StatusCode;
use mcp_runtime::ToolContext;
use mcp_runtime::host::serve::{HttpConfig, http_router};
use mcp_runtime::host::{Call, CallFuture, CallOptions, Layer, Next, SharedServer};
use serde_json::{Value, json};
use tests::library::{Library, Shelf};

mod support;
use support::http::{post, send};

/// Puts the reader at a shelf, as the host's connections layer gives calls their connections.
struct AtShelf;

impl Layer for AtShelf {
    fn call<'a>(&'a self, mut call: Call, next: Next<'a>) -> CallFuture<'a> {
        call.ctx = self.context(call.ctx);
        next.run(call)
    }

    fn context(&self, ctx: ToolContext) -> ToolContext {
        ctx.with_extension(Shelf("shelf 7"))
    }
}

fn router() -> Router {
    http_router(
        &[SharedServer::new(Library)],
        &HttpConfig {
            calls: CallOptions::new().with_layer(AtShelf),
            ..HttpConfig::default()
        },
    )
}

/// One stateless 2026-07-28 request from a client declaring no capabilities.
async fn request(router: &Router, method: &str, name: &str, params: Value) -> Value {
    request_declaring(router, method, name, params, json!({})).await
}

/// One stateless 2026-07-28 request from a client declaring `capabilities`.
async fn request_declaring(
    router: &Router,
    method: &str,
    name: &str,
    params: Value,
    capabilities: Value,
) -> Value {
    let mut params = params;
    params["_meta"] = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": capabilities,
        "io.modelcontextprotocol/clientInfo": {"name": "offers", "version": "1"}
    });
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let headers = [
        ("mcp-protocol-version", "2026-07-28"),
        ("mcp-method", method),
        ("mcp-name", name),
    ];
    let answer = send(router, post(&headers, body.to_string())).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.message()
}

async fn read(router: &Router, uri: &str) -> Value {
    request(router, "resources/read", uri, json!({"uri": uri})).await
}

#[tokio::test]
async fn a_read_gets_what_the_hosts_layers_give_calls() {
    let router = router();
    let answer = read(&router, "library://reader").await;
    assert_eq!(
        answer["result"]["contents"],
        json!([{"uri": "library://reader", "mimeType": "text/plain", "text": "nobody at shelf 7"}]),
        "{answer}"
    );
    let book = read(&router, "library://books/Dune%20Messiah").await;
    assert_eq!(
        book["result"]["contents"][0]["text"], "the text of Dune Messiah",
        "values are percent-decoded: {book}"
    );
}

#[tokio::test]
async fn failed_reads_are_errors_and_the_server_keeps_serving() {
    let router = router();
    let unknown = read(&router, "library://nothing").await;
    assert_eq!(unknown["error"]["code"], -32602, "{unknown}");
    assert_eq!(
        unknown["error"]["data"],
        json!({"uri": "library://nothing"})
    );
    let missing = read(&router, "library://books/missing").await;
    assert_eq!(missing["error"]["code"], -32602, "{missing}");
    assert_eq!(
        missing["error"]["message"], "Resource not found: no such book",
        "{missing}"
    );
    let broken = read(&router, "library://broken").await;
    assert_eq!(broken["error"]["code"], -32603, "{broken}");
    assert!(
        broken["error"]["message"]
            .as_str()
            .unwrap()
            .contains("the shelf fell"),
        "{broken}"
    );
    let slow = read(&router, "library://slow").await;
    assert_eq!(slow["error"]["code"], -32603, "{slow}");
    assert_eq!(
        slow["error"]["message"], "reading `library://slow` timed out after 200 ms",
        "{slow}"
    );
    let reader = read(&router, "library://reader").await;
    assert!(reader["result"]["contents"].is_array(), "{reader}");
}

#[tokio::test]
async fn prompts_check_their_arguments() {
    let router = router();
    let get = |arguments: Value| {
        let router = &router;
        async move {
            let params = json!({"name": "summarize", "arguments": arguments});
            request(router, "prompts/get", "summarize", params).await
        }
    };
    let full = get(json!({"title": "Dune", "words": "50"})).await;
    assert_eq!(
        full["result"]["messages"],
        json!([{"role": "user", "content": {"type": "text", "text": "Summarize Dune in 50 words."}}]),
        "{full}"
    );
    let short = get(json!({"title": "Dune"})).await;
    assert_eq!(
        short["result"]["messages"][0]["content"]["text"],
        "Summarize Dune in 100 words."
    );
    let missing = get(json!({"words": "50"})).await;
    assert_eq!(missing["error"]["code"], -32602, "{missing}");
    assert_eq!(
        missing["error"]["message"],
        "missing the prompt's required argument `title`"
    );
    let unknown = request(
        &router,
        "prompts/get",
        "nothing",
        json!({"name": "nothing"}),
    )
    .await;
    assert_eq!(unknown["error"]["code"], -32602, "{unknown}");

    let listed = request(&router, "prompts/list", "", json!({})).await;
    assert_eq!(
        listed["result"]["prompts"][1]["arguments"],
        json!([
            {"name": "title", "description": "The book's title.", "required": true},
            {"name": "words", "description": "How long, in words.", "required": false}
        ]),
        "{listed}"
    );
}

/// `shelve` on 2026-07-28 with `headers` besides the protocol's.
async fn shelve(
    router: &Router,
    arguments: Value,
    headers: &[(&str, &str)],
) -> (StatusCode, Value) {
    let body = json!({"jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": {
        "name": "shelve",
        "arguments": arguments,
        "_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {}
        }
    }});
    let mut all = vec![
        ("mcp-protocol-version", "2026-07-28"),
        ("mcp-method", "tools/call"),
        ("mcp-name", "shelve"),
    ];
    all.extend_from_slice(headers);
    let answer = send(router, post(&all, body.to_string())).await;
    (answer.status, answer.message())
}

#[tokio::test]
async fn an_argument_mirrored_in_a_header_must_agree_with_it() {
    let router = router();
    let listed = request(&router, "tools/list", "", json!({})).await;
    let shelf = &listed["result"]["tools"][1]["inputSchema"]["properties"]["shelf"];
    assert_eq!(shelf["x-mcp-header"], "Shelf", "{listed}");

    let book = json!({"title": "Dune", "shelf": "S-9"});
    for header in ["S-9", "=?base64?Uy05?="] {
        let (status, ran) = shelve(&router, book.clone(), &[("mcp-param-shelf", header)]).await;
        assert_eq!(status, StatusCode::OK, "{header}: {ran}");
        assert_eq!(ran["result"]["content"][0]["text"], "Dune on S-9", "{ran}");
    }
    let refusals = [
        (
            book.clone(),
            vec![],
            "missing Mcp-Param-Shelf header for `shelf`",
        ),
        (
            book.clone(),
            vec![("mcp-param-shelf", "S-1")],
            "Mcp-Param-Shelf header `S-1` does not match body value `S-9`",
        ),
        (
            json!({"title": "Dune"}),
            vec![("mcp-param-shelf", "S-9")],
            "unexpected Mcp-Param-Shelf header for absent or null `shelf`",
        ),
        (
            book.clone(),
            vec![("mcp-param-shelf", "=?base64?Uy0!?=")],
            "Mcp-Param-Shelf header is not valid Base64",
        ),
    ];
    for (arguments, headers, message) in refusals {
        let (status, refused) = shelve(&router, arguments, &headers).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
        assert_eq!(refused["error"]["code"], -32020, "{refused}");
        assert_eq!(refused["error"]["message"], message, "{refused}");
        assert_eq!(refused["id"], 5, "{refused}");
    }
    let (status, ran) = shelve(&router, json!({"title": "Dune"}), &[]).await;
    assert_eq!(
        (status, &ran["result"]["content"][0]["text"]),
        (StatusCode::OK, &json!("Dune on the cart"))
    );
}

#[tokio::test]
async fn a_prompt_asks_in_rounds_on_2026_07_28() {
    let router = router();
    let get = |extra: Value| {
        let router = &router;
        async move {
            let mut params = json!({"name": "recommend", "arguments": {}});
            params
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            let elicitation = json!({"elicitation": {}});
            request_declaring(router, "prompts/get", "recommend", params, elicitation).await
        }
    };
    let first = get(json!({})).await;
    assert_eq!(first["result"]["resultType"], "input_required", "{first}");
    assert_eq!(
        first["result"]["inputRequests"]["genre"]["params"]["message"],
        "Which genre?"
    );
    let state = first["result"]["requestState"].as_str().unwrap().to_owned();
    let answer = json!({"genre": {"action": "accept", "content": {"genre": "mystery"}}});
    let done = get(json!({"requestState": state, "inputResponses": answer})).await;
    assert_eq!(
        done["result"]["messages"][0]["content"]["text"], "Recommend a mystery book.",
        "{done}"
    );
    let altered = get(json!({"requestState": format!("{state}A"), "inputResponses": answer})).await;
    assert_eq!(altered["error"]["code"], -32602, "{altered}");
}

#[tokio::test]
async fn icons_are_listed_for_tools_resources_and_the_server_has_a_title() {
    let router = router();
    let tools = request(&router, "tools/list", "", json!({})).await;
    assert_eq!(
        tools["result"]["tools"][0]["icons"],
        json!([{"src": "https://library.example/count.svg"}]),
        "{tools}"
    );
    assert!(
        tools["result"]["tools"][1].get("icons").is_none(),
        "{tools}"
    );
    let resources = request(&router, "resources/list", "", json!({})).await;
    assert_eq!(
        resources["result"]["resources"][0]["icons"],
        json!([{"src": "https://library.example/reader.svg"}]),
        "{resources}"
    );
    assert!(
        resources["result"]["resources"][1].get("icons").is_none(),
        "{resources}"
    );
    assert_eq!(
        <Library as mcp_runtime::McpServer>::METADATA.title,
        Some("The Library")
    );
}

#[tokio::test]
async fn titles_complete_for_the_prompt_and_the_template() {
    let router = router();
    let complete = |reference: Value| {
        let router = &router;
        async move {
            let params = json!({"ref": reference, "argument": {"name": "title", "value": "Du"}});
            request(router, "completion/complete", "", params).await
        }
    };
    for reference in [
        json!({"type": "ref/prompt", "name": "summarize"}),
        json!({"type": "ref/resource", "uri": "library://books/{title}"}),
    ] {
        let completed = complete(reference).await;
        assert_eq!(
            completed["result"]["completion"]["values"],
            json!(["Dune", "Dune Messiah"]),
            "{completed}"
        );
    }
    let nothing = complete(json!({"type": "ref/prompt", "name": "recommend"})).await;
    assert_eq!(
        nothing["result"]["completion"]["values"],
        json!([]),
        "{nothing}"
    );
}

/// The capabilities a server declares in `server/discover`.
async fn capabilities(server: SharedServer) -> Value {
    let router = http_router(&[server], &HttpConfig::default());
    let discovered = request(&router, "server/discover", "", json!({})).await;
    discovered["result"]["capabilities"].clone()
}

#[tokio::test]
async fn a_server_declares_what_it_offers() {
    let library = capabilities(SharedServer::new(Library)).await;
    assert!(
        library.get("resources").is_some() && library.get("prompts").is_some(),
        "{library}"
    );
    assert!(library.get("completions").is_some(), "{library}");
    // Prompts without resources still complete.
    let interview = capabilities(SharedServer::new(tests::interview::Interview)).await;
    assert!(interview.get("resources").is_none(), "{interview}");
    assert!(interview.get("completions").is_some(), "{interview}");
    assert!(
        interview["extensions"]
            .get("io.modelcontextprotocol/tasks")
            .is_some(),
        "{interview}"
    );
    // Tools only: none of them.
    let desk = capabilities(SharedServer::new(tests::desk::Desk)).await;
    for capability in ["resources", "prompts", "completions", "extensions"] {
        assert!(desk.get(capability).is_none(), "{capability}: {desk}");
    }
}
