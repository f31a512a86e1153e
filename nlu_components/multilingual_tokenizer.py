"""A spaCy tokenizer that follows the language of each message, with lookup lemmas.

spaCy's trained pipelines cannot be installed here, and one pipeline serves one language
anyway, so this component tokenizes with spaCy's blank pipelines (spaCy's own language data
for en, sk, id, sv and fi) and picks the pipeline per message by the language
LanguageIdentifier found.

Lemmas come from faq/lemmas.py (spacy-lookups-data and simplemma, all five languages),
compiled into the model for the forms whose lemma the training data has. A Swedish or
Finnish compound the training data never used also gets a token for each known part
(faq/compounds.py: "callcenterbranschen" -> "callcenter", "bransch"). Lemmas are folded
(lower-case, no diacritics) so "výhody", "Vyhody" and "vyhody" share features: users often
type without diacritics.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from faq import language as languages
from faq.compounds import COMPOUNDING_LANGUAGES, compound_splitters
from faq.lemmas import compile_lemmas, tables_for
from faq.protocol import KNOWN_VOCABULARY, LANGUAGE_SCORES
from faq.text import fold, join_abbreviations, strip_invisible, words
from nlu_components.model_files import load_json, save_json

LEMMAS_FILE = "lemmas.json"
# The training data's words in the compounding languages: the parts a compound may split into.
KNOWN_WORDS_FILE = "known_words.json"


@cache
def spacy_tokenizer(language: str):
    """spaCy's blank pipeline for a language: its tokenizer rules, no trained weights."""
    import spacy

    return spacy.blank(language)


def language_of(message: Message) -> str:
    """The language a message is written in, by LanguageIdentifier's scores (faq/language.py)."""
    return languages.message_language(message.get(LANGUAGE_SCORES), message.get(TEXT) or "")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class MultilingualSpacyTokenizer(Tokenizer):
    """Tokenizes with spaCy and lemmatizes in the language each message is written in."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def required_packages() -> list[str]:
        # Rasa imports these names and also looks them up as distributions (to fingerprint
        # training), so only packages whose module and distribution names agree can be listed.
        return ["spacy"]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage | None = None,
        resource: Resource | None = None,
        lemmas: dict[str, dict[str, str]] | None = None,
        known_words: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__({**self.get_default_config(), **config})
        self._model_storage = model_storage
        self._resource = resource
        self.lemmas = lemmas or {}
        self.known_words = known_words or {}
        self.compound_splitters = compound_splitters(self.known_words, self.lemmas)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MultilingualSpacyTokenizer:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> MultilingualSpacyTokenizer:
        lemmas = load_json(model_storage, resource, LEMMAS_FILE, {})
        known_words = load_json(model_storage, resource, KNOWN_WORDS_FILE, {})
        tokenizer = cls(config, model_storage, resource, lemmas, known_words)
        # Build every language's tokenizer now (~0.7 s each), not inside the first messages.
        for language in languages.SUPPORTED_LANGUAGES:
            spacy_tokenizer(language)
        return tokenizer

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary: dict[str, set] = {language: set() for language in languages.SUPPORTED_LANGUAGES}
        for example in training_data.training_examples:
            language = language_of(example)
            if language in vocabulary:
                vocabulary[language].update(words(example.get(TEXT) or ""))
        self.lemmas = {
            language: compile_lemmas(known, tables_for(language)) for language, known in vocabulary.items()
        }
        self.known_words = {language: sorted(vocabulary[language]) for language in COMPOUNDING_LANGUAGES}
        self.compound_splitters = compound_splitters(self.known_words, self.lemmas)
        if self._model_storage is not None and self._resource is not None:
            save_json(self._model_storage, self._resource, LEMMAS_FILE, self.lemmas)
            save_json(self._model_storage, self._resource, KNOWN_WORDS_FILE, self.known_words)
        return self._resource

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = strip_invisible(message.get(attribute) or "")
        language = language_of(message)
        lemmas = self.lemmas.get(language, {})
        splitter = self.compound_splitters.get(language)
        tokens = []
        for token in spacy_tokenizer(language)(text):
            if not token.text.strip() or token.is_punct:
                continue
            lemma = lemmas.get(token.lower_) or fold(join_abbreviations(token.text))
            compound = splitter.known_compound(lemma) if splitter else None
            tokens.append(Token(token.text, token.idx, lemma=compound or lemma))
            # The parts come after the whole word, at its position: features count words, and
            # the whole word's own character n-grams stay as they were.
            parts = splitter.split(lemma) if splitter and not compound else []
            tokens.extend(Token(token.text, token.idx, lemma=part) for part in parts)
            if (compound or parts) and attribute == TEXT:
                # Every part is a known word: the message is readable even when no whole word
                # is ("Ulkoistuspalvelun kustannusmallit"), so it is not the unreadable fallback's.
                message.set(KNOWN_VOCABULARY, True)
        return self._apply_token_pattern(tokens)
