"""Actions for everything that is not a knowledge answer: small talk, off-topic, unclear."""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from faq.knowledge import KnowledgeBase
from faq.language import SUPPORTED_LANGUAGES

from actions.dialogue import latest_intent, mentioned, turn_language
from actions.knowledge_store import shared_knowledge
from actions.messages import capabilities_message

# Small-talk intents and the phrase that answers each.
SMALL_TALK_PHRASES = {
    "greet": "greet",
    "goodbye": "goodbye",
    "thank": "thank",
    "bot_challenge": "bot_challenge",
}


class _PhraseAction(Action, ABC):
    """Base for actions that reply with one of the assistant's phrases (abstract, so the
    SDK does not register it)."""

    def __init__(self, knowledge: Optional[KnowledgeBase] = None) -> None:
        self._knowledge = knowledge

    @property
    def knowledge(self) -> KnowledgeBase:
        return self._knowledge or shared_knowledge()

    @abstractmethod
    def name(self) -> Text:
        """The action's name in domain.yml."""

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> None:
        """Sends this action's reply; subclasses that only reply override this, not `run`."""

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        language = turn_language(tracker)
        self.reply(dispatcher, tracker, language)
        # Only the language follows these turns: aspect and subject keep the context, so a
        # "thanks" in the middle does not lose the thread.
        return [SlotSet("language", language)]


class ActionSmallTalk(_PhraseAction):
    """Greets, thanks, says goodbye, admits to being a bot, lists what it can do."""

    def name(self) -> Text:
        return "action_small_talk"

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> None:
        intent = latest_intent(tracker)
        if intent in SMALL_TALK_PHRASES:
            dispatcher.utter_message(text=self.knowledge.phrase(SMALL_TALK_PHRASES[intent], language))
        else:
            dispatcher.utter_message(**capabilities_message(self.knowledge, language))


class ActionOutOfScope(_PhraseAction):
    """Declines an off-topic request and says what it can help with."""

    def name(self) -> Text:
        return "action_out_of_scope"

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> None:
        dispatcher.utter_message(text=self.knowledge.phrase("out_of_scope", language))


class ActionClarify(_PhraseAction):
    """Asks the user to rephrase a message the assistant did not understand."""

    def name(self) -> Text:
        return "action_clarify"

    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> None:
        dispatcher.utter_message(text=self.knowledge.phrase("fallback", language))


class ActionSetLanguage(_PhraseAction):
    """Switches to the language the user asked for and keeps it until asked again."""

    def name(self) -> Text:
        return "action_set_language"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        requested = [code for code in mentioned(tracker, "target_language") if code in SUPPORTED_LANGUAGES]
        if not requested:
            language = turn_language(tracker)
            dispatcher.utter_message(text=self.knowledge.phrase("fallback", language))
            return [SlotSet("language", language)]
        language = requested[-1]
        dispatcher.utter_message(text=self.knowledge.phrase("language_switched", language))
        return [SlotSet("language", language), SlotSet("language_pinned", language)]
