"""Detects the language of each message for the tokenizer and the actions.

Combines a statistical detector (lingua, restricted to the five languages) with a
vocabulary model learned from the training data, which knows the short, domain-specific
phrases ("Hej", "Tell me a joke", "Čo je KPO?") that statistical detectors get wrong.
Training examples are labelled by lingua where it is confident, then the vocabulary model
is fit on them. The result is added to the parse data as `language_scores`; the actions
decide, with the conversation's language, which language to answer in.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from faq import language as languages
from faq.lemmas import compile_lemmas, tables_for
from faq.protocol import KNOWN_VOCABULARY, LANGUAGE_SCORES, UNSUPPORTED_LANGUAGE
from nlu_components.model_files import load_json, save_json

VOCABULARY_FILE = "vocabulary.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class LanguageIdentifier(GraphComponent):
    """Adds `language_scores` (best first) to every message."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # lingua confidence a training example needs to label the vocabulary model.
        return {"label_confidence": 0.8}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: languages.VocabularyModel | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.vocabulary = vocabulary or languages.VocabularyModel()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageIdentifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        labelled = []
        for example in training_data.intent_examples:
            text = example.get(TEXT) or ""
            detected = languages.detect(text)
            if detected and detected[0].confidence >= self._config["label_confidence"]:
                labelled.append((text, detected[0].code))
        fitted = languages.VocabularyModel.fit(labelled)
        forms = {
            language: compile_lemmas(counts, tables_for(language))
            for language, counts in fitted.counts.items()
        }
        self.vocabulary = languages.VocabularyModel(fitted.counts, forms)
        save_json(
            self._model_storage, self._resource, VOCABULARY_FILE, {"counts": fitted.counts, "forms": forms}
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
    ) -> LanguageIdentifier:
        saved = load_json(model_storage, resource, VOCABULARY_FILE, {})
        vocabulary = languages.VocabularyModel(saved.get("counts"), saved.get("forms"))
        identifier = cls(config, model_storage, resource, vocabulary)
        # Load the detectors' models now rather than during the first messages.
        identifier.identify("warm up")
        languages.unsupported_language("warm up the detector for other languages", 0.0)
        return identifier

    def identify(self, text: str) -> list[dict[str, Any]]:
        return languages.scores_to_parse_data(languages.identify(text, self.vocabulary))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            if isinstance(example.get(TEXT), str):
                example.set(LANGUAGE_SCORES, self.identify(example.get(TEXT)))
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str):
                message.set(LANGUAGE_SCORES, self.identify(text), add_to_output=True)
                message.set(KNOWN_VOCABULARY, self.vocabulary.knows_any_word(text))
                foreign = languages.unsupported_language(text, self.vocabulary.known_word_share(text))
                if foreign:
                    message.set(UNSUPPORTED_LANGUAGE, foreign, add_to_output=True)
        return messages
