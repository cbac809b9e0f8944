"""A host a team deploys, started for the tests on loopback: PostgreSQL (Debian's server
binaries, a data directory of its own), a fake platform (an identity provider publishing its
keys and signing people in to the console with OpenID Connect, GitHub's OAuth app endpoints and
API), `mcp-providers serve` replicas (three by default) sharing the database, and HAProxy
round-robin in front of them (sticky on `Mcp-Session-Id`)."""

import base64
import contextlib
import glob
import hashlib
import html
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parents[2]
ISSUE = json.loads((ROOT / "providers/tests/fixtures/github/issue.json").read_text())
USER_TOKEN = "gho_ana-connected"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port}")


def as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run as the `postgres` user."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class Postgres:
    def __init__(self, directory: Path):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        assert bins, "PostgreSQL's server binaries (Debian's `postgresql` package)"
        self.bin = Path(os.environ.get("PG_BIN", bins[-1]))
        self.directory = directory
        if os.geteuid() == 0:
            import pwd

            owner = pwd.getpwnam("postgres")
            os.chown(directory, owner.pw_uid, owner.pw_gid)
        self.data = directory / "data"
        self.port = free_port()
        self.run("initdb", "-D", str(self.data), "-U", "mcp", "-A", "trust", "--no-sync")
        options = f"-p {self.port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(directory / "log"), "-w", "start")
        self.run("createdb", f"--maintenance-db=postgres://mcp@127.0.0.1:{self.port}/postgres", "team")
        self.url = f"postgres://mcp@127.0.0.1:{self.port}/team"

    def run(self, program: str, *args: str) -> None:
        subprocess.run(as_postgres([str(self.bin / program), *args]), check=True, capture_output=True)

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")


class Platform(BaseHTTPRequestHandler):
    """The identity provider (JWKS), GitHub's OAuth endpoints and the API the tests call."""

    server: "PlatformServer"

    def log_message(self, *args) -> None:  # quiet
        pass

    def reply(self, status: int, body=None, headers: dict | None = None) -> None:
        payload = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def page(self, body: str) -> None:
        payload = body.encode()
        self.send_response(200)
        self.send_header("content-type", "text/html; charset=utf-8")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        url = urllib.parse.urlparse(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/jwks":
            return self.reply(200, {"keys": [self.server.jwk]})
        if url.path == "/.well-known/openid-configuration":
            base = self.server.url
            return self.reply(200, {"issuer": base, "authorization_endpoint": f"{base}/authorize",
                                    "token_endpoint": f"{base}/token", "jwks_uri": f"{base}/jwks"})
        if url.path == "/authorize":
            # The identity provider's sign-in page: a person types who they are.
            return self.page(f"""<!doctype html><title>Sign in</title>
<form method="post" action="/authorize"><label>User <input name="user" autofocus></label>
<input type="hidden" name="query" value="{html.escape(url.query)}"><button>Sign in</button></form>""")
        if url.path == "/login/oauth/authorize":
            # The user consents at once: back to the host with a code.
            code = f"code-{len(self.server.challenges)}"
            self.server.challenges[code] = query["code_challenge"]
            location = f"{query['redirect_uri']}?{urllib.parse.urlencode({'code': code, 'state': query['state']})}"
            return self.reply(302, headers={"location": location})
        if url.path == "/user":
            # Whom a token is for, as GitHub's `/user` says.
            if self.headers.get("authorization") != f"Bearer {USER_TOKEN}":
                return self.reply(401, {"message": "Bad credentials"})
            return self.reply(200, {"login": "ana-gh", "id": 7})
        if url.path.startswith("/repos/octo-org/hello-world/issues/7"):
            if self.headers.get("authorization") != f"Bearer {USER_TOKEN}":
                return self.reply(401, {"message": "Bad credentials"})
            return self.reply(200, [] if url.path.endswith("/comments") else ISSUE)
        self.reply(404, {"message": "Not Found"})

    def do_POST(self) -> None:
        url = urllib.parse.urlparse(self.path)
        length = int(self.headers.get("content-length", 0))
        body = self.rfile.read(length).decode()
        if url.path == "/authorize":
            form = dict(urllib.parse.parse_qsl(body))
            asked = dict(urllib.parse.parse_qsl(form["query"]))
            code = f"sign-in-{len(self.server.sign_ins)}"
            self.server.sign_ins[code] = {"user": form["user"], **asked}
            location = f"{asked['redirect_uri']}?{urllib.parse.urlencode({'code': code, 'state': asked['state']})}"
            return self.reply(302, headers={"location": location})
        if url.path == "/token":
            form = dict(urllib.parse.parse_qsl(body))
            sign_in = self.server.sign_ins.pop(form.get("code"), None)
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if sign_in is None or sign_in["code_challenge"] != challenge \
                    or sign_in["redirect_uri"] != form.get("redirect_uri"):
                return self.reply(400, {"error": "invalid_grant"})
            user = sign_in["user"]
            groups = ["mcp-admins"] if user in self.server.admins else []
            id_token = self.server.token(sign_in["client_id"], subject=user,
                                         extra={"nonce": sign_in["nonce"], "name": user.title(), "groups": groups})
            return self.reply(200, {"access_token": f"idp-{user}", "token_type": "Bearer", "expires_in": 3600,
                                    "id_token": id_token})
        if url.path == "/login/oauth/access_token":
            form = dict(urllib.parse.parse_qsl(body))
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if self.server.challenges.get(form.get("code")) != challenge:
                return self.reply(400, {"error": "invalid_grant"})
            return self.reply(200, {"access_token": USER_TOKEN, "token_type": "bearer", "expires_in": 28800,
                                    "refresh_token": "ghr_refresh", "scope": "repo read:org"})
        if url.path == "/revoke":
            # RFC 7009, with the app's credentials.
            form = dict(urllib.parse.parse_qsl(body))
            expected = "Basic " + base64.b64encode(b"the-app:app-secret").decode()
            if self.headers.get("authorization") != expected:
                return self.reply(401, {"error": "invalid_client"})
            self.server.revoked.append((form.get("token"), form.get("token_type_hint")))
            return self.reply(200)
        if url.path == "/repos/octo-org/hello-world/issues":
            self.server.created += 1
            return self.reply(201, ISSUE)
        self.reply(404, {"message": "Not Found"})


class PlatformServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Platform)
        self.key = Ed25519PrivateKey.generate()
        self.jwk = json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(self.key.public_key()))
        self.jwk.update(kid="k1", alg="EdDSA", use="sig")
        self.challenges: dict[str, str] = {}
        self.sign_ins: dict[str, dict] = {}
        self.revoked: list[tuple[str, str]] = []
        self.admins = {"ada"}
        self.created = 0
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def token(self, audience: str, *, expires_in: int = 3600, key=None, kid: str = "k1", subject: str = "ana",
              extra: dict | None = None) -> str:
        claims = {"iss": self.url, "sub": subject, "aud": audience, "exp": int(time.time()) + expires_in,
                  "scope": "mcp", **(extra or {})}
        return jwt.encode(claims, key or self.key, algorithm="EdDSA", headers={"kid": kid})


STATE_KEY = base64.b64encode(b"state-key-shared-by-the-replicas").decode()
TOKEN_KEY = base64.b64encode(b"token-key-of-thirty-two-bytes!!!").decode()


class Team:
    """The replicas and the load balancer."""

    def __init__(self, binary: str, directory: Path, database: str | None, platform: PlatformServer,
                 replicas: int = 3):
        """`database`: PostgreSQL's URL, or `None` for each replica's embedded store."""
        self.binary = binary
        self.directory = directory
        self.lb_port = free_port()
        self.url = f"http://127.0.0.1:{self.lb_port}"
        self.ports = [free_port() for _ in range(replicas)]
        self.shared = database is not None
        self.env = {**os.environ, "TEAM_DATABASE_URL": database or "", "TEAM_STATE_KEY": STATE_KEY,
                    "TEAM_TOKEN_KEY": TOKEN_KEY, "RUST_LOG": "info"}
        self.platform = platform
        self.replicas: list[subprocess.Popen | None] = [None] * replicas
        self.logs = [directory / f"replica-{index}.log" for index in range(replicas)]
        for index in range(replicas):
            self.config(index)
            self.start(index)
        self.haproxy = self.start_haproxy()

    def config(self, index: int) -> None:
        platform = self.platform.url
        (self.directory / f"replica-{index}.toml").write_text(f"""
listen = "127.0.0.1:{self.ports[index]}"
public_url = "{self.url}"

[auth]
issuer = "{platform}"
jwks_url = "{platform}/jwks"

[store]
{'postgres = { env = "TEAM_DATABASE_URL" }' if self.shared else ''}
token_keys = [{{ env = "TEAM_TOKEN_KEY" }}]

[approvals]
state_keys = [{{ env = "TEAM_STATE_KEY" }}]
allow = ["github/update_issue"]

[workspace]
flags_claim = "mcp_flags"

[connect.github]
client_id = "the-app"
client_secret = "app-secret"
authorize_url = "{platform}/login/oauth/authorize"
token_url = "{platform}/login/oauth/access_token"
account_url = "{platform}/user"
revocation_url = "{platform}/revoke"

[servers.github]
api_url = "{platform}"

[console]
client_id = "mcp-console"
admins = {{ claim = "groups", value = "mcp-admins" }}

[servers.sqlite]
[servers.salesforce]
""")

    def start(self, index: int) -> None:
        log = open(self.logs[index], "a")
        self.replicas[index] = subprocess.Popen(
            [self.binary, "serve", "--config", str(self.directory / f"replica-{index}.toml")],
            stderr=log, env=self.env)
        wait_for_port(self.ports[index])

    def kill(self, index: int) -> None:
        process = self.replicas[index]
        process.kill()
        process.wait(timeout=10)

    def start_haproxy(self) -> subprocess.Popen:
        servers = "\n".join(
            f"    server r{index} 127.0.0.1:{port} check inter 200ms fall 1 rise 1"
            for index, port in enumerate(self.ports))
        config = self.directory / "haproxy.cfg"
        config.write_text(f"""
global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 2
    option redispatch
frontend mcp
    bind 127.0.0.1:{self.lb_port}
    default_backend replicas
backend replicas
    balance roundrobin
    stick-table type string len 64 size 100k expire 30m
    stick match req.hdr(mcp-session-id)
    stick store-response res.hdr(mcp-session-id)
{servers}
""")
        process = subprocess.Popen(["haproxy", "-f", str(config), "-db"], stdout=subprocess.DEVNULL,
                                   stderr=open(self.directory / "haproxy.log", "w"))
        wait_for_port(self.lb_port)
        return process

    def log(self, index: int) -> str:
        return self.logs[index].read_text()

    def stop(self) -> None:
        self.haproxy.terminate()
        self.haproxy.wait(timeout=10)
        for process in self.replicas:
            if process and process.poll() is None:
                process.terminate()
                process.wait(timeout=20)


@contextlib.contextmanager
def deployed(binary: str, directory: Path):
    """A team host on loopback, as a team deploys it, for the length of the `with`."""
    # Under /tmp itself: pytest's own directories are closed to the `postgres` user.
    postgres = Postgres(Path(tempfile.mkdtemp(prefix="mcp-team-postgres-")))
    platform = PlatformServer()
    team = Team(binary, directory, postgres.url, platform)
    try:
        yield team
    finally:
        team.stop()
        platform.shutdown()
        postgres.stop()
        shutil.rmtree(postgres.directory, ignore_errors=True)
