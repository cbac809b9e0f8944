#!/usr/bin/env bash
# Every test: Debian's packages (PostgreSQL, HAProxy, Chromium), the platforms' API descriptions (npm) for
# the provider contract tests, the Rust workspace (unit, integration, ui, doc), then real MCP
# clients against the `mcp-providers` binary: the official conformance suite (npm) over
# Streamable HTTP, and the official Python SDK (PyPI) over stdio, Streamable HTTP, and through
# HAProxy to three replicas sharing PostgreSQL, whose web console headless Chromium drives.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's packages (PostgreSQL for the store tests, HAProxy and Chromium for the team host's),
# then the platforms' published descriptions the provider contract tests read.
bash scripts/packages.sh
bash scripts/contracts.sh
cargo test --workspace

cargo build -p providers -p tests --bins
bash scripts/conformance.sh

venv=target/python-venv
if [ ! -x "$venv/bin/pytest" ] || ! cmp -s tests/python/requirements.txt "$venv/requirements.txt"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/python/requirements.txt
    cp tests/python/requirements.txt "$venv/requirements.txt"
fi
"$venv/bin/pytest" tests/python -q
