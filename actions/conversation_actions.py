"""Actions for everything that is not a knowledge answer: small talk, off-topic, unclear."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_actions import answer_turn
from actions.dialogue import latest_intent, mentioned, referred_intent, resolve_turn, turn_language
from actions.knowledge_store import shared_knowledge
from actions.messages import capabilities_message, did_you_mean_message
from faq.knowledge import KnowledgeBase
from faq.protocol import (
    ENTITY_RATING,
    ENTITY_SUBJECT,
    ENTITY_TARGET_LANGUAGE,
    RATING_HELPFUL,
    RATING_NOT_HELPFUL,
    SLOT_ASPECT,
    SLOT_FEEDBACK,
    SLOT_LANGUAGE,
    SLOT_LANGUAGE_PINNED,
    SLOT_SUBJECT,
    SUPPORTED_LANGUAGES,
    UNSUPPORTED_LANGUAGE,
    Phrase,
    aspect_of,
)
from faq.topic import on_topic

# Small-talk intents and the phrase that answers each.
SMALL_TALK_PHRASES = {
    "greet": Phrase.GREET,
    "goodbye": Phrase.GOODBYE,
    "thank": Phrase.THANK,
    "bot_challenge": Phrase.BOT_CHALLENGE,
}


class _PhraseAction(Action, ABC):
    """Base for actions that reply with one of the assistant's phrases (abstract, so the
    SDK does not register it)."""

    def __init__(self, knowledge: KnowledgeBase | None = None) -> None:
        self._knowledge = knowledge

    @property
    def knowledge(self) -> KnowledgeBase:
        return self._knowledge or shared_knowledge()

    @abstractmethod
    def name(self) -> str:
        """The action's name in domain.yml."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> None:
        """Sends this action's reply; subclasses that only reply override this, not `run`."""

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = turn_language(tracker)
        self.reply(dispatcher, tracker, language)
        # Only the language follows these turns: aspect and subject keep the context, so a
        # "thanks" in the middle does not lose the thread.
        return [SlotSet(SLOT_LANGUAGE, language)]


class ActionSmallTalk(_PhraseAction):
    """Greets, thanks, says goodbye, admits to being a bot, lists what it can do."""

    def name(self) -> str:
        return "action_small_talk"

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> None:
        intent = latest_intent(tracker)
        if intent in SMALL_TALK_PHRASES:
            dispatcher.utter_message(text=self.knowledge.phrase(SMALL_TALK_PHRASES[intent], language))
        else:
            dispatcher.utter_message(**capabilities_message(self.knowledge, language))


# How many aspects "Did you mean" offers, and how likely each must be to be offered.
DID_YOU_MEAN_OPTIONS = 3
DID_YOU_MEAN_MIN_CONFIDENCE = 0.05


def likeliest_aspects(tracker: Tracker, knowledge: KnowledgeBase) -> list[str]:
    """Aspects the classifier found likely for the latest message, best first."""
    found: list[str] = []
    for ranked in tracker.latest_message.get("intent_ranking") or []:
        aspect = aspect_of(ranked.get("name"))
        if (
            aspect is not None
            and knowledge.has_aspect(aspect)
            and (ranked.get("confidence") or 0.0) >= DID_YOU_MEAN_MIN_CONFIDENCE
            and aspect not in found
        ):
            found.append(aspect)
    return found[:DID_YOU_MEAN_OPTIONS]


def single_subject(tracker: Tracker) -> str | None:
    subjects = mentioned(tracker, ENTITY_SUBJECT)
    return subjects[0] if len(subjects) == 1 else None


class ActionOutOfScope(_PhraseAction):
    """Declines an off-topic request; admits it when a question on the topic is not covered.

    A question about the field that no entry answers gets an honest "not in my knowledge
    yet" with the closest topics as buttons, never a confident answer to another question.
    """

    def name(self) -> str:
        return "action_out_of_scope"

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> None:
        if not on_topic(tracker.latest_message):
            dispatcher.utter_message(text=self.knowledge.phrase(Phrase.OUT_OF_SCOPE, language))
            return
        closest = likeliest_aspects(tracker, self.knowledge)
        if closest:
            dispatcher.utter_message(
                **did_you_mean_message(
                    closest, single_subject(tracker), self.knowledge, language, intro=Phrase.NOT_COVERED
                )
            )
        else:
            dispatcher.utter_message(text=self.knowledge.phrase(Phrase.NOT_COVERED_NONE, language))


class ActionClarify(_PhraseAction):
    """Handles an unclear message: "Did you mean ...?", or a request to rephrase.

    Offers the likeliest aspects as buttons when the classifier had candidates; asks to
    rephrase when it had none (unknown words); and answers a message in a language the
    assistant does not speak in English, listing the five it does. A question that only
    points back ("why is it important?", nlu_components/reference_guard.py) is answered
    about the conversation's subject when an earlier turn gave it one.
    """

    def name(self) -> str:
        return "action_clarify"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if tracker.latest_message.get(UNSUPPORTED_LANGUAGE):
            # The reply's language is now the conversation's: the next short message ("ok?")
            # is answered in the language the user just read.
            language = turn_language(tracker)
            dispatcher.utter_message(text=self.knowledge.phrase(Phrase.UNSUPPORTED_LANGUAGE, language))
            return [SlotSet(SLOT_LANGUAGE, language)]
        referred = referred_intent(tracker)
        if referred is not None:
            # "and why is it important?" after an answer: "it" is the conversation's subject.
            return answer_turn(dispatcher, resolve_turn(tracker, self.knowledge, referred), self.knowledge)
        return super().run(dispatcher, tracker, domain)

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> None:
        candidates = likeliest_aspects(tracker, self.knowledge)
        if candidates:
            dispatcher.utter_message(
                **did_you_mean_message(candidates, single_subject(tracker), self.knowledge, language)
            )
        else:
            dispatcher.utter_message(text=self.knowledge.phrase(Phrase.FALLBACK, language))


class ActionSetLanguage(_PhraseAction):
    """Switches to the language the user asked for and keeps it until asked again."""

    def name(self) -> str:
        return "action_set_language"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        requested = [
            code for code in mentioned(tracker, ENTITY_TARGET_LANGUAGE) if code in SUPPORTED_LANGUAGES
        ]
        if not requested:
            language = turn_language(tracker)
            dispatcher.utter_message(text=self.knowledge.phrase(Phrase.FALLBACK, language))
            return [SlotSet(SLOT_LANGUAGE, language)]
        language = requested[-1]
        dispatcher.utter_message(text=self.knowledge.phrase(Phrase.LANGUAGE_SWITCHED, language))
        return [SlotSet(SLOT_LANGUAGE, language), SlotSet(SLOT_LANGUAGE_PINNED, language)]


class ActionFeedback(_PhraseAction):
    """Records a rating of the last answer with its aspect, subject and language."""

    def name(self) -> str:
        return "action_feedback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = turn_language(tracker)
        ratings = [r for r in mentioned(tracker, ENTITY_RATING) if r in (RATING_HELPFUL, RATING_NOT_HELPFUL)]
        # A rating is kept only for an answer this conversation received: the report must not
        # count ratings sent into a conversation that was never answered.
        if not ratings or not tracker.get_slot(SLOT_ASPECT):
            dispatcher.utter_message(text=self.knowledge.phrase(Phrase.FALLBACK, language))
            return [SlotSet(SLOT_LANGUAGE, language)]
        rating = ratings[-1]
        dispatcher.utter_message(
            text=self.knowledge.phrase(
                Phrase.FEEDBACK_THANKS if rating == RATING_HELPFUL else "feedback_sorry", language
            )
        )
        feedback = {
            ENTITY_RATING: rating,
            SLOT_ASPECT: tracker.get_slot(SLOT_ASPECT),
            SLOT_SUBJECT: tracker.get_slot(SLOT_SUBJECT),
            SLOT_LANGUAGE: language,
        }
        return [SlotSet(SLOT_LANGUAGE, language), SlotSet(SLOT_FEEDBACK, feedback)]
