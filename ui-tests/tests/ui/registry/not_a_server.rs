use mcp_runtime::prelude::*;

#[derive(Default)]
pub struct Plain;

mcp_registry!(pub SERVERS = [Plain]);

fn main() {}
