#!/usr/bin/env bash
# Soak test of the real binary: `mcp-providers serve --server sqlite --http` on a throwaway
# database, under good clients (2025-11-25 sessions, stateless 2026-07-28 calls) and bad ones
# (see scripts/soak.py) for DURATION seconds, while its RSS and open fds are sampled every second.
# Fails when a good request fails other than with an explicit limit answer, or when memory or
# fds keep growing after the warm-up.
#
#   bash scripts/soak.sh [DURATION]        # seconds; default $SOAK_SECONDS, else 600
#
# Knobs (environment): SOAK_WARMUP (30 s, the header timeout: by then held sockets are at their
# steady count), SOAK_SESSION_CLIENTS / SOAK_STATELESS_CLIENTS (6 each), SOAK_PAUSE (0.05 s
# between a good client's requests), SOAK_BAD (comma-separated kinds of bad clients; all by
# default, empty for none), SOAK_SERVER_ARGS (more `serve` options).
#
# Writes target/soak/samples.csv (second,rss_kib,fds,ok,failed), summary.txt, failures.log
# (every failed or slow good request) and server.log (the server's stderr).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-${SOAK_SECONDS:-600}}
out=target/soak

# Release, like production: a debug build's memory and speed say little about a soak.
cargo build --release --bin mcp-providers

mkdir -p "$out"
tmp=$(mktemp -d)
server=
# The server is killed whatever happens (a failed run, Ctrl-C), so no run leaves one behind.
cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# A database of our own, so the figures do not depend on the sample the server would create.
python3 - "$tmp/soak.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE t(id INTEGER, name TEXT)")
db.executemany("INSERT INTO t VALUES (?, ?)", ((i, f"name {i}") for i in range(1000)))
db.commit()
PY

# Port 0: the kernel picks a free port, which the server prints on stderr. SOAK_SERVER_ARGS adds
# options (split on spaces), e.g. "--max-sessions 64" to reach the session cap within a short run.
# shellcheck disable=SC2086
SQLITE_PATH="$tmp/soak.db" target/release/mcp-providers serve --server sqlite --http 127.0.0.1:0 \
    ${SOAK_SERVER_ARGS:-} 2>"$out/server.log" &
server=$!
url=
for _ in $(seq 100); do
    url=$(grep -m1 -o 'serving MCP on http://[^ ]*' "$out/server.log" | cut -d' ' -f4 || true)
    [ -n "$url" ] && break
    if ! kill -0 "$server" 2>/dev/null; then
        cat "$out/server.log" >&2
        exit 1
    fi
    sleep 0.1
done
if [ -z "$url" ]; then
    echo "the server printed no URL within 10 s" >&2
    exit 1
fi

python3 scripts/soak.py --url "$url" --pid "$server" --seconds "$duration" --out "$out"
