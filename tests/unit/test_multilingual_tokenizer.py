"""nlu_components/multilingual_tokenizer.py: tokens from spaCy's rules for the message's own
language, with the lemmas compiled from the training data, folded (no case, no diacritics)."""

from __future__ import annotations

import pytest
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

import nlu_components.multilingual_tokenizer as multilingual_tokenizer
from faq.protocol import KNOWN_VOCABULARY
from nlu_components.multilingual_tokenizer import MultilingualSpacyTokenizer
from tests.conftest import scores
from tests.unit.helpers import model_storage, training_data

# Lemma tables as faq/lemmas.py gives them (lower-case form -> folded lemma), small enough for a test.
TABLES = {
    "fi": {
        "puhelinkeskus": "puhelinkeskus",
        "puhelinkeskuksessa": "puhelinkeskus",
        "puhelinkeskuksen": "puhelinkeskus",
        "palkka": "palkka",
        "palkkaa": "palkka",
        "palkan": "palkka",
        "työ": "tyo",
        "työssä": "tyo",
    },
    "sk": {"centrum": "centrum", "centra": "centrum", "centrách": "centrum", "plat": "plat", "platy": "plat"},
}
EXAMPLES = {
    "fi": ["Mikä on puhelinkeskus?", "Paljonko palkkaa maksetaan?"],
    "sk": ["Čo robí call centrum?", "Aké sú platy v BPO?"],
}


@pytest.fixture
def trained(tmp_path, monkeypatch):
    monkeypatch.setattr(
        multilingual_tokenizer,
        "tables_for",
        lambda language: [TABLES[language]] if language in TABLES else [],
    )
    storage, resource = model_storage(tmp_path), Resource("tokenizer")
    tokenizer = MultilingualSpacyTokenizer.create({}, storage, resource, None)
    data = training_data([(text, "ask_pay") for texts in EXAMPLES.values() for text in texts])
    for example in data.training_examples:
        language = next(code for code, texts in EXAMPLES.items() if example.get("text") in texts)
        example.set("language_scores", scores(language))
    tokenizer.train(data)
    return tokenizer, storage, resource


def tokens(tokenizer: MultilingualSpacyTokenizer, text: str, language: str | None) -> list[tuple]:
    data = {"text": text}
    if language:
        data["language_scores"] = scores(language)
    return [(t.text, t.start, t.end, t.lemma) for t in tokenizer.tokenize(Message(data=data), "text")]


def test_training_keeps_the_forms_whose_lemma_the_training_data_has(trained):
    tokenizer, _, _ = trained
    assert tokenizer.lemmas["fi"] == {
        form: lemma for form, lemma in TABLES["fi"].items() if lemma in ("puhelinkeskus", "palkka")
    }
    assert tokenizer.lemmas["sk"] == {
        "centrum": "centrum",
        "centra": "centrum",
        "centrách": "centrum",
        "centrach": "centrum",  # the same form typed without diacritics
        "plat": "plat",
        "platy": "plat",
    }
    assert tokenizer.lemmas["en"] == {}


def test_a_finnish_inflected_word_gets_its_lemma(trained):
    tokenizer, _, _ = trained
    assert tokens(tokenizer, "Mitä puhelinkeskuksessa tehdään? Palkan?", "fi") == [
        ("Mitä", 0, 4, "mita"),
        ("puhelinkeskuksessa", 5, 23, "puhelinkeskus"),
        ("tehdään", 24, 31, "tehdaan"),
        ("Palkan", 33, 39, "palkka"),
    ]


def test_a_slovak_inflected_word_gets_its_lemma_and_other_words_are_folded(trained):
    tokenizer, _, _ = trained
    assert [lemma for *_, lemma in tokens(tokenizer, "Výhody v CENTRÁCH", "sk")] == ["vyhody", "v", "centrum"]


def test_the_lemmas_are_those_of_the_messages_language(trained):
    tokenizer, _, _ = trained
    # The Finnish form is no Slovak word: in a Slovak message it is only folded.
    assert tokens(tokenizer, "puhelinkeskuksessa", "sk")[0][3] == "puhelinkeskuksessa"
    # Without scores the tokenizer detects the language itself.
    assert tokens(tokenizer, "Mitä tapahtuu puhelinkeskuksessa joka päivä?", None)[2][3] == "puhelinkeskus"


def test_dotted_abbreviations_are_joined_and_punctuation_and_invisible_characters_dropped(trained):
    tokenizer, _, _ = trained
    found = tokens(tokenizer, "What is a B.P.O.? \u200b!!", "en")
    assert [(text, lemma) for text, _, _, lemma in found] == [
        ("What", "what"),
        ("is", "is"),
        ("a", "a"),
        ("B.P.O.", "bpo"),
    ]


def test_the_lemmas_are_stored_with_the_model_and_loaded_back(trained):
    tokenizer, storage, resource = trained
    loaded = MultilingualSpacyTokenizer.load({}, storage, resource, None)
    assert loaded.lemmas == tokenizer.lemmas
    assert tokens(loaded, "palkan", "fi") == tokens(tokenizer, "palkan", "fi")


def trained_without_storage(monkeypatch, finnish_example: str) -> MultilingualSpacyTokenizer:
    """A tokenizer trained on one Finnish example, with no model storage."""
    monkeypatch.setattr(multilingual_tokenizer, "tables_for", lambda language: [TABLES.get(language, {})])
    tokenizer = MultilingualSpacyTokenizer({})
    data = training_data([(finnish_example, "ask_definition")])
    data.training_examples[0].set("language_scores", scores("fi"))
    tokenizer.train(data)
    return tokenizer


def test_a_tokenizer_without_storage_still_trains(monkeypatch):
    tokenizer = trained_without_storage(monkeypatch, "Mikä on puhelinkeskus?")
    assert tokenizer.lemmas["fi"]["puhelinkeskuksen"] == "puhelinkeskus"


def test_an_unknown_finnish_compound_also_gets_a_token_for_each_known_part(trained):
    tokenizer, _, _ = trained
    # "puhelinkeskuspalkan" is no training word; "puhelinkeskus" is one, and "palkan" is a
    # form of one ("palkkaa"). The parts follow the whole word, at its position.
    assert tokens(tokenizer, "Puhelinkeskuspalkan?", "fi") == [
        ("Puhelinkeskuspalkan", 0, 19, "puhelinkeskuspalkan"),
        ("Puhelinkeskuspalkan", 0, 19, "puhelinkeskus"),
        ("Puhelinkeskuspalkan", 0, 19, "palkka"),
    ]
    # A known word is never split, and Slovak has no compound splitting.
    assert len(tokens(tokenizer, "puhelinkeskuksessa", "fi")) == 1
    assert tokenizer.compound_splitters.keys() == {"sv", "fi"}


def test_an_inflected_known_compound_the_tables_lack_gets_the_compounds_lemma(monkeypatch):
    tokenizer = trained_without_storage(monkeypatch, "Onko palkkatyö hyvä työ?")
    # "palkkatyössä" is in no table, but "työssä" is a form of "työ" and "palkkatyö" a
    # training word: the inflection sits on the last part, so this is "palkkatyö" itself,
    # one token and no parts.
    message = Message(data={"text": "palkkatyössä", "language_scores": scores("fi")})
    message.set(KNOWN_VOCABULARY, False)
    found = [(t.text, t.lemma) for t in tokenizer.tokenize(message, "text")]
    assert found == [("palkkatyössä", "palkkatyo")]
    assert message.get(KNOWN_VOCABULARY) is True


def test_the_compound_parts_are_stored_with_the_model_and_loaded_back(trained):
    tokenizer, storage, resource = trained
    loaded = MultilingualSpacyTokenizer.load({}, storage, resource, None)
    assert loaded.known_words == tokenizer.known_words
    assert tokens(loaded, "palkkapuhelinkeskus", "fi") == tokens(tokenizer, "palkkapuhelinkeskus", "fi")
    assert [lemma for *_, lemma in tokens(loaded, "palkkapuhelinkeskus", "fi")][1:] == [
        "palkka",
        "puhelinkeskus",
    ]


def test_a_message_whose_only_known_words_are_compound_parts_is_readable(trained):
    tokenizer, _, _ = trained
    message = Message(data={"text": "Palkkapuhelinkeskus", "language_scores": scores("fi")})
    message.set(KNOWN_VOCABULARY, False)  # what the language identifier found: no whole word
    tokenizer.tokenize(message, "text")
    assert message.get(KNOWN_VOCABULARY) is True
    unreadable = Message(data={"text": "Xyzqwerty", "language_scores": scores("fi")})
    unreadable.set(KNOWN_VOCABULARY, False)
    tokenizer.tokenize(unreadable, "text")
    assert unreadable.get(KNOWN_VOCABULARY) is False
