"""`make shell` in a real terminal (tmux): an answer, sources and a numbered button list."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid

import pytest

from tests.conftest import PROJECT
from tests.live_stack import Stack

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _screen(session: str) -> str:
    return subprocess.run(
        ["tmux", "capture-pane", "-t", session, "-p", "-S", "-300"], capture_output=True, text=True
    ).stdout


def _wait_for(session: str, needle: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = _screen(session)
        if needle in screen:
            return screen
        time.sleep(0.5)
    raise AssertionError(f"{needle!r} did not appear:\n{_screen(session)}")


def test_make_shell_answers_and_lists_buttons_by_number(trained_model, tmp_path):
    ports = Stack(tmp_path, trained_model)  # only to borrow free ports and the environment
    session = f"shell-{uuid.uuid4().hex[:8]}"
    env = " ".join(
        f"{key}={value}"
        for key, value in ports.env.items()
        if key.startswith(("RASA_", "ACTION_", "TRACKER_")) and key != "RASA_API_TOKEN"
    )
    subprocess.run(
        [
            "tmux",
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            "160",
            "-y",
            "80",
            f"cd {PROJECT} && env {env} make shell",
        ],
        check=True,
    )
    try:
        _wait_for(session, "/quit to leave", timeout=240)
        subprocess.run(
            ["tmux", "send-keys", "-t", session, "What skills do call center agents need?", "Enter"]
        )
        screen = _wait_for(session, "You could also ask about:", timeout=60)
        assert "Sources:" in screen
        assert "  1. " in screen and "  2. " in screen
        subprocess.run(["tmux", "send-keys", "-t", session, "1", "Enter"])
        screen = _wait_for(session, "You chose:", timeout=60)
        subprocess.run(["tmux", "send-keys", "-t", session, "Mitä puhelinkeskus tekee?", "Enter"])
        screen = _wait_for(session, "Lähteet:", timeout=60)
        assert "asiakaspalvelijat" in screen.lower()
    finally:
        subprocess.run(["tmux", "send-keys", "-t", session, "/quit", "Enter"])
        time.sleep(3)
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
