"""Lemma tables for the five languages, from maintained packages that ship their data.

spacy-lookups-data has tables for en, id and sv; simplemma has dictionaries for all five,
and is the only source for Slovak and Finnish, whose many inflected forms otherwise never
meet the forms in the training data ("asiakaspalvelukeskuksessa" -> "asiakaspalvelukeskus").
Where both have a form, the source listed first in `LEMMA_SOURCES` wins (it scored better
on the held-out and the real questions: docs/training-data.md).

The whole tables are large (Finnish alone has 3.5 million forms), so a trained model keeps
only `compile_lemmas`' result: the forms whose lemma a word of the training data also has.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from faq.text import fold

SPACY_LOOKUPS = "spacy_lookups"
SIMPLEMMA = "simplemma"
LEMMA_SOURCES: dict[str, tuple[str, ...]] = {
    "en": (SPACY_LOOKUPS, SIMPLEMMA),
    "id": (SPACY_LOOKUPS, SIMPLEMMA),
    "sv": (SPACY_LOOKUPS, SIMPLEMMA),
    "sk": (SIMPLEMMA,),
    "fi": (SIMPLEMMA,),
}


@cache
def full_lemma_table(language: str, source: str) -> dict[str, str]:
    """A source's whole table for a language, as lower-case word form -> folded lemma.

    Cached: training reads each table once for every component that needs it.
    """
    if source == SIMPLEMMA:
        from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

        raw: dict[str, str] = dict(DefaultDictionaryFactory(cache_max_size=0).get_dictionary(language))
    else:
        import spacy_lookups_data

        path = Path(spacy_lookups_data.__file__).parent / "data" / f"{language}_lemma_lookup.json.gz"
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            raw = json.load(handle)
    folded: dict[str, str] = {}
    table: dict[str, str] = {}
    for form, lemma in raw.items():
        # Many forms share a lemma: fold each lemma once.
        folded_lemma = folded.get(lemma)
        if folded_lemma is None:
            folded_lemma = folded[lemma] = fold(lemma)
        table.setdefault(form.lower(), folded_lemma)
    return table


def tables_for(language: str) -> list[dict[str, str]]:
    """A language's lemma tables, in order of precedence."""
    return [full_lemma_table(language, source) for source in LEMMA_SOURCES.get(language, ())]


# Accented Latin letters -> their folded ASCII (what `fold` gives), for str.translate: the
# tables hold millions of forms, and translate folds them far faster than `fold` does.
_LATIN_FOLD = {
    code: fold(chr(code)) for code in range(0xC0, 0x250) if fold(chr(code)).isascii() and fold(chr(code))
}


def _fold_form(form: str) -> str:
    """`fold` of a lower-case table form; the fast path covers the Latin letters."""
    translated = form.translate(_LATIN_FOLD)
    return translated if translated.isascii() else fold(form)


def compile_lemmas(known: Iterable[str], tables: list[dict[str, str]]) -> dict[str, str]:
    """The folded lemma of every form, in any table, whose lemma a known word also has.

    Known words are folded ("výhody" -> "vyhody") while the tables are keyed by the form
    with its diacritics, so a known word is matched by its folded form. Each compiled form
    is also kept folded, so a message typed without diacritics finds its lemma too.

    Args:
        known: Folded words of the training data in one language.
        tables: That language's lemma tables, in order of precedence.
    """
    known = set(known)
    lemma_by_folded_form: dict[str, str] = {}
    for table in tables:
        for form, lemma in table.items():
            folded_form = form if form.isascii() else _fold_form(form)
            if folded_form in known:
                lemma_by_folded_form.setdefault(folded_form, lemma)
    wanted = set(lemma_by_folded_form.values()) | known
    compiled: dict[str, str] = {}
    for table in tables:
        for form, lemma in table.items():
            if lemma in wanted:
                compiled.setdefault(form, lemma)
    for form, lemma in list(compiled.items()):
        if not form.isascii():
            compiled.setdefault(_fold_form(form), lemma)
    return compiled
