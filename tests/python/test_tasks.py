"""Tasks (2026-07-28's tasks extension) with the official Python client: a client that declares
the extension gets `query` of the `sqlite` server as a task, which its extension polls with
`tasks/get` until the result is inlined; a client that does not gets the result at once."""

import asyncio
from typing import Any, Literal

import pytest
from mcp import Client, types
from mcp.client.extension import ClaimContext, ClientExtension, ResultClaim
from mcp_types import RequestParams, Result

pytestmark = pytest.mark.anyio

TASKS = "io.modelcontextprotocol/tasks"


class CreatedTask(Result):
    """The answer of a call that became a task."""

    result_type: Literal["task"]
    task_id: str
    status: str


class TaskIdParams(RequestParams):
    task_id: str


class GetTask(types.Request[TaskIdParams, Literal["tasks/get"]]):
    method: Literal["tasks/get"] = "tasks/get"
    name_param = "taskId"


class DetailedTask(Result):
    result_type: str | None = None
    task_id: str
    status: str
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


class Tasks(ClientExtension):
    """Declares the tasks extension, and finishes a task by polling it; remembers what it saw."""

    identifier = TASKS

    def __init__(self):
        self.seen: list[str] = []

    def claims(self):
        return [ResultClaim(result_type="task", model=CreatedTask, resolve=self.poll)]

    async def poll(self, created: CreatedTask, context: ClaimContext) -> types.CallToolResult:
        self.seen.append(created.status)
        for _ in range(200):
            task = await context.session.send_request(
                GetTask(params=TaskIdParams(task_id=created.task_id)), DetailedTask
            )
            self.seen.append(task.status)
            if task.status == "completed":
                return types.CallToolResult.model_validate(task.result)
            assert task.status == "working", task
            await asyncio.sleep(0.05)
        raise AssertionError("the task never completed")


QUERY = {"sql": "SELECT name FROM customers ORDER BY name LIMIT 2"}


async def test_a_query_runs_as_a_task_for_a_client_that_declares_tasks(http_server):
    tasks = Tasks()
    async with Client(http_server + "/mcp", mode="2026-07-28", extensions=[tasks]) as client:
        listed = await client.list_tools()
        query = next(tool for tool in listed.tools if tool.name == "query")
        assert query.meta["mcp-runtime/tool"]["task"] == "optional"
        result = await client.call_tool("query", QUERY)
    assert not result.is_error, result
    assert "| name |" in result.content[0].text
    assert tasks.seen[0] == "working" and tasks.seen[-1] == "completed", tasks.seen


async def test_a_client_without_tasks_gets_the_result_at_once(http_server):
    async with Client(http_server + "/mcp", mode="2026-07-28") as client:
        result = await client.call_tool("query", QUERY)
    assert not result.is_error, result
    assert "| name |" in result.content[0].text
