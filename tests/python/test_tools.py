"""Fewer tools when a user asks for fewer: `serve --read-only`, `--toolsets`, `--tools` and
`--exclude-tools`, with the official Python client; a tool left out is neither listed nor
callable."""

import subprocess

import pytest
from mcp import Client

pytestmark = pytest.mark.anyio


def serve(binary, server_env, *flags):
    process = subprocess.Popen(
        [binary, "serve", "--http", "127.0.0.1:0", "--server", "github", *flags],
        stderr=subprocess.PIPE,
        text=True,
        env=server_env,
    )
    line = process.stderr.readline()
    assert line.startswith("serving MCP on "), line
    return process, line.split()[-1]


async def tool_names(url):
    async with Client(url, mode="2026-07-28") as client:
        return [tool.name for tool in (await client.list_tools()).tools]


async def test_read_only_without_some_reads(binary, server_env):
    process, url = serve(binary, server_env, "--read-only", "--exclude-tools", "get_file_*,list_commits")
    try:
        names = await tool_names(url)
        assert "get_issue" in names and "list_issues" in names
        assert not {"create_issue", "comment_on_issue", "get_file_contents", "list_commits"} & set(names)
        async with Client(url, mode="2026-07-28") as client:
            with pytest.raises(Exception) as hidden:
                await client.call_tool("create_issue", {"owner": "o", "repo": "r", "title": "t"})
        assert "unknown tool `create_issue`" in str(hidden.value)
    finally:
        process.terminate()
        process.wait(timeout=10)


async def test_only_the_tools_named(binary, server_env):
    process, url = serve(binary, server_env, "--tools", "github/list_*")
    try:
        names = await tool_names(url)
        assert names and all(name.startswith("list_") for name in names), names
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_selection_matching_nothing_stops_the_server(binary, server_env):
    result = subprocess.run(
        [binary, "serve", "--http", "127.0.0.1:0", "--server", "github", "--toolsets", "gitlab"],
        capture_output=True,
        text=True,
        env=server_env,
        timeout=30,
    )
    assert result.returncode != 0
    assert "no tool is in toolset `gitlab`; the toolsets are github" in result.stderr
