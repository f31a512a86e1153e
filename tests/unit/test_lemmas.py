"""faq/lemmas.py: the lemma tables per language and the part of them a trained model keeps."""

from __future__ import annotations

from faq import lemmas
from faq.lemmas import LEMMA_SOURCES, SIMPLEMMA, SPACY_LOOKUPS, compile_lemmas, full_lemma_table, tables_for
from faq.protocol import SUPPORTED_LANGUAGES
from faq.text import fold

# Two tables of one language, in order of precedence: lower-case form -> folded lemma.
FIRST = {"palkka": "palkka", "palkan": "palkka", "palkkaa": "palkka", "keskus": "keskus"}
SECOND = {"palkan": "palkki", "palkoista": "palkka", "palkki": "palkki", "keskuksessa": "keskus"}


def test_every_form_of_a_known_words_lemma_is_kept():
    # "palkkaa" is known; its lemma "palkka" brings every form of palkka, from every table.
    assert compile_lemmas({"palkkaa"}, [FIRST, SECOND]) == {
        "palkka": "palkka",
        "palkan": "palkka",
        "palkkaa": "palkka",
        "palkoista": "palkka",
    }


def test_the_first_table_wins_where_two_disagree():
    assert compile_lemmas({"palkan"}, [FIRST, SECOND])["palkan"] == "palkka"
    assert compile_lemmas({"palkan"}, [SECOND, FIRST])["palkan"] == "palkki"


def test_a_known_word_no_table_has_is_its_own_lemma_and_unrelated_lemmas_are_left_out():
    assert compile_lemmas({"keskus", "bpo"}, [FIRST, SECOND]) == {"keskus": "keskus", "keskuksessa": "keskus"}
    assert compile_lemmas(set(), [FIRST, SECOND]) == {}
    assert compile_lemmas({"palkka"}, []) == {}


def test_an_inflected_known_word_with_diacritics_brings_its_lemmas_forms():
    table = {"výhoda": "vyhoda", "výhody": "vyhoda", "výhodách": "vyhoda"}
    known = {fold("výhody")}  # the tokenizer and the identifier pass folded words
    compiled = compile_lemmas(known, [table])
    assert compiled["výhodách"] == "vyhoda"
    assert compiled["vyhodach"] == "vyhoda"  # typed without diacritics


def test_each_language_has_its_sources_in_order_of_precedence(monkeypatch):
    assert set(LEMMA_SOURCES) == set(SUPPORTED_LANGUAGES)
    assert all(SIMPLEMMA in sources for sources in LEMMA_SOURCES.values())
    monkeypatch.setattr(lemmas, "full_lemma_table", lambda language, source: (language, source))
    assert tables_for("sv") == [("sv", SPACY_LOOKUPS), ("sv", SIMPLEMMA)]
    assert tables_for("fi") == [("fi", SIMPLEMMA)]
    assert tables_for("de") == []


def test_a_full_table_maps_lower_case_forms_to_folded_lemmas():
    table = full_lemma_table("en", SPACY_LOOKUPS)
    assert table["centers"] == "center" and table["paid"] == "pay"
    assert table["cafés"] == "cafe"  # the form keeps its accent, the lemma is folded
    assert all(form == form.lower() for form in table)
    assert full_lemma_table("en", SPACY_LOOKUPS) is table  # read once per training run
