"""Tools that ask their client (elicitation, sampling, roots) before they answer, with the official
Python client against `mcp-providers serve --server conformance`: on 2026-07-28 each question comes
back in an input-required result and the client's retry resumes the call; on 2025-11-25 the same
handlers send requests on the session (`legacy`)."""

import subprocess

import pytest
from mcp import Client, types

pytestmark = pytest.mark.anyio


@pytest.fixture
def conformance_url(binary, server_env):
    process = subprocess.Popen(
        [binary, "serve", "--http", "127.0.0.1:0", "--server", "conformance"],
        stderr=subprocess.PIPE,
        text=True,
        env=server_env,
    )
    try:
        line = process.stderr.readline()
        assert line.startswith("serving MCP on "), line
        yield line.split()[-1]
    finally:
        process.terminate()
        process.wait(timeout=10)


class Person:
    """Answers each form with the value it was given for the form's one required field, and
    remembers the questions."""

    def __init__(self, **answers):
        self.answers = answers
        self.asked: list[str] = []

    async def elicit(self, context, params: types.ElicitRequestParams):
        self.asked.append(params.message)
        [field] = params.requested_schema["required"]
        return types.ElicitResult(action="accept", content={field: self.answers[field]})

    async def sample(self, context, params: types.CreateMessageRequestParams):
        self.asked.append(params.messages[0].content.text)
        return types.CreateMessageResult(
            role="assistant", content=types.TextContent(type="text", text="Hi"), model="test-model"
        )

    async def roots(self, context):
        return types.ListRootsResult(roots=[types.Root(uri="file:///work", name="work")])

    def client(self, url: str, mode: str) -> Client:
        return Client(
            url,
            mode=mode,
            elicitation_callback=self.elicit,
            sampling_callback=self.sample,
            list_roots_callback=self.roots,
        )


@pytest.mark.parametrize("mode", ["2026-07-28", "legacy"])
async def test_questions_in_turn_each_get_their_answer(conformance_url, mode):
    person = Person(name="Ana", color="teal")
    async with person.client(conformance_url, mode) as client:
        result = await client.call_tool("test_input_required_result_multi_round", {})
    assert not result.is_error, result
    assert result.content[0].text == "Ana likes teal"
    assert person.asked == ["Step 1: What is your name?", "Step 2: What is your favorite color?"]


@pytest.mark.parametrize("mode", ["2026-07-28", "legacy"])
async def test_questions_asked_together_are_answered_together(conformance_url, mode):
    person = Person(name="Bo")
    async with person.client(conformance_url, mode) as client:
        result = await client.call_tool("test_input_required_result_multiple_inputs", {})
    assert not result.is_error, result
    assert result.content[0].text == "Hi Bo! Roots: file:///work"
    assert sorted(person.asked) == ["Generate a greeting", "What is your name?"]
