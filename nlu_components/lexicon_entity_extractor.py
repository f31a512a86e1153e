"""Typo-tolerant entity extraction from the synonyms and annotations in the training data.

The entities this assistant needs (`subject`: BPO or call center; `target_language`) are a
closed vocabulary with many surface forms across five languages and their inflections
("call centra", "puhelinkeskuksessa", "pusat panggilan"). A learned tagger needs many
annotated examples per form; this extractor learns the vocabulary itself from the training
data (annotated spans and `synonym` entries) and matches it exactly, by inflected prefix,
or within a small edit distance, returning the normalised value.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from faq.protocol import ENTITY_RATING, ENTITY_SUBJECT, ENTITY_TARGET_LANGUAGE
from faq.text import fold, words
from nlu_components.model_files import load_json, save_json

LEXICON_FILE = "lexicon.json"
MAX_PHRASE_WORDS = 4
# Look-ups remembered per lexicon: the runs of words people type repeat a lot ("call center",
# "what is"), and a fuzzy look-up compares the run with every phrase of its length.
LOOKUP_CACHE_SIZE = 8192
_WORD = re.compile(r"\w+")


class Lexicon:
    """Folded phrases mapped to (entity, value), with exact, prefix and fuzzy look-up."""

    def __init__(self, phrases: dict[str, tuple[str, str]], min_similarity: float, min_prefix: int) -> None:
        self.phrases = phrases
        self.min_similarity = min_similarity
        self.min_prefix = min_prefix
        self._by_length: dict[int, list[str]] = {}
        for phrase in phrases:
            self._by_length.setdefault(len(phrase.split()), []).append(phrase)
        self.lookup = lru_cache(maxsize=LOOKUP_CACHE_SIZE)(self._lookup)

    def _lookup(self, candidate: str) -> tuple[str, str] | None:
        """The (entity, value) a run of folded words stands for, if any."""
        if candidate in self.phrases:
            return self.phrases[candidate]
        if len(candidate) < self.min_prefix:
            return None
        candidate_words = candidate.split()
        best, best_score = None, self.min_similarity
        for phrase in self._by_length.get(len(candidate_words), ()):
            if len(candidate_words) == 1 and self._is_inflected_form(candidate, phrase):
                return self.phrases[phrase]
            if abs(len(phrase) - len(candidate)) > 2 or phrase[0] != candidate[0]:
                continue
            if self._short_words_differ(phrase, candidate_words):
                continue
            matcher = SequenceMatcher(None, candidate, phrase)
            # quick_ratio() is an upper bound of ratio(), and much cheaper.
            if matcher.quick_ratio() <= best_score:
                continue
            score = matcher.ratio()
            if score > best_score:
                best, best_score = phrase, score
        return self.phrases[best] if best else None

    def _is_inflected_form(self, word: str, phrase: str) -> bool:
        """Whether one typed word is the one-word phrase with an inflected ending."""
        # Inflected forms extend the stem: "puhelinkeskuksessa" starts with "puhelinkesku".
        # Only long phrases may lose their last letters ("operator" must not catch
        # "operations"), and a shorter word is no inflection ("hyödyt" of "hyödytön").
        if len(phrase) < self.min_prefix or len(word) < len(phrase):
            return False
        return word.startswith(phrase[: max(self.min_prefix, len(phrase) - _stem_allowance(phrase))])

    def _short_words_differ(self, phrase: str, typed_words: list[str]) -> bool:
        """Whether a short word of the phrase was typed differently (no fuzzy match then)."""
        # Short words ("BPO", "n" in "BPO:n") carry the meaning: they must match exactly,
        # or "BPO on" would pass for "BPO:n".
        return any(
            len(word) < self.min_prefix and word != typed
            for word, typed in zip(phrase.split(), typed_words, strict=False)
        )


def _stem_allowance(phrase: str) -> int:
    """How many final letters of a phrase an inflected form may change."""
    return 2 if len(phrase) >= 10 else 1 if len(phrase) >= 8 else 0


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class LexiconEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Extracts closed-vocabulary entities learned from synonyms and annotated examples."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # Entities to learn; others in the training data are left to other extractors.
            "entities": [ENTITY_SUBJECT, ENTITY_TARGET_LANGUAGE, ENTITY_RATING],
            # Similarity (0..1) a misspelt phrase needs to count as a match.
            # 0.86: "operators" is not "operations" (0.84), "Suomessa" not "suomea" (0.857).
            "min_similarity": 0.86,
            # Shortest word that may match fuzzily or by prefix; shorter ones ("BPO") must be exact.
            "min_prefix": 6,
        }

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        phrases: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.lexicon = Lexicon(phrases or {}, self._config["min_similarity"], self._config["min_prefix"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LexiconEntityExtractor:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        wanted = set(self._config["entities"])
        synonyms = {fold(surface): value for surface, value in training_data.entity_synonyms.items()}
        # The synonym targets are the normalised values (subject ids, language codes); an
        # annotated span without a synonym counts only when it folds to one of them ("BPO").
        canonical = {fold(value): value for value in synonyms.values()}
        phrases: dict[str, tuple[str, str]] = {}
        for example in training_data.entity_examples:
            for entity in example.get(ENTITIES, []):
                if entity["entity"] not in wanted:
                    continue
                surface = fold(example.get(TEXT)[entity["start"] : entity["end"]])
                value = synonyms.get(surface) or canonical.get(fold(str(entity["value"])))
                if value is not None:
                    phrases[" ".join(words(surface))] = (entity["entity"], value)
        values = {value: entity for entity, value in phrases.values()}
        for surface, value in synonyms.items():
            if value in values:
                phrases[" ".join(words(surface))] = (values[value], value)
        for value, entity in values.items():
            # The value itself is a surface form too ("call center"), unless it is a bare code
            # like "en", which is also a common Finnish word.
            if len(value) >= 3:
                phrases.setdefault(" ".join(words(value.replace("_", " "))), (entity, value))
        phrases.pop("", None)
        self.lexicon = Lexicon(phrases, self._config["min_similarity"], self._config["min_prefix"])
        save_json(self._model_storage, self._resource, LEXICON_FILE, phrases)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LexiconEntityExtractor:
        raw = load_json(model_storage, resource, LEXICON_FILE, {})
        return cls(config, model_storage, resource, {k: tuple(v) for k, v in raw.items()})

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            found = self.add_extractor_name(self.extract(message.get(TEXT) or ""))
            message.set(ENTITIES, message.get(ENTITIES, []) + found, add_to_output=True)
        return messages

    def extract(self, text: str) -> list[dict[str, Any]]:
        """Entities in a text: longest matching runs of words first, no overlaps."""
        spans = _word_spans(text)
        entities = []
        position = 0
        while position < len(spans):
            for length in range(min(MAX_PHRASE_WORDS, len(spans) - position), 0, -1):
                window = spans[position : position + length]
                match = self.lexicon.lookup(" ".join(word for word, _, _ in window))
                if match:
                    start, end = window[0][1], window[-1][2]
                    entities.append(
                        {
                            "entity": match[0],
                            "value": match[1],
                            "start": start,
                            "end": end,
                            "confidence_entity": 1.0,
                        }
                    )
                    position += length
                    break
            else:
                position += 1
        return entities


def _word_spans(text: str) -> list[tuple[str, int, int]]:
    """Folded words with their character offsets in the original text."""
    return [(fold(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]
