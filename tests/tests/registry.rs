//! Lookup by name and id, iteration, and servers built from their settings.

use std::sync::Arc;

use mcp_runtime::host::{BuildError, CallOptions, Servers, Setting, Settings, SharedServer};
use mcp_runtime::{CallError, McpServer, ToolContext};
use serde_json::json;
use tests::registry::{Echo, Greeter, GreeterSettings, SERVERS};

#[test]
fn lookup_by_name_and_id() {
    assert_eq!(SERVERS.len(), 3);
    assert_eq!(SERVERS.get("jira").unwrap().metadata().id, 22);
    assert_eq!(SERVERS.by_id(7).unwrap().metadata().name, "echo");
    assert!(SERVERS.get("nope").is_none());
    assert!(SERVERS.by_id(4).is_none());
    let names: Vec<&str> = SERVERS.iter().map(|entry| entry.metadata().name).collect();
    assert_eq!(names, ["jira", "echo", "greeter"]);
}

#[test]
fn listing_needs_no_instance() {
    let entry = SERVERS.get("greeter").unwrap();
    assert_eq!(entry.catalog().listing()[0]["name"], "greet");
}

#[test]
fn entries_declare_their_settings() {
    assert_eq!(SERVERS.get("echo").unwrap().settings(), []);
    assert_eq!(
        SERVERS.get("greeter").unwrap().settings(),
        [
            Setting {
                key: "default_name".into(),
                description: Some("Whom to greet when the call names nobody.".into()),
                required: false,
            },
            Setting {
                key: "greeting".into(),
                description: Some("How to greet, e.g. `Hello`.".into()),
                required: true,
            },
        ]
    );
    assert_eq!(Setting::of::<GreeterSettings>().len(), 2);
    assert_eq!(
        Settings::variable("greeter", "default_name"),
        "GREETER_DEFAULT_NAME"
    );
    assert_eq!(
        Settings::variable("google-calendar", "token"),
        "GOOGLE_CALENDAR_TOKEN"
    );
}

fn settings(entry: &mcp_runtime::host::ServerEntry) -> Settings {
    match entry.metadata().name {
        "greeter" => Settings::new().with("greeting", "Hello"),
        _ => Settings::new(),
    }
}

#[tokio::test]
async fn servers_are_built_from_their_settings_and_called() {
    let servers: Servers = SERVERS.build(settings).unwrap();
    let options = CallOptions::new();
    let result = servers
        .call_tool(
            "greeter",
            "greet",
            json!({"text": "Ana"}),
            ToolContext::new(),
            &options,
        )
        .await
        .unwrap();
    assert_eq!(result.text(), "Hello, Ana");
    let result = servers
        .call_tool(
            "echo",
            "echo",
            json!({"text": "hi"}),
            ToolContext::new(),
            &options,
        )
        .await
        .unwrap();
    assert_eq!(result.text(), "hi");
    let err = servers
        .call_tool("jria", "get_issue", json!({}), ToolContext::new(), &options)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        CallError::UnknownServer {
            name: "jria".into(),
            suggestion: Some("jira")
        }
    );
    assert_eq!(
        err.to_string(),
        "unknown server `jria`; did you mean `jira`?"
    );
}

#[test]
fn invalid_settings_name_the_setting() {
    let entry = SERVERS.get("greeter").unwrap();
    let error = entry.build(&Settings::new()).unwrap_err();
    assert!(matches!(
        error,
        BuildError::Settings {
            server: "greeter",
            ..
        }
    ));
    assert_eq!(
        error.to_string(),
        "the settings of server `greeter` are not valid"
    );
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert_eq!(source, "missing field `greeting`");

    let error = entry
        .build(&Settings::new().with("greeting", 3))
        .unwrap_err();
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert!(
        source.starts_with("greeting: invalid type: integer `3`"),
        "{source}"
    );

    let error = entry
        .build(&Settings::new().with("greeting", "Hi").with("greting", "x"))
        .unwrap_err();
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert!(source.contains("unknown field `greting`"), "{source}");
}

#[test]
fn a_factory_refusing_its_settings_keeps_its_error() {
    let error = SERVERS
        .get("greeter")
        .unwrap()
        .build(&Settings::new().with("greeting", " "))
        .unwrap_err();
    assert!(matches!(
        error,
        BuildError::Factory {
            server: "greeter",
            ..
        }
    ));
    assert_eq!(error.to_string(), "server `greeter` could not be built");
    let source = std::error::Error::source(&error).unwrap();
    assert!(source.is::<tests::registry::EmptyGreeting>());
}

#[test]
fn settings_do_not_print_their_values() {
    let settings = Settings::new().with("token", "s3cret");
    assert_eq!(format!("{settings:?}"), r#"{"token"}"#);
}

#[tokio::test]
async fn any_server_value_is_served_without_a_registry() {
    let greeter = Greeter::from_settings(GreeterSettings {
        greeting: "Hi".into(),
        default_name: None,
    })
    .unwrap();
    let owned = SharedServer::new(greeter);
    let shared = SharedServer::from(Arc::new(Echo));
    let servers = Servers::new([owned, shared]);
    assert_eq!(servers.len(), 2);
    let result = servers
        .call_tool(
            "greeter",
            "greet",
            json!({"text": "Bo"}),
            ToolContext::new(),
            &CallOptions::new(),
        )
        .await
        .unwrap();
    assert_eq!(result.text(), "Hi, Bo");
    assert_eq!(format!("{:?}", servers[1]), r#"SharedServer("echo")"#);
    // The typed enum names the tool: a misnamed one would not compile.
    let result = Echo
        .call(
            tests::registry::EchoTool::Echo,
            json!({"text": "typed"}),
            ToolContext::new(),
        )
        .await
        .unwrap();
    assert_eq!(result.text(), "typed");
}
