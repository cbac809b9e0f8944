"""The HTTP transport as an OAuth protected resource (RFC 9728), with the official Python client:
no token or an unknown one gets 401 with `WWW-Authenticate` pointing at the resource metadata,
which is served; a valid token names the user the calls run for and is not handed to tools."""

import subprocess

import httpx2
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from conftest import ROOT

pytestmark = pytest.mark.anyio

TEST_SERVERS = ROOT / "target" / "debug" / "test-servers"

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
}
HEADERS = {"Accept": "application/json, text/event-stream"}


@pytest.fixture
def base():
    assert TEST_SERVERS.exists(), "run `cargo build -p tests --bin test-servers` first"
    process = subprocess.Popen([str(TEST_SERVERS), "--http", "--protected"], stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        assert line.startswith("serving MCP on "), line
        yield line.split()[-1]
    finally:
        process.terminate()
        process.wait(timeout=10)


async def test_the_resource_metadata_is_served(base):
    async with httpx2.AsyncClient() as http:
        response = await http.get(f"{base}/.well-known/oauth-protected-resource")
    assert response.status_code == 200
    assert response.json() == {
        "resource": base,
        "authorization_servers": ["https://auth.example.com"],
        "scopes_supported": ["mcp"],
        "bearer_methods_supported": ["header"],
    }


async def test_missing_and_unknown_tokens_get_the_challenge(base):
    async with httpx2.AsyncClient() as http:
        missing = await http.post(f"{base}/servers/desk/mcp", json=INITIALIZE, headers=HEADERS)
        unknown = await http.post(
            f"{base}/servers/desk/mcp", json=INITIALIZE, headers={**HEADERS, "Authorization": "Bearer nope"}
        )
    metadata = f'resource_metadata="{base}/.well-known/oauth-protected-resource"'
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == f"Bearer {metadata}"
    assert unknown.status_code == 401
    assert unknown.headers["www-authenticate"].startswith(f'Bearer {metadata}, error="invalid_token"')
    assert unknown.json()["error"] == "invalid_token"
    assert "nope" not in unknown.text


async def test_a_valid_token_names_the_user_and_stays_with_the_server(base):
    async with httpx2.AsyncClient(headers={"Authorization": "Bearer good"}) as http:
        async with streamable_http_client(f"{base}/servers/desk/mcp", http_client=http) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                result = await session.call_tool("whoami", {})
    assert not result.is_error
    assert result.content[0].text == "user ana, platform token: none"
