"""deploy/processes.py with real subprocesses: a tiny HTTP server, and one that exits at once."""

from __future__ import annotations

import os
import signal
import socket
import sys
from pathlib import Path

import pytest

from deploy.processes import ServerNotReady, ServerProcess, free_port, start_server, url_answers


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _http_server(tmp_path: Path, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "http.server",
        "--bind",
        "127.0.0.1",
        "--directory",
        str(tmp_path),
        str(port),
    ]


def test_free_port_is_a_bindable_loopback_port():
    port = free_port()
    assert 1024 <= port <= 65535
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", port))
        listener.listen()


def test_a_server_is_reported_ready_then_stopped(tmp_path):
    (tmp_path / "index.html").write_text("hello", encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}/index.html"
    log = tmp_path / "server.log"
    with start_server(_http_server(tmp_path, port), log_path=log, ready_urls=[url], timeout=60) as server:
        pid = server.pid
        assert server.running and server.ready() and url_answers(url)
    assert not server.running
    assert _gone(pid)
    assert not url_answers(url)
    assert log.exists()


def test_a_server_in_its_own_session_is_stopped_with_its_group(tmp_path):
    port = free_port()
    server = ServerProcess(
        _http_server(tmp_path, port), log_path=tmp_path / "server.log", ready_port=port, new_session=True
    ).start()
    try:
        server.wait_ready(timeout=60)
        assert os.getpgid(server.pid) == server.pid  # a group of its own, not the test's
    finally:
        code = server.stop(timeout=30)
    assert code == -signal.SIGTERM
    assert _gone(server.pid)


def test_a_command_that_exits_at_once_raises_naming_the_log(tmp_path):
    log = tmp_path / "broken.log"
    command = [sys.executable, "-c", "import sys; print('no knowledge file'); sys.exit(3)"]
    with pytest.raises(ServerNotReady) as raised:
        start_server(
            command, log_path=log, ready_urls=[f"http://127.0.0.1:{free_port()}/"], timeout=60, name="broken"
        )
    message = str(raised.value)
    assert str(log) in message
    assert "exited with code 3" in message
    assert "no knowledge file" in message  # the log's last lines are quoted
    assert raised.value.log_path == log


def test_waiting_needs_something_to_wait_for(tmp_path):
    server = ServerProcess([sys.executable, "-c", "pass"], log_path=tmp_path / "x.log")
    with server, pytest.raises(ValueError):
        server.wait_ready(timeout=1)
