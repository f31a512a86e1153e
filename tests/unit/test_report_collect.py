"""Collecting the report's turns from a tracker store: which turns, in which language and aspect."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from reporting.collect import Event, Item, collect, stream_events

StoredEvent = tuple[str, dict[str, Any]]


def user_turn(text: str, intent: str | None, confidence: float | None, language: str = "en") -> StoredEvent:
    return (
        "user",
        {
            "text": text,
            "parse_data": {
                "intent": {"name": intent, "confidence": confidence},
                "language_scores": [{"language": language, "confidence": 0.9}],
            },
        },
    )


def slot_set(name: str, value: object) -> StoredEvent:
    return ("slot", {"name": name, "value": value})


CONVERSATION = [
    user_turn("What is BPO?", "ask_definition", 0.93),
    slot_set("aspect", "definition"),
    slot_set("language", "en"),
    user_turn('/feedback{"rating":"not_helpful"}', "feedback", 1.0),
    slot_set(
        "feedback", {"rating": "not_helpful", "aspect": "definition", "subject": "bpo", "language": "en"}
    ),
    user_turn("xqzv blorf", "nlu_fallback", 1.0),
    user_turn("Mikä on sää huomenna?", "out_of_scope", 0.8, "fi"),
    user_turn("bpo money thing", "ask_cost", 0.31),
]


def build_store(path: Path, conversations: list[tuple[str, list[StoredEvent]]]) -> str:
    """A SQLite tracker store with Rasa's `events` table; returns its SQLAlchemy URL."""
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, "
        "timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"
    )
    rows = [
        (sender, kind, float(i), json.dumps(data))
        for sender, events in conversations
        for i, (kind, data) in enumerate(events)
    ]
    connection.executemany(
        "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)", rows
    )
    connection.commit()
    connection.close()
    return f"sqlite:///{path}"


def _collect_one(events: list[StoredEvent], low_confidence: float = 0.5) -> list[Item]:
    return collect(
        (("c1", kind, float(i), data) for i, (kind, data) in enumerate(events)), low_confidence=low_confidence
    )


def _summary(items: list[Item]) -> list[tuple[str, str, str, str]]:
    return [(i.kind, i.language, i.aspect, i.text) for i in items]


def test_collects_each_kind_with_language_aspect_and_words() -> None:
    assert _summary(_collect_one(CONVERSATION)) == [
        ("not_helpful", "en", "definition", "What is BPO?"),
        ("fallback", "en", "definition", "xqzv blorf"),
        ("out_of_scope", "fi", "definition", "Mikä on sää huomenna?"),
        ("low_confidence", "en", "cost", "bpo money thing"),
    ]


def test_collects_from_a_sqlite_store_conversation_by_conversation(tmp_path: Path) -> None:
    url = build_store(
        tmp_path / "tracker.db",
        [
            ("anna", [slot_set("aspect", "cost"), user_turn("xqzv", "nlu_fallback", 1.0)]),
            ("ben", [user_turn("qwpx", "nlu_fallback", 1.0, "sk"), slot_set("language", "sk")]),
        ],
    )
    total, events = stream_events(url, batch=1)  # one event a page: paging must not skip or repeat
    items = collect(events, low_confidence=0.5)
    assert total == 4
    assert [(i.conversation, i.kind, i.language, i.aspect, i.text, i.timestamp) for i in items] == [
        ("anna", "fallback", "en", "cost", "xqzv", 1.0),
        ("ben", "fallback", "sk", "(no topic yet)", "qwpx", 0.0),
    ]


def test_unreadable_event_data_counts_as_empty(tmp_path: Path) -> None:
    url = build_store(tmp_path / "tracker.db", [("c", [user_turn("xqzv", "nlu_fallback", 1.0)])])
    connection = sqlite3.connect(tmp_path / "tracker.db")
    connection.execute(
        "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES ('c', 'user', NULL, '{not json')"
    )
    connection.commit()
    connection.close()
    total, events = stream_events(url)
    assert total == 2
    assert list(events)[1] == ("c", "user", 0.0, {})


def test_an_on_topic_message_out_of_scope_is_not_covered() -> None:
    on_topic = user_turn("BPO pension rules", "out_of_scope", 0.9)
    on_topic[1]["parse_data"]["entities"] = [{"entity": "subject", "value": "bpo"}]
    assert [item.kind for item in _collect_one([on_topic])] == ["not_covered"]


def test_a_not_helpful_rating_refers_to_the_question_before_the_button() -> None:
    items = _collect_one(
        [
            slot_set("language", "fi"),
            slot_set("aspect", "skills"),
            user_turn("Mitä taitoja tarvitaan?", "ask_skills", 0.9, "fi"),
            user_turn('/feedback{"rating":"not_helpful"}', "feedback", 1.0),
            slot_set("feedback", {"rating": "not_helpful"}),
            slot_set("feedback", {"rating": "helpful"}),
        ]
    )
    assert [(i.kind, i.language, i.aspect, i.text, i.timestamp, i.confidence) for i in items] == [
        ("not_helpful", "fi", "skills", "Mitä taitoja tarvitaan?", 2.0, None)
    ]


def test_low_confidence_follows_the_threshold_and_names_the_intents_aspect() -> None:
    unsure = [
        slot_set("aspect", "definition"),
        user_turn("bpo money", "ask_cost", 0.6),
        user_turn("hm", "greet", 0.4),
    ]
    assert _summary(_collect_one(unsure, low_confidence=0.5)) == [
        ("low_confidence", "en", "definition", "hm")
    ]
    assert _summary(_collect_one(unsure, low_confidence=0.7)) == [
        ("low_confidence", "en", "cost", "bpo money"),
        ("low_confidence", "en", "definition", "hm"),
    ]


@pytest.mark.parametrize("event", [("action", {"name": "action_listen"}), ("bot", {"text": "Hello"})])
def test_other_events_are_not_turns(event: StoredEvent) -> None:
    assert _collect_one([event]) == []


def test_progress_is_reported_every_so_many_events_and_at_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("reporting.collect.PROGRESS_EVERY", 2)
    calls: list[tuple[int, int]] = []
    events: list[Event] = [("c", "bot", float(i), {}) for i in range(5)]
    collect(events, 0.5, total=5, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(2, 5), (4, 5), (5, 5)]


def test_the_users_words_are_masked_as_they_are_read() -> None:
    items = _collect_one(
        [
            user_turn("my name is Ana Cruz, mail ana@x.ph", "nlu_fallback", 1.0),
            user_turn("hi", "greet", 0.99),
            user_turn('/feedback{"rating":"not_helpful"}', "feedback", 1.0),
            slot_set("feedback", {"rating": "not_helpful", "aspect": "pay"}),
        ]
    )
    assert [item.text for item in items] == ["my name is <name>, mail <email>", "hi"]


def test_an_aspect_picked_from_the_buttons_labels_the_question_it_answers() -> None:
    items = _collect_one(
        [
            user_turn("income of call center workers", "nlu_fallback", 0.1),
            user_turn('/ask_pay{"subject":"call_center"}', "ask_pay", 1.0),
            user_turn("Do BPOs have a dress code?", "out_of_scope", 0.7),
            user_turn("/ask_capabilities", "ask_capabilities", 1.0),
            user_turn("xqzv", "nlu_fallback", 1.0),
            user_turn("what is bpo", "ask_definition", 0.9),
            user_turn("/ask_cost", "ask_cost", 1.0),
        ]
    )
    assert [(i.kind, i.text, i.chosen) for i in items] == [
        ("fallback", "income of call center workers", "ask_pay"),
        ("not_covered", "Do BPOs have a dress code?", None),
        ("fallback", "xqzv", None),
    ]


def test_a_question_pointing_back_is_a_fallback_only_before_any_answer() -> None:
    def pointing_back() -> StoredEvent:
        turn = user_turn("why is it important?", "nlu_fallback", 0.8)
        turn[1]["parse_data"]["refers_back"] = "ask_advantages"
        return turn

    first_turn = _collect_one([pointing_back()])
    after_an_answer = _collect_one(
        [user_turn("What is BPO?", "ask_definition", 0.9), slot_set("aspect", "definition"), pointing_back()]
    )
    assert [item.kind for item in first_turn] == ["fallback"]
    assert after_an_answer == []
