"""A spaCy tokenizer that follows the language of each message.

spaCy's trained pipelines cannot be installed here, and one pipeline serves one language
anyway, so this component builds spaCy's blank pipelines for the five languages from
spaCy's own language data, adds lookup lemmatizers where spacy-lookups-data has tables
(en, id, sv), and picks the pipeline per message by the language LanguageIdentifier found.

Lemmas are folded (lower-case, no diacritics) so "výhody", "Vyhody" and "vyhody" share
features: users often type Slovak, Swedish and Finnish without diacritics.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from faq import language as languages
from nlu_components.language_identifier import LANGUAGE_SCORES
from faq.text import fold, strip_invisible

_LEMMA_TABLE_LANGUAGES = {"en", "id", "sv"}


@lru_cache(maxsize=None)
def spacy_pipeline(language: str):
    """spaCy's blank pipeline for a language, with a lookup lemmatizer where tables exist."""
    import spacy

    nlp = spacy.blank(language)
    if language in _LEMMA_TABLE_LANGUAGES:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    return nlp


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MultilingualSpacyTokenizer(Tokenizer):
    """Tokenizes and lemmatizes with spaCy in the language each message is written in."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        # Rasa imports these names and also looks them up as distributions (to fingerprint
        # training), so only packages whose module and distribution names agree can be listed.
        return ["spacy"]

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = strip_invisible(message.get(attribute) or "")
        scores = message.get(LANGUAGE_SCORES)
        if scores is None:  # no LanguageIdentifier ran before this tokenizer
            detected = languages.detect(text)
            language = detected[0].code if detected else languages.DEFAULT_LANGUAGE
        else:
            language = scores[0]["language"] if scores else languages.DEFAULT_LANGUAGE
        doc = spacy_pipeline(language)(text)
        tokens = [
            Token(token.text, token.idx, lemma=fold(token.lemma_ or token.text))
            for token in doc
            if token.text.strip() and not token.is_punct
        ]
        return self._apply_token_pattern(tokens)
