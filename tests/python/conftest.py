"""Fixtures: the `mcp-providers` binary, spawned over stdio or serving Streamable HTTP on loopback."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def anyio_backend():
    return "asyncio"


@pytest.fixture(scope="session")
def binary() -> str:
    """The host binary; CI builds it first (`cargo build -p providers`)."""
    path = Path(os.environ.get("MCP_PROVIDERS_BIN", ROOT / "target" / "debug" / "mcp-providers"))
    assert path.exists(), f"{path} is missing: run `cargo build -p providers` first"
    return str(path)


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    """A private temporary directory, so the sample database is created by this test run."""
    return tmp_path_factory.mktemp("sample")


@pytest.fixture(scope="session")
def server_env(sample_dir) -> dict:
    env = dict(os.environ)
    env.pop("SQLITE_PATH", None)
    env["TMPDIR"] = str(sample_dir)
    return env


@pytest.fixture
def http_server(binary, server_env):
    """`mcp-providers serve --http 127.0.0.1:0 --server sqlite`; yields the base URL
    (`http://127.0.0.1:PORT`)."""
    yield from serve(binary, server_env, "sqlite")


@pytest.fixture
def conformance_server(binary, server_env):
    """The same, serving the conformance fixtures (`--server conformance`)."""
    yield from serve(binary, server_env, "conformance")


def serve(binary, server_env, server):
    process = subprocess.Popen(
        [binary, "serve", "--http", "127.0.0.1:0", "--server", server],
        stderr=subprocess.PIPE,
        text=True,
        env=server_env,
    )
    try:
        line = process.stderr.readline()
        assert line.startswith("serving MCP on "), line
        url = line.split()[-1]
        yield url.removesuffix("/mcp")
    finally:
        process.terminate()
        process.wait(timeout=10)
