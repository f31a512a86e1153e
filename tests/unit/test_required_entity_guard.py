"""nlu_components/required_entity_guard.py: an intent that means nothing without its entity
(set_language, feedback) gives way to the next likeliest intent."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from nlu_components.required_entity_guard import RequiredEntityGuard
from tests.unit.helpers import ranked_message


def test_set_language_without_a_language_gives_way_to_the_next_intent():
    message = RequiredEntityGuard({}).process(
        [
            ranked_message(
                "Ulkoistaminen Suomessa", [("set_language", 0.5), ("ask_location", 0.3), ("ask_history", 0.1)]
            )
        ]
    )[0]
    assert message.get(INTENT)["name"] == "ask_location"


def test_set_language_with_its_entity_and_feedback_buttons_stay():
    guard = RequiredEntityGuard({})
    asked = guard.process([ranked_message("vastaa suomeksi", [("set_language", 0.9)], ["target_language"])])[
        0
    ]
    button = guard.process([ranked_message('/feedback{"rating":"helpful"}', [("feedback", 1.0)])])[0]
    assert asked.get(INTENT)["name"] == "set_language"
    assert button.get(INTENT)["name"] == "feedback"


def test_the_demoted_intent_leaves_the_ranking_and_the_next_keeps_its_confidence():
    message = RequiredEntityGuard({}).process(
        [ranked_message("answer me in English", [("set_language", 0.6), ("greet", 0.3), ("thank", 0.1)])]
    )[0]
    assert message.get(INTENT) == {"name": "greet", "confidence": 0.3}
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)] == ["greet", "thank"]
    assert message.as_dict_nlu()[INTENT]["name"] == "greet"


def test_typed_feedback_without_a_rating_and_chains_of_such_intents_give_way():
    message = RequiredEntityGuard({}).process(
        [ranked_message("great", [("feedback", 0.5), ("set_language", 0.3), ("thank", 0.2)])]
    )[0]
    assert message.get(INTENT)["name"] == "thank"
    rated = RequiredEntityGuard({}).process([ranked_message("great", [("feedback", 0.5)], ["rating"])])[0]
    assert rated.get(INTENT)["name"] == "feedback"


def test_another_entity_does_not_stand_in_for_the_required_one():
    message = RequiredEntityGuard({}).process(
        [ranked_message("BPO in Finland", [("set_language", 0.5), ("ask_location", 0.4)], ["subject"])]
    )[0]
    assert message.get(INTENT)["name"] == "ask_location"


def test_the_required_entities_are_configurable():
    guard = RequiredEntityGuard({"requires": {"ask_pay": "subject"}})
    demoted = guard.process([ranked_message("how much?", [("ask_pay", 0.7), ("ask_cost", 0.2)])])[0]
    kept = guard.process([ranked_message("vastaa suomeksi", [("set_language", 0.9)])])[0]
    assert demoted.get(INTENT)["name"] == "ask_cost"
    assert kept.get(INTENT)["name"] == "set_language"


def test_intents_without_requirements_and_messages_without_text_are_left_alone():
    guard = RequiredEntityGuard({})
    plain = guard.process([ranked_message("What is BPO?", [("ask_definition", 0.9), ("set_language", 0.1)])])[
        0
    ]
    assert plain.get(INTENT)["name"] == "ask_definition"
    empty = Message(data={})
    assert guard.process([empty])[0].get(INTENT) is None
