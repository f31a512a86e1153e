"""actions/messages.py: the channel-neutral messages of an answer: text, sources, feedback and
related buttons, the capabilities menu, the comparison table and "did you mean"."""

from __future__ import annotations

from actions.answer_actions import ActionAnswer
from actions.conversation_actions import ActionSmallTalk
from actions.messages import did_you_mean_message, intent_payload, table_message
from faq.knowledge import REQUIRED_ASPECTS
from tests.conftest import make_tracker, scores, subject
from tests.unit.helpers import slots_set, texts_sent


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


def test_naming_both_subjects_answers_both(small_knowledge, dispatcher):
    tracker = make_tracker(
        "ask_pay",
        entities=[subject("bpo"), subject("call_center")],
        language_scores=scores("id"),
        slots={"subject": "bpo"},
    )
    events = ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert slots_set(events)["subject"] == "both"
    assert texts_sent(dispatcher)[0] == (
        "**Subject_bpo [id]:** pay bpo answer [id]\n\n"
        "**Subject_call_center [id]:** pay call_center answer [id]"
    )


def test_field_aspect_sets_subject_both_and_shows_disagreement(small_knowledge, dispatcher):
    tracker = make_tracker("ask_difference", language_scores=scores("en"))
    assert slots_set(ActionAnswer(small_knowledge).run(dispatcher, tracker, {}))["subject"] == "both"
    dispatcher.messages.clear()
    tracker = make_tracker("ask_location", entities=[subject("bpo")], language_scores=scores("en"))
    ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert texts_sent(dispatcher)[0].endswith("disagreement_label [en]: they disagree [en]")


def test_capabilities_lists_every_topic_with_buttons(small_knowledge, dispatcher):
    tracker = make_tracker("ask_capabilities", language_scores=scores("sv"))
    ActionSmallTalk(small_knowledge).run(dispatcher, tracker, {})
    message = dispatcher.messages[0]
    assert message["text"].startswith("capabilities_intro [sv]")
    assert "kpo label [sv]" in message["text"]
    assert message["buttons"][0] == {"title": "definition label [sv]", "payload": "/ask_definition"}


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
    assert slots_set(events) == {"aspect": "difference", "subject": "both", "language": "sv"}


def test_answers_offer_helpful_and_not_helpful_buttons(small_knowledge, dispatcher):
    tracker = make_tracker("ask_pay", entities=[subject("bpo")], language_scores=scores("id"))
    ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert [b["payload"] for b in dispatcher.messages[1]["buttons"]] == [
        '/feedback{"rating":"helpful"}',
        '/feedback{"rating":"not_helpful"}',
    ]


def test_a_payload_names_the_intent_and_its_entities_as_compact_json():
    assert intent_payload("ask_pay", {}) == "/ask_pay"
    assert intent_payload("ask_pay", {"subject": "call_center"}) == '/ask_pay{"subject":"call_center"}'
    assert intent_payload("feedback", {"rating": "helpful"}) == '/feedback{"rating":"helpful"}'


def test_did_you_mean_keeps_only_a_single_named_side(small_knowledge):
    for side in (None, "both", "nonsense"):
        message = did_you_mean_message(["pay"], side, small_knowledge, "sk")
        assert message["buttons"][0] == {"title": "pay label [sk]", "payload": "/ask_pay"}
    message = did_you_mean_message([], None, small_knowledge, "sk", intro="not_covered")
    assert message == {
        "text": "not_covered [sk]",
        "buttons": [{"title": "something_else [sk]", "payload": "/ask_capabilities"}],
    }


def test_the_tables_text_version_names_each_row_and_both_sides(small_knowledge):
    message = table_message(["pay"], small_knowledge, "en")
    assert message["text"].splitlines() == [
        "table_intro [en]:",
        "- **pay label [en]**: Subject_bpo [en]: pay bpo summary [en] | "
        "Subject_call_center [en]: pay call_center summary [en]",
    ]
