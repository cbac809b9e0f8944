"""The web console in a real browser (Debian's Chromium, driven by Playwright) against the team
setup: three replicas sharing PostgreSQL behind HAProxy (round robin: each page and form may
reach another replica), and a fake identity provider people sign in at. The MCP client is the
official Python SDK, which declares no elicitation, so a held call's answer is the link to its
page; the person decides there and the client's retry runs, or is refused."""

import contextlib
import re
import shutil

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from playwright.async_api import Browser, Page, async_playwright, expect

from conftest import ROOT
from team import Team, deployed

pytestmark = pytest.mark.anyio

MODERN = "2026-07-28"
SHOTS = ROOT / "target" / "console-screenshots"
ISSUE = {"owner": "octo-org", "repo": "hello-world", "title": "Ship the console",
         "body": "# Release notes\n\n" + "- fixed a thing\n" * 40}
# The flags Debian's Chromium needs here: no sandbox as root, no network beyond loopback.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def anyio_backend():
    return "asyncio"


@pytest.fixture(scope="module")
def team(binary, tmp_path_factory):
    with deployed(binary, tmp_path_factory.mktemp("console")) as team:
        yield team


@contextlib.asynccontextmanager
async def chromium():
    async with async_playwright() as playwright:
        chromium = shutil.which("chromium")
        assert chromium, "Debian's Chromium (`scripts/packages.sh` installs it)"
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


async def person(browser: Browser, team: Team, user: str, url: str) -> Page:
    """A browser of its own for `user`, opening `url` and signing in at the identity provider on
    the way."""
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(url)
    # Not signed in: the console sends the browser to the identity provider's sign-in page.
    assert page.url.startswith(f"{team.platform.url}/authorize?"), page.url
    await page.get_by_label("User").fill(user)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(url)
    return page


async def shoot(page: Page, name: str) -> None:
    """Screenshots of the page at a desktop's width and a phone's."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height, label in [(1280, 800, "desktop"), (390, 844, "phone")]:
        await page.set_viewport_size({"width": width, "height": height})
        await page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    await page.set_viewport_size({"width": 1280, "height": 800})


def bearer(team: Team, user: str = "ana") -> dict:
    return {"Authorization": f"Bearer {team.platform.token(team.url, subject=user)}"}


async def create_issue(team: Team, user: str = "ana"):
    """`create_issue` (stake `low`) called by `user`'s client, which cannot ask them."""
    async with httpx2.AsyncClient(headers=bearer(team, user), timeout=30) as http:
        transport = streamable_http_client(f"{team.url}/servers/github/mcp", http_client=http)
        async with Client(transport, mode=MODERN) as client:
            return await client.call_tool("create_issue", ISSUE)


async def get_issue(team: Team):
    """`get_issue` (issue 7 of the fake platform) called by ana's client: it needs her account."""
    async with httpx2.AsyncClient(headers=bearer(team), timeout=30) as http:
        transport = streamable_http_client(f"{team.url}/servers/github/mcp", http_client=http)
        async with Client(transport, mode=MODERN) as client:
            return await client.call_tool("get_issue", {"owner": "octo-org", "repo": "hello-world", "issueNumber": 7})


def page_link(result) -> str:
    assert result.is_error, result
    found = re.search(r"open (\S+/console/calls/approval-[0-9a-f]+) to approve", result.content[0].text)
    assert found, result.content[0].text
    return found.group(1)


def audited(team: Team, outcome: str) -> int:
    return sum(team.log(index).count(f"outcome={outcome}") for index in range(3))


async def test_a_person_connects_their_account_through_the_link_their_client_shows(team):
    not_connected = await get_issue(team)
    assert not_connected.is_error, not_connected
    found = re.search(r"Connect at (\S+), then call again\.", not_connected.content[-1].text)
    assert found, not_connected.content
    async with chromium() as browser:
        page = await (await browser.new_context()).new_page()
        # The platform consents at once and sends the browser back to the host.
        await page.goto(found.group(1))
        await expect(page.get_by_role("heading", level=1)).to_have_text("Connected")
    connected = await get_issue(team)
    assert not connected.is_error, connected
    assert connected.content[0].text.startswith("# #7")


async def test_a_held_call_is_approved_on_its_page_and_the_clients_retry_runs(team):
    held = await create_issue(team)
    url = page_link(held)
    async with chromium() as browser:
        page = await person(browser, team, "ana", url)
        response = await page.reload()
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy, policy
        await expect(page.get_by_role("heading", level=1)).to_have_text("Approve a call?")
        facts = page.locator("dl.facts")
        await expect(facts).to_contain_text("github")
        await expect(facts).to_contain_text("create_issue")
        await expect(facts).to_contain_text("low")
        # The markdown body is shown as its text, folded under its first line.
        body = page.locator("dl.arguments details")
        await expect(body.locator("summary")).to_contain_text("# Release notes")
        await expect(page.locator("dl.arguments")).to_contain_text("Ship the console")
        # A `low` call offers once, always and reject.
        buttons = page.locator("form.decision button")
        await expect(buttons).to_have_text(["Approve once", "Always allow", "Reject"])
        await shoot(page, "held-call")
        # By keyboard: the first choice is reached by tabbing and taken with Enter.
        await page.locator("form.decision button").first.focus()
        await page.keyboard.press("Enter")
        await expect(page.get_by_role("status")).to_contain_text("You approved this call once.")
        await expect(page.get_by_role("heading", level=1)).to_have_text("Call approved")
        await shoot(page, "held-call-decided")
    created = team.platform.created
    retried = await create_issue(team)
    assert not retried.is_error, retried
    assert team.platform.created == created + 1
    # Used up: the next such call is held again.
    assert page_link(await create_issue(team)) != url


async def test_another_person_is_refused_the_page_and_a_forged_form_is_refused(team):
    url = page_link(await create_issue(team))
    refused_before = audited(team, "RefusedWrongUser")
    async with chromium() as browser:
        bo = await person(browser, team, "bo", url)
        await expect(bo.get_by_role("heading", level=1)).to_have_text("Nothing waits here")
        assert "Create issue" not in await bo.content()
        # bo's form post, with bo's own valid CSRF token, decides nothing either.
        csrf = await bo.locator("header input[name=csrf]").get_attribute("value")
        posted = await bo.context.request.post(url, form={"decision": "once", "csrf": csrf})
        assert posted.status == 404, await posted.text()
        await shoot(bo, "not-yours")

        ana = await person(browser, team, "ana", url)
        # A form posted without its CSRF token, or with another session's: refused.
        for form in [{"decision": "once"}, {"decision": "once", "csrf": csrf}]:
            forged = await ana.context.request.post(url, form=form)
            assert forged.status == 403, await forged.text()
            assert "This form cannot be taken" in await forged.text()
        # The call is still waiting: ana rejects it.
        await ana.reload()
        await ana.get_by_role("button", name="Reject").click()
        await expect(ana.get_by_role("status")).to_contain_text("You rejected this call.")
    assert audited(team, "RefusedWrongUser") >= refused_before + 2
    refused = await create_issue(team)
    assert refused.is_error and "the user rejected this call" in refused.content[0].text, refused


async def test_an_always_is_listed_under_my_approvals_and_revoking_it_asks_again(team):
    url = page_link(await create_issue(team))
    async with chromium() as browser:
        page = await person(browser, team, "ana", url)
        await page.get_by_role("button", name="Always allow").click()
        await expect(page.get_by_role("status")).to_contain_text("its like from now on")
        created = team.platform.created
        for _ in range(2):
            ran = await create_issue(team)
            assert not ran.is_error, ran
        assert team.platform.created == created + 2

        await page.get_by_role("navigation", name="Console").get_by_role("link", name="My approvals").click()
        rows = page.locator("tbody tr")
        await expect(rows).to_have_count(1)
        await expect(rows.first).to_contain_text("github / create_issue")
        await expect(rows.first).to_contain_text("every call")
        await shoot(page, "my-approvals")
        await page.get_by_role("button", name="Revoke github/create_issue").click()
        await expect(page.locator("p.empty")).to_be_visible()
        await shoot(page, "my-approvals-empty")
    assert audited(team, "Revoked") == 1
    # Revoked on every replica: the next call is held again.
    page_link(await create_issue(team))


async def test_an_admin_filters_and_pages_the_audit_log_and_others_may_not_read_it(team):
    # Sixty reads (`never_ask`): more than a page of one outcome.
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {
        "name": "list_tables", "arguments": {}, "_meta": {
            "io.modelcontextprotocol/protocolVersion": MODERN,
            "io.modelcontextprotocol/clientCapabilities": {},
            "io.modelcontextprotocol/clientInfo": {"name": "console", "version": "1"}}}}
    headers = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": MODERN,
               "Mcp-Method": "tools/call", "Mcp-Name": "list_tables", **bearer(team, "cy")}
    async with httpx2.AsyncClient(timeout=30) as http:
        for _ in range(60):
            response = await http.post(f"{team.url}/servers/sqlite/mcp", json=body, headers=headers)
            assert response.status_code == 200, response.text
    async with chromium() as browser:
        ana = await person(browser, team, "ana", f"{team.url}/console")
        await expect(ana.get_by_role("link", name="Audit log")).to_have_count(0)
        await shoot(ana, "home")
        refused = await ana.goto(f"{team.url}/console/audit")
        assert refused.status == 403
        await expect(ana.get_by_role("heading", level=1)).to_have_text("Admins only")

        ada = await person(browser, team, "ada", f"{team.url}/console")
        await ada.get_by_role("navigation", name="Console").get_by_role("link", name="Audit log").click()
        await expect(ada.get_by_role("heading", level=1)).to_have_text("Audit log")
        await ada.get_by_label("User").fill("ana")
        await ada.get_by_label("Outcome").select_option(label="rejected")
        await ada.get_by_role("button", name="Filter").click()
        rows = ada.locator("tbody tr")
        await expect(rows).to_have_count(1)
        await expect(rows.first).to_contain_text("github / create_issue")
        await shoot(ada, "audit-filtered")

        await ada.get_by_label("User").fill("cy")
        await ada.get_by_label("Outcome").select_option(label="ran (never asks)")
        await ada.get_by_label("Server").select_option("sqlite")
        await ada.get_by_role("button", name="Filter").click()
        await expect(rows).to_have_count(50)
        await shoot(ada, "audit-page")
        await ada.get_by_role("link", name="Older events").click()
        await expect(rows).to_have_count(10)
        await expect(ada.get_by_role("link", name="Older events")).to_have_count(0)
        await ada.get_by_role("link", name="Newest events").click()
        await expect(rows).to_have_count(50)


async def test_a_person_sees_disconnects_and_connects_again_their_account(team):
    async with chromium() as browser:
        page = await person(browser, team, "ana", f"{team.url}/console/connections")
        row = page.locator("tbody tr", has_text="github")
        await expect(row).to_contain_text("ana-gh")
        await expect(row).to_contain_text("repo")
        await expect(row).to_contain_text("read:org")
        await expect(row).to_contain_text("renewed as needed")
        await shoot(page, "my-connections")
        await page.get_by_role("button", name="Disconnect github").click()
        await expect(page.get_by_role("status")).to_have_text(
            "Disconnected github. The platform revoked its token.")
        assert team.platform.revoked == [("ghr_refresh", "refresh_token")]
        await expect(row).to_contain_text("Not connected")
        await shoot(page, "my-connections-disconnected")
        refused = await get_issue(team)
        assert refused.is_error and "Connect at" in refused.content[-1].text, refused

        await page.get_by_role("link", name="Connect github").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Connected")
        await page.goto(f"{team.url}/console/connections")
        await expect(row).to_contain_text("ana-gh")
    connected = await get_issue(team)
    assert not connected.is_error, connected


async def test_an_admin_sees_what_each_principal_sees_with_the_stakes_held_here(team):
    async with chromium() as browser:
        ada = await person(browser, team, "ada", f"{team.url}/console/servers")
        github = ada.locator("section.server", has=ada.locator("h2", has_text="github"))
        # An override in the configuration: the stake held here, and the one declared.
        await expect(github.locator("tr", has_text="update_issue")).to_contain_text("never_ask (declared low)")
        await expect(github.locator("tr", has_text="create_pull_request_review")).to_contain_text("high")
        salesforce = ada.locator("section.server", has=ada.locator("h2", has_text="salesforce"))
        await expect(salesforce.locator("h2")).to_contain_text("restricted")
        await expect(salesforce).to_contain_text("Does not exist for this principal")
        await shoot(ada, "servers")
        await ada.get_by_label("Feature flags").fill("salesforce_tool")
        await ada.get_by_role("button", name="View as").click()
        await expect(salesforce.locator("tr", has_text="create_object")).to_contain_text("medium")
        await expect(salesforce.locator("tr", has_text="create_object")).to_contain_text("Create Salesforce records")

        ana = await person(browser, team, "ana", f"{team.url}/console/servers")
        await expect(ana.get_by_role("heading", level=1)).to_have_text("Admins only")
