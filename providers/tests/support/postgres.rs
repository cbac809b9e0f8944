//! A PostgreSQL server of the tests' own: initialized in a temporary directory, listening on a
//! free loopback port, stopped when dropped. Its binaries are Debian's (`postgresql` package;
//! `PG_BIN` names another directory). PostgreSQL refuses to run as root: as root, it runs as the
//! `postgres` user the package creates.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct TempPostgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    pub url: String,
}

impl TempPostgres {
    pub fn start() -> Self {
        let bin = std::env::var_os("PG_BIN").map_or_else(debian_bin, PathBuf::from);
        let dir = tempfile::tempdir().unwrap();
        if is_root() {
            let owner = |flag: &str| -> u32 {
                let output = Command::new("id")
                    .args([flag, "postgres"])
                    .output()
                    .unwrap();
                String::from_utf8(output.stdout)
                    .unwrap()
                    .trim()
                    .parse()
                    .unwrap()
            };
            std::os::unix::fs::chown(dir.path(), Some(owner("-u")), Some(owner("-g"))).unwrap();
        }
        let data = dir.path().join("data");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        run(
            &bin,
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-U",
                "mcp",
                "-A",
                "trust",
                "--no-sync",
                "--no-instructions",
            ],
        );
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off",
            dir.path().display()
        );
        run(
            &bin,
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-o",
                &options,
                "-l",
                dir.path().join("log").to_str().unwrap(),
                "-w",
                "start",
            ],
        );
        TempPostgres {
            url: format!("postgres://mcp@127.0.0.1:{port}/postgres"),
            dir,
            bin,
        }
    }

    /// A new, empty database on the server; its URL.
    pub fn database(&self, name: &str) -> String {
        let host = self.url.trim_end_matches("/postgres");
        run(
            &self.bin,
            "createdb",
            &[&format!("--maintenance-db={}", self.url), name],
        );
        format!("{host}/{name}")
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        run(
            &self.bin,
            "pg_ctl",
            &["-D", data.to_str().unwrap(), "-m", "immediate", "stop"],
        );
    }
}

fn debian_bin() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL's server binaries (Debian's `postgresql` package, or PG_BIN)")
        .filter_map(|entry| entry.ok().map(|entry| entry.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    found.sort();
    found.pop().expect("a PostgreSQL version with initdb")
}

fn is_root() -> bool {
    let output = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&output.stdout).trim() == "0"
}

/// Runs the PostgreSQL program `name` with `args` (as `postgres` when root), which must succeed.
fn run(bin: &Path, name: &str, args: &[&str]) {
    let program = bin.join(name);
    let mut command = if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(&program);
        command
    } else {
        Command::new(&program)
    };
    let output = command.args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{name}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
