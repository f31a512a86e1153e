"""The report's charts: how each question was answered, per language and week; uncovered
topics; ratings per aspect. Counted from a small tracker store with the events Rasa writes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from reporting.collect import Item, collect, stream_events
from reporting.outcomes import ANSWERED, NOT_ANSWERED, PARTLY, OutcomeTally, iso_week
from reporting.render import draw_charts, html_page, uncovered_topics
from reporting.unanswered import main
from tests.unit.test_report_collect import StoredEvent, build_store, slot_set, user_turn

PNG = b"\x89PNG\r\n\x1a\n"
MONDAY_W48 = 1_764_547_200.0  # 2025-12-01 00:00 UTC, ISO week 2025-W49
WEEK = 7 * 24 * 3600.0


def action(name: str) -> StoredEvent:
    return ("action", {"name": name})


def bot(text: str, buttons: bool = False) -> StoredEvent:
    return (
        "bot",
        {"text": text, "data": {"buttons": [{"title": "Pay", "payload": "/ask_pay"}] if buttons else None}},
    )


def question(
    text: str, intent: str, reply: str, language: str = "en", buttons: bool = False
) -> list[StoredEvent]:
    return [
        user_turn(text, intent, 0.9, language),
        action(reply),
        bot("...", buttons),
        slot_set("language", language),
        action("action_listen"),
    ]


def rating(value: str, aspect: str) -> list[StoredEvent]:
    return [
        user_turn(f'/feedback{{"rating":"{value}"}}', "feedback", 1.0),
        action("action_feedback"),
        slot_set("feedback", {"rating": value, "aspect": aspect, "subject": "bpo", "language": "en"}),
    ]


ANNA = [
    action("action_session_start"),
    *question("What is BPO?", "ask_definition", "action_answer"),
    *rating("helpful", "definition"),
    *question("bpo money thing", "nlu_fallback", "action_clarify", buttons=True),
    user_turn('/ask_pay{"subject":"bpo"}', "ask_pay", 1.0),  # a pick, not a new question
    action("action_answer"),
    *question("xqzv", "nlu_fallback", "action_clarify"),
    *question("weather tomorrow?", "out_of_scope", "action_out_of_scope"),
    *question("hi", "greet", "action_small_talk"),  # not a question
    *question("Do BPOs have a dress code?", "out_of_scope", "action_out_of_scope", buttons=True),
    # A new session: Rasa sets every earlier slot again, the rating too.
    action("action_session_start"),
    slot_set("feedback", {"rating": "helpful", "aspect": "definition"}),
    action("action_listen"),
]
BEN = [
    *question("Čo je BPO?", "ask_definition", "action_answer", "sk"),
    *rating("not_helpful", "definition"),
    *question("Aký je dress code v BPO?", "out_of_scope", "action_out_of_scope", "sk", buttons=True),
    *question("Je v call centre dress code?", "out_of_scope", "action_out_of_scope", "sk", buttons=True),
]


def _events(conversations: list[tuple[str, list[StoredEvent], float]]):
    for sender, events, start in conversations:
        for offset, (kind, data) in enumerate(events):
            yield sender, kind, start + offset, data


@pytest.fixture
def tally() -> OutcomeTally:
    counted = OutcomeTally()
    list(counted.observe(_events([("anna", ANNA, MONDAY_W48), ("ben", BEN, MONDAY_W48 + WEEK)])))
    return counted


def test_each_question_counts_once_by_how_it_was_answered(tally: OutcomeTally) -> None:
    assert tally.per(0) == {
        "en": Counter({ANSWERED: 1, PARTLY: 1, NOT_ANSWERED: 3}),
        "sk": Counter({ANSWERED: 1, NOT_ANSWERED: 2}),
    }
    assert tally.per(1) == {
        "2025-W49": Counter({ANSWERED: 1, PARTLY: 1, NOT_ANSWERED: 3}),
        "2025-W50": Counter({ANSWERED: 1, NOT_ANSWERED: 2}),
    }


def test_ratings_count_per_aspect_and_a_replayed_rating_is_not_a_new_one(tally: OutcomeTally) -> None:
    assert tally.ratings_per_aspect() == {"definition": Counter({"helpful": 1, "not_helpful": 1})}


def test_a_replayed_rating_is_not_a_new_not_helpful_item() -> None:
    events = [*ANNA[:3], *rating("not_helpful", "definition"), action("action_session_start")]
    events.append(slot_set("feedback", {"rating": "not_helpful", "aspect": "definition"}))
    items = collect(((s, k, t, d) for s, k, t, d in _events([("c", events, 0.0)])), low_confidence=0.5)
    assert [item.kind for item in items] == ["not_helpful"]


def test_iso_weeks_are_utc() -> None:
    assert iso_week(MONDAY_W48) == "2025-W49" and iso_week(MONDAY_W48 - 1) == "2025-W48"


def test_uncovered_topics_group_similar_questions_per_language() -> None:
    items = [
        Item("not_covered", "sk", "?", "c", 0.0, text, None)
        for text in ("Aký je dress code v BPO?", "Aký je dress code v call centre?", "Majú BPO odbory?")
    ] + [
        Item("fallback", "en", "?", "c", 0.0, "xqzv", None),
        Item("fallback", "en", "?", "c", 0.0, "do BPOs have a dress code", None),
        Item("fallback", "en", "?", "c", 0.0, "bpo money thing", None, "ask_pay"),  # picked: covered
    ]
    assert uncovered_topics(items) == [
        ("[sk] Aký je dress code v BPO?", 2),
        ("[en] do BPOs have a dress code", 1),
        ("[sk] Majú BPO odbory?", 1),
    ]


def test_the_chart_files_are_drawn_and_shown_on_the_page(tmp_path: Path, tally: OutcomeTally) -> None:
    items = [Item("not_covered", "sk", "?", "c", 0.0, "Aký je dress code v BPO?", None)]
    figures = draw_charts(items, tally, tmp_path)
    assert len(figures) == 6
    for figure in figures:
        data = (tmp_path / figure.file).read_bytes()
        assert data.startswith(PNG) and len(data) > 5_000, figure.file
    page = html_page(items, "sqlite:///x.db", 10, figures)
    assert '<img src="outcomes_by_week.png" alt="Chart: How questions were answered, by week' in page
    assert "<td>2025-W50</td><td>1</td><td>0</td><td>2</td><td>3</td>" in page
    assert "<td>definition</td><td>1</td><td>1</td>" in page


def test_empty_charts_are_still_drawn(tmp_path: Path) -> None:
    figures = draw_charts([], OutcomeTally(), tmp_path)
    assert all((tmp_path / figure.file).read_bytes().startswith(PNG) for figure in figures)


def test_the_report_command_draws_the_charts_from_a_store(tmp_path: Path) -> None:
    url = build_store(tmp_path / "tracker.db", [("anna", ANNA), ("ben", BEN)])
    out = tmp_path / "report"
    assert main(["--db-url", url, "--out", str(out)]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count("<img ") == 6 and "<td>sk</td><td>1</td><td>0</td><td>2</td><td>3</td>" in page
    total, events = stream_events(url)
    assert total == len(ANNA) + len(BEN) and sum(1 for _ in events) == total
