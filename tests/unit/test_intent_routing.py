"""The components that correct the classifier's intent: comparison pairs and required entities."""

from __future__ import annotations

from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.comparison_pairs import ComparisonPairRouter
from nlu_components.required_entity_guard import RequiredEntityGuard


def _message(text: str, ranking: list[tuple], entities: list[str] | None = None) -> Message:
    message = Message(data={TEXT: text})
    ranked = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    message.set(INTENT, ranked[0])
    message.set(INTENT_RANKING_KEY, ranked)
    message.set(ENTITIES, [{"entity": entity, "value": "x"} for entity in entities or []])
    return message


def _route(message: Message) -> Message:
    return ComparisonPairRouter().process([message])[0]


def test_a_pair_inside_one_subject_replaces_the_generic_difference_intent():
    message = _route(
        _message("Inbound vs outbound call center", [("ask_difference", 0.7), ("ask_types", 0.2)])
    )
    assert message.get(INTENT)["name"] == "ask_types"
    assert message.get("comparison_focus") == "inbound_outbound"
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)][:2] == ["ask_types", "ask_difference"]


def test_a_specific_aspect_the_classifier_chose_is_kept():
    message = _route(
        _message("Inbound vs outbound agents: who earns more?", [("ask_pay", 0.8), ("ask_types", 0.1)])
    )
    assert message.get(INTENT)["name"] == "ask_pay"
    assert message.get("comparison_focus") is None


def test_contact_center_vs_call_center_becomes_its_own_aspect_without_a_focus():
    message = _route(_message("Contact center vs call center?", [("ask_difference", 0.9)]))
    assert message.get(INTENT)["name"] == "ask_contact_center"
    assert message.get("comparison_focus") is None


def test_messages_without_a_pair_and_button_payloads_are_left_alone():
    plain = _route(_message("BPO vs call center", [("ask_difference", 0.9)]))
    payload = _route(_message('/ask_types{"subject":"bpo"}', [("ask_types", 1.0)]))
    assert plain.get(INTENT)["name"] == "ask_difference"
    assert payload.get("comparison_focus") is None


def test_set_language_without_a_language_gives_way_to_the_next_intent():
    message = RequiredEntityGuard({}).process(
        [
            _message(
                "Ulkoistaminen Suomessa", [("set_language", 0.5), ("ask_location", 0.3), ("ask_history", 0.1)]
            )
        ]
    )[0]
    assert message.get(INTENT)["name"] == "ask_location"


def test_set_language_with_its_entity_and_feedback_buttons_stay():
    guard = RequiredEntityGuard({})
    asked = guard.process([_message("vastaa suomeksi", [("set_language", 0.9)], ["target_language"])])[0]
    button = guard.process([_message('/feedback{"rating":"helpful"}', [("feedback", 1.0)])])[0]
    assert asked.get(INTENT)["name"] == "set_language"
    assert button.get(INTENT)["name"] == "feedback"
