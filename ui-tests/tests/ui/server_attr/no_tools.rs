use mcp_runtime::prelude::*;

pub struct Jira;

/// Issues in Jira.
#[mcp_server(id = 22, availability = "manual")]
impl Jira {
    /// Not a tool.
    fn helper(&self) {}
}

fn main() {}
