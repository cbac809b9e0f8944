//! The MCP headers this transport reads, named once: a lookup by a `HeaderName` does not parse
//! the name again, as a lookup by a string does on every request.

use axum::http::HeaderName;

pub(super) const SESSION_ID: HeaderName = HeaderName::from_static("mcp-session-id");
pub(super) const PROTOCOL_VERSION: HeaderName = HeaderName::from_static("mcp-protocol-version");
pub(super) const METHOD: HeaderName = HeaderName::from_static("mcp-method");
pub(super) const NAME: HeaderName = HeaderName::from_static("mcp-name");
