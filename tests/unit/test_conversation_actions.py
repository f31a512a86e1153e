"""actions/conversation_actions.py: small talk, off-topic, clarification, language switches and
feedback: what the user sees and which slots are set."""

from __future__ import annotations

import pytest

from actions.answer_actions import ActionAnswer
from actions.conversation_actions import (
    ActionClarify,
    ActionFeedback,
    ActionOutOfScope,
    ActionSetLanguage,
    ActionSmallTalk,
    likeliest_aspects,
)
from tests.conftest import make_tracker, scores, subject
from tests.unit.helpers import slots_set, texts_sent


@pytest.mark.parametrize("intent", ["greet", "goodbye", "thank", "bot_challenge"])
def test_small_talk_answers_in_the_users_language_and_keeps_context(small_knowledge, dispatcher, intent):
    tracker = make_tracker(intent, language_scores=scores("sk"), slots={"aspect": "pay", "subject": "bpo"})
    events = ActionSmallTalk(small_knowledge).run(dispatcher, tracker, {})
    assert texts_sent(dispatcher) == [f"{intent} [sk]"]
    assert slots_set(events) == {"language": "sk"}


@pytest.mark.parametrize("action, phrase", [(ActionOutOfScope, "out_of_scope"), (ActionClarify, "fallback")])
def test_off_topic_and_unclear_turns_leave_the_aspect(small_knowledge, dispatcher, action, phrase):
    tracker = make_tracker(
        "out_of_scope", language_scores=scores("id"), slots={"aspect": "skills", "language": "en"}
    )
    events = action(small_knowledge).run(dispatcher, tracker, {})
    assert texts_sent(dispatcher) == [f"{phrase} [id]"]
    assert slots_set(events) == {"language": "id"}


def test_set_language_switches_and_sticks(small_knowledge, dispatcher):
    tracker = make_tracker(
        "set_language",
        "answer in Finnish",
        [{"entity": "target_language", "value": "fi"}],
        language_scores=scores("en"),
        slots={"language": "en"},
    )
    events = ActionSetLanguage(small_knowledge).run(dispatcher, tracker, {})
    assert texts_sent(dispatcher) == ["language_switched [fi]"]
    assert slots_set(events) == {"language": "fi", "language_pinned": "fi"}

    dispatcher.messages.clear()
    tracker = make_tracker(
        "ask_pay",
        "How are BPO agents paid?",
        [subject("bpo")],
        language_scores=scores("en"),
        slots={"language": "fi", "language_pinned": "fi"},
    )
    assert slots_set(ActionAnswer(small_knowledge).run(dispatcher, tracker, {}))["language"] == "fi"


def test_did_you_mean_offers_the_likeliest_aspects_and_something_else(small_knowledge, dispatcher):
    tracker = make_tracker(
        "nlu_fallback",
        "bpo pay or skills?",
        [subject("bpo")],
        language_scores=scores("fi"),
        slots={"aspect": "history"},
    )
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.1},
        {"name": "ask_pay", "confidence": 0.31},
        {"name": "greet", "confidence": 0.3},
        {"name": "ask_skills", "confidence": 0.29},
        {"name": "ask_cost", "confidence": 0.06},
        {"name": "ask_kpo", "confidence": 0.01},
    ]
    events = ActionClarify(small_knowledge).run(dispatcher, tracker, {})
    message = dispatcher.messages[0]
    assert message["text"] == "did_you_mean [fi]"
    assert [(b["title"], b["payload"]) for b in message["buttons"]] == [
        ("pay label [fi] (subject_bpo [fi])", '/ask_pay{"subject":"bpo"}'),
        ("skills label [fi] (subject_bpo [fi])", '/ask_skills{"subject":"bpo"}'),
        ("cost label [fi] (subject_bpo [fi])", '/ask_cost{"subject":"bpo"}'),
        ("something_else [fi]", "/ask_capabilities"),
    ]
    assert slots_set(events) == {"language": "fi"}


def test_a_message_in_another_language_gets_the_english_list_and_the_conversation_turns_english(
    small_knowledge, dispatcher
):
    tracker = make_tracker("nlu_fallback", "Was ist ein Callcenter?", slots={"language": "sk"})
    tracker.latest_message["unsupported_language"] = "de"
    events = ActionClarify(small_knowledge).run(dispatcher, tracker, {})
    assert texts_sent(dispatcher) == ["unsupported_language [en]"]
    assert slots_set(events) == {"language": "en"}


def test_a_question_on_the_topic_that_no_entry_answers_gets_an_honest_reply_with_the_closest_topics(
    small_knowledge, dispatcher
):
    tracker = make_tracker(
        "out_of_scope",
        "How do I pass the interview at a BPO?",
        [subject("bpo")],
        language_scores=scores("en"),
        slots={"aspect": "pay"},
    )
    tracker.latest_message["intent_ranking"] = [
        {"name": "out_of_scope", "confidence": 0.6},
        {"name": "ask_skills", "confidence": 0.3},
        {"name": "greet", "confidence": 0.06},
        {"name": "ask_careers_that_does_not_exist", "confidence": 0.05},
        {"name": "ask_pay", "confidence": 0.04},
    ]
    events = ActionOutOfScope(small_knowledge).run(dispatcher, tracker, {})
    message = dispatcher.messages[0]
    assert message["text"] == "not_covered [en]"
    assert [b["payload"] for b in message["buttons"]] == ['/ask_skills{"subject":"bpo"}', "/ask_capabilities"]
    # Nothing was answered, so the context stays as it was.
    assert slots_set(events) == {"language": "en"}


def test_a_question_on_the_topic_without_any_likely_aspect_still_says_it_is_not_covered(
    small_knowledge, dispatcher
):
    tracker = make_tracker(
        "out_of_scope", "Which dialer software do call centers buy?", language_scores=scores("en")
    )
    ActionOutOfScope(small_knowledge).run(dispatcher, tracker, {})
    assert texts_sent(dispatcher) == ["not_covered_none [en]"]


@pytest.mark.parametrize(
    "rating, phrase", [("helpful", "feedback_thanks"), ("not_helpful", "feedback_sorry")]
)
def test_feedback_is_stored_with_the_answers_aspect_subject_and_language(
    small_knowledge, dispatcher, rating, phrase
):
    tracker = make_tracker(
        "feedback",
        f'/feedback{{"rating":"{rating}"}}',
        [{"entity": "rating", "value": rating}],
        slots={"aspect": "pay", "subject": "bpo", "language": "sv"},
    )
    events = ActionFeedback(small_knowledge).run(dispatcher, tracker, {})
    assert texts_sent(dispatcher) == [f"{phrase} [sv]"]
    assert slots_set(events)["feedback"] == {
        "rating": rating,
        "aspect": "pay",
        "subject": "bpo",
        "language": "sv",
    }


def test_set_language_without_a_supported_language_asks_again_and_pins_nothing(small_knowledge, dispatcher):
    tracker = make_tracker(
        "set_language",
        "answer in Klingon",
        [{"entity": "target_language", "value": "tlh"}],
        language_scores=scores("en"),
        slots={"language": "sv"},
    )
    events = ActionSetLanguage(small_knowledge).run(dispatcher, tracker, {})
    assert texts_sent(dispatcher) == ["fallback [en]"]
    assert slots_set(events) == {"language": "en"}


def test_of_two_requested_languages_the_last_one_wins(small_knowledge, dispatcher):
    tracker = make_tracker(
        "set_language",
        "not in Swedish, in Slovak",
        [{"entity": "target_language", "value": "sv"}, {"entity": "target_language", "value": "sk"}],
        language_scores=scores("en"),
    )
    assert (
        slots_set(ActionSetLanguage(small_knowledge).run(dispatcher, tracker, {}))["language_pinned"] == "sk"
    )


def test_feedback_without_a_rating_records_nothing(small_knowledge, dispatcher):
    tracker = make_tracker(
        "feedback", "meh", [{"entity": "rating", "value": "meh"}], slots={"language": "id"}
    )
    events = ActionFeedback(small_knowledge).run(dispatcher, tracker, {})
    assert texts_sent(dispatcher) == ["fallback [id]"]
    assert "feedback" not in slots_set(events)


def test_likeliest_aspects_skip_unknown_and_unlikely_intents_and_keep_at_most_three(small_knowledge):
    tracker = make_tracker("nlu_fallback")
    tracker.latest_message["intent_ranking"] = [
        {"name": "ask_pay", "confidence": 0.4},
        {"name": "ask_no_such_aspect", "confidence": 0.3},
        {"name": "greet", "confidence": 0.2},
        {"name": "ask_pay", "confidence": 0.2},
        {"name": "ask_kpo", "confidence": 0.1},
        {"name": "ask_cost", "confidence": 0.06},
        {"name": "ask_skills", "confidence": 0.055},
        {"name": "ask_history", "confidence": 0.01},
    ]
    assert likeliest_aspects(tracker, small_knowledge) == ["pay", "kpo", "cost"]


@pytest.mark.parametrize(
    "action, name",
    [
        (ActionSmallTalk, "action_small_talk"),
        (ActionOutOfScope, "action_out_of_scope"),
        (ActionClarify, "action_clarify"),
        (ActionSetLanguage, "action_set_language"),
        (ActionFeedback, "action_feedback"),
    ],
)
def test_each_action_has_its_domain_name(action, name):
    assert action().name() == name


def test_a_rating_in_a_conversation_that_received_no_answer_is_not_recorded(small_knowledge, dispatcher):
    tracker = make_tracker(
        "feedback",
        '/feedback{"rating":"not_helpful"}',
        [{"entity": "rating", "value": "not_helpful"}],
        slots={"language": "fi"},
    )
    events = ActionFeedback(small_knowledge).run(dispatcher, tracker, {})
    assert texts_sent(dispatcher) == ["fallback [fi]"]
    assert "feedback" not in slots_set(events)
