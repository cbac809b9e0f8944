//! The README's example, built and run as a fresh crate whose only dependencies are
//! `mcp-runtime` and `tokio`: the prelude's derives and macros need nothing else.

use std::path::Path;
use std::process::Command;

/// The first `rust` block of the README, with rustdoc's hidden lines (`# `) shown.
fn readme_example(readme: &str) -> String {
    let start = readme.find("```rust\n").expect("a rust block") + "```rust\n".len();
    let block = &readme[start..];
    let block = &block[..block.find("```").expect("the block ends")];
    block
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(hidden) => hidden,
            None if line == "#" => "",
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_readme_example_builds_with_mcp_runtime_and_tokio_alone() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let project = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fresh-crate");
    std::fs::create_dir_all(project.join("src")).unwrap();
    let runtime = workspace.join("mcp-runtime");
    let manifest = format!(
        r#"[package]
name = "fresh"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
mcp-runtime = {{ path = {runtime:?} }}
tokio = {{ version = "1", features = ["macros", "rt"] }}

[workspace]
"#
    );
    std::fs::write(project.join("Cargo.toml"), manifest).unwrap();
    // The workspace's versions: nothing is resolved (or fetched) anew.
    std::fs::copy(workspace.join("Cargo.lock"), project.join("Cargo.lock")).unwrap();
    let readme = std::fs::read_to_string(workspace.join("README.md")).unwrap();
    std::fs::write(project.join("src/main.rs"), readme_example(&readme)).unwrap();

    let output = Command::new(env!("CARGO"))
        .args(["run", "--offline", "--quiet"])
        .current_dir(&project)
        // A target directory of its own: the one running this test stays free.
        .env("CARGO_TARGET_DIR", project.join("target"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the README example does not build as a fresh crate:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
