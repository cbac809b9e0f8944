"""Raw HTTP against `serve --http`: what clients parse when a request is wrong, and ending sessions."""

import httpx2 as httpx

HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream"}


def test_a_body_that_is_not_json_gets_a_json_rpc_parse_error(http_server):
    response = httpx.post(f"{http_server}/mcp", content=b"{not json", headers=HEADERS)
    assert response.status_code == 400
    body = response.json()
    assert body["jsonrpc"] == "2.0"
    assert body["error"]["code"] == -32700
    assert body["error"]["message"].startswith("parse error: ")


def test_a_call_whose_parameters_do_not_fit_is_invalid_params(http_server):
    call = {"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": "query", "arguments": [1]}}
    headers = {**HEADERS, "mcp-protocol-version": "2026-07-28"}
    response = httpx.post(f"{http_server}/mcp", json=call, headers=headers)
    assert response.json() == {
        "jsonrpc": "2.0",
        "id": 7,
        "error": {"code": -32602, "message": "invalid params for `tools/call`: `arguments` must be an object"},
    }


def test_ending_a_session_is_200_and_an_unknown_one_404(http_server):
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": {"name": "raw", "version": "1"},
        },
    }
    with httpx.Client() as client:
        response = client.post(f"{http_server}/mcp", json=initialize, headers=HEADERS)
        assert response.status_code == 200
        session = response.headers["mcp-session-id"]
        ended = client.delete(f"{http_server}/mcp", headers={**HEADERS, "mcp-session-id": session})
        assert ended.status_code == 200
        again = client.delete(f"{http_server}/mcp", headers={**HEADERS, "mcp-session-id": session})
        assert again.status_code == 404
        unknown = client.delete(f"{http_server}/mcp", headers={**HEADERS, "mcp-session-id": "no-such"})
        assert unknown.status_code == 404


def test_past_the_session_cap_the_idlest_session_is_ended():
    import subprocess

    from conftest import ROOT

    process = subprocess.Popen(
        [str(ROOT / "target" / "debug" / "test-servers"), "--http", "--max-sessions", "3"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stderr.readline()
        assert line.startswith("serving MCP on "), line
        url = line.split()[-1] + "/servers/echo/mcp"
        initialize = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-11-25",
                "capabilities": {},
                "clientInfo": {"name": "raw", "version": "1"},
            },
        }
        with httpx.Client() as client:
            sessions = []
            for _ in range(5):
                response = client.post(url, json=initialize, headers=HEADERS)
                assert response.status_code == 200
                sessions.append(response.headers["mcp-session-id"])
            # The two idlest were ended to make room; the three latest live.
            for session in sessions[:2]:
                gone = client.delete(url, headers={**HEADERS, "mcp-session-id": session})
                assert gone.status_code == 404, session
            for session in sessions[2:]:
                live = client.delete(url, headers={**HEADERS, "mcp-session-id": session})
                assert live.status_code == 200, session
    finally:
        process.terminate()
        process.wait(timeout=10)
