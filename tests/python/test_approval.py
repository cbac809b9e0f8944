"""Stakes enforced over MCP with the official Python client: a held call is put to the user
through the client's elicitation callback (once, always, reject); a client that cannot be asked
gets an error naming the stake and how to approve, and the tool does not run."""

import subprocess

import pytest
from mcp import ClientSession, types
from mcp.client.streamable_http import streamable_http_client

from conftest import ROOT

pytestmark = pytest.mark.anyio

TEST_SERVERS = ROOT / "target" / "debug" / "test-servers"


@pytest.fixture
def desk_url():
    assert TEST_SERVERS.exists(), "run `cargo build -p tests --bin test-servers` first"
    process = subprocess.Popen([str(TEST_SERVERS), "--http"], stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        assert line.startswith("serving MCP on "), line
        yield line.split()[-1] + "/servers/desk/mcp"
    finally:
        process.terminate()
        process.wait(timeout=10)


class User:
    """Answers every elicitation with `decision`, and remembers what it was asked."""

    def __init__(self, decision: str | None):
        self.decision = decision
        self.asked: list[types.ElicitRequestParams] = []

    async def __call__(self, context, params: types.ElicitRequestParams):
        self.asked.append(params)
        if self.decision is None:
            return types.ElicitResult(action="decline")
        return types.ElicitResult(action="accept", content={"decision": self.decision})


async def calls(url: str, user: User | None, *requests):
    async with streamable_http_client(url) as (read, write):
        kwargs = {"elicitation_callback": user} if user else {}
        async with ClientSession(read, write, **kwargs) as session:
            await session.initialize()
            return [await session.call_tool(name, arguments) for name, arguments in requests]


async def test_never_ask_runs_without_asking(desk_url):
    user = User("reject")
    [result] = await calls(desk_url, user, ("read_notes", {}))
    assert result.content[0].text == "ran read_notes"
    assert user.asked == []


async def test_low_asks_once_and_always_is_remembered(desk_url):
    once = User("once")
    first, second = await calls(desk_url, once, ("add_note", {"text": "a"}), ("add_note", {"text": "b"}))
    assert [first.content[0].text, second.content[0].text] == ["ran add_note a", "ran add_note b"]
    assert len(once.asked) == 2, "once is asked again"
    question = once.asked[0]
    assert "Add a note" in question.message and "stake `low`" in question.message
    assert question.requested_schema["properties"]["decision"]["enum"] == ["once", "always", "reject"]

    always = User("always")
    results = await calls(desk_url, always, ("add_note", {"text": "c"}), ("add_note", {"text": "d"}))
    assert [result.content[0].text for result in results] == ["ran add_note c", "ran add_note d"]
    assert len(always.asked) == 1, "always is remembered"


async def test_high_is_asked_every_time_and_offers_no_always(desk_url):
    user = User("once")
    results = await calls(desk_url, user, ("delete_notes", {}), ("delete_notes", {}))
    assert all(result.content[0].text == "ran delete_notes" for result in results)
    assert len(user.asked) == 2
    assert user.asked[0].requested_schema["properties"]["decision"]["enum"] == ["once", "reject"]


async def test_a_rejected_or_declined_call_does_not_run(desk_url):
    for user in (User("reject"), User(None)):
        [result] = await calls(desk_url, user, ("add_note", {"text": "no"}))
        assert result.is_error
        assert result.meta["mcp-runtime/error"] == {"kind": "approval_required", "stake": "low"}
        assert "did not approve `add_note`" in result.content[0].text


async def test_a_client_that_cannot_be_asked_is_told_how_to_approve(desk_url):
    [result] = await calls(desk_url, None, ("post_message", {"channel": "#team", "text": "hi"}))
    assert result.is_error
    assert result.meta["mcp-runtime/error"] == {"kind": "approval_required", "stake": "medium"}
    text = result.content[0].text
    assert "`post_message` has stake `medium`" in text
    assert "Post a message (channel: #team)" in text
    assert "cannot ask its user" in text and "stake override" in text


async def test_on_2026_07_28_the_question_comes_as_an_input_required_result(desk_url):
    from mcp import Client

    always = User("always")
    async with Client(desk_url, mode="2026-07-28", elicitation_callback=always) as client:
        first = await client.call_tool("add_note", {"text": "modern"})
        second = await client.call_tool("add_note", {"text": "again"})
    assert first.content[0].text == "ran add_note modern"
    assert second.content[0].text == "ran add_note again"
    assert len(always.asked) == 1, "always is remembered across stateless calls"
    assert "stake `low`" in always.asked[0].message

    rejecting = User("reject")
    async with Client(desk_url, mode="2026-07-28", elicitation_callback=rejecting) as client:
        result = await client.call_tool("delete_notes", {})
    assert result.is_error
    assert result.meta["mcp-runtime/error"] == {"kind": "approval_required", "stake": "high"}
