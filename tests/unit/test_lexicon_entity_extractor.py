"""nlu_components/lexicon_entity_extractor.py: the lexicon learned from the training data finds
exact, inflected and misspelt forms, without false hits."""

from __future__ import annotations

import pytest
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.lexicon_entity_extractor import Lexicon, LexiconEntityExtractor
from tests.unit.helpers import model_storage

PHRASES = {
    "bpo": ("subject", "bpo"),
    "call center": ("subject", "call_center"),
    "call centra": ("subject", "call_center"),
    "puhelinkeskus": ("subject", "call_center"),
    "pusat panggilan": ("subject", "call_center"),
    "bpo n": ("subject", "bpo"),
    "suomeksi": ("target_language", "fi"),
}


@pytest.fixture
def extractor():
    component = LexiconEntityExtractor.__new__(LexiconEntityExtractor)
    component.lexicon = Lexicon(PHRASES, min_similarity=0.84, min_prefix=6)
    return component


@pytest.mark.parametrize(
    "text, expected",
    [
        ("What skills do call center agents need?", [("call_center", "call center")]),
        ("Aké sú výhody CALL CENTRA?", [("call_center", "CALL CENTRA")]),
        ("Mitä puhelinkeskuksessa tehdään?", [("call_center", "puhelinkeskuksessa")]),
        ("what does a call centre do", [("call_center", "call centre")]),
        ("pusat pangilan itu apa", [("call_center", "pusat pangilan")]),
        ("BPO vs call center", [("bpo", "BPO"), ("call_center", "call center")]),
        ("Mikä on BPO:n historia?", [("bpo", "BPO:n")]),
        ("vastaa suomeksi", [("fi", "suomeksi")]),
    ],
)
def test_finds_the_entity_and_its_span(extractor, text, expected):
    found = extractor.extract(text)
    assert [(e["value"], text[e["start"] : e["end"]]) for e in found] == expected


@pytest.mark.parametrize(
    "text",
    ["call my mom", "the center of the city", "BPO on hyvä", "en tiedä", "bop"],
)
def test_ignores_look_alikes(extractor, text):
    assert [e["value"] for e in extractor.extract(text) if e["value"] != "bpo"] == []
    if "BPO on" in text:
        assert [text[e["start"] : e["end"]] for e in extractor.extract(text)] == ["BPO"]


def annotated(text: str, surface: str, entity: str, value: str) -> Message:
    start = text.index(surface)
    return Message.build(
        text,
        intent="ask_definition",
        entities=[{"start": start, "end": start + len(surface), "entity": entity, "value": value}],
    )


@pytest.fixture
def trained(tmp_path):
    data = TrainingData(
        [
            annotated("What is a call centre?", "call centre", "subject", "call_center"),
            annotated("Mikä on BPO?", "BPO", "subject", "BPO"),
            annotated("Mitä tekee puhelinkeskus?", "puhelinkeskus", "subject", "puhelinkeskus"),
            annotated("answer in Finnish", "Finnish", "target_language", "fi"),
            annotated("vastaa suomeksi", "suomeksi", "target_language", "fi"),
            annotated("my name is Ada", "Ada", "person", "Ada"),
        ],
        entity_synonyms={
            "call centre": "call_center",
            "puhelinkeskus": "call_center",
            "Finnish": "fi",
            "suomeksi": "fi",
            "bpo": "bpo",
            "contact centre": "call_center",
        },
    )
    storage, resource = model_storage(tmp_path), Resource("lexicon")
    component = LexiconEntityExtractor.create({}, storage, resource, None)
    component.train(data)
    return component, storage, resource


def test_training_learns_annotated_spans_synonyms_and_the_values_themselves(trained):
    component, _, _ = trained
    assert component.lexicon.phrases == {
        "call centre": ("subject", "call_center"),
        "bpo": ("subject", "bpo"),
        "puhelinkeskus": ("subject", "call_center"),
        "finnish": ("target_language", "fi"),
        "suomeksi": ("target_language", "fi"),
        "contact centre": ("subject", "call_center"),
        # The value is a surface form too; the bare code "fi" is not (too short, a common word).
        "call center": ("subject", "call_center"),
    }


def test_process_adds_the_entities_with_the_extractors_name(trained):
    component, _, _ = trained
    message = Message(data={"text": "BPO vai puhelinkeskuksessa?", "entities": [{"entity": "other"}]})
    component.process([message])
    found = message.as_dict_nlu()["entities"]
    assert found[0] == {"entity": "other"}
    assert [(e["entity"], e["value"], e["extractor"]) for e in found[1:]] == [
        ("subject", "bpo", "LexiconEntityExtractor"),
        ("subject", "call_center", "LexiconEntityExtractor"),
    ]


def test_the_lexicon_is_stored_with_the_model_and_loaded_back(trained):
    component, storage, resource = trained
    loaded = LexiconEntityExtractor.load({}, storage, resource, None)
    assert loaded.lexicon.phrases == component.lexicon.phrases
    assert loaded.extract("answer in finnish") == component.extract("answer in finnish")
