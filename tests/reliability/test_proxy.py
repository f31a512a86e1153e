"""The scale-out nginx template (deploy/nginx.conf.template), in front of a stand-in upstream:
only the channels and health pass, Rasa's HTTP API never does, bodies are capped, one
address is rate limited, and a kept-open connection stays with one Rasa process."""

from __future__ import annotations

import http.client
import json
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


def _upstream(root, name: str, files: dict[str, str]):
    """A stand-in upstream serving `files` (path: text) from a folder of its own."""
    folder = root / name
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    port = free_port()
    server = start_server(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "-d", str(folder)],
        log_path=root / f"{name}.log",
        ready_urls=[f"http://127.0.0.1:{port}/index.html"],
        name=f"stand-in upstream {name}",
    )
    return server, port


def _nginx(root, upstream_ports: list[int], rate_per_second: int, rate_burst: int):
    if shutil.which("nginx") is None:
        pytest.fail("nginx is not installed: run `make system` (scripts/install_system_packages.sh)")
    proxy_port = free_port()
    prefix = (root / "nginx").resolve()
    prefix.mkdir()
    servers = "\n".join(f"        server 127.0.0.1:{port};" for port in upstream_ports)
    config = Template((PROJECT / "deploy" / "nginx.conf.template").read_text()).safe_substitute(
        PREFIX=str(prefix),
        RASA_PORT=proxy_port,
        ACTION_PORT=free_port(),
        RASA_SERVERS=servers,
        ACTION_SERVERS=servers,
        RATE_PER_SECOND=rate_per_second,
        RATE_BURST=rate_burst,
    )
    (prefix / "nginx.conf").write_text(config, encoding="utf-8")
    nginx = start_server(
        [shutil.which("nginx"), "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        log_path=root / "nginx.log",
        ready_port=proxy_port,
        name="nginx",
    )
    return nginx, proxy_port


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    root = tmp_path_factory.mktemp("proxy")
    upstream, upstream_port = _upstream(root, "upstream", dict.fromkeys(UPSTREAM_FILES, "upstream"))
    nginx, proxy_port = _nginx(root, [upstream_port], rate_per_second=2, rate_burst=3)
    yield f"http://127.0.0.1:{proxy_port}"
    stop_all([nginx, upstream])


# A stand-in Rasa process: answers every GET and POST with its own name.
NAMED_UPSTREAM = """
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Named(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _answer(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = sys.argv[1].encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), Named).serve_forever()
"""


@pytest.fixture(scope="module")
def two_processes(tmp_path_factory):
    """nginx in front of two stand-in Rasa processes, each answering with its own name."""
    root = tmp_path_factory.mktemp("two-processes")
    ports = [free_port(), free_port()]
    upstreams = [
        start_server(
            [sys.executable, "-c", NAMED_UPSTREAM, name, str(port)],
            log_path=root / f"{name}.log",
            ready_port=port,
            name=f"stand-in process {name}",
        )
        for name, port in zip("AB", ports, strict=True)
    ]
    nginx, proxy_port = _nginx(root, ports, rate_per_second=1000, rate_burst=1000)
    yield proxy_port
    stop_all([nginx, *upstreams])


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


def _served_by(port: int, connection: http.client.HTTPConnection | None = None) -> str:
    """Which stand-in process answered a REST message, on `connection` or on a new one."""
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        body = json.dumps({"sender": "visitor", "message": "hi"}).encode()
        connection.request("POST", "/webhooks/rest/webhook", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        assert response.status == 200
        return response.read().decode()
    finally:
        if own:
            connection.close()


def test_a_kept_open_connection_stays_with_one_process_and_new_ones_spread(two_processes: int) -> None:
    """A chat client reusing its connection keeps finding its conversation in the same
    process's memory; new connections are shared out among the processes."""
    kept_open = http.client.HTTPConnection("127.0.0.1", two_processes, timeout=10)
    try:
        assert len({_served_by(two_processes, connection=kept_open) for _ in range(10)}) == 1
    finally:
        kept_open.close()
    assert {_served_by(two_processes) for _ in range(40)} == {"A", "B"}  # new connections spread
