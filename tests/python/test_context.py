"""The tool context over MCP with a real client: the bearer token of an HTTP request reaches the
tool, and a client's cancellation reaches the running handler (`tests` crate's `test-servers`)."""

import subprocess
import time
from pathlib import Path

import anyio
import httpx2
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

from conftest import ROOT

pytestmark = pytest.mark.anyio

TEST_SERVERS = ROOT / "target" / "debug" / "test-servers"


@pytest.fixture
def test_servers_http():
    assert TEST_SERVERS.exists(), "run `cargo build -p tests --bin test-servers` first"
    process = subprocess.Popen([str(TEST_SERVERS), "--http"], stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        assert line.startswith("serving MCP on "), line
        yield line.split()[-1]
    finally:
        process.terminate()
        process.wait(timeout=10)


async def call_whoami(url: str, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx2.AsyncClient(headers=headers) as http:
        async with streamable_http_client(f"{url}/servers/jira/mcp", http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                return await session.call_tool("whoami", {})


async def test_the_bearer_token_reaches_the_tool(test_servers_http):
    connected = await call_whoami(test_servers_http, "secret-token")
    assert not connected.is_error
    assert connected.content[0].text == "connected"

    anonymous = await call_whoami(test_servers_http, None)
    assert anonymous.is_error
    assert anonymous.content[0].text.startswith("personal authentication required: connect your jira account")
    assert anonymous.meta["mcp-runtime/error"]["kind"] == "personal_authentication_required"


async def test_cancellation_reaches_the_handler(tmp_path: Path):
    assert TEST_SERVERS.exists(), "run `cargo build -p tests --bin test-servers` first"
    errlog = (tmp_path / "stderr.log").open("w")
    params = StdioServerParameters(command=str(TEST_SERVERS), args=["--stdio", "jira"])
    async with stdio_client(params, errlog=errlog) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            started = time.monotonic()
            with anyio.move_on_after(0.3):
                # The server's timeout is 500 ms; the client gives up first and cancels.
                await session.call_tool("sleep", {"millis": 5_000})
            assert time.monotonic() - started < 1
            # The server goes on serving after the cancellation.
            echo = await session.call_tool("get_issue", {"key": "K-1"})
            assert echo.content[0].text == "# K-1"
    errlog.close()
    log = (tmp_path / "stderr.log").read_text()
    assert 'outcome="cancelled"' in log, log
