"""The action that answers knowledge questions and follow-ups."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dialogue import Turn, resolve_turn
from actions.knowledge_store import shared_knowledge
from actions.messages import answer_messages, table_message
from faq.knowledge import KnowledgeBase
from faq.protocol import BOTH, COMPARISON_ASPECTS, SLOT_ASPECT, SLOT_LANGUAGE, SLOT_SUBJECT, SUBJECTS, Phrase


class ActionAnswer(Action):
    """Answers the aspect and subject the turn asks about, in the user's language."""

    def __init__(self, knowledge: KnowledgeBase | None = None) -> None:
        self._knowledge = knowledge

    @property
    def knowledge(self) -> KnowledgeBase:
        return self._knowledge or shared_knowledge()

    def name(self) -> str:
        return "action_answer"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return answer_turn(dispatcher, resolve_turn(tracker, self.knowledge), self.knowledge)


def answer_turn(dispatcher: CollectingDispatcher, turn: Turn, knowledge: KnowledgeBase) -> list[EventType]:
    """Sends the answer to a resolved turn and returns the slots it sets."""
    if turn.aspect is None:
        # Reached only through a misconfigured rule; say so in the user's language.
        dispatcher.utter_message(text=knowledge.phrase(Phrase.FALLBACK, turn.language))
        return [SlotSet(SLOT_LANGUAGE, turn.language)]
    if turn.table_aspects:
        dispatcher.utter_message(**table_message(turn.table_aspects, knowledge, turn.language))
        return [
            SlotSet(SLOT_ASPECT, turn.aspect),
            SlotSet(SLOT_SUBJECT, turn.subject),
            SlotSet(SLOT_LANGUAGE, turn.language),
        ]
    answer = knowledge.answer(turn.aspect, turn.subject, turn.language, focus=turn.focus)
    for message in answer_messages(answer, knowledge):
        dispatcher.utter_message(**message)
    # An answer for the whole field keeps the side the conversation is about in the slot
    # (a comparison of the two sides is about both).
    keeps_side = answer.subject == BOTH and turn.side in SUBJECTS and answer.aspect not in COMPARISON_ASPECTS
    subject = turn.side if keeps_side else answer.subject
    return [
        SlotSet(SLOT_ASPECT, answer.aspect),
        SlotSet(SLOT_SUBJECT, subject),
        SlotSet(SLOT_LANGUAGE, answer.language),
    ]
