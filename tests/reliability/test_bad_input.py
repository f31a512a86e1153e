"""Bad input on the REST, socket.io and Slack channels: a clear reply or a 4xx, never a 5xx or
a crash, and a normal question is answered right after each."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

NORMAL = "What skills do call center agents need?"

# (name, raw body bytes, content type)
REST_CASES = [
    ("empty message", {"sender": "S", "message": ""}),
    ("whitespace only", {"sender": "S", "message": "   \n\t  "}),
    ("100 KB message", {"sender": "S", "message": "What is BPO? " * 8000}),
    ("2 MB message", {"sender": "S", "message": "x" * 2_000_000}),
    ("missing sender", {"message": "hi"}),
    ("non-string sender", {"sender": 42, "message": "hi"}),
    ("missing message", {"sender": "S"}),
    ("non-string message", {"sender": "S", "message": ["hi"]}),
    ("control characters", {"sender": "S", "message": "What\x00 is\x07 BPO\x1b?"}),
    ("zero-width characters", {"sender": "S", "message": "What\u200b is\u200d B\u2060PO?"}),
    ("emoji only", {"sender": "S", "message": "🤖🔥💯"}),
    ("right-to-left text", {"sender": "S", "message": "ما هو مركز الاتصال؟"}),
    ("html and script", {"sender": "S", "message": "<script>alert(1)</script><img src=x onerror=alert(2)>"}),
    ("markdown javascript link", {"sender": "S", "message": "[click](javascript:alert(1))"}),
    ("sql-looking text", {"sender": "S", "message": "'; DROP TABLE events; --"}),
    ("5000-character word", {"sender": "S", "message": "a" * 5000}),
    ("1999-character word", {"sender": "S", "message": "b" * 1999}),
    (
        "payload with unknown entities",
        {"sender": "S", "message": '/ask_pay{"subject":"martians","colour":"red"}'},
    ),
    ("payload of an unknown intent", {"sender": "S", "message": "/hack_the_planet"}),
    ("payload with broken JSON", {"sender": "S", "message": '/ask_pay{"subject":'}),
    ("metadata over 4 KB", {"sender": "S", "message": "hi", "metadata": {"blob": "y" * 5000}}),
    ("metadata not an object", {"sender": "S", "message": "hi", "metadata": "x"}),
    ("a Slack conversation id", {"sender": "slack-U0123-C0456", "message": "answer in Finnish"}),
    ("a widget conversation id", {"sender": "widget-" + "b" * 32, "message": "not helpful"}),
]
# Bodies over the 64 KB limit are refused before they are parsed.
TOO_LARGE = {"100 KB message", "2 MB message"}
RAW_CASES = [
    ("invalid JSON", b"{not json", "application/json"),
    ("invalid UTF-8", b'{"sender": "S", "message": "\xff\xfe"}', "application/json"),
    ("JSON array", b"[1, 2, 3]", "application/json"),
    ("empty body", b"", "application/json"),
]


def _post(url: str, body: bytes, content_type: str = "application/json") -> tuple:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _ask(stack, sender: str, text: str) -> list:
    status, body = _post(
        f"{stack.url}/webhooks/rest/webhook", json.dumps({"sender": sender, "message": text}).encode()
    )
    assert status == 200
    return json.loads(body)


def _answers_normally(stack, sender: str) -> bool:
    replies = _ask(stack, sender, NORMAL)
    return any("communication" in (r.get("text") or "").lower() for r in replies)


@pytest.mark.parametrize("name, body", REST_CASES, ids=[c[0] for c in REST_CASES])
def test_rest_bad_input_gets_a_reply_or_a_4xx(stack, name, body):
    sender = f"bad-{uuid.uuid4().hex}"
    if body.get("sender") == "S":
        body = {**body, "sender": sender}
    started = time.perf_counter()
    status, raw = _post(f"{stack.url}/webhooks/rest/webhook", json.dumps(body).encode())
    elapsed = time.perf_counter() - started
    assert status == (413 if name in TOO_LARGE else status) and status in (200, 400, 413), (status, raw[:200])
    if status == 200:
        replies = json.loads(raw)
        assert replies and any((r.get("text") or "").strip() for r in replies), replies
        for reply in replies:
            assert "<script>" not in json.dumps(reply.get("buttons", []))
    assert elapsed < 10
    assert _answers_normally(stack, sender)
    print(f"  REST {name}: {status} in {elapsed * 1000:.0f} ms")


@pytest.mark.parametrize("name, raw, content_type", RAW_CASES, ids=[c[0] for c in RAW_CASES])
def test_rest_malformed_bodies_are_400(stack, name, raw, content_type):
    status, body = _post(f"{stack.url}/webhooks/rest/webhook", raw, content_type)
    assert status == 400, body
    assert _answers_normally(stack, f"after-{uuid.uuid4().hex}")


def test_over_long_messages_are_answered_politely_in_the_users_language(stack):
    replies = _ask(stack, f"long-{uuid.uuid4().hex}", "Mitä puhelinkeskus tekee? " * 500)
    assert "2000" in replies[0]["text"] and "merk" in replies[0]["text"].lower()  # Finnish: merkkiä


def test_a_large_message_does_not_block_other_users(stack):
    with ThreadPoolExecutor(max_workers=2) as pool:
        big = pool.submit(
            _post,
            f"{stack.url}/webhooks/rest/webhook",
            json.dumps({"sender": "big", "message": "y" * 2_000_000}).encode(),
        )
        started = time.perf_counter()
        assert _answers_normally(stack, f"small-{uuid.uuid4().hex}")
        assert time.perf_counter() - started < 5
        assert big.result()[0] == 413  # over the 64 KB body limit


def test_socketio_bad_input_gets_an_error_or_a_reply(stack):
    import socketio

    async def scenario() -> dict:
        client = socketio.AsyncClient(reconnection=False)
        events: dict = {"errors": [], "bot": []}
        client.on("error_message", lambda data: events["errors"].append(data))
        client.on("bot_uttered", lambda data: events["bot"].append(data))
        await client.connect(stack.url, headers={"Origin": stack.widget_url}, transports=["websocket"])
        session = uuid.uuid4().hex
        await client.emit("session_request", {"session_id": session})
        for bad in [
            "just a string",
            {"message": 42, "session_id": session},
            {"message": "hi", "session_id": "short"},
            {"session_id": session},
            [1, 2],
        ]:
            await client.emit("user_uttered", bad)
        await client.emit("user_uttered", {"message": "z" * 100_000, "session_id": session})
        await client.emit("user_uttered", {"message": "", "session_id": session})
        await client.emit("user_uttered", {"message": NORMAL, "session_id": session})
        await asyncio.sleep(4)
        await client.disconnect()
        return events

    from concurrent.futures import ThreadPoolExecutor as Pool

    with Pool(max_workers=1) as pool:
        events = pool.submit(asyncio.run, scenario()).result()
    assert len(events["errors"]) == 5
    texts = [e.get("text", "") for e in events["bot"]]
    assert any("2000" in t for t in texts)
    assert any("communication" in t.lower() for t in texts)
    print(f"  socket.io: 5 malformed events -> 5 error events; {len(texts)} bot messages")


def test_slack_bad_input(stack, fake_slack):
    from tests.live_stack import slack_signature_headers

    def signed_post(body: bytes) -> int:
        request = urllib.request.Request(
            f"{stack.url}/webhooks/slack/webhook",
            data=body,
            headers={"Content-Type": "application/json", **slack_signature_headers(body)},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    channel = f"C{uuid.uuid4().hex[:10].upper()}"
    event = {
        "type": "event_callback",
        "event_id": uuid.uuid4().hex,
        "event": {"type": "message", "user": "U1", "channel": channel, "ts": "1.1", "text": "w" * 100_000},
    }
    assert signed_post(json.dumps(event).encode()) == 200
    assert signed_post(b'{"type": "event_callback", "event": {"type": "message", "text": 5}}') in (200, 400)
    assert signed_post(b"\xff\xfe not utf-8") == 400
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not fake_slack.posts_to(channel):
        time.sleep(0.2)
    assert "2000" in fake_slack.posts_to(channel)[0]["text"]


def test_socketio_sessions_are_validated_and_a_socket_writes_only_to_its_own(stack):
    import socketio

    async def scenario() -> dict:
        owner, intruder = socketio.AsyncClient(reconnection=False), socketio.AsyncClient(reconnection=False)
        events: dict = {"owner_bot": [], "intruder_errors": [], "intruder_confirm": [], "intruder_bot": []}
        owner.on("bot_uttered", lambda data: events["owner_bot"].append(data))
        intruder.on("error_message", lambda data: events["intruder_errors"].append(data))
        intruder.on("session_confirm", lambda data: events["intruder_confirm"].append(data))
        intruder.on("bot_uttered", lambda data: events["intruder_bot"].append(data))
        for client in (owner, intruder):
            await client.connect(stack.url, headers={"Origin": stack.widget_url}, transports=["websocket"])
        session = uuid.uuid4().hex
        await owner.emit("session_request", {"session_id": session})
        # Malformed session requests: refused with an error, no room joined.
        for bad in ({"session_id": "short"}, {"session_id": 42}, {"session_id": "../" * 20}):
            await intruder.emit("session_request", bad)
        # Writing to a session this socket never joined is refused.
        await intruder.emit("user_uttered", {"message": NORMAL, "session_id": session})
        await owner.emit("user_uttered", {"message": NORMAL, "session_id": session})
        await asyncio.sleep(4)
        for client in (owner, intruder):
            await client.disconnect()
        return events

    from concurrent.futures import ThreadPoolExecutor as Pool

    with Pool(max_workers=1) as pool:
        events = pool.submit(asyncio.run, scenario()).result()
    assert len(events["intruder_errors"]) == 4 and events["intruder_confirm"] == []
    assert events["intruder_bot"] == []
    assert any("communication" in e.get("text", "").lower() for e in events["owner_bot"])
