"""Dust's server flags in a host, with the official Python client connecting as two principals
with different claims: Salesforce is restricted to the workspaces with the `salesforce_tool`
flag, and the host's `[workspace]` lets a principal's `mcp_flags` claim add flags. Ana's token
lists the flag: Salesforce is there for her. Bo's does not: for him it does not exist (its path
answers as no path does), while GitHub, which is not restricted, serves them both."""

import subprocess

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from team import PlatformServer, free_port, wait_for_port

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def anyio_backend():
    return "asyncio"


@pytest.fixture(scope="module")
def host(binary, tmp_path_factory):
    directory = tmp_path_factory.mktemp("flags")
    platform = PlatformServer()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    config = directory / "host.toml"
    config.write_text(f"""
listen = "127.0.0.1:{port}"
public_url = "{url}"

[auth]
issuer = "{platform.url}"
jwks_url = "{platform.url}/jwks"

[workspace]
flags_claim = "mcp_flags"

[servers]
sqlite = false
github = true
salesforce = true
""")
    log = open(directory / "host.log", "w")
    process = subprocess.Popen([binary, "serve", "--config", str(config)], stderr=log)
    try:
        wait_for_port(port)
        yield url, platform
    finally:
        process.terminate()
        process.wait(timeout=10)
        platform.shutdown()
        log.close()
        # Nothing about a refused principal is an error worth logging.
        assert "ERROR" not in (directory / "host.log").read_text()


def headers(host, subject: str, **claims) -> dict:
    url, platform = host
    return {"Authorization": f"Bearer {platform.token(url, subject=subject, extra=claims)}"}


async def tools(host, server: str, auth: dict, mode: str) -> list[str]:
    url, _ = host
    async with httpx2.AsyncClient(headers=auth, timeout=30) as http:
        transport = streamable_http_client(f"{url}/servers/{server}/mcp", http_client=http)
        async with Client(transport, mode=mode) as client:
            listed = await client.list_tools()
    return [tool.name for tool in listed.tools]


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
async def test_a_restricted_server_is_there_for_the_principal_whose_claims_admit_it(host, mode):
    ana = headers(host, "ana", mcp_flags=["salesforce_tool"])
    assert "execute_read_query" in await tools(host, "salesforce", ana, mode)
    assert "get_issue" in await tools(host, "github", ana, mode)


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])
async def test_for_another_principal_it_does_not_exist(host, mode):
    bo = headers(host, "bo", mcp_flags=["other"])
    assert "get_issue" in await tools(host, "github", bo, mode)
    with pytest.raises(Exception):
        await tools(host, "salesforce", bo, mode)

    url, _ = host
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                             "clientInfo": {"name": "t", "version": "1"}}}
    accept = {"Accept": "application/json, text/event-stream"}

    async def post(path: str, auth: dict) -> httpx2.Response:
        # A connection of its own: the server closes one whose request it answered without
        # reading the body (a 404 here), and a client reusing it would race that close.
        async with httpx2.AsyncClient(timeout=30) as http:
            return await http.post(f"{url}{path}", json=initialize, headers={**auth, **accept})

    refused = await post("/servers/salesforce/mcp", bo)
    nowhere = await post("/servers/nothing/mcp", bo)
    admitted = await post("/servers/salesforce/mcp", headers(host, "ana", mcp_flags="salesforce_tool"))
    assert refused.status_code == 404
    assert (refused.status_code, refused.content) == (nowhere.status_code, nowhere.content)
    assert admitted.status_code == 200, admitted.text
