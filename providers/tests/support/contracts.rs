//! The platforms' published API descriptions, installed by `scripts/contracts.sh` (npm, PyPI)
//! into `target/contracts`: where they are, and reading them.

use std::path::PathBuf;

use serde_json::Value;

/// A file of an installed description package, e.g. `@octokit/openapi/generated/api.github.com.json`.
pub fn path(file: &str) -> PathBuf {
    let root = std::env::var_os("MCP_CONTRACTS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/contracts/node_modules"),
        PathBuf::from,
    );
    let path = root.join(file);
    assert!(
        path.exists(),
        "{} is missing: install the published API descriptions with `bash scripts/contracts.sh` \
         (scripts/test.sh does)",
        path.display()
    );
    path
}

/// A file the script extracted into `target/contracts` itself rather than an npm package, e.g.
/// `google/calendar.v3.json` (beside `$MCP_CONTRACTS` when that names the packages' folder).
pub fn file(file: &str) -> PathBuf {
    let root = std::env::var_os("MCP_CONTRACTS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/contracts"),
        |packages| PathBuf::from(packages).join(".."),
    );
    let path = root.join(file);
    assert!(
        path.exists(),
        "{} is missing: install the published API descriptions with `bash scripts/contracts.sh` \
         (scripts/test.sh does)",
        path.display()
    );
    path
}

/// A JSON file of an installed description package.
pub fn json(file: &str) -> Value {
    let path = path(file);
    let text = std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_slice(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}
