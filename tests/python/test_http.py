"""The official Python SDK as a client of `mcp-providers serve --http` on loopback."""

import httpx2
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

pytestmark = pytest.mark.anyio


async def test_2025_11_25_with_initialize(http_server):
    async with streamable_http_client(f"{http_server}/mcp") as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            assert init.protocol_version == "2025-11-25"
            tools = await session.list_tools()
            assert [tool.name for tool in tools.tools] == ["list_tables", "describe_table", "query"]
            rows = await session.call_tool("query", {"sql": "SELECT name FROM products ORDER BY id LIMIT 1"})
            assert rows.content[0].text == "1 row.\n\n| name |\n|---|\n| Mechanical keyboard |\n"


async def test_2026_07_28_stateless_with_discover(http_server):
    async with streamable_http_client(f"{http_server}/mcp") as (read, write):
        async with ClientSession(read, write) as session:
            discovered = await session.discover()
            assert discovered.capabilities.tools is not None
            rows = await session.call_tool("query", {"sql": "SELECT count(*) AS n FROM customers"})
            assert rows.result_type == "complete"
            assert rows.content[0].text == "1 row.\n\n| n |\n|---|\n| 6 |\n"
            invalid = await session.call_tool("query", {"sql": "SELECT 1", "max_rows": 5000})
            assert invalid.is_error


async def test_foreign_hosts_and_origins_are_refused(http_server):
    initialize = {
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
    }
    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    async with httpx2.AsyncClient() as client:
        rebinding = await client.post(f"{http_server}/mcp", json=initialize, headers={**headers, "Host": "evil.example"})
        assert rebinding.status_code == 403
        cross_site = await client.post(
            f"{http_server}/mcp", json=initialize, headers={**headers, "Origin": "https://evil.example"}
        )
        assert cross_site.status_code == 403
        same_host = await client.post(f"{http_server}/mcp", json=initialize, headers=headers)
        assert same_host.status_code == 200
