"""nlu_components/language_identifier.py: each message gets `language_scores` from the statistical
detector and a vocabulary learned from the training data; unreadable and foreign messages are
flagged for the fallback."""

from __future__ import annotations

import pytest
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

import nlu_components.language_identifier as language_identifier
from nlu_components.language_identifier import LanguageIdentifier
from tests.unit.helpers import model_storage, training_data

EXAMPLES = [
    ("Hej, vad är skillnaden mellan BPO och callcenter?", "ask_difference"),
    ("Hej! Vad gör ett callcenter egentligen?", "ask_definition"),
    ("Tell me a joke about call centers please", "out_of_scope"),
    ("Paljonko puhelinkeskuksen työntekijöille maksetaan palkkaa?", "ask_pay"),
    ("Čo je KPO a aký je rozdiel oproti BPO?", "ask_kpo"),
    ("Tack", "thank"),  # too short for the detector to be sure: not used to label the vocabulary
]
# A lemma table as faq/lemmas.py gives it (lower-case form -> folded lemma), small enough for a test.
FINNISH_FORMS = {"palkka": "palkka", "palkkaa": "palkka", "palkan": "palkka", "palkoista": "palkka"}


@pytest.fixture
def trained(tmp_path, monkeypatch):
    monkeypatch.setattr(
        language_identifier, "tables_for", lambda language: [FINNISH_FORMS] if language == "fi" else []
    )
    storage, resource = model_storage(tmp_path), Resource("language_identifier")
    identifier = LanguageIdentifier.create({}, storage, resource, None)
    identifier.train(training_data(EXAMPLES))
    return identifier, storage, resource


def processed(identifier: LanguageIdentifier, text: str) -> Message:
    message = Message(data={"text": text})
    identifier.process([message])
    return message


def best(message: Message) -> str | None:
    found = message.get("language_scores")
    return found[0]["language"] if found else None


def test_training_labels_the_vocabulary_only_with_examples_the_detector_is_sure_of(trained):
    identifier, _, _ = trained
    counts = identifier.vocabulary.counts
    assert set(counts) == {"sv", "en", "fi", "sk"}
    assert counts["sv"]["hej"] == 2 and "tack" not in counts["sv"]
    # Domain terms say nothing about a language and are not learned.
    assert not any("bpo" in words or "callcenter" in words for words in counts.values())
    # Inflected forms are kept for the languages whose lemma the training data has.
    assert identifier.vocabulary.forms["fi"] == FINNISH_FORMS


def test_every_message_gets_scores_best_first_in_the_parse_output(trained):
    identifier, _, _ = trained
    message = processed(identifier, "Mitä puhelinkeskus tekee?")
    found = message.as_dict_nlu()["language_scores"]
    assert best(message) == "fi"
    assert [s["confidence"] for s in found] == sorted((s["confidence"] for s in found), reverse=True)
    assert {s["language"] for s in found} == {"en", "sk", "id", "sv", "fi"}
    assert sum(s["confidence"] for s in found) == pytest.approx(1.0, abs=0.01)


def test_the_learned_vocabulary_places_a_short_phrase_the_detector_alone_gets_wrong(trained):
    identifier, _, _ = trained
    from faq.language import detect

    assert detect("Tell me a joke")[0].code == "fi"
    assert best(processed(identifier, "Tell me a joke")) == "en"


def test_an_inflected_form_of_a_trained_word_counts_as_known_and_as_its_language(trained):
    identifier, _, _ = trained
    message = processed(identifier, "palkoista")
    assert message.get("known_vocabulary") is True
    assert identifier.vocabulary.scores("palkoista")[0].code == "fi"


def test_keyboard_mashing_has_no_language_and_no_known_word(trained):
    identifier, _, _ = trained
    message = processed(identifier, "asdkj qwpoe zzxm")
    assert message.get("language_scores") == []
    assert message.get("known_vocabulary") is False
    assert message.get("unsupported_language") is None


def test_a_message_in_a_language_the_assistant_does_not_speak_is_named(trained):
    identifier, _, _ = trained
    message = processed(identifier, "Was kostet ein Callcenter in Deutschland eigentlich?")
    assert message.as_dict_nlu()["unsupported_language"] == "de"
    assert processed(identifier, "Vad gör ett callcenter?").get("unsupported_language") is None


def test_training_examples_get_scores_for_the_tokenizer(trained):
    identifier, _, _ = trained
    data = training_data([("Mikä on puhelinkeskus?", "ask_definition")])
    identifier.process_training_data(data)
    assert data.training_examples[0].get("language_scores")[0]["language"] == "fi"


def test_the_vocabulary_is_stored_with_the_model_and_loaded_back(trained):
    identifier, storage, resource = trained
    loaded = LanguageIdentifier.load({}, storage, resource, None)
    assert loaded.vocabulary.counts == identifier.vocabulary.counts
    assert loaded.vocabulary.forms == identifier.vocabulary.forms
    for text in ("Hej", "palkan", "Čo je KPO?"):
        assert loaded.identify(text) == identifier.identify(text)
