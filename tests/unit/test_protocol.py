"""faq/protocol.py: the names every layer agrees on; knowledge intents and aspects map both ways."""

from __future__ import annotations

import ast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faq import protocol
from faq.protocol import (
    ASPECT_INTENT_PREFIX,
    CAPABILITIES_INTENT,
    PHRASE_IDS,
    SUPPORTED_LANGUAGES,
    aspect_intent,
    aspect_of,
)


def test_an_aspect_and_its_intent_map_both_ways():
    assert aspect_intent("pay") == "ask_pay"
    assert aspect_of("ask_pay") == "pay"
    assert aspect_of("ask_voice_nonvoice") == "voice_nonvoice"


@pytest.mark.parametrize("intent", [None, "", "greet", "nlu_fallback", "task_pay", "ASK_pay"])
def test_other_intents_have_no_aspect(intent):
    assert aspect_of(intent) is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_every_aspect_survives_the_round_trip_through_its_intent(aspect):
    intent = aspect_intent(aspect)
    assert intent.startswith(ASPECT_INTENT_PREFIX)
    assert aspect_of(intent) == aspect


def test_the_capabilities_intent_is_named_like_an_aspect_intent():
    # "ask_capabilities" is answered by the menu, not the knowledge file (tests/unit/test_contracts.py
    # leaves it out of the aspect intents).
    assert aspect_of(CAPABILITIES_INTENT) == "capabilities"


def test_phrase_ids_are_unique_and_name_each_languages_article():
    assert len(PHRASE_IDS) == len(set(PHRASE_IDS))
    assert {f"source_article_{language}" for language in SUPPORTED_LANGUAGES} <= set(PHRASE_IDS)


def test_the_protocol_imports_nothing_so_every_layer_can_use_it():
    tree = ast.parse(open(protocol.__file__, encoding="utf-8").read())
    imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert [(node.module, [alias.name for alias in node.names]) for node in imports] == [
        ("__future__", ["annotations"])
    ]
