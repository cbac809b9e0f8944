//! The commands of `mcp-providers`.

mod call;
mod list;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use mcp_runtime::Registry;

/// Serve and inspect the MCP servers of the provider registry.
#[derive(Debug, Parser)]
#[command(name = "mcp-providers", version)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the servers with their tools and stakes.
    List {
        /// Print JSON (the MCP tool listing of every server) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Run one tool in-process and print its result.
    Call {
        /// The server's name.
        server: String,
        /// The tool's name.
        tool: String,
        /// The arguments, as a JSON object.
        #[arg(default_value = "{}")]
        arguments: String,
        /// Run tools whose stake asks for approval.
        #[arg(long)]
        approve: bool,
    },
}

impl Cli {
    /// Runs the command against `registry`.
    pub fn run(self, registry: &Registry) -> ExitCode {
        let result = match self.command {
            Command::List { json } => list::run(registry, json),
            Command::Call {
                server,
                tool,
                arguments,
                approve,
            } => call::run(registry, &server, &tool, &arguments, approve),
        };
        match result {
            Ok(code) => code,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        }
    }
}
