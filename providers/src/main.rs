//! `mcp-providers`: the host binary serving the provider registry.

mod auth;
mod cli;
mod config;
mod connect_flow;
mod console;
mod store;
#[cfg(test)]
#[path = "../tests/support/logs.rs"]
mod test_logs;
mod web;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    cli::Cli::parse().run(&providers::SERVERS)
}
