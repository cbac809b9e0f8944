#!/usr/bin/env bash
# Our 50-tool server against the same server written with rmcp's own macros, interleaved, each
# pinned with the driver to one CPU (a wake-up across CPUs on these 2-vCPU machines costs 40-60 us
# and makes figures bimodal). Prints the medians of ROUNDS rounds and our ratio to each peer.
#
# stdio: ours against rmcp's `stdio()` and `stdio_pipes()`, and `tools/list` against `prelisted`,
# a bare loop writing the same listing serialized once (its call figures are not a server's).
# HTTP: ours against rmcp's Streamable HTTP mounted as its examples do, with TCP_NODELAY added
# (`--nodelay`) and, in a short run, without it (every response then waits ~44 ms for a delayed
# ACK, so SLOW_CALLS calls are enough to show it); on both revisions: 2025-11-25 in a session,
# 2026-07-28 stateless.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
calls=${CALLS:-20000}
slow_calls=${SLOW_CALLS:-100}

cargo build --release -p bench --bins
out=$(mktemp)
trap 'rm -f "$out"' EXIT
load() { taskset -c 0 target/release/mcp-load "$@" >> "$out"; }
for _ in $(seq "$rounds"); do
    load --calls "$calls" -- target/release/wide-ours
    load --calls "$calls" -- target/release/wide-rmcp
    load --calls "$calls" -- target/release/wide-rmcp --pipes
    load --calls "$calls" -- target/release/prelisted
    load --http --calls "$calls" -- target/release/wide-ours --http
    load --http --calls "$calls" -- target/release/wide-rmcp --http --nodelay
    load --http --revision 2026-07-28 --calls "$calls" -- target/release/wide-ours --http
    load --http --revision 2026-07-28 --calls "$calls" -- target/release/wide-rmcp --http --nodelay
done
load --http --calls "$slow_calls" --warmup 10 --lists 20 --starts 2 -- target/release/wide-rmcp --http

python3 - "$out" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
metrics = ["cold_start_ms", "tools_list_us", "sequential_calls_per_s", "pipelined_calls_per_s",
           "server_cpu_per_call_us", "server_cpu_per_sequential_call_us", "peak_rss_kib"]
by = {}
for run in runs:
    # The stateless revision's runs are named by it.
    key = run["command"] + ("" if run["revision"] == "2025-11-25" else " @" + run["revision"])
    by.setdefault(key, []).append(run)
medians = {command: {m: statistics.median(r[m] for r in rs) for m in metrics} for command, rs in by.items()}

def table(ours_command, peers):
    ours = medians[ours_command]
    print(f"\n{ours_command}")
    print(f"{'metric':26}{'ours':>12}" + "".join(f"{p.removeprefix('target/release/'):>40}{'ratio':>8}" for p in peers))
    for m in metrics:
        row = f"{m:26}{ours[m]:12.1f}"
        for p in peers:
            peer = medians[p][m]
            # Ratios are "ours is N times better": throughput up, times and sizes down.
            better = ours[m] / peer if m.endswith("per_s") else peer / ours[m]
            row += f"{peer:40.1f}{better:8.2f}"
        print(row)

table("target/release/wide-ours", ["target/release/wide-rmcp", "target/release/wide-rmcp --pipes", "target/release/prelisted"])
table("target/release/wide-ours --http", ["target/release/wide-rmcp --http --nodelay", "target/release/wide-rmcp --http"])
table("target/release/wide-ours --http @2026-07-28", ["target/release/wide-rmcp --http --nodelay @2026-07-28"])
PY
