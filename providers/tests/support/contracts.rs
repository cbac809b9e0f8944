//! The platforms' published API descriptions, installed by `scripts/contracts.sh` (npm, PyPI)
//! into `target/contracts`, and what that script writes from them: where they are, and reading
//! them.

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

/// A JSON file of an installed description package.
pub fn json(file: &str) -> Value {
    let path = path(file);
    let text = std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_slice(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// A file `scripts/contracts.sh` writes or extracts beside the npm packages, in
/// `target/contracts` (e.g. `salesforce/golden.json`, `google/calendar.v3.json`), or beside
/// `$MCP_CONTRACTS` when that names the packages' folder.
pub fn file(file: &str) -> PathBuf {
    let root = std::env::var_os("MCP_CONTRACTS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/contracts"),
        |packages| PathBuf::from(packages).join(".."),
    );
    let path = root.join(file);
    assert!(
        path.exists(),
        "{} is missing: write it with `bash scripts/contracts.sh` (scripts/test.sh does)",
        path.display()
    );
    path
}

/// A JSON file `scripts/contracts.sh` writes.
pub fn file_json(file: &str) -> Value {
    let path = self::file(file);
    let text = std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_slice(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}
