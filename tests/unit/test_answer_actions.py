"""actions/answer_actions.py: ActionAnswer answers the turn's aspect and subject and sets the slots."""

from __future__ import annotations

from actions.answer_actions import ActionAnswer
from tests.conftest import make_tracker, scores, subject
from tests.unit.helpers import slots_set, texts_sent


def test_answers_the_asked_aspect_and_subject(small_knowledge, dispatcher):
    tracker = make_tracker(
        "ask_skills",
        "Aké zručnosti potrebujem do call centra?",
        [subject("call_center")],
        language_scores=scores("sk"),
    )
    events = ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert slots_set(events) == {"aspect": "skills", "subject": "call_center", "language": "sk"}
    assert texts_sent(dispatcher)[0] == "skills call_center answer [sk]"


def test_a_comparison_inside_one_subject_gets_that_pairs_own_answer(small_knowledge, dispatcher):
    tracker = make_tracker(
        "ask_types",
        "Inbound vs outbound: which is harder?",
        language_scores=scores("fi"),
        slots={"subject": "bpo"},
    )
    tracker.latest_message["comparison_focus"] = "inbound_outbound"
    events = ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert texts_sent(dispatcher)[0] == "inbound_outbound answer [fi]"
    assert slots_set(events) == {"aspect": "types", "subject": "call_center", "language": "fi"}


def test_an_unknown_focus_falls_back_to_the_aspects_answer(small_knowledge, dispatcher):
    tracker = make_tracker("ask_types", entities=[subject("bpo")], language_scores=scores("en"))
    tracker.latest_message["comparison_focus"] = "no_such_pair"
    ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert texts_sent(dispatcher)[0] == "types bpo answer [en]"


def test_every_answer_sends_the_text_then_its_sources_then_related_topics(small_knowledge, dispatcher):
    tracker = make_tracker("ask_skills", entities=[subject("bpo")], language_scores=scores("en"))
    ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert texts_sent(dispatcher) == [
        "skills bpo answer [en]",
        "sources_label [en]: source_article_en [en]",
        "related_prompt [en]:",
    ]


def test_a_turn_that_is_no_knowledge_question_gets_the_fallback_and_keeps_the_context(
    small_knowledge, dispatcher
):
    # Only a misconfigured rule sends a greeting to action_answer; it must not guess an aspect.
    tracker = make_tracker("greet", "hei", language_scores=scores("fi"), slots={"aspect": "pay"})
    events = ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert texts_sent(dispatcher) == ["fallback [fi]"]
    assert slots_set(events) == {"language": "fi"}


def test_without_a_knowledge_base_given_it_serves_the_shared_one(small_knowledge, monkeypatch):
    import actions.answer_actions

    monkeypatch.setattr(actions.answer_actions, "shared_knowledge", lambda: small_knowledge)
    assert ActionAnswer().knowledge is small_knowledge
    assert ActionAnswer().name() == "action_answer"


def test_an_answer_for_the_whole_field_keeps_the_side_the_conversation_is_on(small_knowledge, dispatcher):
    # "How did call centers start?" gets the field's history; "and what do they earn?" next is
    # still about call centers, so the slot keeps the side named.
    named = make_tracker(
        "ask_history", "How did call centers start?", [subject("call_center")], language_scores=scores("en")
    )
    kept = make_tracker(
        "ask_attrition", "and the turnover?", language_scores=scores("en"), slots={"subject": "bpo"}
    )
    assert slots_set(ActionAnswer(small_knowledge).run(dispatcher, named, {}))["subject"] == "call_center"
    assert slots_set(ActionAnswer(small_knowledge).run(dispatcher, kept, {}))["subject"] == "bpo"
    assert texts_sent(dispatcher)[0] == "history both answer [en]"


def test_a_comparison_of_the_two_sides_is_about_both_whatever_came_before(small_knowledge, dispatcher):
    tracker = make_tracker(
        "ask_difference", "and the difference?", language_scores=scores("en"), slots={"subject": "bpo"}
    )
    assert slots_set(ActionAnswer(small_knowledge).run(dispatcher, tracker, {}))["subject"] == "both"
