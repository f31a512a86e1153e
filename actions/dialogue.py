"""What the current turn is about: its language, aspect and subject.

Reads only the tracker's latest message and slots, so the rules for follow-ups live in one
place: a turn that leaves out the subject keeps the conversation's subject, one that names
only a subject ("and for BPO?") keeps the aspect, and a short message keeps the language.
"""

from __future__ import annotations

from dataclasses import dataclass

from rasa_sdk import Tracker

from faq import topic
from faq.knowledge import KnowledgeBase
from faq.language import decide_language, detect, scores_from_parse_data
from faq.protocol import (
    ASPECT_MENTIONS,
    BOTH,
    COMPARISON_FOCUS,
    ENTITY_SUBJECT,
    FOLLOW_UP_INTENT,
    LANGUAGE_SCORES,
    REFERS_BACK,
    SLOT_ASPECT,
    SLOT_LANGUAGE,
    SLOT_LANGUAGE_PINNED,
    SLOT_SUBJECT,
    SUBJECTS,
    TABLE_INTENT,
    UNSUPPORTED_LANGUAGE,
    aspect_intent,
    aspect_of,
)

# The aspect a follow-up that names only a subject gets when nothing was asked before.
DEFAULT_ASPECT = "definition"
# The knowledge aspect a comparison table stands for in the `aspect` slot.
TABLE_ASPECT = "difference"


@dataclass(frozen=True)
class Turn:
    intent: str | None
    language: str
    aspect: str | None
    subject: str | None
    # Per-subject aspects to show side by side; empty unless a table was asked for.
    table_aspects: tuple[str, ...] = ()
    # A comparison inside one subject ("inbound_outbound"), answered by its own entry.
    focus: str | None = None
    # The side the conversation is about (named now, or kept from before), even when the
    # answer is one for the whole field: "How did call centers get started?" answers the
    # field's history, and "why is it so stressful?" next is still about call centers.
    side: str | None = None


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def mentioned(tracker: Tracker, entity: str) -> list[str]:
    """Distinct values of an entity in the latest message, in order of mention."""
    values: list[str] = []
    for found in tracker.latest_message.get("entities") or []:
        value = found.get("value")
        if found.get("entity") == entity and isinstance(value, str) and value not in values:
            values.append(value)
    return values


def referred_intent(tracker: Tracker) -> str | None:
    """The knowledge intent of a question that points back ("why is it important?"), when the
    conversation has a subject for it to point to: an earlier turn was answered."""
    intent = tracker.latest_message.get(REFERS_BACK)
    if isinstance(intent, str) and tracker.get_slot(SLOT_SUBJECT) and tracker.get_slot(SLOT_ASPECT):
        return intent
    return None


def turn_language(tracker: Tracker) -> str:
    """The language to answer in: the user's, unless they pinned one or wrote too little to tell."""
    raw_scores = tracker.latest_message.get(LANGUAGE_SCORES)
    if isinstance(raw_scores, list):
        scores = scores_from_parse_data(raw_scores)
    else:
        # An NLU pipeline without LanguageIdentifier (e.g. Rasa's default config in
        # `make bench`): detect here. A button payload ("/ask_pay") has no language.
        text = tracker.latest_message.get("text") or ""
        scores = [] if text.startswith("/") else detect(text)
    return decide_language(
        scores,
        pinned=tracker.get_slot(SLOT_LANGUAGE_PINNED),
        previous=tracker.get_slot(SLOT_LANGUAGE),
        unsupported=bool(tracker.latest_message.get(UNSUPPORTED_LANGUAGE)),
    )


def subject_mentions(tracker: Tracker) -> list[tuple[str, str]]:
    """(value, surface text) of each subject entity in the latest message."""
    text = tracker.latest_message.get("text") or ""
    found = []
    for entity in tracker.latest_message.get("entities") or []:
        value = entity.get("value")
        if entity.get("entity") == ENTITY_SUBJECT and isinstance(value, str):
            start, end = entity.get("start"), entity.get("end")
            surface = text[start:end] if isinstance(start, int) and isinstance(end, int) else ""
            found.append((value, surface or value.replace("_", " ")))
    return found


def resolve_turn(tracker: Tracker, knowledge: KnowledgeBase, intent: str | None = None) -> Turn:
    """Works out the language, aspect and subject the current turn asks about.

    The aspect is None when the turn is not a knowledge question (small talk, fallback).
    `intent` replaces the latest message's own, for a question that refers back (REFERS_BACK).
    """
    intent = intent or latest_intent(tracker)
    language = turn_language(tracker)
    previous_aspect = tracker.get_slot(SLOT_ASPECT)
    previous_subject = tracker.get_slot(SLOT_SUBJECT)
    named_subject = topic.named_subject(subject_mentions(tracker))

    table = table_aspects(tracker, knowledge, intent)
    if table:
        return Turn(intent, language, TABLE_ASPECT, BOTH, table)
    aspect: str | None = aspect_of(intent)
    if knowledge.has_aspect(aspect):
        focus = tracker.latest_message.get(COMPARISON_FOCUS)
        if isinstance(focus, str):
            return Turn(intent, language, aspect, knowledge.subject_for(aspect, named_subject), focus=focus)
    elif intent == FOLLOW_UP_INTENT:
        aspect = previous_aspect if knowledge.has_aspect(previous_aspect) else DEFAULT_ASPECT
    else:
        return Turn(intent, language, None, None)

    subject = named_subject
    if subject is None and previous_subject in (*SUBJECTS, BOTH):
        subject = previous_subject
    return Turn(intent, language, aspect, knowledge.subject_for(aspect, subject), side=subject)


def table_aspects(tracker: Tracker, knowledge: KnowledgeBase, intent: str | None) -> tuple[str, ...]:
    """The rows of a comparison table, when the turn asks for one.

    "Show me the table" gets every per-subject aspect; "compare their skills and pay" (a table
    request, or a difference question naming two or more aspects) gets the ones named.
    """
    raw = tracker.latest_message.get(ASPECT_MENTIONS)
    named = [
        a
        for a in (raw if isinstance(raw, list) else [])
        if a in knowledge.aspects and knowledge.aspects[a].per_subject
    ]
    if intent == TABLE_INTENT:
        return tuple(named) or tuple(a for a, aspect in knowledge.aspects.items() if aspect.per_subject)
    if intent == aspect_intent(TABLE_ASPECT) and len(named) >= 2:
        return tuple(named)
    return ()
