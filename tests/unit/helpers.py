"""Helpers shared by several unit test files: action results, NLU messages, tracker store turns."""

from __future__ import annotations

import asyncio
import sqlite3
from functools import cache
from pathlib import Path
from typing import Any

from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from faq.protocol import LANGUAGE_SCORES
from tests.conftest import PROJECT, scores

# --- Actions -------------------------------------------------------------------------------


def slots_set(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots a list of action events sets, by name."""
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


def texts_sent(dispatcher: Any) -> list[str | None]:
    """The texts a dispatcher was asked to send, in order."""
    return [message.get("text") for message in dispatcher.messages]


# --- NLU components ------------------------------------------------------------------------


def ranked_message(
    text: str,
    ranking: list[tuple[str, float]],
    entities: list[str] | None = None,
    language: str | None = None,
) -> Message:
    """A message as the classifier leaves it: intent, ranking, entities (and language scores)."""
    message = Message(data={TEXT: text})
    ranked = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message.set(INTENT, ranked[0] if ranked else {"name": None, "confidence": 0.0})
    message.set(INTENT_RANKING_KEY, ranked)
    message.set(ENTITIES, [{"entity": entity, "value": "x"} for entity in entities or []])
    if language is not None:
        message.set(LANGUAGE_SCORES, scores(language))
    return message


# --- Tracker store -------------------------------------------------------------------------


@cache
def domain() -> Any:
    from rasa.shared.core.domain import Domain

    return Domain.load(str(PROJECT / "domain.yml"))


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def user_turn(text: str, aspect: str) -> list[Any]:
    """The events of one answered question, as Rasa records them."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

    parse_data = {
        "intent": {"name": f"ask_{aspect}", "confidence": 0.9},
        "entities": [],
        "intent_ranking": [{"name": f"ask_{aspect}", "confidence": 0.9}],
        "text": text,
    }
    return [
        UserUttered(text, parse_data["intent"], [], parse_data),
        ActionExecuted("action_answer"),
        BotUttered(f"About {aspect}.", {"buttons": [{"title": "More", "payload": "/more"}]}),
        SlotSet("aspect", aspect),
        ActionExecuted("action_listen"),
    ]


def stored_rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events ORDER BY id"
        ).fetchall()


def converse(store: Any, sender: str, turns: list[tuple]) -> Any:
    """Plays question turns through a tracker store, reading and saving like Rasa does."""
    tracker = run(store.get_or_create_tracker(sender))
    for text, aspect in turns:
        tracker = run(store.get_or_create_tracker(sender))
        for event in user_turn(text, aspect):
            tracker.update(event)
        run(store.save(tracker))
    return tracker


# --- Trainable components --------------------------------------------------------------------


def model_storage(path: Path) -> Any:
    """Rasa's model storage in a folder, as a training run gives it to the components."""
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    return LocalModelStorage(path)


def training_data(examples: list[tuple[str, str]]) -> Any:
    """Training data of (text, intent) examples."""
    from rasa.shared.nlu.training_data.training_data import TrainingData

    return TrainingData([Message.build(text, intent=intent) for text, intent in examples])
