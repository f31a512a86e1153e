"""Intents that mean nothing without their entity give way to the next likeliest intent.

"answer in Finnish" is `set_language` because it names a language; "Ulkoistaminen
Suomessa" (outsourcing in Finland) only looks like it. A rating typed by hand is rare (the
feedback buttons send it), so a message classified as `feedback` without a rating is
something else. The guard drops such an intent from the top of the ranking, so the next
one (or the fallback, when it is unsure) answers instead.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from faq.protocol import ENTITY_RATING, ENTITY_TARGET_LANGUAGE, FEEDBACK_INTENT, SET_LANGUAGE_INTENT


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class RequiredEntityGuard(GraphComponent):
    """Demotes an intent whose required entity the message lacks."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"requires": {SET_LANGUAGE_INTENT: ENTITY_TARGET_LANGUAGE, FEEDBACK_INTENT: ENTITY_RATING}}

    def __init__(self, config: dict[str, Any]) -> None:
        self.requires: dict[str, str] = {**self.get_default_config(), **config}["requires"]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RequiredEntityGuard:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or text.startswith("/"):
                continue  # button payloads carry their entities explicitly
            present = {entity.get("entity") for entity in message.get(ENTITIES) or []}
            ranking = list(message.get(INTENT_RANKING_KEY) or [])
            while ranking and self.requires.get(ranking[0].get(INTENT_NAME_KEY)) not in (None, *present):
                ranking.pop(0)
            if ranking and ranking[0] != message.get(INTENT):
                message.set(INTENT, ranking[0], add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
