"""Turns messages that share no word with the training data into `nlu_fallback`.

A linear classifier still spreads probability over the intents for "xqzv blorf wug", and
the largest share can pass the fallback threshold. Gibberish should get a clarification,
not a guess, so a message with letters but no known word is a fallback whatever its score.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.language_identifier import KNOWN_VOCABULARY

FALLBACK_INTENT = "nlu_fallback"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UnknownWordsFallback(GraphComponent):
    """Predicts `nlu_fallback` for messages made only of words the assistant never saw."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "UnknownWordsFallback":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            has_letters = isinstance(text, str) and any(char.isalpha() for char in text)
            if has_letters and message.get(KNOWN_VOCABULARY) is False:
                fallback = {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, fallback, add_to_output=True)
        return messages
