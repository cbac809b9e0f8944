"""A host deployed for a team, through a real load balancer: three `serve` replicas sharing
PostgreSQL behind HAProxy (round robin), a fake identity provider and GitHub on loopback, and the
official Python client. Tokens are checked on every replica; a user connects their account
through the platform and their client's retry runs; a call held by one replica is resumed by
another, and "always" is shared; and a thousand calls go through while a replica is killed and
restarted."""

import json
import time

import anyio
import httpx2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from mcp import Client, types
from mcp.client.streamable_http import streamable_http_client

from conftest import ROOT
from team import Team, deployed

pytestmark = pytest.mark.anyio

MODERN = "2026-07-28"


@pytest.fixture(scope="module")
def anyio_backend():
    return "asyncio"


@pytest.fixture(scope="module")
def team(binary, tmp_path_factory):
    with deployed(binary, tmp_path_factory.mktemp("team")) as team:
        yield team


def endpoint(team: Team, server: str) -> str:
    return f"{team.url}/servers/{server}/mcp"


def bearer(team: Team, **claims) -> dict:
    return {"Authorization": f"Bearer {team.platform.token(team.url, **claims)}"}


def call_body(tool: str, arguments: dict, state: str | None = None, decision: str | None = None) -> dict:
    params = {"name": tool, "arguments": arguments, "_meta": {
        "io.modelcontextprotocol/protocolVersion": MODERN,
        "io.modelcontextprotocol/clientCapabilities": {"elicitation": {}},
        "io.modelcontextprotocol/clientInfo": {"name": "team", "version": "1"}}}
    if state is not None:
        params["requestState"] = state
        params["inputResponses"] = {"approval": {"action": "accept", "content": {"decision": decision}}}
    return {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params}


async def post_call(http: httpx2.AsyncClient, url: str, tool: str, arguments: dict, **answer) -> httpx2.Response:
    headers = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": MODERN,
               "Mcp-Method": "tools/call", "Mcp-Name": tool}
    return await http.post(url, json=call_body(tool, arguments, **answer), headers=headers)


def message(response: httpx2.Response) -> dict:
    try:
        return response.json()
    except ValueError:
        data = [line[5:] for line in response.text.splitlines() if line.startswith("data:")]
        return json.loads(data[-1])


async def test_tokens_are_checked_on_every_replica(team):
    metadata = f'resource_metadata="{team.url}/.well-known/oauth-protected-resource"'
    other_key = Ed25519PrivateKey.generate()
    cases = [
        ({}, None),
        (bearer(team, expires_in=-600), "the token has expired"),
        ({"Authorization": f"Bearer {team.platform.token('https://elsewhere.example.com/mcp')}"},
         "the token is not meant for this server (its audience)"),
        (bearer(team, key=other_key, kid="k9"), "the token is signed by a key the issuer does not publish"),
    ]
    async with httpx2.AsyncClient(timeout=30) as http:
        # Each case three times: round robin reaches every replica.
        for headers, refusal in cases * 3:
            response = await http.post(endpoint(team, "sqlite"), json=call_body("list_tables", {}),
                                       headers={"Accept": "application/json, text/event-stream", **headers})
            assert response.status_code == 401, response.text
            challenge = response.headers["www-authenticate"]
            if refusal is None:
                assert challenge == f"Bearer {metadata}"
            else:
                assert challenge == f'Bearer {metadata}, error="invalid_token", error_description="{refusal}"'
        published = await http.get(f"{team.url}/.well-known/oauth-protected-resource")
        assert published.json()["authorization_servers"] == [team.platform.url]


async def test_2025_11_25_sessions_stay_with_their_replica_through_the_sticky_load_balancer(team):
    # Sessions live in the replica that opened them: HAProxy routes by `Mcp-Session-Id`.
    async with httpx2.AsyncClient(headers=bearer(team), timeout=30) as http:
        transport = streamable_http_client(endpoint(team, "sqlite"), http_client=http)
        async with Client(transport, mode="legacy") as client:
            results = [await client.call_tool("list_tables", {}) for _ in range(6)]
    assert all(not result.is_error for result in results), results


async def test_a_user_connects_through_the_platform_and_the_retry_runs(team):
    followed = []

    async def follow(context, params: types.ElicitRequestParams):
        # The user opens the link: the host sends the browser to the platform, which consents and
        # sends it back to the host with a code.
        assert params.mode == "url", params
        async with httpx2.AsyncClient(timeout=30, follow_redirects=False) as browser:
            started = await browser.get(params.url)
            assert started.status_code == 303, started.text
            consent = await browser.get(started.headers["location"])
            assert consent.status_code == 302, consent.text
            cookie = started.headers["set-cookie"].split(";")[0]
            done = await browser.get(consent.headers["location"], headers={"Cookie": cookie})
            assert done.status_code == 200, done.text
        followed.append(params.url)
        return types.ElicitResult(action="accept")

    async with httpx2.AsyncClient(headers=bearer(team), timeout=30) as http:
        transport = streamable_http_client(endpoint(team, "github"), http_client=http)
        async with Client(transport, mode=MODERN, elicitation_callback=follow) as client:
            result = await client.call_tool(
                "get_issue", {"owner": "octo-org", "repo": "hello-world", "issueNumber": 7})
    assert len(followed) == 1 and "/connect/github?ticket=" in followed[0]
    assert not result.is_error, result
    assert result.content[0].text.startswith("# #7")
    connected = [index for index in range(3) if "connected an account" in team.log(index)]
    assert len(connected) == 1, "one replica stored the connection; the retry ran wherever it landed"


class User:
    def __init__(self, decision: str):
        self.decision = decision
        self.asked = 0

    async def __call__(self, context, params):
        self.asked += 1
        return types.ElicitResult(action="accept", content={"decision": self.decision})


async def test_a_call_held_by_one_replica_is_resumed_by_another_and_always_is_shared(team):
    # ana connected GitHub in the test before (the tests share one team).
    user = User("always")
    issue = {"owner": "octo-org", "repo": "hello-world", "title": "from the team"}
    async with httpx2.AsyncClient(headers=bearer(team), timeout=30) as http:
        transport = streamable_http_client(endpoint(team, "github"), http_client=http)
        async with Client(transport, mode=MODERN, elicitation_callback=user) as client:
            results = [await client.call_tool("create_issue", issue) for _ in range(3)]
    assert all(not result.is_error for result in results), results
    assert team.platform.created == 3
    assert user.asked == 1, "asked once; the other replicas remembered the answer"
    # The replica that held the call is not the one that resumed it (round robin).
    held_by = [index for index in range(3) if "outcome=ApprovalRequested" in team.log(index)]
    resumed_by = [index for index in range(3) if "outcome=RanWithApproval" in team.log(index)]
    assert len(held_by) == 1 and len(resumed_by) == 1 and held_by != resumed_by, (held_by, resumed_by)


async def test_a_tampered_or_replayed_state_is_refused(team):
    # A `high` tool: asked every time, never remembered.
    review = {"owner": "octo-org", "repo": "hello-world", "pullNumber": 3, "body": "LGTM", "event": "COMMENT"}
    async with httpx2.AsyncClient(headers=bearer(team), timeout=30) as http:
        url = endpoint(team, "github")
        held = message(await post_call(http, url, "create_pull_request_review", review))
        state = held["result"]["requestState"]
        texts = []
        for answer in [state[:-1] + ("A" if state[-1] != "A" else "B"), state, state]:
            answered = message(await post_call(
                http, url, "create_pull_request_review", review, state=answer, decision="once"))
            texts.append(answered["result"]["content"][0]["text"])
    assert texts[0].startswith("the request state does not belong to this call"), texts
    assert "no call is waiting" not in texts[1], texts
    assert "no call is waiting" in texts[2], texts


async def test_a_thousand_calls_while_a_replica_is_killed_and_restarted(team):
    outcomes = {"answered": 0, "error_result": 0, "http_error": 0, "transport_error": 0}
    query = {"sql": "SELECT count(*) AS n FROM customers"}

    async with httpx2.AsyncClient(headers=bearer(team), timeout=30) as http:
        async def one(number: int) -> None:
            if number == 300:
                team.kill(1)
            if number == 600:
                team.start(1)
            try:
                with anyio.fail_after(30):
                    response = await post_call(http, endpoint(team, "sqlite"), "query", query)
            except (httpx2.HTTPError, OSError):
                outcomes["transport_error"] += 1
                return
            if response.status_code != 200:
                outcomes["http_error"] += 1
                return
            result = message(response)["result"]
            outcomes["error_result" if result.get("isError") else "answered"] += 1

        limiter = anyio.CapacityLimiter(16)

        async def limited(number: int) -> None:
            async with limiter:
                await one(number)

        started = time.monotonic()
        async with anyio.create_task_group() as group:
            for number in range(1000):
                group.start_soon(limited, number)
        elapsed = time.monotonic() - started
    record = ROOT / "target" / "team-outcomes.json"
    record.write_text(json.dumps({**outcomes, "seconds": round(elapsed, 1)}))
    assert sum(outcomes.values()) == 1000, outcomes
    assert outcomes["answered"] >= 900, outcomes
    # What was stored before the restart is still there: ana's remembered approval.
    async with httpx2.AsyncClient(headers=bearer(team), timeout=30) as http:
        ran = message(await post_call(http, endpoint(team, "github"), "create_issue",
                                      {"owner": "octo-org", "repo": "hello-world", "title": "after"}))
    assert "requestState" not in ran["result"], ran
