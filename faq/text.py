"""Text normalisation shared by language detection and entity matching."""

from __future__ import annotations

import re
import unicodedata

# Zero-width and bidi control characters users paste in by accident; they split words
# invisibly and must not reach the classifier.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e"), None
)
_WORD = re.compile(r"\w+", re.UNICODE)
# "B.P.O.", "b.p.o" and "K.P.O.": dotted abbreviations, joined before anything reads the text.
_DOTTED_ABBREVIATION = re.compile(r"\b((?:[^\W\d_]\.){2,}[^\W\d_]?)\.?(?!\w)", re.UNICODE)


def strip_invisible(text: str) -> str:
    """Removes zero-width and direction-control characters."""
    return text.translate(_INVISIBLE)


def join_abbreviations(text: str) -> str:
    """Joins dotted abbreviations: "what is a B.P.O.?" -> "what is a BPO?"."""
    return _DOTTED_ABBREVIATION.sub(lambda match: match.group(1).replace(".", ""), text)


def fold(text: str) -> str:
    """Lower-cases and strips diacritics, so "Výhody" and "vyhody" compare equal."""
    # Compatibility forms first ("𝚨" is "Α"), then case, then split off the accents again.
    compatible = unicodedata.normalize("NFKD", strip_invisible(text))
    decomposed = unicodedata.normalize("NFKD", compatible.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """Folded word tokens of a text, punctuation dropped."""
    return _WORD.findall(fold(text))
