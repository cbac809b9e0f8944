//! How a server introduces itself over MCP: its description, icon and documentation.

use mcp_runtime::host::serve::McpHandler;
use rmcp::ServerHandler as _;
use tests::registry::{Echo, Greeter, GreeterSettings};

#[test]
fn icon_and_documentation_are_served() {
    let info = McpHandler::new(Echo).get_info().server_info;
    assert_eq!(info.name, "echo");
    assert_eq!(info.description.as_deref(), Some("Echoes its input."));
    assert_eq!(
        info.website_url.as_deref(),
        Some("https://example.com/docs/echo")
    );
    let icons = info.icons.expect("an icon");
    assert_eq!(icons.len(), 1);
    assert_eq!(icons[0].src, "https://example.com/echo.svg");
}

#[test]
fn an_icon_name_is_not_served_as_a_uri() {
    let greeter = Greeter::from_settings(GreeterSettings {
        greeting: "Hi".into(),
        default_name: None,
    })
    .unwrap();
    let info = McpHandler::new(greeter).get_info().server_info;
    assert!(info.icons.is_none());
    assert!(info.website_url.is_none());
}
