"""Whether a question points back at something said before ("Why is it important?").

Such a question is a follow-up: in a conversation it asks about the subject already under
discussion, and the dialogue answers it so. As the first question it refers to nothing the
assistant knows, and a guess ("it" = BPO and call centers alike) answers a question nobody
asked. Public question lists are full of these lines, lifted out of the article around them.

A question refers back when it names no subject of the field but uses a pronoun or
demonstrative of the third person ("it", "their", "this", "det", "ich", "niiden", "mereka").
Expletive uses do not count: "is it hard to find work?" ("it ... to"), "finns det ...?"
("is there"). Second-person words ("you", "your") do not count either: they address the
assistant, and "what can you do?" is a question of its own.
"""

from __future__ import annotations

import re

# Third-person pronouns and demonstratives, per language (lower case, whole words).
_REFERRING_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("it its they them their theirs this that these those he she him her his".split()),
    "sk": frozenset(
        "ono ona oni ony ich jeho jej im nich nimi ňom ten tá to tí tie toho tomu tom tým tej tú "
        "tento táto toto títo tieto tohto tomto týmto tejto túto týchto týmito".split()
    ),
    "sv": frozenset("det den de dem deras dess detta denna dessa han hon hans hennes".split()),
    "fi": frozenset(
        "se sen sitä siitä siihen siinä sille siltä ne niiden niitä niistä niihin niissä niille "
        "tämä tämän tätä tästä tähän tässä nämä näiden näitä näistä hän he heidän heitä".split()
    ),
    "id": frozenset("itu ini mereka dia tersebut beliau".split()),
}

# Words that make an expletive out of a following pronoun, or a pronoun out of a question
# particle: "it is hard TO ...", "is it true THAT ...", "är det svårt ATT ...".
_EXPLETIVE_COMPLEMENTS: dict[str, frozenset[str]] = {
    "en": frozenset({"to", "that", "if", "whether"}),
    "sv": frozenset({"att", "om"}),
}
# Pairs that mean "there is" or are fixed phrases ("saat ini": now), not a reference.
_EXPLETIVE_PAIRS: dict[str, frozenset[tuple[str, str]]] = {
    "sv": frozenset({("finns", "det"), ("det", "finns"), ("går", "det"), ("det", "går")}),
    # "Čo je to BPO" names its subject anyway; "čo to je?" alone refers back.
    "id": frozenset(
        {
            ("saat", "ini"),
            ("hari", "ini"),
            ("tahun", "ini"),
            ("kali", "ini"),
            ("masa", "ini"),
            ("selain", "itu"),
            ("karena", "itu"),
            ("setelah", "itu"),
            ("sebelum", "itu"),
        }
    ),
}
# Swedish "den", "det" and "de" are also the article of an adjective ("den vanligaste
# arbetstiden", "de största nackdelarna"): not a reference when an adjective form follows.
_SWEDISH_ARTICLES = frozenset({"den", "det", "de"})
_SWEDISH_ADJECTIVE_ENDINGS = ("aste", "sta", "ste", "a", "e")
# An expletive's complement follows within this many words ("is it really that hard to").
_COMPLEMENT_REACH = 4

# How far into its sentence a pronoun may stand and still be the question's only subject.
_OPENING_WORDS = 5

_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


def refers_back(text: str, language: str) -> bool:
    """Whether `text`, written in `language`, leans on an earlier turn for what it asks about.

    Callers check first that it names no subject of the field: "What is its history?" refers
    back, "What is the history of BPO?" does not.
    """
    referring = _REFERRING_WORDS.get(language)
    if not referring:
        return False
    # Only the first sentence's opening words: a pronoun further on usually has its noun
    # before it ("won't employees get distracted if they ...", "Why outsource? Is it ...").
    first_sentence = _SENTENCE_END.split(text.strip(), maxsplit=1)[0]
    words = _WORD.findall(first_sentence.lower())
    complement_of_expletive = -1  # "that" in "is it true that ..." joins, it does not point
    for index, word in enumerate(words[:_OPENING_WORDS]):
        if word not in referring or index == complement_of_expletive:
            continue
        complement = _expletive_complement(words, index, language)
        if complement is not None:
            complement_of_expletive = complement
            continue
        if not _fixed_phrase(words, index, language):
            return True
    return False


def _expletive_complement(words: list[str], index: int, language: str) -> int | None:
    """Where the complement of an expletive pronoun at `index` stands ("it" ... "to"), if any."""
    complements = _EXPLETIVE_COMPLEMENTS.get(language, frozenset())
    for offset, word in enumerate(words[index + 1 : index + 1 + _COMPLEMENT_REACH]):
        if word in complements:
            return index + 1 + offset
    return None


def _fixed_phrase(words: list[str], index: int, language: str) -> bool:
    """Whether the pronoun at `index` is part of a phrase that refers to nothing before."""
    word = words[index]
    before = words[index - 1] if index else ""
    after = words[index + 1] if index + 1 < len(words) else ""
    pairs = _EXPLETIVE_PAIRS.get(language, frozenset())
    if (before, word) in pairs or (word, after) in pairs:
        return True
    if language == "id" and (before, word) == ("apa", "itu") and after:
        return True  # "apa itu X?" asks what X is
    return language == "sv" and word in _SWEDISH_ARTICLES and after.endswith(_SWEDISH_ADJECTIVE_ENDINGS)
