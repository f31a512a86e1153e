"""Splits the compound words of Swedish and Finnish into parts the training data knows.

Swedish and Finnish write compounds as one word: "callcenterbranschen" (the call-center
industry), "hemarbete" (working from home), "kustannusmallit" (cost models),
"työurapolku" (career path). A compound the training data never used is one unknown word
to the classifier, even when each of its parts is a word it knows well. `CompoundSplitter`
finds the parts: it tries two parts before three, every split point with the longest first
part first, and accepts a split whose parts are all known words or forms of known lemmas,
with Swedish's linking "s" ("utbildnings|vägar") and dropped "e" ("arbet(e)s|villkor").

A known compound in a form the lemma tables lack ("asiakaspalvelukeskukselle") is not split:
compounds inflect on their last part, so `known_compound` gives the training data's own word.
A last part needs four letters; three-letter ones are mostly case endings ("sama|sta"). No
part is a function word (spaCy's stop words): "arbets|vill|koren" is not "want" + "choir".

Only words that are unknown as a whole are split or mapped, so the training data's own words
(and so the trained features) are never changed. Nothing here knows of Rasa: folded words in,
folded lemmas out.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from functools import cache

from faq.text import fold

# Languages that write compounds as one word; the others' unknown words are left alone.
COMPOUNDING_LANGUAGES = ("sv", "fi")
MIN_PART_LENGTH = 3
# A last part of three letters is far more often an inflectional ending ("sama|sta",
# "mietti|nyt") than a word, and the last part is what a compound is about.
MIN_LAST_PART_LENGTH = 4
MAX_PARTS = 3
# A compound shorter than two short parts and a little more is rarely one.
MIN_COMPOUND_LENGTH = 7


class CompoundSplitter:
    """Splits unknown compounds of one language into the lemmas of known parts."""

    def __init__(
        self,
        known: Iterable[str],
        lemmas: Mapping[str, str],
        language: str,
        stop_words: Iterable[str] = (),
    ) -> None:
        """
        Args:
            known: Folded words and lemmas the training data has in this language.
            lemmas: Folded or lower-case word form -> folded lemma (faq.lemmas.compile_lemmas).
            language: The language's code; only COMPOUNDING_LANGUAGES split.
            stop_words: Folded function words, never a part ("arbets|vill|koren", "vai|hetta").
        """
        self._stop_words = frozenset(stop_words)
        self._lemmas = lemmas
        self._known = set(known) | set(lemmas.values())
        self._enabled = language in COMPOUNDING_LANGUAGES
        self._linking = ("s",) if language == "sv" else ()
        self._dropped_endings = ("e",) if language == "sv" else ()

    def is_known(self, word: str) -> bool:
        return word in self._known or word in self._lemmas

    def split(self, word: str) -> list[str]:
        """The lemmas of `word`'s parts, or [] when it is known as a whole or has no split."""
        if not self._enabled or len(word) < MIN_COMPOUND_LENGTH or self.is_known(word):
            return []
        # The fewest parts first: "arbets|villkor", not "arbets|villa|kor".
        for parts in range(2, MAX_PARTS + 1):
            found = self._parts(word, parts)
            if found:
                return found
        return []

    def known_compound(self, word: str) -> str | None:
        """The lemma of a known compound in a form the lemma tables lack, or None.

        A compound inflects on its last part, so "asiakaspalvelukeskukselle" is the known
        "asiakaspalvelukeskus" when "keskukselle" is a form of "keskus": the whole word the
        training data has, which says more than its parts would.
        """
        if not self._enabled or len(word) < MIN_COMPOUND_LENGTH or self.is_known(word):
            return None
        for cut in range(len(word) - MIN_PART_LENGTH, MIN_PART_LENGTH - 1, -1):
            last = self._word_lemma(word[cut:])
            if last is not None and word[:cut] + last in self._known:
                return word[:cut] + last
        return None

    def _part_lemma(self, part: str, last: bool) -> str | None:
        """The lemma of one part: a known word or form; a part before another may also carry
        one linking letter, and may have dropped a final "e" before it."""
        if part in self._stop_words:
            return None
        found = self._word_lemma(part)
        if found is not None or last:
            return found
        for link in self._linking:
            if part.endswith(link) and len(part) - len(link) >= MIN_PART_LENGTH:
                if part[: -len(link)] in self._stop_words:
                    continue
                # One linking letter only: "arbetss" is not "arbete" + two of them.
                found = self._word_lemma(part[: -len(link)], may_drop_ending=True)
                if found is not None:
                    return found
        return None

    def _word_lemma(self, word: str, may_drop_ending: bool = False) -> str | None:
        """The lemma of a known word or form; with `may_drop_ending`, also of a known word
        that lost its final "e" before a linking letter ("arbet(e)s")."""
        if word in self._lemmas:
            return self._lemmas[word]
        if word in self._known:
            return word
        if may_drop_ending:
            for ending in self._dropped_endings:
                if word + ending in self._known:
                    return word + ending
        return None

    def _parts(self, word: str, budget: int) -> list[str] | None:
        """Exactly `budget` parts, or None."""
        if budget == 1:
            if len(word) < MIN_LAST_PART_LENGTH:
                return None
            last_lemma = self._part_lemma(word, last=True)
            return [last_lemma] if last_lemma is not None else None
        # The longest known first part first: "callcenter|branschen" before "call|centerbranschen".
        for cut in range(len(word) - MIN_PART_LENGTH, MIN_PART_LENGTH - 1, -1):
            head = self._part_lemma(word[:cut], last=False)
            if head is None:
                continue
            tail = self._parts(word[cut:], budget - 1)
            if tail is not None:
                return [head, *tail]
        return None


def compound_splitters(
    known_words: Mapping[str, Iterable[str]], lemmas: Mapping[str, Mapping[str, str]]
) -> dict[str, CompoundSplitter]:
    """A splitter per language of `known_words`, with that language's lemma table."""
    return {
        language: CompoundSplitter(known, lemmas.get(language, {}), language, stop_words(language))
        for language, known in known_words.items()
    }


@cache
def stop_words(language: str) -> frozenset[str]:
    """spaCy's stop words of `language`, folded; none for a language spaCy has no list for."""
    try:
        module = importlib.import_module(f"spacy.lang.{language}.stop_words")
    except ImportError:
        return frozenset()
    return frozenset(fold(word) for word in module.STOP_WORDS)
