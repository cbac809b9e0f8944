//! The commands of `mcp-providers`.

mod audit;
mod call;
mod config_check;
mod docs;
mod list;
mod rate_limit;
mod schema;
mod serve;
mod signal;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use mcp_runtime::host::{Audience, Registry, ServerEntry};

/// Serve and inspect the MCP servers of the provider registry.
#[derive(Debug, Parser)]
#[command(name = "mcp-providers", version)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the servers builders pick from, with their tools and stakes.
    List {
        /// Print JSON (the MCP tool listing of every server) instead of a table.
        #[arg(long)]
        json: bool,
        /// Also the `auto_hidden_builder` servers, which are served but not offered to builders.
        #[arg(long)]
        all: bool,
    },
    /// Serve the registry over MCP: Streamable HTTP on 127.0.0.1:8080 unless told otherwise.
    Serve {
        /// Read the servers, their settings, the listen address, the limits and the approvals
        /// from this TOML file (see `config check`); the flags it covers cannot be given too.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["http", "approvals", "allow", "Limits", "Selection"])]
        config: Option<std::path::PathBuf>,
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
        #[command(flatten)]
        limits: crate::config::Limits,
        #[command(flatten)]
        tools: crate::config::Selection,
    },
    /// Print the latest decisions of the approval gate from the audit log of a configuration's
    /// store, newest first.
    Audit {
        /// The configuration file naming the store.
        #[arg(long, value_name = "FILE")]
        config: std::path::PathBuf,
        /// How many events.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Work with configuration files.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Print the input and output JSON Schemas of a server's tools.
    Schema {
        /// The server's name.
        server: String,
        /// Only this tool.
        tool: Option<String>,
    },
    /// Print a markdown catalogue of the servers builders pick from, their tools, stakes and
    /// arguments.
    Docs {
        /// Also the `auto_hidden_builder` servers, which are served but not offered to builders.
        #[arg(long)]
        all: bool,
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

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Check a configuration file: print every mistake with its place, or what it serves.
    Check {
        /// The TOML file.
        file: std::path::PathBuf,
    },
}

impl Cli {
    /// Runs the command against `registry`.
    pub fn run(self, registry: &'static Registry) -> ExitCode {
        let result = match self.command {
            Command::List { json, all } => list::run(registry, json, all),
            Command::Serve {
                config: Some(file),
                stdio,
                server,
                ..
            } => match crate::config::Config::read(&file, registry) {
                Ok(config) => serve::Options::from_config(config, stdio, server).run(registry),
                Err(report) => {
                    eprint!("{report}");
                    Ok(ExitCode::from(2))
                }
            },
            Command::Serve {
                config: None,
                stdio,
                http,
                server,
                approvals,
                allow,
                limits,
                tools,
            } => serve::Options {
                stdio,
                http,
                server,
                store: approvals.map_or_else(
                    crate::store::Backend::embedded,
                    crate::store::Backend::Sqlite,
                ),
                cipher: None,
                request_state: None,
                allow,
                limits,
                tools,
                servers: None,
                audience: Audience::default(),
                auth: None,
                public_url: None,
                connect: Vec::new(),
                console: None,
            }
            .run(registry),
            Command::Config {
                command: ConfigCommand::Check { file },
            } => config_check::run(registry, &file),
            Command::Audit { config, limit } => audit::run(registry, &config, limit),
            Command::Schema { server, tool } => schema::run(registry, &server, tool.as_deref()),
            Command::Docs { all } => docs::run(registry, all),
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
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// What builders pick from: every server of `registry` but those served hidden from them
/// (`auto_hidden_builder`), or `all`.
fn browsed(registry: &Registry, all: bool) -> Vec<&ServerEntry> {
    registry
        .iter()
        .filter(|entry| all || entry.metadata().is_browsed())
        .collect()
}
