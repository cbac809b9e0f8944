"""Resources, resource templates, prompts and completions of the `sqlite` server, with the official
Python client over Streamable HTTP, on both protocol revisions."""

import pytest
from mcp import Client, types

pytestmark = pytest.mark.anyio

MODES = ["2026-07-28", "legacy"]


@pytest.mark.parametrize("mode", MODES)
async def test_the_schema_and_tables_are_resources(http_server, mode):
    async with Client(http_server + "/mcp", mode=mode) as client:
        resources = await client.list_resources()
        assert [resource.uri for resource in resources.resources] == ["sqlite://schema"]
        templates = await client.list_resource_templates()
        assert [template.uri_template for template in templates.resource_templates] == [
            "sqlite://tables/{name}"
        ]
        schema = await client.read_resource("sqlite://schema")
        [contents] = schema.contents
        assert contents.mime_type == "text/markdown"
        assert "orders" in contents.text
        table = await client.read_resource("sqlite://tables/orders")
        assert "customer_id" in table.contents[0].text
        with pytest.raises(Exception) as missing:
            await client.read_resource("sqlite://nothing")
        assert "Resource not found" in str(missing.value)


@pytest.mark.parametrize("mode", MODES)
async def test_prompts_take_their_arguments_and_names_complete(http_server, mode):
    async with Client(http_server + "/mcp", mode=mode) as client:
        prompts = await client.list_prompts()
        explore = next(prompt for prompt in prompts.prompts if prompt.name == "explore_table")
        assert [(argument.name, argument.required) for argument in explore.arguments] == [("table", True)]
        assert explore.arguments[0].description == "The table or view to explore."
        prompt = await client.get_prompt("explore_table", {"table": "orders"})
        assert 'SELECT * FROM "orders" LIMIT 5' in prompt.messages[0].content.text
        completed = await client.complete(
            types.PromptReference(type="ref/prompt", name="explore_table"), {"name": "table", "value": "ord"}
        )
        assert completed.completion.values == ["order_items", "order_totals", "orders"]
        completed = await client.complete(
            types.ResourceTemplateReference(type="ref/resource", uri="sqlite://tables/{name}"),
            {"name": "name", "value": "cust"},
        )
        assert completed.completion.values == ["customers"]
