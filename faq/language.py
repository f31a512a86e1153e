"""Which of the assistant's five languages a message is written in, and which to answer in.

Detection runs per message, but a short follow-up such as "and BPO?" carries too little
text to overrule the language the conversation is already in. `decide_language` is the one
place that makes that call, from the message's scores, the language the user pinned and
the conversation's language; the NLU components, the actions and the channels all call it.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from faq.protocol import DEFAULT_LANGUAGE, SCORE_CONFIDENCE, SCORE_LANGUAGE, SUPPORTED_LANGUAGES
from faq.text import join_abbreviations, strip_invisible, words

# Domain words are the same in every language ("BPO", "call center", "KPO"), so they say
# nothing about the language and are removed before detection.
_DOMAIN_TERMS = re.compile(
    r"\b(bpos?|kpos?|call[\s-]*cent\w*|callcent\w*|contact[\s-]*cent\w*|"
    r"outsourc\w*|back[\s-]*office|front[\s-]*office|inbound|outbound|philippines|"
    r"(?:non[\s-]*)?voice|offshore|onshore|nearshore|telemarketing)\b",
    re.IGNORECASE,
)
# English workplace jargon that people keep in English whatever language they write in
# ("KARIR AGENT CALL CENTER", "Apa itu AHT (Average Handling Time)?"): like the domain terms,
# it says nothing about the message's language. Unlike them, it does not make a message
# on-topic, so it is kept apart from `_DOMAIN_TERMS`.
_LANGUAGE_NEUTRAL_JARGON = re.compile(
    r"\b(vs|versus|agents?|aht|fcr|csat|nps|sla|kpis?|average[\s-]+hand(?:l(?:e|ing))?[\s-]+time|"
    r"first[\s-]+(?:call|contact)[\s-]+resolution|service[\s-]+level(?:[\s-]+agreements?)?|"
    r"customer[\s-]+satisfaction(?:[\s-]+score)?|net[\s-]+promoter[\s-]+score)\b",
    re.IGNORECASE,
)
# How much more likely the new language must be than the conversation's language before
# a message switches the conversation; measured on short follow-ups in tests/test_language.py.
SWITCH_MARGIN = 0.5


@dataclass(frozen=True)
class LanguageScore:
    code: str
    confidence: float


@lru_cache(maxsize=1)
def _detector() -> Any:
    # Low-accuracy mode uses trigram models only: 12 MB instead of 180 MB for the five
    # languages (make bench measures memory), and the vocabulary model learned from the
    # training data covers the short messages where the larger models would help.
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in SUPPORTED_LANGUAGES]
    return (
        LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
        .with_low_accuracy_mode()
        .with_preloaded_language_models()
        .build()
    )


# Languages people commonly write in that the assistant does not speak; used only to tell
# such a message apart from one of the five (low-accuracy mode: small and fast).
_OTHER_LANGUAGES = (
    "GERMAN",
    "FRENCH",
    "SPANISH",
    "ITALIAN",
    "PORTUGUESE",
    "DUTCH",
    "POLISH",
    "CZECH",
    "DANISH",
    "BOKMAL",
    "TAGALOG",
    "HUNGARIAN",
    "TURKISH",
    "ESTONIAN",
    "ROMANIAN",
    "VIETNAMESE",
)
# Scripts none of the five languages is written in.
_FOREIGN_SCRIPT = re.compile(
    "[\u0370-\u03ff\u0400-\u04ff\u0590-\u05ff\u0600-\u06ff\u0900-\u097f"
    "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"
)
UNSUPPORTED_CONFIDENCE = 0.85
UNSUPPORTED_MIN_WORDS = 3


@lru_cache(maxsize=1)
def _wide_detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    names = ("ENGLISH", "SLOVAK", "INDONESIAN", "SWEDISH", "FINNISH") + _OTHER_LANGUAGES
    languages = [getattr(Language, name) for name in names]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


_VOWELS = set("aeiouyåäöáéíóúýôěůœæøàèìòùâêîûëïü")
_KEYBOARD_ROWS = (set("qwertyuiop"), set("asdfghjkl"), set("zxcvbnm"))


def _implausible(word: str) -> bool:
    """A word no language writes: no vowel, or four or more letters from one keyboard row."""
    letters = [char for char in word.lower() if char.isalpha()]
    if len(letters) < 3:
        return False
    if not _VOWELS & set(letters):
        return True
    return len(letters) >= 4 and any(set(letters) <= row for row in _KEYBOARD_ROWS)


def looks_like_gibberish(text: str) -> bool:
    """Keyboard mashing ("asdkj qwpoe zzxm"): at least two implausible words, half or more."""
    found = words(language_text(text))
    implausible = sum(_implausible(word) for word in found)
    return implausible >= 2 and implausible * 2 >= len(found)


def unsupported_language(text: str, known_word_share: float) -> str | None:
    """The code of a language the assistant does not speak, when a message is clearly in one.

    Args:
        text: The message.
        known_word_share: The share of its words the assistant's training data contains;
            a message mostly made of known words is never called foreign.
    """
    cleaned = language_text(text)
    letters = [char for char in cleaned if char.isalpha()]
    if letters and sum(bool(_FOREIGN_SCRIPT.match(c)) for c in letters) / len(letters) > 0.5:
        return "other"
    if len(words(cleaned)) < UNSUPPORTED_MIN_WORDS or known_word_share >= 0.5 or looks_like_gibberish(text):
        return None
    best = _wide_detector().compute_language_confidence_values(cleaned)[0]
    code = best.language.iso_code_639_1.name.lower()
    if code not in SUPPORTED_LANGUAGES and best.value >= UNSUPPORTED_CONFIDENCE:
        return str(code)
    return None


def names_domain_term(text: str) -> bool:
    """Whether a message names one of the field's terms (BPO, call center, outsourcing, ...)."""
    return bool(_DOMAIN_TERMS.search(join_abbreviations(strip_invisible(text))))


def language_text(text: str) -> str:
    """The part of a message that tells its language: domain terms and English jargon removed."""
    without_terms = _DOMAIN_TERMS.sub(" ", join_abbreviations(strip_invisible(text)))
    return " ".join(_LANGUAGE_NEUTRAL_JARGON.sub(" ", without_terms).split())


# Letters that, among the five languages, only one uses: a short message with "Č" is Slovak
# even when three words are too few for the statistical detector.
_DISTINCTIVE_LETTERS = {"sk": set("čďľĺňŕšťžôýČĎĽĹŇŔŠŤŽÔÝ"), "sv": set("åÅ")}


def detect(text: str) -> list[LanguageScore]:
    """Confidence for each supported language, best first; empty when nothing is left to read."""
    cleaned = language_text(text)
    if not any(char.isalpha() for char in cleaned):
        return []
    values = _detector().compute_language_confidence_values(cleaned)
    scores = [
        LanguageScore(value.language.iso_code_639_1.name.lower(), round(value.value, 4)) for value in values
    ]
    letters = set(cleaned)
    hinted = [code for code, distinctive in _DISTINCTIVE_LETTERS.items() if letters & distinctive]
    if len(hinted) == 1:
        scores = combine(scores, [LanguageScore(hinted[0], 1.0)])
    return scores


class VocabularyModel:
    """Which language the words of a message belong to, learned from example sentences.

    Statistical detectors need more text than "Tell me a joke" or "Hej" to be sure; the
    assistant's own training data knows these words. The model is a naive Bayes over folded
    words, and only words it has seen count, so it is silent on unknown vocabulary. With
    `forms` (faq/lemmas.py: every inflected form of a word the training data has), an
    unseen form of a known word ("palkan" of "palkka") counts as seen in its language.
    """

    def __init__(
        self,
        counts: dict[str, dict[str, int]] | None = None,
        forms: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self.counts: dict[str, dict[str, int]] = counts or {}
        self.forms: dict[str, dict[str, str]] = forms or {}
        self.totals = {lang: sum(c.values()) for lang, c in self.counts.items()}

    @classmethod
    def fit(cls, examples: Iterable[tuple[str, str]]) -> VocabularyModel:
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for text, language in examples:
            counts[language].update(words(language_text(text)))
        return cls({lang: dict(c) for lang, c in counts.items()})

    def knows_any_word(self, text: str) -> bool:
        """Whether a message shares any word with the training data (domain terms and the
        jargon, which the model leaves out of its counts, count)."""
        if _DOMAIN_TERMS.search(text) or _LANGUAGE_NEUTRAL_JARGON.search(text):
            return True
        return any(self._known(word) for word in words(text))

    def known_word_share(self, text: str) -> float:
        """The share of a message's words (domain terms aside) seen in the training data."""
        found = words(language_text(text))
        return sum(self._known(word) for word in found) / len(found) if found else 1.0

    def _known(self, word: str) -> bool:
        return any(word in counts for counts in self.counts.values()) or any(
            word in forms for forms in self.forms.values()
        )

    def _count(self, language: str, word: str) -> int:
        # An inflected form of a known word counts as one sighting in its language.
        return self.counts[language].get(word, 0) + (1 if word in self.forms.get(language, {}) else 0)

    def scores(self, text: str) -> list[LanguageScore]:
        known = [word for word in words(language_text(text)) if self._known(word)]
        if not known or not self.counts:
            return []
        log_probs = {
            lang: sum(
                math.log((self._count(lang, word) + 0.1) / (self.totals[lang] + 0.1 * len(c)))
                for word in known
            )
            for lang, c in self.counts.items()
        }
        top = max(log_probs.values())
        exp = {lang: math.exp(value - top) for lang, value in log_probs.items()}
        total = sum(exp.values())
        return sorted(
            (LanguageScore(lang, round(value / total, 4)) for lang, value in exp.items()),
            key=lambda score: -score.confidence,
        )


def combine(*rankings: Sequence[LanguageScore]) -> list[LanguageScore]:
    """The average of several detectors' confidences, best first; empty rankings abstain."""
    voting = [ranking for ranking in rankings if ranking]
    if not voting:
        return []
    totals: dict[str, float] = defaultdict(float)
    for ranking in voting:
        for score in ranking:
            totals[score.code] += score.confidence / len(voting)
    return sorted(
        (LanguageScore(code, round(value, 4)) for code, value in totals.items()),
        key=lambda score: -score.confidence,
    )


# How sure the statistical detector must be of a message none of whose words (or their
# inflected forms) the training data knows: keyboard mashing ("asdkj qwpoe") scores up to
# 0.99, real words of one of the five languages 1.0. Below it, the message is no evidence of
# a language and the conversation's language (or English) answers it.
UNKNOWN_WORDS_MIN_CONFIDENCE = 0.999


def identify(text: str, vocabulary: VocabularyModel) -> list[LanguageScore]:
    """A message's language scores from the detector and the vocabulary model, best first.

    Empty when the message gives no evidence: no letters once domain terms are removed, or
    only unknown words that the detector cannot place with near certainty.
    """
    detected = detect(text)
    known = vocabulary.scores(text)
    if (
        not known
        and detected
        and (detected[0].confidence < UNKNOWN_WORDS_MIN_CONFIDENCE or looks_like_gibberish(text))
    ):
        return []
    return combine(detected, known)


def decide_language(
    scores: Sequence[LanguageScore],
    *,
    pinned: str | None = None,
    previous: str | None = None,
    unsupported: bool = False,
) -> str:
    """The language a message is handled and answered in.

    Args:
        scores: The message's scores, best first (`identify` or `detect`); empty when the
            message gives no evidence (gibberish, "B.P.O.?", digits).
        pinned: The language the user asked for explicitly; it wins over everything.
        previous: The language the conversation is in, or None on its first message (or
            where no conversation is known, as in the NLU components).
        unsupported: The message is in a language the assistant does not speak; it is
            answered in the pinned language or the default, never in a guessed one.
    """
    if pinned in SUPPORTED_LANGUAGES:
        return str(pinned)
    if unsupported:
        return DEFAULT_LANGUAGE
    if previous not in SUPPORTED_LANGUAGES:
        previous = None
    if not scores:
        return previous or DEFAULT_LANGUAGE
    best = scores[0]
    if previous is None or best.code == previous:
        return best.code
    previous_confidence = next((s.confidence for s in scores if s.code == previous), 0.0)
    if best.confidence - previous_confidence >= SWITCH_MARGIN:
        return best.code
    return previous


def message_language(raw_scores: object, text: str) -> str:
    """The language of one message seen on its own, as the NLU components need it: from the
    scores the NLU stored, else detected from the text (training data, pipelines without
    the LanguageIdentifier)."""
    return decide_language(scores_from_parse_data(raw_scores) or detect(text))


def scores_to_parse_data(scores: Iterable[LanguageScore]) -> list[dict[str, object]]:
    """Scores as the NLU stores them in its parse data under `LANGUAGE_SCORES`."""
    return [{SCORE_LANGUAGE: s.code, SCORE_CONFIDENCE: s.confidence} for s in scores]


def scores_from_parse_data(raw: object) -> list[LanguageScore]:
    """The scores back from parse data; anything malformed or unsupported is left out."""
    scores = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict) and item.get(SCORE_LANGUAGE) in SUPPORTED_LANGUAGES:
            confidence = item.get(SCORE_CONFIDENCE)
            scores.append(
                LanguageScore(
                    item[SCORE_LANGUAGE], float(confidence) if isinstance(confidence, (int, float)) else 0.0
                )
            )
    return scores
