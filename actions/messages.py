"""Channel-neutral messages built from knowledge answers.

Each function returns the keyword arguments for `dispatcher.utter_message`: plain text for
every channel plus, where useful, buttons and a custom payload (`sources`, `table`) that the
channel layer (channels/) renders in its own way. Nothing here knows the channel.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from faq.knowledge import Answer, KnowledgeBase, Source
from faq.protocol import (
    BOTH,
    BPO,
    CALL_CENTER,
    CAPABILITIES_INTENT,
    ENTITY_RATING,
    ENTITY_SUBJECT,
    FEEDBACK_INTENT,
    RATING_HELPFUL,
    RATING_NOT_HELPFUL,
    SOURCE_ARTICLE_PHRASE_PREFIX,
    SUBJECTS,
    Phrase,
    aspect_intent,
)

Message = dict[str, Any]


def answer_text(answer: Answer, knowledge: KnowledgeBase) -> str:
    """The answer itself: one paragraph per subject, then any disagreement between sources."""
    language = answer.language
    if len(answer.parts) == 1:
        paragraphs = [answer.parts[0].text]
    else:
        paragraphs = [
            f"**{_capitalized(knowledge.subject_name(part.subject, language))}:** {part.text}"
            for part in answer.parts
        ]
    if answer.disagreement:
        paragraphs.append(f"{knowledge.phrase(Phrase.DISAGREEMENT_LABEL, language)}: {answer.disagreement}")
    return "\n\n".join(paragraphs)


def _capitalized(name: str) -> str:
    return name[:1].upper() + name[1:]


def source_names(sources: Sequence[Source], knowledge: KnowledgeBase, language: str) -> list[str]:
    """Short names of the sources, in the reader's language ("the Slovak article")."""
    return [
        knowledge.phrase(
            f"{SOURCE_ARTICLE_PHRASE_PREFIX}{source.language}"
            if source.is_article
            else Phrase.SOURCE_GENERAL,
            language,
        )
        for source in sources
    ]


def sources_message(answer: Answer, knowledge: KnowledgeBase) -> Message:
    """A short citation line plus the full citations as a `sources` payload."""
    language = answer.language
    names = ", ".join(source_names(answer.sources, knowledge, language))
    line = f"{knowledge.phrase(Phrase.SOURCES_LABEL, language)}: {names}"
    payload = [{"id": s.id, "title": s.title, "language": s.language, "file": s.file} for s in answer.sources]
    return {
        "text": line,
        "json_message": {"sources": payload},
        "buttons": feedback_buttons(language, knowledge),
    }


def feedback_buttons(language: str, knowledge: KnowledgeBase) -> list[dict[str, str]]:
    """Rate the answer: helpful or not (stored with its aspect, subject and language)."""
    return [
        {
            "title": f"👍 {knowledge.phrase(Phrase.HELPFUL, language)}",
            "payload": intent_payload(FEEDBACK_INTENT, {ENTITY_RATING: RATING_HELPFUL}),
        },
        {
            "title": f"👎 {knowledge.phrase(Phrase.NOT_HELPFUL, language)}",
            "payload": intent_payload(FEEDBACK_INTENT, {ENTITY_RATING: RATING_NOT_HELPFUL}),
        },
    ]


def intent_payload(intent: str, entities: dict[str, str]) -> str:
    """A button payload that triggers an intent with entities directly, skipping NLU."""
    return f"/{intent}{json.dumps(entities, separators=(',', ':'))}" if entities else f"/{intent}"


def related_message(answer: Answer, knowledge: KnowledgeBase) -> Message:
    """Follow-up suggestions: buttons for related aspects of the same subject."""
    language = answer.language
    entities = {} if answer.subject == BOTH else {ENTITY_SUBJECT: answer.subject}
    buttons = [
        {
            "title": knowledge.label(aspect_id, language),
            "payload": intent_payload(aspect_intent(aspect_id), entities),
        }
        for aspect_id in answer.related
    ]
    return {"text": f"{knowledge.phrase(Phrase.RELATED_PROMPT, language)}:", "buttons": buttons}


def answer_messages(answer: Answer, knowledge: KnowledgeBase) -> list[Message]:
    """Everything one answer sends: the text, its sources, and follow-up suggestions."""
    messages = [{"text": answer_text(answer, knowledge)}, sources_message(answer, knowledge)]
    if answer.related:
        messages.append(related_message(answer, knowledge))
    return messages


def capabilities_message(knowledge: KnowledgeBase, language: str) -> Message:
    """The menu of what the assistant answers, as text and as buttons."""
    labels = [(aspect_id, knowledge.label(aspect_id, language)) for aspect_id in knowledge.aspects]
    menu = ", ".join(label for _, label in labels)
    buttons = [
        {"title": label, "payload": intent_payload(aspect_intent(aspect_id), {})}
        for aspect_id, label in labels[:6]
    ]
    return {"text": f"{knowledge.phrase(Phrase.CAPABILITIES_INTRO, language)} {menu}.", "buttons": buttons}


def table_message(aspect_ids: Sequence[str], knowledge: KnowledgeBase, language: str) -> Message:
    """A side-by-side table of per-subject aspects, with a text version for plain channels."""
    columns = [
        knowledge.phrase(Phrase.ASPECT_COLUMN, language),
        _capitalized(knowledge.subject_name(BPO, language)),
        _capitalized(knowledge.subject_name(CALL_CENTER, language)),
    ]
    rows = []
    for aspect_id in aspect_ids:
        aspect = knowledge.aspects[aspect_id]
        rows.append(
            [
                aspect.label[language],
                aspect.entries[BPO].summary[language],
                aspect.entries[CALL_CENTER].summary[language],
            ]
        )
    lines = [f"{knowledge.phrase(Phrase.TABLE_INTRO, language)}:"]
    lines += [f"- **{row[0]}**: {columns[1]}: {row[1]} | {columns[2]}: {row[2]}" for row in rows]
    return {"text": "\n".join(lines), "json_message": {"table": {"columns": columns, "rows": rows}}}


def did_you_mean_message(
    candidates: Sequence[str],
    subject: str | None,
    knowledge: KnowledgeBase,
    language: str,
    intro: str = Phrase.DID_YOU_MEAN,
) -> Message:
    """ "Did you mean ...?" (or another `intro` phrase) with a button per candidate aspect
    and one for something else."""
    entities = {ENTITY_SUBJECT: subject} if subject is not None and subject in SUBJECTS else {}
    suffix = f" ({knowledge.subject_name(subject, language)})" if subject is not None and entities else ""
    buttons = [
        {
            "title": knowledge.label(aspect_id, language) + suffix,
            "payload": intent_payload(aspect_intent(aspect_id), entities),
        }
        for aspect_id in candidates
    ]
    buttons.append(
        {
            "title": knowledge.phrase(Phrase.SOMETHING_ELSE, language),
            "payload": intent_payload(CAPABILITIES_INTENT, {}),
        }
    )
    return {"text": knowledge.phrase(intro, language), "buttons": buttons}
