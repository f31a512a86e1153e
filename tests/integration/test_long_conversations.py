"""A turn sees a window of its conversation (runtime/tracker_store.py), and answers exactly
as it would with the whole conversation in view.

Two Rasa servers share one action server and the same model: one sees every event of the
conversation, the other only a small window (30 events, about three turns: less than the
40 served by default, so the check is stricter than what runs). One long conversation of
every held-out question in all five languages, with follow-ups, off-topic turns, language
switches and button clicks, gets the same replies and the same slots from both, turn by
turn; and both databases hold every event of it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from deploy.processes import ServerProcess, free_port, rasa_run_arguments, start_server, stop_all
from tests.conftest import PROJECT
from tests.live_stack import ask

TOKEN = "long-conversation-token"
SMALL_WINDOW, NO_WINDOW = 30, 1_000_000
SENDER = "long-conversation"


def _conversation() -> list[str]:
    """Every held-out turn, conversations in file order (so follow-ups follow their question),
    with explicit language switches and off-topic lines between the languages."""
    conversations = yaml.safe_load((PROJECT / "tests" / "eval" / "heldout.yml").read_text(encoding="utf-8"))
    texts: list[str] = []
    language = None
    for conversation in conversations:
        if conversation[0].get("lang") != language:
            language = conversation[0].get("lang")
            texts += ["asdkjh qwe", f"answer in {language}" if language != "en" else "hello"]
        texts += [turn["q"] for turn in conversation]
    return texts


def _tracker_state(url: str) -> tuple[dict, int]:
    request = urllib.request.Request(f"{url}/conversations/{SENDER}/tracker?token={TOKEN}")
    with urllib.request.urlopen(request, timeout=30) as response:
        tracker = json.loads(response.read())
    return tracker["slots"], len(tracker["events"])


@pytest.fixture(scope="module")
def servers(trained_model, tmp_path_factory) -> Iterator[dict[str, str]]:
    tmp = tmp_path_factory.mktemp("long")
    action_port = free_port()
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "PYTHONPATH": str(PROJECT),
        "RASA_API_TOKEN": TOKEN,
        "RATE_LIMIT_SENDER_PER_MINUTE": "100000",
        "RATE_LIMIT_SENDER_BURST": "100000",
    }
    started: list[ServerProcess] = []
    try:
        started.append(
            start_server(
                [str(PROJECT / ".venv/bin/python"), "-m", "actions.server", "--host", "127.0.0.1"]
                + ["--port", str(action_port)],
                log_path=tmp / "actions.log",
                env=env,
                cwd=PROJECT,
                ready_urls=[f"http://127.0.0.1:{action_port}/health"],
                name="action server",
            )
        )
        urls = {}
        for name, window in (("whole", NO_WINDOW), ("window", SMALL_WINDOW)):
            endpoints = tmp / f"endpoints-{name}.yml"
            endpoints.write_text(
                f"action_endpoint:\n  url: http://127.0.0.1:{action_port}/webhook\n"
                "tracker_store:\n  type: runtime.tracker_store.CachedSQLiteTrackerStore\n"
                f"  dialect: sqlite\n  db: {tmp / (name + '.db')}\n  window_events: {window}\n",
                encoding="utf-8",
            )
            port = free_port()
            command = [str(PROJECT / ".venv/bin/python"), "-m", "runtime.rasa_server"]
            command += rasa_run_arguments(trained_model, endpoints, PROJECT / "credentials.yml", port)
            started.append(
                start_server(
                    [*command, "--enable-api"],
                    log_path=tmp / f"rasa-{name}.log",
                    env=env,
                    cwd=PROJECT,
                    ready_urls=[f"http://127.0.0.1:{port}/status?token={TOKEN}"],
                    timeout=300,
                    name=f"rasa ({name})",
                )
            )
            urls[name] = f"http://127.0.0.1:{port}"
        yield {**urls, "dir": str(tmp)}
    finally:
        stop_all(started)


def _first_button(replies: list[dict]) -> str | None:
    for reply in replies:
        for button in reply.get("buttons") or []:
            return button["payload"]
    return None


def test_a_long_conversation_is_answered_the_same_with_a_window_as_with_all_of_it(servers):
    turns = 0
    for index, text in enumerate(_conversation()):
        messages = [text]
        whole = ask(servers["whole"], SENDER, text)
        windowed = ask(servers["window"], SENDER, text)
        assert windowed == whole, f"turn {turns + 1}: {text!r}"
        # Every fourth question, the user clicks the reply's first button (a follow-up topic,
        # "did you mean", or a rating).
        payload = _first_button(whole) if index % 4 == 3 else None
        if payload:
            messages.append(payload)
            assert ask(servers["window"], SENDER, payload) == ask(servers["whole"], SENDER, payload), payload
        turns += len(messages)
        slots_whole, _ = _tracker_state(servers["whole"])
        slots_window, _ = _tracker_state(servers["window"])
        assert slots_window == slots_whole, f"turn {turns}: {text!r}"
    assert turns > 250

    stored = {}
    for name in ("whole", "window"):
        with sqlite3.connect(Path(servers["dir"]) / f"{name}.db") as database:
            stored[name] = database.execute(
                "SELECT type_name, action_name, intent_name FROM events WHERE sender_id = ? ORDER BY id",
                (SENDER,),
            ).fetchall()
    assert stored["window"] == stored["whole"]
    assert sum(1 for row in stored["window"] if row[0] == "user") == turns
