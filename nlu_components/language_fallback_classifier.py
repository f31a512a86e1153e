"""Rasa's FallbackClassifier with thresholds per language.

How confident the classifier is for a right answer differs by language (Finnish, with its
many word forms, scores lower than English), so one threshold asks too often in one
language and guesses too often in another. The thresholds are tuned on the held-out data
with `make tune-fallback` (scripts/tune_fallback.py) and documented in docs/thresholds.md.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.fallback_classifier import (
    AMBIGUITY_THRESHOLD_KEY,
    THRESHOLD_KEY,
    FallbackClassifier,
)
from rasa.shared.nlu.training_data.message import Message

from faq.language import decide_language, scores_from_parse_data
from faq.protocol import LANGUAGE_SCORES


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LanguageAwareFallbackClassifier(FallbackClassifier):
    """Predicts `nlu_fallback` below the threshold of the message's language."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **FallbackClassifier.get_default_config(),
            # {language: {threshold: .., ambiguity_threshold: ..}}; missing ones use the defaults.
            "per_language": {},
        }

    def process(self, messages: list[Message]) -> list[Message]:
        default = {key: self.component_config[key] for key in (THRESHOLD_KEY, AMBIGUITY_THRESHOLD_KEY)}
        per_language = self.component_config.get("per_language") or {}
        for message in messages:
            language = decide_language(scores_from_parse_data(message.get(LANGUAGE_SCORES)))
            settings = {**default, **(per_language.get(language) or {})}
            classifier = FallbackClassifier({**self.component_config, **settings})
            classifier.process([message])
        return messages
