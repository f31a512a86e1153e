"""The actions: what a user sees and which slots are set, for answers and conversation turns."""

from __future__ import annotations

import pytest

from actions.answer_actions import ActionAnswer
from actions.conversation_actions import (
    ActionClarify,
    ActionOutOfScope,
    ActionSetLanguage,
    ActionSmallTalk,
)
from faq.knowledge import REQUIRED_ASPECTS
from tests.conftest import make_tracker, scores, subject


def _slots(events):
    return {event["name"]: event["value"] for event in events if event.get("event") == "slot"}


def _texts(dispatcher):
    return [message.get("text") for message in dispatcher.messages]


def test_answers_the_asked_aspect_and_subject(small_knowledge, dispatcher):
    tracker = make_tracker(
        "ask_skills",
        "Aké zručnosti potrebujem do call centra?",
        [subject("call_center")],
        language_scores=scores("sk"),
    )
    events = ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert _slots(events) == {"aspect": "skills", "subject": "call_center", "language": "sk"}
    assert _texts(dispatcher)[0] == "skills call_center answer [sk]"


def test_answer_names_its_sources_in_text_and_payload(small_knowledge, dispatcher):
    tracker = make_tracker("ask_definition", entities=[subject("call_center")], language_scores=scores("en"))
    ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    citation = dispatcher.messages[1]
    assert citation["text"] == "sources_label [en]: source_article_sk [en], source_general [en]"
    assert [s["id"] for s in citation["custom"]["sources"]] == ["article_sk", "general"]
    assert citation["custom"]["sources"][0]["title"] == "Slovak article"


def test_related_aspects_are_offered_as_buttons_that_keep_the_subject(small_knowledge, dispatcher):
    tracker = make_tracker("ask_skills", entities=[subject("bpo")], language_scores=scores("fi"))
    ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    buttons = dispatcher.messages[-1]["buttons"]
    assert buttons == [{"title": "pay label [fi]", "payload": '/ask_pay{"subject":"bpo"}'}]


def test_follow_up_naming_only_a_subject_keeps_the_aspect(small_knowledge, dispatcher):
    tracker = make_tracker(
        "inform_subject",
        "and for BPO?",
        [subject("bpo")],
        language_scores=scores("en", 0.4),
        slots={"aspect": "skills", "subject": "call_center", "language": "en"},
    )
    events = ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert _slots(events) == {"aspect": "skills", "subject": "bpo", "language": "en"}


def test_question_without_subject_keeps_the_conversation_subject(small_knowledge, dispatcher):
    tracker = make_tracker(
        "ask_disadvantages",
        "och nackdelarna?",
        language_scores=scores("sv"),
        slots={"aspect": "advantages", "subject": "bpo", "language": "sv"},
    )
    events = ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert _slots(events) == {"aspect": "disadvantages", "subject": "bpo", "language": "sv"}
    assert _texts(dispatcher)[0] == "disadvantages bpo answer [sv]"


def test_naming_both_subjects_answers_both(small_knowledge, dispatcher):
    tracker = make_tracker(
        "ask_pay",
        entities=[subject("bpo"), subject("call_center")],
        language_scores=scores("id"),
        slots={"subject": "bpo"},
    )
    events = ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert _slots(events)["subject"] == "both"
    assert _texts(dispatcher)[0] == (
        "**Subject_bpo [id]:** pay bpo answer [id]\n\n"
        "**Subject_call_center [id]:** pay call_center answer [id]"
    )


def test_a_side_named_by_its_name_outweighs_one_named_by_its_people(small_knowledge, dispatcher):
    text = "Does BPO only handle customer service?"
    entities = [{**subject("bpo"), "start": 5, "end": 8}, {**subject("call_center"), "start": 25, "end": 41}]
    tracker = make_tracker("ask_scope", text, entities, language_scores=scores("en"))
    events = ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert _slots(events)["subject"] == "bpo"


def test_field_aspect_sets_subject_both_and_shows_disagreement(small_knowledge, dispatcher):
    tracker = make_tracker("ask_difference", language_scores=scores("en"))
    assert _slots(ActionAnswer(small_knowledge).run(dispatcher, tracker, {}))["subject"] == "both"
    dispatcher.messages.clear()
    tracker = make_tracker("ask_location", entities=[subject("bpo")], language_scores=scores("en"))
    ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert _texts(dispatcher)[0].endswith("disagreement_label [en]: they disagree [en]")


def test_button_payload_without_language_scores_keeps_language(small_knowledge, dispatcher):
    tracker = make_tracker("ask_pay", "/ask_pay", [subject("bpo")], slots={"language": "fi"})
    assert _slots(ActionAnswer(small_knowledge).run(dispatcher, tracker, {}))["language"] == "fi"


@pytest.mark.parametrize("intent", ["greet", "goodbye", "thank", "bot_challenge"])
def test_small_talk_answers_in_the_users_language_and_keeps_context(small_knowledge, dispatcher, intent):
    tracker = make_tracker(intent, language_scores=scores("sk"), slots={"aspect": "pay", "subject": "bpo"})
    events = ActionSmallTalk(small_knowledge).run(dispatcher, tracker, {})
    assert _texts(dispatcher) == [f"{intent} [sk]"]
    assert _slots(events) == {"language": "sk"}


def test_capabilities_lists_every_topic_with_buttons(small_knowledge, dispatcher):
    tracker = make_tracker("ask_capabilities", language_scores=scores("sv"))
    ActionSmallTalk(small_knowledge).run(dispatcher, tracker, {})
    message = dispatcher.messages[0]
    assert message["text"].startswith("capabilities_intro [sv]")
    assert "kpo label [sv]" in message["text"]
    assert message["buttons"][0] == {"title": "definition label [sv]", "payload": "/ask_definition"}


@pytest.mark.parametrize("action, phrase", [(ActionOutOfScope, "out_of_scope"), (ActionClarify, "fallback")])
def test_off_topic_and_unclear_turns_leave_the_aspect(small_knowledge, dispatcher, action, phrase):
    tracker = make_tracker(
        "out_of_scope", language_scores=scores("id"), slots={"aspect": "skills", "language": "en"}
    )
    events = action(small_knowledge).run(dispatcher, tracker, {})
    assert _texts(dispatcher) == [f"{phrase} [id]"]
    assert _slots(events) == {"language": "id"}


def test_set_language_switches_and_sticks(small_knowledge, dispatcher):
    tracker = make_tracker(
        "set_language",
        "answer in Finnish",
        [{"entity": "target_language", "value": "fi"}],
        language_scores=scores("en"),
        slots={"language": "en"},
    )
    events = ActionSetLanguage(small_knowledge).run(dispatcher, tracker, {})
    assert _texts(dispatcher) == ["language_switched [fi]"]
    assert _slots(events) == {"language": "fi", "language_pinned": "fi"}

    dispatcher.messages.clear()
    tracker = make_tracker(
        "ask_pay",
        "How are BPO agents paid?",
        [subject("bpo")],
        language_scores=scores("en"),
        slots={"language": "fi", "language_pinned": "fi"},
    )
    assert _slots(ActionAnswer(small_knowledge).run(dispatcher, tracker, {}))["language"] == "fi"


def test_table_request_shows_all_per_subject_aspects_side_by_side(small_knowledge, dispatcher):
    tracker = make_tracker("request_table", "show me the table", language_scores=scores("sv"))
    events = ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    table = dispatcher.messages[0]["custom"]["table"]
    assert table["columns"] == ["aspect_column [sv]", "Subject_bpo [sv]", "Subject_call_center [sv]"]
    assert table["rows"][0] == [
        "definition label [sv]",
        "definition bpo summary [sv]",
        "definition call_center summary [sv]",
    ]
    assert len(table["rows"]) == len(REQUIRED_ASPECTS["per_subject"])
    assert dispatcher.messages[0]["text"].startswith("table_intro [sv]:")
    assert _slots(events) == {"aspect": "difference", "subject": "both", "language": "sv"}


def test_comparing_named_aspects_shows_only_those_rows(small_knowledge, dispatcher):
    tracker = make_tracker("ask_difference", "compare their skills and pay", language_scores=scores("en"))
    tracker.latest_message["aspect_mentions"] = ["skills", "pay", "history"]
    ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    rows = dispatcher.messages[0]["custom"]["table"]["rows"]
    assert [row[0] for row in rows] == ["skills label [en]", "pay label [en]"]


def test_answers_offer_helpful_and_not_helpful_buttons(small_knowledge, dispatcher):
    tracker = make_tracker("ask_pay", entities=[subject("bpo")], language_scores=scores("id"))
    ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert [b["payload"] for b in dispatcher.messages[1]["buttons"]] == [
        '/feedback{"rating":"helpful"}',
        '/feedback{"rating":"not_helpful"}',
    ]


def test_did_you_mean_offers_the_likeliest_aspects_and_something_else(small_knowledge, dispatcher):
    from actions.conversation_actions import ActionClarify

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
    assert _slots(events) == {"language": "fi"}


def test_a_message_in_another_language_gets_the_english_list_and_the_conversation_turns_english(
    small_knowledge, dispatcher
):
    from actions.conversation_actions import ActionClarify

    tracker = make_tracker("nlu_fallback", "Was ist ein Callcenter?", slots={"language": "sk"})
    tracker.latest_message["unsupported_language"] = "de"
    events = ActionClarify(small_knowledge).run(dispatcher, tracker, {})
    assert _texts(dispatcher) == ["unsupported_language [en]"]
    assert _slots(events) == {"language": "en"}


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
    assert _slots(events) == {"language": "en"}


def test_a_question_on_the_topic_without_any_likely_aspect_still_says_it_is_not_covered(
    small_knowledge, dispatcher
):
    tracker = make_tracker(
        "out_of_scope", "Which dialer software do call centers buy?", language_scores=scores("en")
    )
    ActionOutOfScope(small_knowledge).run(dispatcher, tracker, {})
    assert _texts(dispatcher) == ["not_covered_none [en]"]


def test_a_comparison_inside_one_subject_gets_that_pairs_own_answer(small_knowledge, dispatcher):
    tracker = make_tracker(
        "ask_types",
        "Inbound vs outbound: which is harder?",
        language_scores=scores("fi"),
        slots={"subject": "bpo"},
    )
    tracker.latest_message["comparison_focus"] = "inbound_outbound"
    events = ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert _texts(dispatcher)[0] == "inbound_outbound answer [fi]"
    assert _slots(events) == {"aspect": "types", "subject": "call_center", "language": "fi"}


def test_an_unknown_focus_falls_back_to_the_aspects_answer(small_knowledge, dispatcher):
    tracker = make_tracker("ask_types", entities=[subject("bpo")], language_scores=scores("en"))
    tracker.latest_message["comparison_focus"] = "no_such_pair"
    ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert _texts(dispatcher)[0] == "types bpo answer [en]"


@pytest.mark.parametrize(
    "rating, phrase", [("helpful", "feedback_thanks"), ("not_helpful", "feedback_sorry")]
)
def test_feedback_is_stored_with_the_answers_aspect_subject_and_language(
    small_knowledge, dispatcher, rating, phrase
):
    from actions.conversation_actions import ActionFeedback

    tracker = make_tracker(
        "feedback",
        f'/feedback{{"rating":"{rating}"}}',
        [{"entity": "rating", "value": rating}],
        slots={"aspect": "pay", "subject": "bpo", "language": "sv"},
    )
    events = ActionFeedback(small_knowledge).run(dispatcher, tracker, {})
    assert _texts(dispatcher) == [f"{phrase} [sv]"]
    assert _slots(events)["feedback"] == {
        "rating": rating,
        "aspect": "pay",
        "subject": "bpo",
        "language": "sv",
    }


def test_without_language_scores_the_action_detects_the_language_itself(small_knowledge, dispatcher):
    tracker = make_tracker(
        "ask_pay",
        "Miten puhelinkeskuksen työntekijöille maksetaan palkkaa?",
        [subject("call_center")],
        slots={"language": "en"},
    )
    assert _slots(ActionAnswer(small_knowledge).run(dispatcher, tracker, {}))["language"] == "fi"
