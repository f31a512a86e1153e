"""Scale-out on real components: 2 Rasa processes and 2 action servers behind nginx,
sharing PostgreSQL (tracker store) and Redis (lock store), driven by 50 concurrent
conversations. Zero errors; every user message stored exactly once, in order, in its
conversation.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from deploy.local_cluster import missing_programs

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
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def _conversation(url: str) -> tuple:
    sender = f"scale-{uuid.uuid4().hex}"
    replies = [_ask(url, sender, turn) for turn in TURNS]
    return sender, replies


def test_fifty_concurrent_conversations_are_stored_once_and_in_order(cluster):
    with ThreadPoolExecutor(max_workers=CONVERSATIONS) as pool:
        results = list(pool.map(lambda _: _conversation(cluster.url), range(CONVERSATIONS)))
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
        f"\nscale-out: {CONVERSATIONS} conversations x {len(TURNS)} turns through nginx, "
        f"{sum(len(t) for t in stored.values())} user events stored once and in order"
    )


def test_every_rasa_process_sees_every_conversation(cluster):
    from deploy.local_cluster import TOKEN

    sender, _ = _conversation(cluster.url)
    trackers = []
    for url in cluster.rasa_urls:
        with urllib.request.urlopen(
            f"{url}/conversations/{sender}/tracker?token={TOKEN}", timeout=30
        ) as response:
            trackers.append(json.loads(response.read()))
    texts = [[e["text"] for e in t["events"] if e["event"] == "user"] for t in trackers]
    assert texts == [TURNS, TURNS]
