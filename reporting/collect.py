"""The report's turns, read back from the tracker store (no HTML, no CSV: see render.py).

Streams the store's `events` table in id order, so a large store needs little memory, and
follows each conversation's language and aspect slots to classify its turns:
- fallback: the message was not understood (`nlu_fallback`, "did you mean");
- not_covered: off the assistant's intents but on the topic (what to add to the knowledge);
- out_of_scope: the message was off-topic;
- low_confidence: answered, but the classifier was unsure;
- not_helpful: the user rated the answer "not helpful" (the question that led to it).
The user's words are masked (reporting/privacy.py) as they are read: nothing downstream
sees an e-mail address, a phone number or a stated name. When the user then picked an
aspect from the "did you mean" or "not covered" buttons, the item keeps that choice
(`chosen`): the user's own label for the question.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from faq.protocol import (
    CAPABILITIES_INTENT,
    FALLBACK_INTENT,
    LANGUAGE_SCORES,
    OUT_OF_SCOPE_INTENT,
    REFERS_BACK,
    aspect_of,
)
from faq.topic import on_topic
from reporting.privacy import mask_personal_data
from settings import settings

# not_covered: on the topic, but no knowledge entry answers it (what to add next).
KINDS = ("fallback", "not_covered", "out_of_scope", "low_confidence", "not_helpful")
PROGRESS_EVERY = 20_000
SESSION_START_ACTION = "action_session_start"

# (conversation id, event type, timestamp, event data) as the store keeps them.
Event = tuple[str, str, float, dict[str, Any]]
# Called with (events read, events in the store).
Progress = Callable[[int, int], None]


@dataclass
class Item:
    kind: str
    language: str
    aspect: str
    conversation: str
    timestamp: float
    text: str
    confidence: float | None
    # The intent the user picked from the buttons offered in reply ("/ask_pay"), if any.
    chosen: str | None = None


NO_TOPIC_YET = "(no topic yet)"


@dataclass
class _Conversation:
    """What is known of a conversation so far, from its earlier events."""

    language: str = "?"
    aspect: str = NO_TOPIC_YET
    last_question: str = ""
    last_timestamp: float = 0.0
    # The item of the last question, while a button click may still answer it.
    open_item: Item | None = None
    # After `action_session_start`, Rasa sets every earlier slot again (the domain carries
    # slots over): a rating replayed there is not a new rating.
    replaying: bool = False


def default_db_url() -> str:
    current = settings()
    return current.tracker_db_url or f"sqlite:///{current.path(current.tracker_db)}"


def stream_events(db_url: str, batch: int = 5_000) -> tuple[int, Iterator[Event]]:
    """(number of events, iterator of (conversation, type, timestamp, data)) in id order."""
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    with engine.connect() as connection:
        total = connection.execute(sa.text("SELECT COUNT(*) FROM events")).scalar() or 0

    def rows() -> Iterator[Event]:
        last_id = -1
        with engine.connect() as connection:
            while True:
                # Paging by id, not OFFSET: each page is an index look-up however far in.
                page = connection.execute(
                    sa.text(
                        "SELECT id, sender_id, type_name, timestamp, data FROM events "
                        "WHERE id > :last ORDER BY id LIMIT :batch"
                    ),
                    {"last": last_id, "batch": batch},
                ).fetchall()
                if not page:
                    return
                for event_id, sender, kind, timestamp, data in page:
                    last_id = event_id
                    yield sender, kind, float(timestamp or 0), _event_data(data)

    return total, rows()


def _event_data(data: str | None) -> dict[str, Any]:
    """An event's stored JSON; an unreadable one counts as empty rather than stopping the report."""
    try:
        parsed: dict[str, Any] = json.loads(data) if data else {}
    except ValueError:
        parsed = {}
    return parsed


def collect(
    events: Iterable[Event], low_confidence: float, total: int = 0, progress: Progress | None = None
) -> list[Item]:
    """The report's items, from events in order."""
    conversations: dict[str, _Conversation] = defaultdict(_Conversation)
    items: list[Item] = []
    for count, (sender, kind, timestamp, data) in enumerate(events, start=1):
        if progress and count % PROGRESS_EVERY == 0:
            progress(count, total)
        item = _item_of_event(conversations[sender], sender, kind, timestamp, data, low_confidence)
        if item is not None:
            items.append(item)
    if progress and total:
        progress(total, total)
    return items


def _item_of_event(
    state: _Conversation,
    sender: str,
    kind: str,
    timestamp: float,
    data: dict[str, Any],
    low_confidence: float,
) -> Item | None:
    """The report item an event makes, if any; the conversation's state follows the event."""
    if kind == "user":
        state.replaying = False
        return _user_turn(state, sender, timestamp, data, low_confidence)
    if kind == "action" and data.get("name") == SESSION_START_ACTION:
        state.replaying = True
    if kind == "slot":
        return _slot_set(state, sender, timestamp, data)
    return None


def _user_turn(
    state: _Conversation, sender: str, timestamp: float, data: dict[str, Any], low_confidence: float
) -> Item | None:
    """A user message as an item when it was not answered well; it becomes the last question."""
    parse = data.get("parse_data") or {}
    intent = _answered_intent(parse, state)
    confidence = (parse.get("intent") or {}).get("confidence")
    text = data.get("text") or ""
    language = _language_of(parse, state)
    if text.startswith("/"):
        # A button payload, not the user's words: a picked aspect labels the open question.
        # ("Something else" sends the capabilities intent: no aspect picked.)
        if state.open_item is not None and aspect_of(intent) and intent != CAPABILITIES_INTENT:
            state.open_item.chosen = intent
        state.open_item = None
        return None
    text = mask_personal_data(text)
    state.last_question, state.last_timestamp = text, timestamp
    kind = _unanswered_kind(parse, intent, confidence, text, low_confidence)
    state.open_item = None
    if kind is None:
        return None
    # An unsure answer still names the aspect it was unsure about.
    aspect = (aspect_of(intent) or state.aspect) if kind == "low_confidence" else state.aspect
    item = Item(kind, language, aspect, sender, timestamp, text, confidence)
    if kind in ("fallback", "not_covered"):
        state.open_item = item
    return item


def _answered_intent(parse: dict[str, Any], state: _Conversation) -> str | None:
    """The message's intent; for "why is it important?" after an answer, the knowledge intent
    it was answered with (about the conversation's subject, nlu_components/reference_guard.py)."""
    intent = (parse.get("intent") or {}).get("name")
    referred = parse.get(REFERS_BACK)
    if intent == FALLBACK_INTENT and isinstance(referred, str) and state.aspect != NO_TOPIC_YET:
        return referred
    return intent if isinstance(intent, str) else None


def _language_of(parse: dict[str, Any], state: _Conversation) -> str:
    """The language detected for this message, else the conversation's."""
    scores = parse.get(LANGUAGE_SCORES) or []
    language: str = scores[0]["language"] if scores and isinstance(scores[0], dict) else state.language
    return language


def _unanswered_kind(
    parse: dict[str, Any], intent: str | None, confidence: object, text: str, low_confidence: float
) -> str | None:
    """Which kind of unanswered turn a user message is, or None if it was answered confidently."""
    if intent == FALLBACK_INTENT:
        return "fallback"
    if intent == OUT_OF_SCOPE_INTENT:
        return "not_covered" if on_topic({**parse, "text": text}) else "out_of_scope"
    if isinstance(confidence, int | float) and confidence < low_confidence:
        return "low_confidence"
    return None


def _slot_set(state: _Conversation, sender: str, timestamp: float, data: dict[str, Any]) -> Item | None:
    """Follows the language and aspect slots; a "not helpful" rating is an item."""
    name, value = data.get("name"), data.get("value")
    if name == "language" and isinstance(value, str):
        state.language = value
    elif name == "aspect" and isinstance(value, str):
        state.aspect = value
    elif name == "feedback" and isinstance(value, dict) and value.get("rating") == "not_helpful":
        return None if state.replaying else _not_helpful(state, sender, timestamp, value)
    return None


def _not_helpful(state: _Conversation, sender: str, timestamp: float, rating: dict[str, Any]) -> Item:
    """The question whose answer was rated "not helpful", in the rating's language and aspect."""
    return Item(
        "not_helpful",
        str(rating.get("language") or state.language),
        str(rating.get("aspect") or state.aspect),
        sender,
        state.last_timestamp or timestamp,
        state.last_question,
        None,
    )
