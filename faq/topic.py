"""Whether a message the assistant cannot answer is still about its field.

An off-topic request ("book me a flight") gets a polite "I only answer questions about BPO
and call centers". A question about the field that no knowledge entry answers ("how do I
pass a call center interview?") gets an honest "I don't have that answer yet" with the
closest topics, and shows up in `make report` as not covered: it tells the maintainers
what to add next.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from faq.language import names_domain_term
from faq.protocol import ASPECT_MENTIONS, BOTH, ENTITY_SUBJECT, SUBJECTS

# Words that name a side itself, in the five languages; other subject words name people or
# services linked to a side ("agent", "customer service", "asiakaspalvelija").
_SIDE_TERMS = re.compile(
    r"bpo|business process|outsourc|ulkoist|alih\s*daya|utkontrakt|call[\s-]*cent|callcent|"
    r"contact[\s-]*cent|kontakt\w*[\s-]*(?:cent|kesk)|puhelinkesk|asiakaspalvelukesk|pusat panggilan|"
    r"pusat kontak|kundtjänstcent|kundcent",
    re.IGNORECASE,
)


def named_subject(mentions: Iterable[tuple[str, str]]) -> str | None:
    """The side a message asks about, from its subject mentions (value, surface text).

    A side named by its own name outweighs one named only through its people or services:
    "Does BPO only handle customer service?" asks about BPO, "skills of a BPO agent" too.
    Two sides named alike mean both.
    """
    mentions = [(value, surface) for value, surface in mentions if value in SUBJECTS]
    named_directly = [(value, surface) for value, surface in mentions if _SIDE_TERMS.search(surface)]
    values: set[str] = {value for value, _ in (named_directly or mentions)}
    if len(values) > 1:
        return BOTH
    return next(iter(values), None)


def on_topic(parse: Mapping[str, Any]) -> bool:
    """Whether a parsed message names a subject, an aspect or a term of the field.

    Args:
        parse: Rasa's parse data of the message (text, entities and the NLU's extra keys).
    """
    entities = parse.get("entities") or []
    if any(isinstance(e, dict) and e.get("entity") == ENTITY_SUBJECT for e in entities):
        return True
    if parse.get(ASPECT_MENTIONS):
        return True
    text = parse.get("text")
    return isinstance(text, str) and names_domain_term(text)
