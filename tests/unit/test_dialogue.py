"""actions/dialogue.py: what a turn is about (language, aspect, subject) from the latest message
and the slots: follow-ups keep the context, short messages keep the language."""

from __future__ import annotations

from actions.answer_actions import ActionAnswer
from actions.dialogue import DEFAULT_ASPECT, mentioned, resolve_turn, subject_mentions, table_aspects
from tests.conftest import make_tracker, scores, subject
from tests.unit.helpers import slots_set, texts_sent


def test_follow_up_naming_only_a_subject_keeps_the_aspect(small_knowledge, dispatcher):
    tracker = make_tracker(
        "inform_subject",
        "and for BPO?",
        [subject("bpo")],
        language_scores=scores("en", 0.4),
        slots={"aspect": "skills", "subject": "call_center", "language": "en"},
    )
    events = ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert slots_set(events) == {"aspect": "skills", "subject": "bpo", "language": "en"}


def test_question_without_subject_keeps_the_conversation_subject(small_knowledge, dispatcher):
    tracker = make_tracker(
        "ask_disadvantages",
        "och nackdelarna?",
        language_scores=scores("sv"),
        slots={"aspect": "advantages", "subject": "bpo", "language": "sv"},
    )
    events = ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert slots_set(events) == {"aspect": "disadvantages", "subject": "bpo", "language": "sv"}
    assert texts_sent(dispatcher)[0] == "disadvantages bpo answer [sv]"


def test_a_side_named_by_its_name_outweighs_one_named_by_its_people(small_knowledge, dispatcher):
    text = "Does BPO only handle customer service?"
    entities = [{**subject("bpo"), "start": 5, "end": 8}, {**subject("call_center"), "start": 25, "end": 41}]
    tracker = make_tracker("ask_scope", text, entities, language_scores=scores("en"))
    events = ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    assert slots_set(events)["subject"] == "bpo"


def test_button_payload_without_language_scores_keeps_language(small_knowledge, dispatcher):
    tracker = make_tracker("ask_pay", "/ask_pay", [subject("bpo")], slots={"language": "fi"})
    assert slots_set(ActionAnswer(small_knowledge).run(dispatcher, tracker, {}))["language"] == "fi"


def test_comparing_named_aspects_shows_only_those_rows(small_knowledge, dispatcher):
    tracker = make_tracker("ask_difference", "compare their skills and pay", language_scores=scores("en"))
    tracker.latest_message["aspect_mentions"] = ["skills", "pay", "history"]
    ActionAnswer(small_knowledge).run(dispatcher, tracker, {})
    rows = dispatcher.messages[0]["custom"]["table"]["rows"]
    assert [row[0] for row in rows] == ["skills label [en]", "pay label [en]"]


def test_without_language_scores_the_action_detects_the_language_itself(small_knowledge, dispatcher):
    tracker = make_tracker(
        "ask_pay",
        "Miten puhelinkeskuksen työntekijöille maksetaan palkkaa?",
        [subject("call_center")],
        slots={"language": "en"},
    )
    assert slots_set(ActionAnswer(small_knowledge).run(dispatcher, tracker, {}))["language"] == "fi"


def test_a_turn_that_is_no_knowledge_question_has_no_aspect(small_knowledge):
    tracker = make_tracker("greet", "Hej!", language_scores=scores("sv"), slots={"aspect": "pay"})
    turn = resolve_turn(tracker, small_knowledge)
    assert (turn.intent, turn.language, turn.aspect, turn.subject) == ("greet", "sv", None, None)


def test_a_follow_up_with_nothing_asked_before_gets_the_definition(small_knowledge):
    tracker = make_tracker("inform_subject", "and BPO?", [subject("bpo")], slots={"aspect": "no_such_aspect"})
    turn = resolve_turn(tracker, small_knowledge)
    assert (turn.aspect, turn.subject) == (DEFAULT_ASPECT, "bpo")


def test_a_field_aspect_is_about_both_whatever_subject_is_named(small_knowledge):
    tracker = make_tracker("ask_history", entities=[subject("bpo")], language_scores=scores("en"))
    assert resolve_turn(tracker, small_knowledge).subject == "both"


def test_a_pinned_language_wins_over_a_clear_message_in_another(small_knowledge):
    tracker = make_tracker(
        "ask_pay",
        "Aké sú platy v call centre?",
        language_scores=scores("sk"),
        slots={"language": "en", "language_pinned": "fi"},
    )
    assert resolve_turn(tracker, small_knowledge).language == "fi"


def test_a_message_in_an_unsupported_language_is_answered_in_english(small_knowledge):
    tracker = make_tracker("nlu_fallback", "Was kostet ein Callcenter?", slots={"language": "sk"})
    tracker.latest_message["unsupported_language"] = "de"
    assert resolve_turn(tracker, small_knowledge).language == "en"


def test_mentioned_lists_each_value_once_in_order_of_mention():
    tracker = make_tracker(
        "ask_pay",
        entities=[subject("call_center"), subject("bpo"), subject("call_center"), {"entity": "rating"}],
    )
    assert mentioned(tracker, "subject") == ["call_center", "bpo"]
    assert mentioned(tracker, "rating") == []


def test_subject_mentions_carry_the_words_used_or_the_value_when_there_is_no_span():
    text = "puhelinkeskus vai BPO?"
    tracker = make_tracker(
        "ask_pay", text, [{**subject("call_center"), "start": 0, "end": 13}, subject("bpo"), {"entity": "x"}]
    )
    assert subject_mentions(tracker) == [("call_center", "puhelinkeskus"), ("bpo", "bpo")]


def test_a_table_lists_the_named_per_subject_aspects_or_else_all_of_them(small_knowledge):
    every_per_subject = tuple(a for a, aspect in small_knowledge.aspects.items() if aspect.per_subject)
    tracker = make_tracker("request_table")
    assert table_aspects(tracker, small_knowledge, "request_table") == every_per_subject
    tracker.latest_message["aspect_mentions"] = ["history", "pay", "nonsense"]
    assert table_aspects(tracker, small_knowledge, "request_table") == ("pay",)
    # A difference question naming one aspect is answered, not tabled.
    assert table_aspects(tracker, small_knowledge, "ask_difference") == ()
    assert table_aspects(tracker, small_knowledge, "ask_pay") == ()
