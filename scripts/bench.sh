#!/usr/bin/env bash
# Our 50-tool server against the same server written with rmcp's own macros (on its `stdio()`
# and `stdio_pipes()` transports), interleaved, each pinned with the driver to one CPU (a wake-up
# across CPUs on these 2-vCPU machines costs 40-60 us and makes figures bimodal). Prints the
# medians of ROUNDS rounds and our ratio to each peer.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-3}
calls=${CALLS:-20000}

cargo build --release -p bench --bins
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for _ in $(seq "$rounds"); do
    for server in "target/release/wide-ours" "target/release/wide-rmcp" "target/release/wide-rmcp --pipes"; do
        # shellcheck disable=SC2086
        taskset -c 0 target/release/mcp-load --calls "$calls" -- $server >> "$out"
    done
done
python3 - "$out" <<'PY'
import json, statistics, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
metrics = ["cold_start_ms", "tools_list_us", "sequential_calls_per_s", "pipelined_calls_per_s",
           "server_cpu_per_call_us", "peak_rss_kib"]
by = {}
for run in runs:
    by.setdefault(run["command"], []).append(run)
medians = {command: {m: statistics.median(r[m] for r in rs) for m in metrics} for command, rs in by.items()}
ours = medians.pop("target/release/wide-ours")
print(f"{'metric':26}{'ours':>12}" + "".join(f"{c.split('/')[-1]:>24}{'ratio':>8}" for c in medians))
for m in metrics:
    row = f"{m:26}{ours[m]:12.1f}"
    for peer in medians.values():
        # Ratios are "ours is N times better": throughput up, times and sizes down.
        better = ours[m] / peer[m] if m.endswith("per_s") else peer[m] / ours[m]
        row += f"{peer[m]:24.1f}{better:8.2f}"
    print(row)
PY
