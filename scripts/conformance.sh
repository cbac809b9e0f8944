#!/usr/bin/env bash
# The official MCP conformance suite (from npm, on Node 22 from npm) against
# `mcp-providers serve --http 127.0.0.1:0 --server conformance`, once per protocol revision, each
# with its expected-failures list in tests/conformance/.
set -euo pipefail
cd "$(dirname "$0")/.."

suite=target/conformance
if [ ! -x "$suite/node_modules/.bin/conformance" ] || ! cmp -s tests/conformance/package.json "$suite/package.json"; then
    mkdir -p "$suite"
    cp tests/conformance/package.json "$suite/package.json"
    (cd "$suite" && npm install --no-audit --no-fund --loglevel=error)
fi
export PATH="$PWD/$suite/node_modules/.bin:$PATH"

binary=target/debug/mcp-providers
[ -x "$binary" ] || cargo build -p providers
log=$(mktemp)
"$binary" serve --http 127.0.0.1:0 --server conformance 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 100); do
    url=$(sed -n 's/^serving MCP on //p' "$log")
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { cat "$log"; echo "the server did not start" >&2; exit 1; }

conformance server --url "$url" --spec-version 2025-11-25 \
    --expected-failures tests/conformance/expected-failures-2025-11-25.yml
conformance server --url "$url" --requirements 2026-07-28 \
    --expected-failures tests/conformance/expected-failures-2026-07-28.yml
echo "conformance: 2025-11-25 and 2026-07-28 suites match their expected failures"
