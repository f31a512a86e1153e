"""Live servers for the integration, scale and reliability tests: the trained model's NLU
agent, a stack started like `make run` (scripts/run.sh) on free loopback ports, and a fake
Slack Web API. The fixtures are registered in tests/conftest.py."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.processes import ServerNotReady, ServerProcess, free_port

PROJECT = Path(__file__).resolve().parent.parent

MODEL = PROJECT / "models" / "bpo-faq.tar.gz"
STACK_TOKEN = "integration-test-token"
STACK_SENDER_RATE_PER_MINUTE, STACK_SENDER_BURST = 600, 30


@pytest.fixture(scope="session")
def trained_model() -> Path:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` first (make test does).")
    return MODEL


@pytest.fixture(scope="session")
def nlu_agent(trained_model):
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    # Rasa's structured logs default to debug: a line per parse and per rule look-up.
    configure_structlog(logging.WARNING)
    return Agent.load(str(trained_model))


@pytest.fixture(scope="session")
def parse(nlu_agent):
    loop = asyncio.new_event_loop()

    def _parse(text: str) -> dict:
        return loop.run_until_complete(nlu_agent.parse_message(text))

    yield _parse
    loop.close()


SLACK_SIGNING_SECRET = "test-signing-secret"


def ask(url: str, sender: str, text: str, timeout: float = 60) -> list:
    """One message through the REST channel of the server at `url`: its replies."""
    import json
    import urllib.request

    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def slack_signature_headers(body: bytes, timestamp: int | None = None, secret: str = "") -> dict[str, str]:
    """The headers Slack signs a request with (v0 HMAC-SHA256 of timestamp and body)."""
    import hashlib
    import hmac

    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(
        (secret or SLACK_SIGNING_SECRET).encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256
    ).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"}


class FakeSlackApi:
    """Slack's Web API on loopback: records every chat.postMessage call."""

    def __init__(self) -> None:
        import http.server
        import json
        import threading

        self.posts: list = []
        calls = self.posts

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.rstrip("/").endswith("chat.postMessage"):
                    calls.append(json.loads(body or b"{}"))
                reply = json.dumps({"ok": True, "ts": f"{time.time():.6f}"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def posts_to(self, channel: str) -> list:
        return [post for post in self.posts if post.get("channel") == channel]

    def stop(self) -> None:
        self.server.shutdown()


@pytest.fixture(scope="session")
def fake_slack() -> Iterator[FakeSlackApi]:
    api = FakeSlackApi()
    yield api
    api.stop()


class Stack:
    """Rasa and the action server started with scripts/run.sh, as `make run` does."""

    def __init__(
        self, tmp: Path, model: Path, slack_api_url: str = "", token: str = STACK_TOKEN, **env: str
    ) -> None:
        self.rasa_port = free_port()
        self.action_port = free_port()
        self.widget_port = free_port()
        self.url = f"http://127.0.0.1:{self.rasa_port}"
        self.widget_url = f"http://127.0.0.1:{self.widget_port}"
        # Another site embedding the widget with one script tag: the browser test serves its
        # page there (tests/integration/test_widget_launcher.py).
        self.host_page_port = free_port()
        self.host_page_origin = f"http://127.0.0.1:{self.host_page_port}"
        self.token = token
        self.log = tmp / "stack.log"
        self.env = {
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false",
            "PYTHONPATH": str(PROJECT),
            "RASA_HOST": "127.0.0.1",
            "RASA_PORT": str(self.rasa_port),
            "ACTION_HOST": "127.0.0.1",
            "ACTION_PORT": str(self.action_port),
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.action_port}/webhook",
            "TRACKER_DB": str(tmp / "tracker.db"),
            "WIDGET_HOST": "127.0.0.1",
            "WIDGET_PORT": str(self.widget_port),
            "WIDGET_ORIGINS": f"{self.widget_url},{self.host_page_origin}",
            "RASA_API_TOKEN": token,
            "RASA_MODEL": str(model),
            # A silent action server is answered with an apology after this long.
            "REPLY_BUDGET_SECONDS": "4",
            # The load tests drive 20-turn conversations far faster than anyone types; the
            # limiter still runs (and tests/reliability/test_rate_limits.py floods past it).
            "RATE_LIMIT_SENDER_PER_MINUTE": str(STACK_SENDER_RATE_PER_MINUTE),
            "RATE_LIMIT_SENDER_BURST": str(STACK_SENDER_BURST),
        }
        self.env.update(env)
        if slack_api_url:
            self.env.update(
                SLACK_BOT_TOKEN="xoxb-test-token",
                SLACK_SIGNING_SECRET=SLACK_SIGNING_SECRET,
                SLACK_API_URL=slack_api_url,
            )
        self.process: ServerProcess | None = None

    def start(self, timeout: float = 180.0) -> None:
        # With the HTTP API off there is no /status: "/" answers once the model is loaded.
        rasa_probe = f"{self.url}/status?token={self.token}" if self.token else f"{self.url}/"
        self.process = ServerProcess(
            [str(PROJECT / "scripts" / "run.sh")],
            cwd=PROJECT,
            env=self.env,
            log_path=self.log,
            ready_urls=[rasa_probe, f"http://127.0.0.1:{self.action_port}/health"],
            # run.sh's servers are its children: its own session lets stop() signal them all.
            new_session=True,
            name="stack",
        ).start()
        try:
            self.process.wait_ready(timeout)
        except ServerNotReady as error:
            self.stop()
            # run.sh's own log says little: the servers' logs under log/ say why.
            raise RuntimeError(f"stack {error.reason}:\n{self.logs()[-3000:]}") from error

    def logs(self) -> str:
        """Everything the stack printed: run.sh's own output and each server's log file."""
        parts = [self.log] + sorted((self.log.parent / "log").glob("*.log"))
        return "\n".join(path.read_text(errors="replace") for path in parts if path.exists())

    def child_pid(self, marker: str) -> int:
        """The PID of a server this stack runs (under run.sh's supervisord) whose command line
        contains `marker`."""
        parents: dict[int, int] = {}
        commands: dict[int, str] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
                commands[int(entry.name)] = (
                    (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                )
            except OSError:
                continue
            parents[int(entry.name)] = int(status.split("PPid:")[1].split()[0])

        def descends_from_stack(pid: int) -> bool:
            while pid in parents and pid > 1:
                pid = parents[pid]
                if pid == self.process.pid:
                    return True
            return False

        for pid, command in commands.items():
            if marker in command and "supervisord" not in command and descends_from_stack(pid):
                return pid
        raise LookupError(marker)

    def wait_for_server(self, marker: str, old_pid: int, timeout: float = 60.0) -> int:
        """The PID of the server supervisord started again after `old_pid` stopped."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                pid = self.child_pid(marker)
                if pid != old_pid:
                    return pid
            except LookupError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{marker} was not restarted within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process:
            self.process.stop(timeout=30)


@pytest.fixture(scope="session")
def stack(trained_model, tmp_path_factory, fake_slack) -> Iterator[Stack]:
    running = Stack(tmp_path_factory.mktemp("stack"), trained_model, fake_slack.url)
    running.start()
    yield running
    running.stop()


SCALE_MODEL = PROJECT / "models" / "bpo-faq.tar.gz"


@pytest.fixture(scope="session")
def cluster(tmp_path_factory, fake_slack):
    """The scale-out set-up on loopback: PostgreSQL, Redis, 2 Rasa, 2 action servers, nginx."""
    from deploy.local_cluster import LocalCluster, missing_programs

    if missing_programs():
        pytest.skip(f"needs {missing_programs()} (installed by .ci/run)")
    if not SCALE_MODEL.exists():
        pytest.fail("models/bpo-faq.tar.gz is missing: run `make train` first (make test does).")
    slack = {
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": SLACK_SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.url,
    }
    with LocalCluster(tmp_path_factory.mktemp("cluster"), SCALE_MODEL, processes=2, slack=slack) as running:
        yield running
