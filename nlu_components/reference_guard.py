"""A knowledge question that only points back ("Why is it important?") becomes `nlu_fallback`.

The NLU cannot see the conversation: whether "it" has something to refer to is for the
dialogue to decide. So such a question leaves the NLU as `nlu_fallback`, with the classifier's
ranking kept and its choice under `REFERS_BACK`. The clarifying action answers that choice
when the conversation already has a subject (actions/conversation_actions.py), and asks what
"it" is when it has none: a first question like this was lifted from an article or an
interview list, and a guess would answer a question nobody asked.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from faq.language import message_language, names_domain_term
from faq.protocol import (
    CAPABILITIES_INTENT,
    COMPARISON_ASPECTS,
    ENTITY_SUBJECT,
    FALLBACK_INTENT,
    LANGUAGE_SCORES,
    REFERS_BACK,
    aspect_intent,
    aspect_of,
)
from faq.references import refers_back


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ReferenceGuard(GraphComponent):
    """Hands a subject-less, pointing-back knowledge question to the dialogue as a fallback."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Questions about both sides at once: "compare their pay" or "how are they related?"
        # can only mean BPO and call centers, first turn or not.
        return {"about_both_sides": [*map(aspect_intent, COMPARISON_ASPECTS), CAPABILITIES_INTENT]}

    def __init__(self, config: dict[str, Any]) -> None:
        self.about_both_sides = frozenset({**self.get_default_config(), **config}["about_both_sides"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ReferenceGuard:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if aspect_of(intent) is None or intent in self.about_both_sides or not _refers_back(message):
                continue
            confidence = (message.get(INTENT) or {}).get(PREDICTED_CONFIDENCE_KEY)
            message.set(REFERS_BACK, intent, add_to_output=True)
            message.set(
                INTENT,
                {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: confidence},
                add_to_output=True,
            )
        return messages


def _refers_back(message: Message) -> bool:
    text = message.get(TEXT)
    if not isinstance(text, str) or text.startswith("/"):
        return False  # button payloads name their aspect
    if any(entity.get("entity") == ENTITY_SUBJECT for entity in message.get(ENTITIES) or []):
        return False
    if names_domain_term(text):
        return False
    return refers_back(text, message_language(message.get(LANGUAGE_SCORES), text))
