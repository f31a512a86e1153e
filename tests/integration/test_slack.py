"""The Slack channel against a fake Slack Web API on loopback: exactly what gets posted."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest

from tests.live_stack import slack_signature_headers

QUESTION = "What skills do call center agents need?"


def _signed(body: bytes, timestamp: int | None = None) -> dict:
    return slack_signature_headers(body, timestamp)


def _post(
    stack, body: bytes, content_type="application/json", headers=None, signed=True
) -> tuple[int, bytes]:
    all_headers = {"Content-Type": content_type, **(_signed(body) if signed else {}), **(headers or {})}
    request = urllib.request.Request(f"{stack.url}/webhooks/slack/webhook", data=body, headers=all_headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _event(channel: str, text: str = QUESTION, **extra) -> dict:
    event = {"type": "message", "user": "U123", "text": text, "channel": channel, "ts": f"{time.time():.6f}"}
    event.update(extra)
    return {"type": "event_callback", "event_id": f"Ev{uuid.uuid4().hex[:10]}", "event": event}


def _channel() -> str:
    return f"C{uuid.uuid4().hex[:10].upper()}"


def _wait_posts(fake_slack, channel: str, at_least: int, settle: float = 2.0, timeout: float = 30.0) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(fake_slack.posts_to(channel)) < at_least:
        time.sleep(0.2)
    time.sleep(settle)  # anything more that was going to be posted has arrived by now
    return fake_slack.posts_to(channel)


def _answer_posts(posts: list) -> list:
    return [p for p in posts if any(b["type"] == "section" for b in p.get("blocks", []))]


def test_url_verification_is_answered(stack):
    status, body = _post(stack, json.dumps({"type": "url_verification", "challenge": "abc123"}).encode())
    assert status == 200 and json.loads(body) == {"challenge": "abc123"}


def test_a_message_is_answered_in_its_channel_with_blocks(stack, fake_slack):
    channel = _channel()
    status, _ = _post(stack, json.dumps(_event(channel)).encode())
    assert status == 200
    posts = _wait_posts(fake_slack, channel, at_least=1)
    # One post: the answer, its sources and every button are blocks of the same message.
    assert len(posts) == 1
    answer = posts[0]
    assert "thread_ts" not in answer
    assert answer["blocks"][0]["type"] == "section" and "communication" in answer["text"].lower()
    assert any(
        b["type"] == "context" and "Call centers and BPOs" in b["elements"][0]["text"]
        for b in answer["blocks"]
    )
    values = [e["value"] for b in answer["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert '/feedback{"rating":"helpful"}' in values
    assert any(value.startswith("/ask_") for value in values)


def test_a_mention_delivered_as_two_events_gets_one_reply(stack, fake_slack):
    channel = _channel()
    ts = f"{time.time():.6f}"
    mention = {"user": "U123", "text": f"<@UBOT> {QUESTION}", "channel": channel, "ts": ts}
    for event_type in ("app_mention", "message"):
        event = {
            "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:10]}",
            "event": {"type": event_type, **mention},
        }
        assert _post(stack, json.dumps(event).encode())[0] == 200
    posts = _wait_posts(fake_slack, channel, at_least=1, settle=3.0)
    assert len(posts) == 1 and "communication" in posts[0]["text"].lower()


def test_a_message_in_a_thread_is_answered_in_that_thread(stack, fake_slack):
    channel = _channel()
    _post(stack, json.dumps(_event(channel, "Apa kelebihan BPO?", thread_ts="1700000000.000100")).encode())
    posts = _wait_posts(fake_slack, channel, at_least=1)
    assert len(posts) == 1 and posts[0]["thread_ts"] == "1700000000.000100"


@pytest.mark.parametrize("reason", ["http_timeout", "http_error", "too_many_connections_in_use", "unknown"])
def test_retries_never_produce_a_second_reply(stack, fake_slack, reason):
    channel = _channel()
    body = json.dumps(_event(channel)).encode()
    assert _post(stack, body)[0] == 200
    first = _wait_posts(fake_slack, channel, at_least=1, settle=1.0)
    for attempt in (1, 2, 3):
        status, _ = _post(
            stack, body, headers={"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": reason}
        )
        assert status == 200
    assert len(_wait_posts(fake_slack, channel, at_least=0, settle=2.0)) == len(first) == 1
    assert len(_answer_posts(first)) == 1


def test_a_retry_of_an_event_that_never_arrived_is_answered_once(stack, fake_slack):
    channel = _channel()
    body = json.dumps(_event(channel)).encode()
    assert (
        _post(stack, body, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})[0]
        == 200
    )
    assert len(_wait_posts(fake_slack, channel, at_least=1)) == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64},
        None,  # stale: signed correctly, but 10 minutes ago
        {},  # unsigned
    ],
)
def test_bad_stale_or_missing_signatures_are_rejected(stack, fake_slack, headers):
    channel = _channel()
    body = json.dumps(_event(channel)).encode()
    if headers is None:
        headers = _signed(body, timestamp=int(time.time()) - 600)
    status, _ = _post(stack, body, headers=headers, signed=False)
    assert status == 401
    assert _wait_posts(fake_slack, channel, at_least=0, settle=1.0) == []


@pytest.mark.parametrize(
    "extra", [{"bot_id": "B999"}, {"subtype": "bot_message"}, {"subtype": "message_changed"}]
)
def test_bot_messages_and_edits_are_ignored(stack, fake_slack, extra):
    channel = _channel()
    assert _post(stack, json.dumps(_event(channel, **extra)).encode())[0] == 200
    assert _wait_posts(fake_slack, channel, at_least=0, settle=1.5) == []


def test_a_content_type_with_charset_is_accepted(stack, fake_slack):
    channel = _channel()
    body = json.dumps(_event(channel, "Mitä puhelinkeskus tekee?")).encode()
    assert _post(stack, body, content_type="application/json; charset=utf-8")[0] == 200
    posts = _wait_posts(fake_slack, channel, at_least=1)
    assert "asiakaspalvelijat" in posts[0]["text"].lower()


def test_a_button_click_sends_its_payload(stack, fake_slack):
    channel = _channel()
    payload = {
        "type": "block_actions",
        "trigger_id": uuid.uuid4().hex,
        "user": {"id": "U123"},
        "channel": {"id": channel},
        "container": {"channel_id": channel},
        "message": {"ts": "1.2"},
        "actions": [{"action_id": "faq_button_0", "value": '/ask_pay{"subject":"bpo"}', "action_ts": "3.4"}],
    }
    body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    assert _post(stack, body, content_type="application/x-www-form-urlencoded")[0] == 200
    posts = _wait_posts(fake_slack, channel, at_least=1)
    assert "salary" in posts[0]["text"] and posts[0]["text"].startswith("BPO pay")


def test_malformed_json_is_a_400(stack):
    assert _post(stack, b"{not json")[0] == 400
