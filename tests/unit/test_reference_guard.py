"""A question that only points back ("why is it important?"): faq/references.py decides it,
nlu_components/reference_guard.py hands it to the dialogue as a fallback, and the clarifying
action answers it about the conversation's subject, or asks when there is none."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY

from actions.conversation_actions import ActionClarify
from faq.references import refers_back
from nlu_components.reference_guard import ReferenceGuard
from tests.conftest import make_tracker, scores
from tests.unit.helpers import ranked_message, slots_set, texts_sent


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Why is it important?", "en"),
        ("what is their history", "en"),
        ("What does that mean?", "en"),
        ("Aká je ich história?", "sk"),
        ("Ako to funguje?", "sk"),
        ("Ako by sme mohli tento výraz definovať?", "sk"),
        ("Varför är det viktigt?", "sv"),
        ("Vad tjänar de?", "sv"),
        ("Mitä se tarkoittaa?", "fi"),
        ("Mikä on niiden historia?", "fi"),
        ("Berapa gaji mereka?", "id"),
        ("Apa itu?", "id"),
    ],
)
def test_third_person_pronouns_and_demonstratives_point_back(text, language):
    assert refers_back(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("What skills do I need?", "en"),
        ("Is it hard to find work?", "en"),  # expletive "it ... to"
        ("Is it true that agents work at night?", "en"),
        ("What can you do?", "en"),  # addresses the assistant
        ("Finns det nattskift?", "sv"),  # "is there"
        ("Är det svårt att få jobb?", "sv"),
        ("Vilken är den vanligaste arbetstiden?", "sv"),  # article before an adjective
        ("Aké zručnosti sú potrebné?", "sk"),
        ("Mitä taitoja tarvitaan?", "fi"),
        ("Berapa gaji saat ini?", "id"),  # "saat ini": now
        ("what is it", "xx"),  # a language without a word list
        ("But won't employees get distracted if they work at home?", "en"),  # its noun before it
        ("Miksi yritykset ulkoistavat? Tuleeko se halvemmaksi?", "fi"),  # a sentence before it
        ("Apa itu AHT?", "id"),  # "apa itu X": what is X
    ],
)
def test_questions_that_stand_on_their_own_do_not(text, language):
    assert not refers_back(text, language)


def test_a_pointing_back_knowledge_question_becomes_a_fallback_that_keeps_its_intent_and_ranking():
    message = ranked_message(
        "Why is it important?", [("ask_advantages", 0.6), ("ask_skills", 0.2)], language="en"
    )
    ReferenceGuard({}).process([message])
    assert message.get(INTENT) == {"name": "nlu_fallback", "confidence": 0.6}
    assert message.get("refers_back") == "ask_advantages"
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["ask_advantages", "ask_skills"]
    assert message.as_dict_nlu()["refers_back"] == "ask_advantages"


@pytest.mark.parametrize(
    ("text", "ranking", "entities"),
    [
        ("Why is it important for a BPO?", [("ask_advantages", 0.6)], ["subject"]),  # names its subject
        ("why is outsourcing it important", [("ask_advantages", 0.6)], []),  # a domain term
        ("compare their skills and pay", [("ask_difference", 0.7)], []),  # about both sides anyway
        ("thanks for that", [("thank", 0.9)], []),  # not a knowledge question
        ("/ask_pay", [("ask_pay", 1.0)], []),  # a button
        ("what skills are needed", [("ask_skills", 0.8)], []),
    ],
)
def test_questions_with_a_subject_comparisons_small_talk_and_buttons_keep_their_intent(
    text, ranking, entities
):
    message = ranked_message(text, ranking, entities, language="en")
    ReferenceGuard({}).process([message])
    assert message.get(INTENT)["name"] == ranking[0][0]
    assert message.get("refers_back") is None


def _pointing_back(slots):
    tracker = make_tracker(
        "nlu_fallback", "and why is it important?", language_scores=scores("en"), slots=slots
    )
    tracker.latest_message["refers_back"] = "ask_advantages"
    tracker.latest_message["intent_ranking"] = [
        {"name": "ask_advantages", "confidence": 0.6},
        {"name": "ask_skills", "confidence": 0.2},
    ]
    return tracker


def test_in_a_conversation_it_is_answered_about_the_conversations_subject(small_knowledge, dispatcher):
    events = ActionClarify(small_knowledge).run(
        dispatcher, _pointing_back({"aspect": "pay", "subject": "call_center", "language": "en"}), {}
    )
    assert slots_set(events) == {"aspect": "advantages", "subject": "call_center", "language": "en"}
    assert "did_you_mean [en]" not in texts_sent(dispatcher)


def test_as_a_first_question_it_asks_what_is_meant(small_knowledge, dispatcher):
    events = ActionClarify(small_knowledge).run(dispatcher, _pointing_back({}), {})
    assert dispatcher.messages[0]["text"] == "did_you_mean [en]"
    assert slots_set(events) == {"language": "en"}
