"""Layers around every call, over MCP: `serve --rate-limit` refuses a user's calls past the limit."""

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

pytestmark = pytest.mark.anyio


async def test_calls_past_the_rate_limit_get_an_error_result(binary, server_env):
    params = StdioServerParameters(
        command=binary,
        args=["serve", "--stdio", "--server", "sqlite", "--rate-limit", "2"],
        env=server_env,
    )
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            for _ in range(2):
                assert not (await session.call_tool("list_tables", {})).is_error
            refused = await session.call_tool("list_tables", {})
            assert refused.is_error
            text = refused.content[0].text
            assert text.startswith(
                "rate limit: at most 2 calls a minute per user, and `local` has made them; "
                "try `list_tables` again in "
            ), text
            assert refused.meta["mcp-runtime/error"]["kind"] == "rate_limited"
            # The server goes on: listing is not a call, and is still answered.
            assert len((await session.list_tools()).tools) == 3

