"""Calls per second through HAProxy to one, two and three `serve` replicas sharing PostgreSQL
(every call audited there), beside one replica reached directly: `scripts/bench_team.sh`.
The client is the Python `httpx2` one, 8 calls in flight (the SQLite server runs 8 queries at
once per process and refuses more); on a two-core machine that also
runs the database, the load balancer and the client, this shows what the shared state costs,
not how replicas scale."""

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import anyio
import httpx2

from team import PlatformServer, Postgres, Team

CALLS = 2000
IN_FLIGHT = 8
BODY = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {
    "name": "query", "arguments": {"sql": "SELECT count(*) FROM customers"},
    "_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
              "io.modelcontextprotocol/clientCapabilities": {},
              "io.modelcontextprotocol/clientInfo": {"name": "bench", "version": "1"}}}}


async def rate(url: str, token: str) -> float:
    headers = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2026-07-28",
               "Mcp-Method": "tools/call", "Mcp-Name": "query", "Authorization": f"Bearer {token}"}
    limiter = anyio.CapacityLimiter(IN_FLIGHT)
    failed = 0
    failures: list[str] = []
    async with httpx2.AsyncClient(timeout=30, limits=httpx2.Limits(max_connections=IN_FLIGHT)) as http:
        async def one() -> None:
            nonlocal failed
            async with limiter:
                response = await http.post(url, json=BODY, headers=headers)
                if response.status_code != 200 or '"isError":true' in response.text:
                    failed += 1
                    failures.append(f"{response.status_code} {response.text[:300]}")
        for _ in range(100):  # warm up
            await one()
        started = time.monotonic()
        async with anyio.create_task_group() as group:
            for _ in range(CALLS):
                group.start_soon(one)
        elapsed = time.monotonic() - started
    assert failed == 0, f"{failed} calls failed, e.g. {failures[:2]}"
    return CALLS / elapsed


def main(binary: str) -> None:
    postgres_dir = Path(tempfile.mkdtemp(prefix="mcp-bench-postgres-"))
    postgres = Postgres(postgres_dir)
    platform = PlatformServer()
    rows = []
    try:
        directory = Path(tempfile.mkdtemp(prefix="mcp-bench-embedded-"))
        alone = Team(binary, directory, None, platform, replicas=1)
        try:
            direct = f"http://127.0.0.1:{alone.ports[0]}/servers/sqlite/mcp"
            rows.append(("1 replica, direct, embedded store", anyio.run(rate, direct, platform.token(alone.url))))
        finally:
            alone.stop()
            shutil.rmtree(directory, ignore_errors=True)
        for replicas in (1, 2, 3):
            directory = Path(tempfile.mkdtemp(prefix="mcp-bench-team-"))
            team = Team(binary, directory, postgres.url, platform, replicas=replicas)
            token = platform.token(team.url)
            try:
                if replicas == 1:
                    direct = f"http://127.0.0.1:{team.ports[0]}/servers/sqlite/mcp"
                    rows.append(("1 replica, direct, PostgreSQL", anyio.run(rate, direct, token)))
                through = f"{team.url}/servers/sqlite/mcp"
                rows.append((f"{replicas} replica(s) behind HAProxy, PostgreSQL", anyio.run(rate, through, token)))
            finally:
                team.stop()
                shutil.rmtree(directory, ignore_errors=True)
    finally:
        platform.shutdown()
        postgres.stop()
        shutil.rmtree(postgres_dir, ignore_errors=True)
    print("| setup | calls/s |")
    print("|---|---|")
    for setup, calls in rows:
        print(f"| {setup} | {calls:.0f} |")
    print(json.dumps({setup: round(calls) for setup, calls in rows}), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
