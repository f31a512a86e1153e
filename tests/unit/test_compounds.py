"""faq/compounds.py: Swedish and Finnish compounds the training data never used, split into
the lemmas of parts it knows."""

from __future__ import annotations

import pytest

from faq.compounds import CompoundSplitter, stop_words

# Lemma tables as faq/lemmas.py compiles them (folded form -> folded lemma).
SWEDISH_LEMMAS = {"branschen": "bransch", "vagar": "vag", "villkoren": "villkor", "lonen": "lon"}
SWEDISH_WORDS = {"callcenter", "bransch", "utbildning", "vag", "arbete", "villkor", "lon", "hem", "chef"}
FINNISH_LEMMAS = {"kustannukset": "kustannus", "mallit": "malli", "tyon": "tyo", "polku": "polku"}
FINNISH_WORDS = {"kustannus", "malli", "tyo", "ura", "polku", "palkka"}


@pytest.fixture
def swedish() -> CompoundSplitter:
    return CompoundSplitter(SWEDISH_WORDS, SWEDISH_LEMMAS, "sv")


@pytest.fixture
def finnish() -> CompoundSplitter:
    return CompoundSplitter(FINNISH_WORDS, FINNISH_LEMMAS, "fi")


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("callcenterbranschen", ["callcenter", "bransch"]),  # the last part inflected
        ("utbildningsvagar", ["utbildning", "vag"]),  # a linking "s"
        ("arbetsvillkoren", ["arbete", "villkor"]),  # "arbete" drops its "e" before the "s"
        ("kundtjanstchef", []),  # "kundtjanst" is no known word: no split
    ],
)
def test_swedish_compounds(swedish, word, parts):
    assert swedish.split(word) == parts


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("kustannusmallit", ["kustannus", "malli"]),
        ("tyourapolku", ["tyo", "ura", "polku"]),  # three parts
        ("palkkamalli", ["palkka", "malli"]),
    ],
)
def test_finnish_compounds(finnish, word, parts):
    assert finnish.split(word) == parts


def test_two_parts_are_preferred_to_three(swedish):
    # "hem|arbete" is a split in two; "hem|arb|ete" never comes up.
    splitter = CompoundSplitter(SWEDISH_WORDS | {"arb", "ete"}, {}, "sv")
    assert splitter.split("hemarbete") == ["hem", "arbete"]


def test_known_short_and_other_languages_words_are_not_split(swedish, finnish):
    assert swedish.split("callcenter") == []  # known as a whole
    assert swedish.split("branschen") == []  # a known form
    assert finnish.split("tyoura") == []  # too short to be taken for a compound
    assert finnish.split("kustannusxyzmallit") == []  # a part nobody knows
    slovak = CompoundSplitter({"plat", "centrum"}, {}, "sk")
    assert slovak.split("platcentrum") == []


def test_a_linking_letter_never_ends_a_word(swedish):
    # The "s" may join two parts; a word ending in a bare "s" is not a split of "lon" + "s".
    assert swedish.split("callcenterlons") == []


def test_a_part_carries_one_linking_letter_at_most(swedish):
    # "lon|s|vag" is a split; "lon|ss|vag" is not "lon" with two linking letters.
    assert swedish.split("lonsvagar") == ["lon", "vag"]
    assert swedish.split("lonssvagar") == []


def test_a_dropped_e_needs_the_linking_letter(swedish):
    # "arbet|villkor" (no "s") is no compound of "arbete".
    assert swedish.split("arbetvillkoren") == []


def test_an_inflected_known_compound_is_the_compound_not_its_parts():
    # "asiakaspalvelukeskus" is known, "keskukselle" a form of "keskus": the inflection is
    # on the last part, so the word is the known compound in another case.
    words = FINNISH_WORDS | {"asiakaspalvelu", "asiakaspalvelukeskus"}
    finnish = CompoundSplitter(words, {**FINNISH_LEMMAS, "keskukselle": "keskus"}, "fi")
    assert finnish.known_compound("asiakaspalvelukeskukselle") == "asiakaspalvelukeskus"
    assert finnish.known_compound("asiakaspalvelukeskus") is None  # known as it is
    assert finnish.known_compound("kustannusmallit") is None  # "kustannusmalli" is no known word
    assert finnish.split("kustannusmallit") == ["kustannus", "malli"]


def test_a_three_letter_ending_is_no_last_part():
    # "sama|sta": "sta" is a case ending, even where some table knows it as a word.
    finnish = CompoundSplitter({"sama", "sta", "palkka"}, {}, "fi")
    assert finnish.split("samasta") == []
    assert finnish.split("samapalkka") == ["sama", "palkka"]


def test_a_function_word_is_never_a_part():
    # "arbets|vill|koren" would read "work | want | choir": "vill" is a stop word, and so no
    # part, whatever the tables know of it.
    words = SWEDISH_WORDS | {"vill", "kor"}
    lemmas = {**SWEDISH_LEMMAS, "koren": "kor"}
    assert CompoundSplitter(words, lemmas, "sv").split("arbetsvillkoren") == ["arbete", "villkor"]
    junk = CompoundSplitter(words - {"villkor"}, {"koren": "kor"}, "sv")
    assert junk.split("arbetsvillkoren") == ["arbete", "vill", "kor"]
    guarded = CompoundSplitter(words - {"villkor"}, {"koren": "kor"}, "sv", stop_words={"vill"})
    assert guarded.split("arbetsvillkoren") == []


def test_the_stop_words_are_spacys_folded():
    assert "vill" in stop_words("sv")
    assert "vai" in stop_words("fi")
    assert "kuitenkin" in stop_words("fi")
    assert stop_words("xx") == frozenset()
