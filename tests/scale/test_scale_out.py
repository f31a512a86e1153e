"""Scale-out on real components: 2 Rasa processes and 2 action servers behind nginx,
sharing PostgreSQL (tracker store) and Redis (lock store), driven by 50 concurrent
conversations whose turns go to nginx and straight to each process in turn. Zero errors;
every user message stored exactly once, in order, in its conversation.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from deploy.local_cluster import missing_programs
from tests.live_stack import ask, slack_signature_headers

CONVERSATIONS = 50
TURNS = [
    "What skills do call center agents need?",
    "and for BPO?",
    "what are its disadvantages?",
    "Aké sú výhody call centra?",
    "kiitos",
]

pytestmark = pytest.mark.skipif(bool(missing_programs()), reason=f"needs {missing_programs()} (see .ci/run)")


def _ask(url: str, sender: str, text: str) -> list:
    return ask(url, sender, text, timeout=120)


def _conversation(urls: list[str], first: int = 0) -> tuple:
    """A conversation whose turns go to `urls` in turn, starting at `first`."""
    sender = f"scale-{uuid.uuid4().hex}"
    replies = [_ask(urls[(first + number) % len(urls)], sender, turn) for number, turn in enumerate(TURNS)]
    return sender, replies


def test_fifty_concurrent_conversations_are_stored_once_and_in_order(cluster):
    """Each conversation's turns go in turn to nginx and straight to each Rasa process:
    nginx keeps a conversation with one process, and here every process serves turns of
    every conversation, each catching up with the others' turns."""
    urls = [cluster.url, *cluster.rasa_urls]
    with ThreadPoolExecutor(max_workers=CONVERSATIONS) as pool:
        results = list(pool.map(lambda number: _conversation(urls, number), range(CONVERSATIONS)))
    assert all(all(replies) for _, replies in results), "a turn got no reply"

    import sqlalchemy as sa

    engine = sa.create_engine(cluster.db_url)
    stored = {}
    with engine.connect() as connection:
        for sender, _ in results:
            rows = connection.execute(
                sa.text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
                {"s": sender},
            ).fetchall()
            stored[sender] = [json.loads(row[0])["text"] for row in rows]
    engine.dispose()
    assert all(texts == TURNS for texts in stored.values()), {s: t for s, t in stored.items() if t != TURNS}
    print(
        f"\nscale-out: {CONVERSATIONS} conversations x {len(TURNS)} turns (nginx and each process), "
        f"{sum(len(t) for t in stored.values())} user events stored once and in order"
    )


def test_every_rasa_process_sees_every_conversation(cluster):
    from deploy.local_cluster import TOKEN

    sender, _ = _conversation([cluster.url])
    trackers = []
    for url in cluster.rasa_urls:
        with urllib.request.urlopen(
            f"{url}/conversations/{sender}/tracker?token={TOKEN}", timeout=30
        ) as response:
            trackers.append(json.loads(response.read()))
    texts = [[e["text"] for e in t["events"] if e["event"] == "user"] for t in trackers]
    assert texts == [TURNS, TURNS]


def test_a_slack_message_sent_to_two_processes_is_answered_once(cluster, fake_slack):
    """Slack's retry of one message reaching the other process (on a new connection) gets no
    second reply: the seen-set is in Redis, shared by the processes."""
    import time
    import uuid

    channel = f"C{uuid.uuid4().hex[:10].upper()}"
    event = {
        "type": "event_callback",
        "event_id": f"Ev{uuid.uuid4().hex[:10]}",
        "event": {
            "type": "message",
            "user": "U9",
            "text": "What is BPO?",
            "channel": channel,
            "ts": f"{time.time():.6f}",
        },
    }
    body = json.dumps(event).encode()
    for url in cluster.rasa_urls:
        request = urllib.request.Request(
            f"{url}/webhooks/slack/webhook",
            data=body,
            headers={"Content-Type": "application/json", **slack_signature_headers(body)},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not fake_slack.posts_to(channel):
        time.sleep(0.2)
    time.sleep(3)  # a second reply, had there been one, has arrived by now
    posts = fake_slack.posts_to(channel)
    assert len(posts) == 1 and "outsourc" in posts[0]["text"].lower()
