//! `config check FILE`: every mistake of a configuration file with its place, or what the file
//! would serve.

use std::path::Path;
use std::process::ExitCode;

use mcp_runtime::host::{Audience, Registry};

use crate::config::{Check, Config};
use crate::store::Backend;

pub(super) fn run(registry: &'static Registry, file: &Path) -> Result<ExitCode, String> {
    let config = match Config::read(file, registry) {
        Ok(config) => config,
        Err(report) => {
            eprint!("{report}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let servers: Vec<String> = config
        .servers
        .iter()
        .map(|server| {
            let metadata = server.metadata();
            match (metadata.restricted, &config.auth) {
                (Some(_), Some(_)) => format!("{} (restricted: per principal)", metadata.name),
                _ => metadata.name.to_owned(),
            }
        })
        .collect();
    println!("{}: ok", file.display());
    println!("servers: {}", servers.join(", "));
    let audience = &config.audience;
    if *audience != Audience::default() {
        let flags = match audience.feature_flags.as_slice() {
            [] => "none".to_owned(),
            flags => flags.join(", "),
        };
        let mut workspace = format!("plan `{}`, feature flags: {flags}", audience.plan);
        if let Some(claim) = &audience.plan_claim {
            workspace.push_str(&format!("; a principal's plan from `{claim}`"));
        }
        if let Some(claim) = &audience.flags_claim {
            workspace.push_str(&format!("; a principal's flags from `{claim}`"));
        }
        println!("workspace: {workspace}");
    }
    if let Some(listen) = config.listen {
        println!("listen: {listen}");
    }
    if let Some(url) = &config.public_url {
        println!("public URL: {url}");
    }
    match &config.auth {
        Some(auth) => match &auth.check {
            Check::Jwks(keys) => println!(
                "clients: bearer JWTs from {} (keys at {keys}), user in `{}`",
                auth.issuer, auth.user_claim
            ),
            Check::Introspection { url, .. } => println!(
                "clients: bearer tokens from {} introspected at {url}, user in `{}`",
                auth.issuer, auth.user_claim
            ),
        },
        None => println!("clients: not authenticated (loopback only)"),
    }
    match &config.store {
        Backend::Sqlite(path) if path.as_os_str() == ":memory:" => {
            println!("state: in memory, for the life of the process");
        }
        Backend::Sqlite(path) => println!("state: SQLite file {}", path.display()),
        Backend::Postgres(_) => println!("state: PostgreSQL"),
    }
    match &config.request_state {
        Some(_) => println!("held calls: sealed with the configured state keys"),
        None => println!("held calls: sealed with a key of the process's own"),
    }
    match &config.cipher {
        Some(_) => println!("users' tokens: encrypted"),
        None => println!("users' tokens: not stored (no `token_keys`)"),
    }
    if !config.connect.is_empty() {
        let providers: Vec<&str> = config
            .connect
            .iter()
            .map(|app| app.provider.as_str())
            .collect();
        println!("users connect: {}", providers.join(", "));
    }
    if let (Some(console), Some(url)) = (&config.console, &config.public_url) {
        let admins = match &console.admins {
            Some((claim, value)) => format!("those whose `{claim}` holds `{value}`"),
            None => "none".to_owned(),
        };
        println!(
            "console: {}/console, sign-in at {} as `{}`; admins: {admins}",
            url.as_str().trim_end_matches('/'),
            console.issuer,
            console.client_id
        );
    }
    if !config.allow.is_empty() {
        println!("run without asking: {}", config.allow.join(", "));
    }
    if !config.tools.is_everything() {
        println!("tools: {}", config.tools.describe());
    }
    Ok(ExitCode::SUCCESS)
}
