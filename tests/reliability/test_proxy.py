"""The scale-out nginx template (deploy/nginx.conf.template), in front of a stand-in upstream:
only the channels and health pass, Rasa's HTTP API never does, bodies are capped and one
address is rate limited."""

from __future__ import annotations

import shutil
import sys
import urllib.error
import urllib.request
from string import Template

import pytest

from deploy.processes import free_port, start_server, stop_all
from tests.conftest import PROJECT

# Every path the stand-in upstream would answer 200 for, had nginx passed the request on.
UPSTREAM_FILES = [
    "index.html",
    "webhooks/rest/index.html",
    "socket.io/index.html",
    "conversations/someone/tracker",
    "status",
    "model/parse",
    "version",
]


def _status(url: str, data: bytes | None = None) -> int:
    request = urllib.request.Request(url, data=data, method="GET" if data is None else "POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    if shutil.which("nginx") is None:
        pytest.fail("nginx is not installed: run `make system` (scripts/install_system_packages.sh)")
    root = tmp_path_factory.mktemp("proxy")
    upstream_dir = root / "upstream"
    for name in UPSTREAM_FILES:
        (upstream_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (upstream_dir / name).write_text("upstream", encoding="utf-8")
    upstream_port, proxy_port = free_port(), free_port()
    prefix = (root / "nginx").resolve()
    prefix.mkdir()
    config = Template((PROJECT / "deploy" / "nginx.conf.template").read_text()).safe_substitute(
        PREFIX=str(prefix),
        RASA_PORT=proxy_port,
        ACTION_PORT=free_port(),
        RASA_SERVERS=f"        server 127.0.0.1:{upstream_port};",
        ACTION_SERVERS=f"        server 127.0.0.1:{upstream_port};",
        RATE_PER_SECOND=2,
        RATE_BURST=3,
    )
    (prefix / "nginx.conf").write_text(config, encoding="utf-8")
    upstream = start_server(
        [
            sys.executable,
            "-m",
            "http.server",
            str(upstream_port),
            "--bind",
            "127.0.0.1",
            "-d",
            str(upstream_dir),
        ],
        log_path=root / "upstream.log",
        ready_urls=[f"http://127.0.0.1:{upstream_port}/index.html"],
        name="stand-in upstream",
    )
    nginx = start_server(
        [shutil.which("nginx"), "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        log_path=root / "nginx.log",
        ready_port=proxy_port,
        name="nginx",
    )
    yield f"http://127.0.0.1:{proxy_port}"
    stop_all([nginx, upstream])


def test_only_the_channels_and_health_pass_and_the_api_never_does(proxy: str) -> None:
    assert _status(f"{proxy}/") == 200
    assert _status(f"{proxy}/webhooks/rest/") == 200
    assert _status(f"{proxy}/socket.io/") == 200
    for api in ("/conversations/someone/tracker", "/status", "/model/parse", "/version"):
        assert _status(f"{proxy}{api}") == 404, api
        assert _status(f"{proxy}{api}?token=secret") == 404, api


def test_a_large_body_is_refused_by_the_proxy(proxy: str) -> None:
    assert _status(f"{proxy}/webhooks/rest/webhook", data=b"x" * (65 * 1024)) == 413


def test_a_flood_from_one_address_gets_429(proxy: str) -> None:
    statuses = [_status(f"{proxy}/webhooks/rest/") for _ in range(12)]
    assert 429 in statuses and 200 in statuses, statuses
