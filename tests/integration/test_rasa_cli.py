"""Rasa's own commands in the project folder, the way Rasa users run them (no make).

The only environment is what an activated virtual environment gives: PATH and VIRTUAL_ENV.
Ports are free loopback ports so the test does not collide with a running `make run`;
that is the only difference from the defaults (endpoints.yml, test_settings.py checks those).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pexpect
import pytest

from deploy.processes import ServerNotReady, free_port, start_server
from settings import Settings
from tests.conftest import PROJECT

VENV_BIN = PROJECT / ".venv" / "bin"
DOWN = "\x1b[B"


def _rasa_user_environment(tmp_path: Path) -> dict:
    return {
        "HOME": str(tmp_path),
        "PATH": f"{VENV_BIN}:/usr/bin:/bin",
        "VIRTUAL_ENV": str(VENV_BIN.parent),
        "TERM": "dumb",
        "RASA_TELEMETRY_ENABLED": "false",
    }


@pytest.fixture(scope="module")
def rasa_way(tmp_path_factory, trained_model):
    """`rasa run actions` started the Rasa way, and endpoints for it on a free port."""
    tmp = tmp_path_factory.mktemp("rasa-way")
    action_port = free_port()
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(
        Settings(action_port=action_port, tracker_db=str(tmp / "tracker.db")).endpoints_yaml(),
        encoding="utf-8",
    )
    env = {**_rasa_user_environment(tmp), "SANIC_HOST": "127.0.0.1"}
    try:
        actions = start_server(
            [str(VENV_BIN / "rasa"), "run", "actions", "--port", str(action_port)],
            cwd=PROJECT,
            env=env,
            log_path=tmp / "actions.log",
            ready_urls=[f"http://127.0.0.1:{action_port}/health"],
            timeout=120,
            name="`rasa run actions`",
        )
    except ServerNotReady as error:
        pytest.fail(str(error))
    with actions:
        yield tmp, endpoints


def _ask(shell, question: str, expected: str) -> str:
    shell.sendline(question)
    shell.expect(expected, timeout=60)
    # The answer ends with follow-up buttons; the last choice returns to free text.
    shell.expect("Type out your own message", timeout=30)
    for _ in range(3):
        shell.send(DOWN)
    shell.send("\r")
    shell.expect("Your input ->", timeout=30)
    return shell.before


def test_rasa_shell_answers_in_two_languages_against_rasa_run_actions(rasa_way):
    tmp, endpoints = rasa_way
    shell = pexpect.spawn(
        str(VENV_BIN / "rasa"),
        ["shell", "--interface", "127.0.0.1", "--port", str(free_port()), "--endpoints", str(endpoints)],
        cwd=str(PROJECT),
        env=_rasa_user_environment(tmp),
        encoding="utf-8",
        timeout=240,
        dimensions=(60, 200),
    )
    shell.logfile_read = open(tmp / "shell.log", "w", encoding="utf-8")
    try:
        shell.expect("Your input ->")
        _ask(shell, "What is BPO?", "business process outsourcing")
        _ask(shell, "Mitä BPO tarkoittaa?", "liiketoimintaprosessien ulkoistaminen")
    finally:
        shell.sendline("/stop")
        shell.terminate(force=True)
    transcript = (tmp / "shell.log").read_text(encoding="utf-8")
    assert "Sources:" in transcript and "Lähteet:" in transcript


def test_rasa_test_and_rasa_interactive_start_in_the_project_folder(rasa_way):
    tmp, endpoints = rasa_way
    env = _rasa_user_environment(tmp)
    tested = subprocess.run(
        [
            str(VENV_BIN / "rasa"),
            "test",
            "core",
            "--stories",
            "tests/test_stories.yml",
            "--out",
            str(tmp / "results"),
        ],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert tested.returncode == 0, tested.stdout[-2000:] + tested.stderr[-2000:]

    interactive = pexpect.spawn(
        str(VENV_BIN / "rasa"),
        [
            "interactive",
            "--skip-visualization",
            "--endpoints",
            str(endpoints),
            "--model",
            "models/bpo-faq.tar.gz",
        ],
        cwd=str(PROJECT),
        env={**env, "HOME": str(tmp)},
        encoding="utf-8",
        timeout=240,
        dimensions=(60, 200),
    )
    interactive.logfile_read = open(tmp / "interactive.log", "w", encoding="utf-8")
    try:
        index = interactive.expect(["Your input ->", "Error", "Traceback", pexpect.EOF])
        assert index == 0, (tmp / "interactive.log").read_text(encoding="utf-8")[-2000:]
    finally:
        interactive.terminate(force=True)
