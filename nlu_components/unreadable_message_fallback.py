"""Turns messages the assistant cannot read into `nlu_fallback`.

Three kinds: messages with no words at all (emoji, digits, punctuation), messages that
share no word with the training data ("xqzv blorf wug"), where a
linear classifier would still hand the largest share of probability to some intent, and
messages in a language the assistant does not speak. Both should get a clarification,
not a guess, so their intent becomes `nlu_fallback` with no other candidates (the
clarifying action then offers no "did you mean" buttons).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from faq.protocol import FALLBACK_INTENT, KNOWN_VOCABULARY, UNSUPPORTED_LANGUAGE


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UnreadableMessageFallback(GraphComponent):
    """Predicts `nlu_fallback` for unknown words or an unsupported language."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UnreadableMessageFallback:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str):
                continue
            has_letters = any(char.isalpha() for char in text)
            # Emoji, digits or punctuation only: nothing to classify.
            no_words = not has_letters and not text.startswith("/")
            unknown_words = has_letters and message.get(KNOWN_VOCABULARY) is False
            if no_words or unknown_words or message.get(UNSUPPORTED_LANGUAGE):
                fallback = {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, fallback, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [fallback], add_to_output=True)
        return messages
