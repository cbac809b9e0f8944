use mcp_runtime::prelude::*;

/// Issues in Jira.
#[mcp_server(id = 22, availability = "manual")]
pub struct Jira;

fn main() {}
