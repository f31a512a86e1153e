"""Comparisons inside one subject: "inbound vs outbound", "front vs back office", ...

People who ask "X vs Y" about two kinds of call center, or two kinds of BPO, want that
pair's own answer, not the BPO-versus-call-center one that "vs" usually points to. A pair
is recognised when both of its ends are named; the words are mostly English loanwords in
all five languages ("inbound", "back office"), plus the native words users write for them.
Each pair belongs to one aspect and subject of the knowledge file, and has its own answer
there (`focus` of that entry).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from re import Pattern

from faq.protocol import BOTH, BPO, CALL_CENTER
from faq.text import fold, join_abbreviations


@dataclass(frozen=True)
class Pair:
    """A comparison inside one subject, answered by a focused entry of the knowledge file."""

    name: str
    aspect: str
    subject: str
    # The focused answer inside the aspect's entry; None when the pair is an aspect itself.
    focus: str | None
    # Each end is a pattern over folded text; every end must be found.
    ends: tuple[Pattern[str], ...]
    # A pattern that, when found, means the message is about something else.
    unless: Pattern[str] | None = None


def _words(*alternatives: str) -> Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")", re.IGNORECASE)


_CALL_CENTER = _words(
    r"call[\s-]*cent",
    r"callcent",
    r"call[\s-]*centr",
    r"pusat panggilan",
    r"puhelinkesk",
    r"asiakaspalvelukesk",
    r"telefonn\w* centr",
)
_CONTACT_CENTER = _words(
    r"contact[\s-]*cent",
    r"contactcent",
    r"kontakt[\s-]*cent",
    r"kontaktn\w* centr",
    r"kontaktikesk",
    r"pusat kontak",
    r"kontaktcenter",
)
_BPO = _words(r"bpos?\b", r"business process", r"outsourcing firm", r"outsourcing compan")
_OUTSOURCING = _words(r"outsourc", r"ulkoist", r"utkontrakt", r"alih\s*daya", r"alihdaya", r"externaliz")
_SHORE = r"(?:on|near|off)[\s-]*shor"

# Checked in this order: the first pair whose ends are all named wins.
PAIRS: tuple[Pair, ...] = (
    Pair(
        "inbound_outbound",
        "types",
        CALL_CENTER,
        "inbound_outbound",
        (
            _words(r"inbound", r"in-bound", r"prichadzaj", r"inkommande", r"saapuv"),
            _words(r"outbound", r"out-bound", r"odchadzaj", r"utgaende", r"lahtev"),
        ),
    ),
    Pair(
        "front_back_office",
        "types",
        BPO,
        "front_back_office",
        (
            _words(r"front[\s-]*office", r"frontoffice"),
            _words(r"back[\s-]*office", r"backoffice"),
        ),
    ),
    Pair(
        "horizontal_vertical",
        "types",
        BPO,
        "horizontal_vertical",
        (
            _words(r"hori[sz]ont"),
            _words(r"vertic", r"vertik"),
        ),
    ),
    Pair(
        "onshore_offshore",
        "types",
        BPO,
        "onshore_offshore",
        (re.compile(rf"\b{_SHORE}\w*.*\b{_SHORE}", re.IGNORECASE | re.DOTALL),),
    ),
    Pair(
        "outsourcing_offshoring",
        "location",
        BPO,
        "outsourcing_offshoring",
        (
            _OUTSOURCING,
            # Offshoring in the users' own words: "utlokalisera" (sv), "ulkomaille" (fi: to
            # abroad), "do zahraničia" (sk), "ke luar negeri" (id).
            _words(r"offshor", r"utlokalis", r"ulkomaille", r"do zahranici", r"luar negeri"),
        ),
    ),
    Pair("contact_center", "contact_center", BOTH, None, (_CALL_CENTER, _CONTACT_CENTER), unless=_BPO),
)


def find_pair(text: str) -> Pair | None:
    """The comparison inside one subject that a message asks about, if it names one."""
    folded = fold(join_abbreviations(text))
    for pair in PAIRS:
        if pair.unless is not None and pair.unless.search(folded):
            continue
        if all(end.search(folded) for end in pair.ends):
            return pair
    return None


def focuses(aspect: str, subject: str) -> Sequence[str]:
    """The focus ids an aspect's entry for a subject must answer."""
    return [p.focus for p in PAIRS if p.aspect == aspect and p.subject == subject and p.focus]
