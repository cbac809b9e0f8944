//! `audit --config FILE`: the latest decisions of the approval gate, from the store's audit log.

use std::path::Path;
use std::process::ExitCode;

use mcp_runtime::host::Registry;

use crate::config::Config;
use crate::store::{AuditFilter, Stores};

pub(super) fn run(
    registry: &'static Registry,
    file: &Path,
    limit: u32,
) -> Result<ExitCode, String> {
    let config = match Config::read(file, registry) {
        Ok(config) => config,
        Err(report) => {
            eprint!("{report}");
            return Ok(ExitCode::from(2));
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the runtime: {error}"))?;
    let events = runtime.block_on(async {
        let stores = Stores::open(&config.store, None).await?;
        stores
            .tables()
            .audit_page(&AuditFilter::default(), None, limit)
            .await
    });
    let events =
        events.map_err(|error| format!("cannot read the audit log: {}", super::chain(&error)))?;
    println!("| outcome | server/tool | stake | user | approval |");
    println!("|---|---|---|---|---|");
    for row in events {
        let event = row.event;
        println!(
            "| {} | {}/{} | {} | {} | {} |",
            crate::store::word(event.outcome),
            event.server,
            event.tool,
            event.stake,
            event.user_id,
            event.approval_id.as_deref().unwrap_or("")
        );
    }
    Ok(ExitCode::SUCCESS)
}
