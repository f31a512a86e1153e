"""nlu_components/unreadable_message_fallback.py: messages with no words, only unknown words, or in
a language the assistant does not speak become `nlu_fallback` with no other candidates."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from faq.language import VocabularyModel
from nlu_components.language_identifier import LanguageIdentifier
from nlu_components.unreadable_message_fallback import UnreadableMessageFallback
from tests.unit.helpers import ranked_message

FALLBACK = {"name": "nlu_fallback", "confidence": 1.0}


def fallback(message: Message) -> Message:
    return UnreadableMessageFallback.create({}, None, None, None).process([message])[0]


def test_keyboard_mashing_the_language_identifier_finds_no_word_of_becomes_the_fallback():
    vocabulary = VocabularyModel.fit([("What skills do call center agents need?", "en")])
    identifier = LanguageIdentifier({}, None, None, vocabulary)
    message = ranked_message("asdkj qwpoe zzxm", [("ask_skills", 0.41), ("ask_pay", 0.2)])
    identifier.process([message])
    fallback(message)
    assert message.get(INTENT) == FALLBACK
    assert message.get(INTENT_RANKING_KEY) == [FALLBACK]  # no "did you mean" candidates
    assert message.as_dict_nlu()[INTENT] == FALLBACK


@pytest.mark.parametrize("text", ["👍👍", "12345", "???", " "])
def test_a_message_without_letters_becomes_the_fallback(text):
    assert fallback(ranked_message(text, [("greet", 0.6)])).get(INTENT) == FALLBACK


def test_a_message_in_an_unsupported_language_becomes_the_fallback():
    message = ranked_message("Was kostet ein Callcenter?", [("ask_cost", 0.7)])
    message.set("known_vocabulary", True)
    message.set("unsupported_language", "de")
    assert fallback(message).get(INTENT) == FALLBACK


def test_known_words_and_button_payloads_are_left_alone():
    known = ranked_message("what skills", [("ask_skills", 0.9)])
    known.set("known_vocabulary", True)
    # Without the identifier's flag nothing is known to be unknown.
    unflagged = ranked_message("something new", [("ask_skills", 0.9)])
    payload = ranked_message('/ask_pay{"subject":"bpo"}', [("ask_pay", 1.0)])
    for message in (known, unflagged, payload):
        before = dict(message.get(INTENT))
        assert fallback(message).get(INTENT) == before


def test_a_message_without_text_is_skipped():
    message = Message(data={})
    assert fallback(message).get(INTENT) is None
