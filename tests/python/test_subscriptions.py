"""Subscriptions to a resource that changes (`test://watched-resource` of the conformance fixtures),
with the official Python client: `resources/subscribe` on a 2025-11-25 session and a
`subscriptions/listen` stream on 2026-07-28. Each hears `notifications/resources/updated` when
`test_update_watched_resource` changes it."""

import anyio
import pytest
from mcp import Client, types

pytestmark = [
    pytest.mark.anyio,
    # 2025-11-25's subscriptions are what the legacy test exercises; the SDK warns they are gone in 2026.
    pytest.mark.filterwarnings("ignore::mcp.shared.exceptions.MCPDeprecationWarning"),
]

WATCHED = "test://watched-resource"


async def test_a_legacy_session_hears_of_its_subscribed_resource_until_it_unsubscribes(conformance_server):
    updated = []
    heard = anyio.Event()

    async def on_message(message):
        if isinstance(message, types.ResourceUpdatedNotification):
            updated.append(str(message.params.uri))
            heard.set()

    async with Client(conformance_server + "/mcp", mode="legacy", message_handler=on_message) as client:
        assert client.server_capabilities.resources.subscribe is True
        await client.subscribe_resource(WATCHED)
        await client.call_tool("test_update_watched_resource", {})
        with anyio.fail_after(5):
            await heard.wait()
        assert updated == [WATCHED]
        read = await client.read_resource(WATCHED)
        assert read.contents[0].text == "Watched resource, version 1"

        await client.unsubscribe_resource(WATCHED)
        await client.call_tool("test_update_watched_resource", {})
        await client.send_ping()
        assert updated == [WATCHED], "nothing after unsubscribing"

        with pytest.raises(Exception, match="Resource not found"):
            await client.subscribe_resource("test://nowhere")


async def test_a_listen_stream_hears_of_its_resource(conformance_server):
    async with Client(conformance_server + "/mcp", mode="2026-07-28") as client:
        async with client.listen(resource_subscriptions=[WATCHED, "test://nowhere"]) as subscription:
            assert list(subscription.honored.resource_subscriptions) == [WATCHED]
            await client.call_tool("test_update_watched_resource", {})
            with anyio.fail_after(5):
                event = await subscription.__anext__()
            assert str(event.uri) == WATCHED
