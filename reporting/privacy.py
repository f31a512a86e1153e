"""Masks personal data in users' words before a report or a review writes them anywhere.

Three kinds, replaced by placeholders:
- e-mail addresses -> `<email>`;
- phone numbers (7 to 15 digits, spaces, dots, dashes, slashes or brackets between them)
  -> `<phone>`; a year range ("1990-2020") and an amount grouped in thousands
  ("Rp 5.000.000", "1,200,000", "5 000 000") are not phone numbers unless they start with
  "+" or "0";
- names after "my name is" and its equivalents in the five languages ("volám sa",
  "nama saya", "jag heter", "nimeni on", ...) -> `<name>`: up to four words, stopping at
  punctuation or at a word that starts the rest of the sentence ("and", "what", "dan", ...).
Masking errs towards hiding: a word that may be a name is masked.
"""

from __future__ import annotations

import re

from faq.text import fold

EMAIL_PLACEHOLDER = "<email>"
PHONE_PLACEHOLDER = "<phone>"
NAME_PLACEHOLDER = "<name>"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A run of digits with single separators, optionally starting with "+" or "(".
_PHONE = re.compile(r"(?<![\w+])(?:\+|\(\+?)?\d(?:[ .\-/()]{0,2}\d){6,}(?!\w)")
_YEAR_RANGE = re.compile(r"^(?:19|20)\d\d\s*[-/]\s*(?:19|20)\d\d$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:([ .,])\d{3})(?:\1\d{3})*$")
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 7, 15

# "my name is" in the five languages, diacritics optional (people type "volam sa").
_NAME_LEAD = re.compile(
    r"\b(?:my name is|my name's|i am called|i'm called|"
    r"vol[aá]m sa|moje meno je|"
    r"nama saya(?:\s+(?:adalah|ialah))?|namaku(?:\s+(?:adalah|ialah))?|saya bernama|nama aku|"
    r"jag heter|mitt namn [aä]r|jag kallas|"
    r"nimeni on|olen nimelt[aä]ni)\s+",
    re.IGNORECASE | re.UNICODE,
)
_NAME_WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.UNICODE)
MAX_NAME_WORDS = 4
# Words (folded) that start the rest of the sentence rather than continue a name.
_AFTER_NAME = frozenset(
    (
        "and but i im i'm what how why where when who which is are am do does can could would should "
        "from here the a an to of in at on with my me please pls thanks thank hi hello and so "
        "a ale co ako preco kde kedy je su som z zo do v chcem mam prosim aky aka ake kolko "
        "dan tapi apa bagaimana mengapa kenapa di dari saya ingin mau ya berapa boleh bisa dengan "
        "yang untuk mohon "
        "och men vad hur varfor var nar jag fran ar pa med vill kan tack vilken vilket "
        "ja mutta mita mika miten miksi missa kun olen haluan voitko voisitko kuinka paljonko kiitos"
    ).split()
)


def mask_personal_data(text: str) -> str:
    """The text with e-mail addresses, phone numbers and stated names replaced by placeholders."""
    text = _EMAIL.sub(EMAIL_PLACEHOLDER, text)
    text = _PHONE.sub(_phone_or_number, text)
    return _mask_names(text)


def _phone_or_number(match: re.Match[str]) -> str:
    found = match.group(0)
    digits = sum(char.isdigit() for char in found)
    if not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS or _YEAR_RANGE.match(found):
        return found
    if _THOUSANDS.match(found) and not found.startswith(("0", "+")):
        return found
    return PHONE_PLACEHOLDER


def _mask_names(text: str) -> str:
    """Replaces the words after each "my name is" (and equivalents) up to a stop word."""
    parts: list[str] = []
    position = 0
    for lead in _NAME_LEAD.finditer(text):
        if lead.start() < position:
            continue
        end = _name_end(text, lead.end())
        if end > lead.end():
            parts += [text[position : lead.end()], NAME_PLACEHOLDER]
            position = end
    parts.append(text[position:])
    return "".join(parts)


def _name_end(text: str, start: int) -> int:
    """Where the name starting at `start` ends: after at most MAX_NAME_WORDS words, joined
    by spaces only, none of them a word that starts the rest of the sentence."""
    end = start
    cursor = start
    for _ in range(MAX_NAME_WORDS):
        word = _NAME_WORD.match(text, cursor)
        if word is None or fold(word.group(0)).rstrip(".") in _AFTER_NAME:
            break
        end = word.end()
        # A name continues only across spaces: a comma or a full stop ends it.
        cursor = end
        while cursor < len(text) and text[cursor] == " ":
            cursor += 1
        if cursor == end:
            break
    # "Smith." at the end of a sentence: the full stop is not part of the name.
    while end > start and text[end - 1] == ".":
        end -= 1
    return end
