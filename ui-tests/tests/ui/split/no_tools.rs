use mcp_runtime::prelude::*;

/// Pages of a wiki.
#[mcp_tools]
pub trait WikiTools {
    /// Not a tool.
    fn helper(&self);
}

fn main() {}
