"""Finds which knowledge aspects a message names ("compare their skills and pay").

Learned from the training data: a word marks an aspect when it appears in at least
`min_count` examples of that aspect's intent and at least `min_precision` of all its
occurrences are in that intent ("salary" -> pay, "skills" -> skills). The result is added to
the parse data as `aspect_mentions` (ids in order of mention), not as entities: it only
tells the comparison table which rows to show.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from faq.protocol import ASPECT_MENTIONS, aspect_of
from faq.text import words
from nlu_components.model_files import load_json, save_json

KEYWORDS_FILE = "aspect_keywords.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class AspectMentionDetector(GraphComponent):
    """Adds `aspect_mentions` to each message."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"min_count": 3, "min_precision": 0.75, "min_length": 3, "prefix_length": 5}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        keywords: dict[str, str] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.keywords = keywords or {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> AspectMentionDetector:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        per_intent: dict[str, Counter] = defaultdict(Counter)
        for example in training_data.intent_examples:
            per_intent[example.get(INTENT)].update(set(words(example.get(TEXT) or "")))
        totals: Counter = Counter()
        for counts in per_intent.values():
            totals.update(counts)
        keywords = {}
        for intent, counts in per_intent.items():
            aspect = aspect_of(intent)
            if aspect is None:
                continue
            for word, count in counts.items():
                if (
                    count >= self._config["min_count"]
                    and len(word) >= self._config["min_length"]
                    and count / totals[word] >= self._config["min_precision"]
                ):
                    keywords[word] = aspect
        self.keywords = keywords
        save_json(self._model_storage, self._resource, KEYWORDS_FILE, keywords)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> AspectMentionDetector:
        keywords = load_json(model_storage, resource, KEYWORDS_FILE, {})
        return cls(config, model_storage, resource, keywords)

    def mentions(self, text: str) -> list[str]:
        found: list[str] = []
        prefix = self._config["prefix_length"]
        for word in words(text):
            aspect = self.keywords.get(word)
            if aspect is None and len(word) > prefix:
                # Inflected forms extend a learned word: "skillsets" starts with "skills".
                aspect = next(
                    (a for k, a in self.keywords.items() if len(k) > prefix and word.startswith(k)), None
                )
            if aspect and aspect not in found:
                found.append(aspect)
        return found

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if isinstance(message.get(TEXT), str):
                message.set(ASPECT_MENTIONS, self.mentions(message.get(TEXT)), add_to_output=True)
        return messages
