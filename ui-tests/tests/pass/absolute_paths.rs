// Generated code reaches everything by absolute path: the user's own `Result`, `Option`, `Box`,
// `Vec`, `String` and a `mod serde` in scope change nothing.
#![allow(dead_code)]

use mcp_runtime::prelude::{mcp_server, tool, JsonSchema, ToolContext, ToolOutput, ToolResult};

type Result<T> = core::result::Result<T, ()>;
struct Option;
struct Box;
struct Vec;
struct String;
mod serde {}
mod mcp_runtime_shadow {}

#[derive(::serde::Deserialize, JsonSchema)]
pub struct Args {
    /// A value.
    pub value: u32,
}

pub struct Shadowed;

/// A server among shadowing names.
#[mcp_server(id = 1, availability = "auto")]
impl Shadowed {
    /// Echo a value.
    #[tool(stake = "never_ask")]
    async fn echo(&self, _ctx: &ToolContext, args: Args) -> ToolResult {
        ::core::result::Result::Ok(ToolOutput::text(args.value.to_string()))
    }
}

fn main() {}
