"""Faults: a slow or dead action server, a broken knowledge file, a Rasa restart."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest
import yaml

from deploy.processes import free_port, start_server
from tests.conftest import PROJECT
from tests.live_stack import Stack, ask

NORMAL = "What skills do call center agents need?"


def _ask(url: str, sender: str, text: str, timeout: float = 60) -> tuple:
    """The replies to one message, and how long they took."""
    started = time.perf_counter()
    replies = ask(url, sender, text, timeout)
    return replies, time.perf_counter() - started


def _apology(language: str) -> str:
    from faq.knowledge import KnowledgeBase

    return KnowledgeBase.load().phrase("service_unavailable", language)


def test_a_frozen_action_server_gets_an_apology_in_the_users_language_then_answers_resume(stack):
    actions = stack.child_pid("actions.server")
    sender = f"fault-{uuid.uuid4().hex}"
    os.kill(actions, signal.SIGSTOP)
    try:
        replies, elapsed = _ask(stack.url, sender, "Aké zručnosti potrebujem do call centra?")
    finally:
        os.kill(actions, signal.SIGCONT)
    assert elapsed < 10
    assert [r["text"] for r in replies] == [_apology("sk")]
    time.sleep(2)  # the frozen turn completes in the background once the server is back
    replies, _ = _ask(stack.url, sender, NORMAL)
    assert any("communication" in r.get("text", "").lower() for r in replies)
    print(f"  frozen action server: apology after {elapsed:.1f} s, answers resumed")


@pytest.fixture(scope="module")
def stack_without_actions_or_api(trained_model, tmp_path_factory):
    """A stack whose Rasa points at a closed action server port, with the HTTP API off."""
    running = Stack(
        tmp_path_factory.mktemp("no-actions"),
        trained_model,
        token="",
        # A free port is a closed one: nothing listens there.
        ACTION_ENDPOINT_URL=f"http://127.0.0.1:{free_port()}/webhook",
    )
    running.start()
    yield running
    running.stop()


def test_a_dead_action_server_gets_an_apology_quickly(stack_without_actions_or_api):
    replies, elapsed = _ask(
        stack_without_actions_or_api.url, f"dead-{uuid.uuid4().hex}", "Mitä puhelinkeskus tekee?"
    )
    assert elapsed < 10
    assert [r["text"] for r in replies] == [_apology("fi")]
    print(f"  dead action server: apology after {elapsed * 1000:.0f} ms")


def test_the_http_api_is_off_without_a_token(stack_without_actions_or_api):
    for path in ("/conversations/someone/tracker", "/status", "/model/parse"):
        try:
            urllib.request.urlopen(f"{stack_without_actions_or_api.url}{path}", timeout=10)
            status = 200
        except urllib.error.HTTPError as error:
            status = error.code
        assert status in (403, 404, 405), path


def _broken_copy(tmp_path):
    document = yaml.safe_load((PROJECT / "knowledge" / "comparison.yml").read_text(encoding="utf-8"))
    del document["aspects"]["pay"]["entries"]["bpo"]["answer"]["sv"]
    broken = tmp_path / "comparison.yml"
    broken.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return broken


def test_a_broken_knowledge_file_stops_the_action_server_from_starting(tmp_path):
    broken = _broken_copy(tmp_path)
    completed = subprocess.run(
        [sys.executable, "-m", "actions.server", "--port", str(free_port())],
        cwd=PROJECT,
        env={**os.environ, "KNOWLEDGE_FILE": str(broken), "PYTHONPATH": str(PROJECT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 1
    assert f"{broken}: aspects.pay.entries.bpo.answer: missing key 'sv'" in completed.stderr


def test_a_broken_file_on_reload_keeps_the_last_good_version(tmp_path):
    knowledge = tmp_path / "comparison.yml"
    shutil.copy(PROJECT / "knowledge" / "comparison.yml", knowledge)
    port = free_port()
    log = tmp_path / "actions.log"
    with start_server(
        [sys.executable, "-m", "actions.server", "--port", str(port)],
        cwd=PROJECT,
        env={**os.environ, "KNOWLEDGE_FILE": str(knowledge), "PYTHONPATH": str(PROJECT)},
        log_path=log,
        ready_urls=[f"http://127.0.0.1:{port}/health"],
        timeout=90,
        name="action server",
    ) as server:
        (tmp_path / "broken").mkdir()
        knowledge.write_text(_broken_copy(tmp_path / "broken").read_text(encoding="utf-8"), encoding="utf-8")
        server.send_signal(signal.SIGHUP)
        time.sleep(2)
        call = {
            "next_action": "action_answer",
            "sender_id": "reload",
            "version": "3.6.2",
            "domain": {},
            "tracker": {
                "sender_id": "reload",
                "slots": {"language": "sv"},
                "events": [],
                "paused": False,
                "latest_message": {
                    "text": "Hur får BPO-anställda betalt?",
                    "entities": [{"entity": "subject", "value": "bpo"}],
                    "intent": {"name": "ask_pay", "confidence": 0.9},
                },
                "latest_action_name": "action_listen",
                "active_loop": {},
                "followup_action": None,
            },
        }
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/webhook",
            data=json.dumps(call).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            result = json.loads(response.read())
        assert result["responses"][0]["text"]  # the Swedish BPO pay answer, from the last good version
        assert "aspects.pay.entries.bpo.answer: missing key 'sv'" in log.read_text()


SCALE_TURNS = ["What skills do call center agents need?", "and for BPO?", "what are its disadvantages?"]


@pytest.mark.parametrize("service", ["redis", "postgres"])
def test_a_brief_outage_of_a_shared_service_loses_and_duplicates_nothing(cluster, service):
    import os
    import signal
    import threading
    import time

    pid = cluster.redis_pid() if service == "redis" else cluster.postgres_pid()
    sender = f"outage-{uuid.uuid4().hex}"
    _ask(cluster.url, sender, SCALE_TURNS[0])
    os.kill(pid, signal.SIGSTOP)
    resume = threading.Timer(3.0, os.kill, (pid, signal.SIGCONT))
    resume.start()
    try:
        during, _ = _ask(cluster.url, sender, SCALE_TURNS[1])
    finally:
        resume.join()
        os.kill(pid, signal.SIGCONT)
    time.sleep(1)
    after, _ = _ask(cluster.url, sender, SCALE_TURNS[2])
    assert during and after

    import sqlalchemy as sa

    engine = sa.create_engine(cluster.db_url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
            {"s": sender},
        ).fetchall()
    engine.dispose()
    assert [json.loads(row[0])["text"] for row in rows] == SCALE_TURNS
    print(f"  {service} frozen for 3 s mid-conversation: {len(rows)} user events, none lost or duplicated")


def test_a_restarted_rasa_continues_the_conversation(stack):
    sender = f"restart-{uuid.uuid4().hex}"
    _ask(stack.url, sender, "Vad är fördelarna med BPO?")
    stack.stop()
    stack.start()
    replies, _ = _ask(stack.url, sender, "och nackdelarna?")
    with urllib.request.urlopen(
        f"{stack.url}/conversations/{sender}/tracker?token={stack.token}", timeout=30
    ) as response:
        tracker = json.loads(response.read())
    assert [e["text"] for e in tracker["events"] if e["event"] == "user"] == [
        "Vad är fördelarna med BPO?",
        "och nackdelarna?",
    ]
    assert (tracker["slots"]["aspect"], tracker["slots"]["subject"]) == ("disadvantages", "bpo")
    print(f"  Rasa restarted mid-conversation: {len(tracker['events'])} events kept, the follow-up continued")


def _stored_user_texts(stack, sender: str) -> list[str]:
    with urllib.request.urlopen(
        f"{stack.url}/conversations/{sender}/tracker?include_events=ALL&token={stack.token}", timeout=30
    ) as response:
        events = json.loads(response.read())["events"]
    return [event["text"] for event in events if event["event"] == "user"]


def _answers_within(stack, sender: str, text: str, expected: str, seconds: float, since: float) -> float:
    """Asks until an answer (not the apology) contains `expected`; returns the seconds from
    `since` (a time.monotonic() value) to that answer."""
    started = time.monotonic()
    while True:
        try:
            replies, _ = _ask(stack.url, sender, text)
            texts = [reply.get("text", "") for reply in replies]
            if (
                any(expected in t.lower() for t in texts)
                and _apology("fi") not in texts
                and _apology("en") not in texts
            ):
                return time.monotonic() - since
        except OSError:
            pass  # Rasa itself restarting: the socket is refused for a moment
        assert time.monotonic() - started < seconds, f"no answer within {seconds} s"
        time.sleep(1)


def test_a_killed_action_server_gets_an_apology_then_is_restarted_and_answers_resume(stack):
    sender = f"killed-{uuid.uuid4().hex}"
    replies, _ = _ask(stack.url, sender, "Mitä BPO tarkoittaa?")
    assert replies and replies[0]["text"] != _apology("fi")
    actions = stack.child_pid("actions.server")
    killed = time.monotonic()
    os.kill(actions, signal.SIGKILL)
    replies, elapsed = _ask(stack.url, sender, "Mitä puhelinkeskus tekee?")
    assert [r["text"] for r in replies] == [_apology("fi")]
    stack.wait_for_server("actions.server", actions)
    recovered = _answers_within(stack, sender, "Mitä taitoja puhelinkeskuksessa tarvitaan?", "", 30, killed)
    # Stored complete: every message once, in order (retries of the last question included).
    texts = _stored_user_texts(stack, sender)
    assert texts[:2] == ["Mitä BPO tarkoittaa?", "Mitä puhelinkeskus tekee?"]
    assert set(texts[2:]) == {"Mitä taitoja puhelinkeskuksessa tarvitaan?"}
    print(
        f"  killed action server: apology after {elapsed:.1f} s, "
        f"answers again {recovered:.1f} s after the kill"
    )


def test_a_killed_page_server_is_restarted(stack):
    page = stack.child_pid("channels.widget_page")
    os.kill(page, signal.SIGKILL)
    stack.wait_for_server("channels.widget_page", page)
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{stack.widget_url}/", timeout=5) as response:
                assert response.status == 200
                break
        except OSError:
            assert time.monotonic() < deadline, "the page server did not come back"
            time.sleep(0.5)


def test_a_killed_rasa_is_restarted_and_the_conversation_goes_on(stack):
    sender = f"rasa-killed-{uuid.uuid4().hex}"
    _ask(stack.url, sender, "What skills do call center agents need?")
    rasa = stack.child_pid("runtime.rasa_server")
    killed = time.monotonic()
    os.kill(rasa, signal.SIGKILL)
    stack.wait_for_server("runtime.rasa_server", rasa)
    # "and for BPO?" only makes sense with the stored context: skills, now for BPO.
    recovered = _answers_within(stack, sender, "and for BPO?", "bpo", 180, killed)
    replies, _ = _ask(stack.url, sender, "and for BPO?")
    assert "skill" in replies[0]["text"].lower() or "expertise" in replies[0]["text"].lower()
    assert _stored_user_texts(stack, sender)[0] == "What skills do call center agents need?"
    print(f"  killed Rasa: answering again {recovered:.0f} s after the kill, with the stored context")


@pytest.mark.parametrize("service", ["redis", "postgres"])
def test_a_restart_of_a_shared_service_under_load_loses_and_duplicates_nothing(cluster, service):
    """Eight users keep talking while Redis or PostgreSQL restarts. Every message gets a reply
    (an answer, or the apology while the service is down); every answered message is stored
    exactly once, and the stored messages keep the order they were sent in."""
    import threading

    import sqlalchemy as sa

    users = [f"restart-{service}-{index}-{uuid.uuid4().hex[:8]}" for index in range(8)]
    sent: dict[str, list[tuple[str, str]]] = {user: [] for user in users}  # (text, reply kind)
    restarted = threading.Event()

    def talk(user: str) -> None:
        for turn in range(60):
            if restarted.is_set() and turn >= 8:
                return
            text = f"{SCALE_TURNS[turn % len(SCALE_TURNS)]} #{turn}"  # numbered: each message unique
            try:
                replies, _ = _ask(cluster.url, user, text, timeout=30)
                texts = [reply.get("text", "") for reply in replies]
                kind = "none" if not texts else "apology" if _apology("en") in texts else "answer"
            except OSError:
                kind = "none"
            sent[user].append((text, kind))
            time.sleep(0.2)

    threads = [threading.Thread(target=talk, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    (cluster.restart_redis if service == "redis" else cluster.restart_postgres)()
    time.sleep(2)
    restarted.set()
    for thread in threads:
        thread.join(timeout=180)
    engine = sa.create_engine(cluster.db_url)
    with engine.connect() as connection:
        stored = {
            user: [
                json.loads(row[0])["text"]
                for row in connection.execute(
                    sa.text(
                        "SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"
                    ),
                    {"s": user},
                )
            ]
            for user in users
        }
    engine.dispose()
    kinds = [kind for messages in sent.values() for _, kind in messages]
    assert "none" not in kinds  # every message got a reply
    for user in users:
        order = [text for text, _ in sent[user]]
        assert len(stored[user]) == len(set(stored[user]))  # nothing twice
        assert [order.index(text) for text in stored[user]] == sorted(order.index(t) for t in stored[user])
        answered = [text for text, kind in sent[user] if kind == "answer"]
        assert set(answered) <= set(stored[user])  # nothing answered is lost
    print(
        f"  {service} restarted under load: {len(kinds)} messages, {kinds.count('answer')} answered, "
        f"{kinds.count('apology')} apologies, {sum(len(t) for t in stored.values())} user events stored"
    )
