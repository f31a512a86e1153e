"""Blends the classifier's intent probabilities with a second opinion: the training examples
nearest to the message by BM25 (faq/retrieval.py), in the message's own language.

The classifier (a linear model over every word and character n-gram at once) follows the
frequent domain words; the nearest example weighs the words that are rare among the
examples, which is where a real question's odd wording often carries its meaning. Each
intent's BM25 score (its best example's) becomes a probability with a softmax at
`temperature`, and the ranking is re-ordered by

    (1 - weight) * classifier probability + weight * retrieval probability.

`weight` and `temperature` were chosen on the real questions (the grid, and the blind and
held-out figures it was checked on, are in docs/thresholds.md). With `weight: 0` the
component changes nothing.
"""

from __future__ import annotations

import math
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from faq.retrieval import NearestExamples
from nlu_components.model_files import load_json, save_json
from nlu_components.multilingual_tokenizer import language_of

INDEX_FILE = "nearest_examples.json"


def _terms(message: Message) -> list[str]:
    """The message's lemmas as the tokenizer folded them: the words the featurizers count."""
    return [token.lemma for token in message.get(TOKENS_NAMES[TEXT]) or []]


def softmax(scores: list[tuple[str, float]], temperature: float) -> dict[str, float]:
    if not scores:
        return {}
    top = max(score for _, score in scores)
    exponentials = {name: math.exp((score - top) / temperature) for name, score in scores}
    total = sum(exponentials.values())
    return {name: value / total for name, value in exponentials.items()}


def blend(ranking: list[dict[str, Any]], retrieval: dict[str, float], weight: float) -> list[dict[str, Any]]:
    """The classifier's ranking re-scored with the retrieval probabilities, best first. Intents
    only the retrieval ranks are added; the confidences sum to one when both opinions do."""
    classifier = {entry[INTENT_NAME_KEY]: entry[PREDICTED_CONFIDENCE_KEY] for entry in ranking}
    names = list(classifier) + [name for name in retrieval if name not in classifier]
    blended = [
        {
            INTENT_NAME_KEY: name,
            PREDICTED_CONFIDENCE_KEY: (1 - weight) * classifier.get(name, 0.0)
            + weight * retrieval.get(name, 0.0),
        }
        for name in names
    ]
    return sorted(blended, key=lambda entry: -entry[PREDICTED_CONFIDENCE_KEY])


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class RetrievalBlend(GraphComponent):
    """Re-ranks the classifier's intents with the nearest training examples' intents."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # The share of the retrieval opinion, and how sharply a better BM25 score wins it.
        return {"weight": 0.4, "temperature": 1.0, "ranking_length": 10}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        indexes: dict[str, NearestExamples] | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.indexes = indexes or {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RetrievalBlend:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples: dict[str, list[tuple[str, list[str]]]] = {}
        for example in training_data.intent_examples:
            terms = _terms(example)
            if terms:
                examples.setdefault(language_of(example), []).append((example.get(INTENT), terms))
        self.indexes = {language: NearestExamples(found) for language, found in examples.items()}
        save_json(
            self._model_storage,
            self._resource,
            INDEX_FILE,
            {language: index.to_json() for language, index in self.indexes.items()},
        )
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> RetrievalBlend:
        saved = load_json(model_storage, resource, INDEX_FILE, {})
        indexes = {language: NearestExamples.from_json(data) for language, data in saved.items()}
        return cls(config, model_storage, resource, indexes)

    def process(self, messages: list[Message]) -> list[Message]:
        weight = float(self.config["weight"])
        for message in messages:
            ranking = message.get(INTENT_RANKING_KEY) or []
            index = self.indexes.get(language_of(message))
            if weight <= 0 or not ranking or index is None:
                continue  # no intent (no features): the fallback components answer it
            retrieval = softmax(index.intent_scores(_terms(message)), float(self.config["temperature"]))
            if not retrieval:
                continue
            blended = blend(ranking, retrieval, weight)[: int(self.config["ranking_length"])]
            message.set(INTENT, blended[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, blended, add_to_output=True)
        return messages
