"""faq/text.py: the normalisation every reader of a message shares: invisible characters, dotted
abbreviations, case and diacritics."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faq.text import fold, join_abbreviations, strip_invisible, words


def test_zero_width_and_direction_controls_are_removed():
    assert strip_invisible("call\u200bcen\u200dter\u202e\ufeff") == "callcenter"
    assert strip_invisible("tab\tand\nnewline stay") == "tab\tand\nnewline stay"


@pytest.mark.parametrize(
    "text, joined",
    [
        ("what is a B.P.O.?", "what is a BPO?"),
        ("b.p.o vs k.p.o.", "bpo vs kpo"),
        ("U.S. call centers", "US call centers"),
        ("x.y and 1.2.3", "x.y and 1.2.3"),  # one dot is no abbreviation, digits are no letters
        ("e-mail. Next.", "e-mail. Next."),
    ],
)
def test_dotted_abbreviations_are_joined(text, joined):
    assert join_abbreviations(text) == joined


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Výhody", "vyhody"),
        ("VYHODY", "vyhody"),
        ("Työntekijöille", "tyontekijoille"),
        ("Straße", "strasse"),
        ("𝚨𝚩", "αβ"),  # mathematical letters are their plain forms
        ("ﬁle", "file"),
        ("call\u200bcenter", "callcenter"),
    ],
)
def test_folding_removes_case_diacritics_and_compatibility_forms(text, folded):
    assert fold(text) == folded


def test_words_are_folded_and_punctuation_is_dropped():
    assert words("Čo je call-centrum? 24/7, áno!") == ["co", "je", "call", "centrum", "24", "7", "ano"]
    assert words("") == [] and words("?!") == []


# Property-based (hypothesis).
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000))
def test_folding_is_total_and_idempotent(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert not any(unicodedata.combining(char) for char in folded)
    assert all(word == fold(word) for word in words(text))
