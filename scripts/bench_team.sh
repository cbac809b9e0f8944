#!/usr/bin/env bash
# Calls per second through HAProxy to one, two and three release replicas sharing PostgreSQL
# (tests/python/bench_team.py). Not part of CI; its table goes in BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/packages.sh
cargo build --release -p providers
venv=target/python-venv
if [ ! -x "$venv/bin/python" ] || ! cmp -s tests/python/requirements.txt "$venv/requirements.txt"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/python/requirements.txt
    cp tests/python/requirements.txt "$venv/requirements.txt"
fi
cd tests/python
"../../$venv/bin/python" bench_team.py ../../target/release/mcp-providers
