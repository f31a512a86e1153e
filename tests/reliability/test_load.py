"""Load: 50 concurrent conversations x 20 turns against the stack `make run` starts: zero
errors, and every turn stored in its own conversation, in order."""

from __future__ import annotations

import json
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

CONVERSATIONS = 50
TURNS = 20
QUESTIONS = [
    "What skills do call center agents need?",
    "and for BPO?",
    "what are its disadvantages?",
    "Aké sú výhody call centra?",
    "a nevýhody?",
    "Apa perbedaan antara BPO dan pusat panggilan?",
    "Vad är fördelarna med BPO?",
    "och nackdelarna?",
    "Mitä puhelinkeskus tekee?",
    "kiitos",
]


def _conversation(url: str) -> tuple:
    sender = f"load-{uuid.uuid4().hex}"
    sent, errors = [], 0
    for turn in range(TURNS):
        text = f"{QUESTIONS[turn % len(QUESTIONS)]} #{turn}"
        request = urllib.request.Request(
            f"{url}/webhooks/rest/webhook",
            data=json.dumps({"sender": sender, "message": text}).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                if not json.loads(response.read()):
                    errors += 1
        except OSError:
            errors += 1
        sent.append(text)
    return sender, sent, errors


def test_fifty_conversations_of_twenty_turns_lose_nothing(stack):
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CONVERSATIONS) as pool:
        results = list(pool.map(lambda _: _conversation(stack.url), range(CONVERSATIONS)))
    elapsed = time.perf_counter() - started
    errors = sum(e for _, _, e in results)
    stored = 0
    for sender, sent, _ in results:
        with urllib.request.urlopen(
            f"{stack.url}/conversations/{sender}/tracker?token={stack.token}", timeout=60
        ) as response:
            events = json.loads(response.read())["events"]
        texts = [event["text"] for event in events if event["event"] == "user"]
        assert texts == sent, sender
        stored += len(texts)
    print(
        f"\n  load: {CONVERSATIONS * TURNS} turns in {elapsed:.0f} s "
        f"({CONVERSATIONS * TURNS / elapsed:.0f}/s), "
        f"{errors} errors, {stored} user events stored in order"
    )
    assert errors == 0
    assert stored == CONVERSATIONS * TURNS
