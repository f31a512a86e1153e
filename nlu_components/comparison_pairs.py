"""Routes comparisons inside one subject ("inbound vs outbound") to that pair's aspect.

The classifier learns that "vs" and "difference" mean the BPO-versus-call-center answer,
which is right for most comparisons and wrong for these. When a message names both ends
of a known pair (faq/comparisons.py) and the classifier picked a generic intent, this
component sets the pair's aspect intent and adds `comparison_focus`, which the answer
action uses to give that pair's own answer. A specific intent the classifier is sure of
("inbound vs outbound pay") is kept: the pair only says which entry, not which aspect.
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

from faq.comparisons import find_pair
from faq.protocol import COMPARISON_FOCUS, FOLLOW_UP_INTENT, OUT_OF_SCOPE_INTENT, aspect_intent

# Intents that mean "tell me about / compare" without naming a more specific aspect.
GENERIC_INTENTS = {
    aspect_intent(aspect)
    for aspect in (
        "difference",
        "relationship",
        "definition",
        "types",
        "location",
        "choosing",
        "scope",
        "functions",
        "services",
    )
} | {OUT_OF_SCOPE_INTENT, FOLLOW_UP_INTENT}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ComparisonPairRouter(GraphComponent):
    """Sets a named pair's aspect intent and `comparison_focus`."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ComparisonPairRouter:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or text.startswith("/"):
                continue
            pair = find_pair(text)
            if pair is None:
                continue
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            pair_intent = aspect_intent(pair.aspect)
            if intent is not None and intent not in GENERIC_INTENTS and intent != pair_intent:
                continue
            if pair.focus:
                message.set(COMPARISON_FOCUS, pair.focus, add_to_output=True)
            chosen = {INTENT_NAME_KEY: pair_intent, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [
                r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != pair_intent
            ]
            message.set(INTENT, chosen, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [chosen, *ranking], add_to_output=True)
        return messages
