"""How every question was answered, for the report's charts: counted while the events stream.

A question is a user message in the user's own words (a button payload is the user picking
from what the assistant offered, not a new question). The first reply action after it says
how it went:
- answered: `action_answer` answered from the knowledge file;
- partly answered: `action_clarify` offered "did you mean" buttons;
- not answered: `action_clarify` with nothing to offer, or `action_out_of_scope` (off-topic,
  or on the topic but not covered).
Small talk, language switches and ratings are not questions and are not counted. Each
question counts in the language the assistant answered in (the `language` slot its reply
set), else the one detected, and in the ISO week it was asked (UTC). Ratings of answers
are counted per aspect.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from faq.protocol import RATING_HELPFUL, RATING_NOT_HELPFUL, SLOT_FEEDBACK, SLOT_LANGUAGE
from reporting.collect import SESSION_START_ACTION, Event

ANSWERED, PARTLY, NOT_ANSWERED = "answered", "partly answered", "not answered"
OUTCOMES = (ANSWERED, PARTLY, NOT_ANSWERED)
RATINGS = (RATING_HELPFUL, RATING_NOT_HELPFUL)
ANSWER_ACTION, CLARIFY_ACTION, OUT_OF_SCOPE_ACTION = "action_answer", "action_clarify", "action_out_of_scope"
# Rasa's own actions between a message and the reply.
_BOOKKEEPING_ACTIONS = ("action_listen", SESSION_START_ACTION, "action_unlikely_intent")


def iso_week(timestamp: float) -> str:
    """ "2026-W48": the ISO week of a UTC timestamp."""
    year, week, _ = datetime.fromtimestamp(timestamp, tz=timezone.utc).isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class _Question:
    language: str
    week: str
    action: str | None = None
    buttons: bool = False
    reply_language: str | None = None

    def outcome(self) -> str | None:
        if self.action == ANSWER_ACTION:
            return ANSWERED
        if self.action == CLARIFY_ACTION:
            return PARTLY if self.buttons else NOT_ANSWERED
        if self.action == OUT_OF_SCOPE_ACTION:
            return NOT_ANSWERED
        return None  # small talk, a language switch, a rating, or no reply yet


@dataclass
class OutcomeTally:
    """Questions per (language, week, outcome) and ratings per (aspect, rating)."""

    questions: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    ratings: Counter[tuple[str, str]] = field(default_factory=Counter)
    _open: dict[str, _Question] = field(default_factory=dict)
    # Conversations whose session just started: Rasa replays their earlier slots (ratings too).
    _replaying: set[str] = field(default_factory=set)

    def observe(self, events: Iterable[Event]) -> Iterator[Event]:
        """Passes the events on, counting them on the way; the last questions count at the end."""
        for event in events:
            self.feed(event)
            yield event
        self.finish()

    def feed(self, event: Event) -> None:
        sender, kind, timestamp, data = event
        if kind == "user":
            self._replaying.discard(sender)
            self._close(sender)
            text = data.get("text") or ""
            if not text.startswith("/"):
                self._open[sender] = _Question(_detected_language(data), iso_week(timestamp))
        elif kind == "action" and data.get("name") == SESSION_START_ACTION:
            self._replaying.add(sender)
        elif kind == "slot" and sender not in self._replaying:
            self._slot(self._open.get(sender), data)
        elif sender in self._open:
            self._reply(self._open[sender], kind, data)

    @staticmethod
    def _reply(question: _Question, kind: str, data: dict[str, Any]) -> None:
        """The first reply action, and whether the reply offered buttons."""
        if kind == "action" and question.action is None and data.get("name") not in _BOOKKEEPING_ACTIONS:
            question.action = data.get("name")
        elif kind == "bot" and (data.get("data") or {}).get("buttons"):
            question.buttons = True

    def _slot(self, question: _Question | None, data: dict[str, Any]) -> None:
        name, value = data.get("name"), data.get("value")
        if name == SLOT_LANGUAGE and question is not None and isinstance(value, str):
            question.reply_language = question.reply_language or value
        elif name == SLOT_FEEDBACK and isinstance(value, dict) and value.get("rating") in RATINGS:
            self.ratings[(str(value.get("aspect") or "?"), str(value["rating"]))] += 1

    def _close(self, sender: str) -> None:
        question = self._open.pop(sender, None)
        outcome = question.outcome() if question else None
        if question is not None and outcome is not None:
            self.questions[(question.reply_language or question.language, question.week, outcome)] += 1

    def finish(self) -> None:
        for sender in list(self._open):
            self._close(sender)

    def per(self, position: int) -> dict[str, Counter[str]]:
        """Outcome counts per language (position 0) or per week (position 1), sorted."""
        counts: dict[str, Counter[str]] = {}
        for key, count in sorted(self.questions.items()):
            counts.setdefault(key[position], Counter())[key[2]] += count
        return counts

    def ratings_per_aspect(self) -> dict[str, Counter[str]]:
        counts: dict[str, Counter[str]] = {}
        for (aspect, rating), count in sorted(self.ratings.items()):
            counts.setdefault(aspect, Counter())[rating] += count
        return counts


def _detected_language(data: dict[str, object]) -> str:
    parse = data.get("parse_data")
    scores = parse.get("language_scores") if isinstance(parse, dict) else None
    if isinstance(scores, list) and scores and isinstance(scores[0], dict):
        return str(scores[0].get("language") or "?")
    return "?"
