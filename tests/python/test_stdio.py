"""The official Python SDK as a client of `mcp-providers serve --stdio`."""

import json
import subprocess

import pytest
from mcp import ClientSession, MCPError, StdioServerParameters
from mcp.client.stdio import stdio_client

pytestmark = pytest.mark.anyio


def params(binary, env):
    return StdioServerParameters(command=binary, args=["serve", "--stdio", "--server", "sqlite"], env=env)


async def test_initialize_list_and_call(binary, server_env):
    async with stdio_client(params(binary, server_env)) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            assert init.protocol_version == "2025-11-25"
            assert init.server_info.name == "sqlite"

            tools = {tool.name: tool for tool in (await session.list_tools()).tools}
            assert sorted(tools) == ["describe_table", "list_tables", "query"]
            assert tools["query"].input_schema["required"] == ["sql"]
            assert tools["query"].annotations.read_only_hint is True

            tables = await session.call_tool("list_tables", {})
            assert not tables.is_error
            assert tables.content[0].text.startswith("5 tables and views: customers (6 rows)")

            described = await session.call_tool("describe_table", {"table": "orders"})
            assert "Foreign keys:\n- `customer_id` → `customers`.`id`" in described.content[0].text

            rows = await session.call_tool("query", {"sql": "SELECT count(*) AS n FROM orders"})
            assert rows.content[0].text == "1 row.\n\n| n |\n|---|\n| 8 |\n"


async def test_bad_calls_get_clear_errors_and_the_server_goes_on(binary, server_env):
    async with stdio_client(params(binary, server_env)) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()

            with pytest.raises(MCPError) as unknown:
                await session.call_tool("qurey", {"sql": "SELECT 1"})
            assert unknown.value.error.code == -32602
            assert "did you mean `query`?" in unknown.value.error.message

            wrong_type = await session.call_tool("query", {"sql": 42})
            assert wrong_type.is_error
            assert wrong_type.content[0].text == (
                "invalid arguments for `query`: `sql`: invalid type: integer `42`, expected a string"
            )

            missing = await session.call_tool("query", {})
            assert missing.is_error
            assert missing.content[0].text == "invalid arguments for `query`: missing field `sql`"

            write = await session.call_tool("query", {"sql": "DELETE FROM orders"})
            assert write.is_error
            assert write.content[0].text.startswith("the sqlite server is read-only")

            big = await session.call_tool("query", {"sql": "SELECT 1 AS one -- " + "x" * 1_000_000})
            assert big.content[0].text == "1 row.\n\n| one |\n|---|\n| 1 |\n"

            after = await session.call_tool("query", {"sql": "SELECT 2 AS two"})
            assert after.content[0].text == "1 row.\n\n| two |\n|---|\n| 2 |\n"


async def test_the_2026_era_discovers_without_initialize(binary, server_env):
    async with stdio_client(params(binary, server_env)) as (read, write):
        async with ClientSession(read, write) as session:
            discovered = await session.discover()
            assert "2026-07-28" in discovered.supported_versions
            rows = await session.call_tool("query", {"sql": "SELECT 3 AS three"})
            assert rows.content[0].text == "1 row.\n\n| three |\n|---|\n| 3 |\n"


def test_stdout_carries_only_protocol_and_eof_exits_cleanly(binary, server_env):
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "query", "arguments": {"sql": 1}}},
    ]
    stdin = "".join(json.dumps(message) + "\n" for message in messages)
    done = subprocess.run(
        [binary, "serve", "--stdio", "--server", "sqlite"], input=stdin, capture_output=True, text=True, env=server_env, timeout=30
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    responses = [json.loads(line) for line in lines]
    assert [response["id"] for response in responses] == [1, 2]
    assert responses[1]["result"]["isError"] is True
    # The failed call is logged, on stderr only.
    assert "invalid_arguments" in done.stderr


def test_malformed_and_oversized_lines_get_errors_and_the_server_goes_on(binary, server_env):
    oversized = '{"jsonrpc":"2.0","id":9,"method":"ping","params":{"pad":"' + "x" * (17 * 1024 * 1024) + '"}}'
    lines = [
        "this is not json",
        oversized,
        json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                    "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                               "clientInfo": {"name": "t", "version": "1"}}}),
        json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        '{"jsonrpc": "2.0", "id": 2, "method": ',
        json.dumps({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                    "params": {"name": "query", "arguments": {"sql": "SELECT 1 AS one"}}}),
        json.dumps({"jsonrpc": "2.0", "id": 4, "method": "tools/call",
                    "params": {"name": "query", "arguments": "SELECT 1"}}),
        json.dumps({"jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": {"arguments": {}}}),
    ]
    done = subprocess.run(
        [binary, "serve", "--stdio", "--server", "sqlite"],
        input="\n".join(lines) + "\n", capture_output=True, text=True, env=server_env, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    responses = [json.loads(line) for line in done.stdout.splitlines()]
    errors = sorted(response["error"]["code"] for response in responses if response.get("id") is None)
    assert errors == [-32700, -32700, -32600]
    answered = {response["id"]: response for response in responses if response.get("id") is not None}
    assert answered[1]["result"]["serverInfo"]["name"] == "sqlite"
    assert answered[3]["result"]["content"][0]["text"] == "1 row.\n\n| one |\n|---|\n| 1 |\n"
    # A call whose parameters do not fit is "invalid params", not "method not found".
    assert answered[4]["error"] == {
        "code": -32602, "message": "invalid params for `tools/call`: `arguments` must be an object"}
    assert answered[5]["error"] == {
        "code": -32602, "message": "invalid params for `tools/call`: `name` is missing"}


async def test_the_server_introduces_itself_with_its_description(binary, server_env):
    params = StdioServerParameters(command=binary, args=["serve", "--stdio", "--server", "github"], env=server_env)
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            assert init.server_info.name == "github"
            assert init.server_info.website_url == "https://docs.github.com/en/rest"
            assert init.server_info.description.startswith("Issues, pull requests and reviews")
