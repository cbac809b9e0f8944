//! The commands of `mcp-providers`.

mod call;
mod docs;
mod limits;
mod list;
mod rate_limit;
mod schema;
mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use mcp_runtime::host::Registry;

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
    /// Serve the registry over MCP: Streamable HTTP on 127.0.0.1:8080 unless told otherwise.
    Serve {
        /// Speak MCP on stdin and stdout (one server; logs go to stderr).
        #[arg(long, conflicts_with = "http")]
        stdio: bool,
        /// Listen for Streamable HTTP on this address (the default: `127.0.0.1:8080`).
        #[arg(long, value_name = "ADDR")]
        http: Option<std::net::SocketAddr>,
        /// Serve only this server (at `/mcp` over HTTP); otherwise every server, each at
        /// `/servers/{name}/mcp`.
        #[arg(long, value_name = "NAME")]
        server: Option<String>,
        /// Remember "always" approvals in this SQLite file, across restarts (default: in memory).
        #[arg(long, value_name = "FILE")]
        approvals: Option<std::path::PathBuf>,
        /// Run this tool without asking (a stake override), e.g. `github/create_issue`;
        /// repeatable.
        #[arg(long, value_name = "SERVER/TOOL")]
        allow: Vec<String>,
        /// Refuse a user's calls beyond this many a minute (an error result says when to try
        /// again); unlimited by default.
        #[arg(long, value_name = "CALLS")]
        rate_limit: Option<std::num::NonZeroU32>,
        #[command(flatten)]
        limits: limits::Limits,
    },
    /// Print the input and output JSON Schemas of a server's tools.
    Schema {
        /// The server's name.
        server: String,
        /// Only this tool.
        tool: Option<String>,
    },
    /// Print a markdown catalogue of every server, its tools, stakes and arguments.
    Docs,
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
    pub fn run(self, registry: &'static Registry) -> ExitCode {
        let result = match self.command {
            Command::List { json } => list::run(registry, json),
            Command::Serve {
                stdio,
                http,
                server,
                approvals,
                allow,
                rate_limit,
                limits,
            } => serve::Options {
                stdio,
                http,
                server,
                approvals,
                allow,
                rate_limit,
                limits,
            }
            .run(registry),
            Command::Schema { server, tool } => schema::run(registry, &server, tool.as_deref()),
            Command::Docs => docs::run(registry),
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

/// An error with its sources, on one line: `a: b: c`.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
