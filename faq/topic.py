"""Whether a message the assistant cannot answer is still about its field.

An off-topic request ("book me a flight") gets a polite "I only answer questions about BPO
and call centers". A question about the field that no knowledge entry answers ("how do I
pass a call center interview?") gets an honest "I don't have that answer yet" with the
closest topics, and shows up in `make report` as not covered: it tells the maintainers
what to add next.
"""
from __future__ import annotations

from typing import Any, Mapping

from faq.language import names_domain_term
from faq.protocol import ASPECT_MENTIONS

SUBJECT_ENTITY = "subject"


def on_topic(parse: Mapping[str, Any]) -> bool:
    """Whether a parsed message names a subject, an aspect or a term of the field.

    Args:
        parse: Rasa's parse data of the message (text, entities and the NLU's extra keys).
    """
    entities = parse.get("entities") or []
    if any(isinstance(e, dict) and e.get("entity") == SUBJECT_ENTITY for e in entities):
        return True
    if parse.get(ASPECT_MENTIONS):
        return True
    text = parse.get("text")
    return isinstance(text, str) and names_domain_term(text)
