"""nlu_components/comparison_pairs.py: a comparison inside one subject ("inbound vs outbound")
goes to its pair's aspect with a `comparison_focus`; other messages keep the classifier's intent."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from nlu_components.comparison_pairs import ComparisonPairRouter
from tests.unit.helpers import ranked_message


def route(message: Message) -> Message:
    return ComparisonPairRouter().process([message])[0]


def test_a_pair_inside_one_subject_replaces_the_generic_difference_intent():
    message = route(
        ranked_message("Inbound vs outbound call center", [("ask_difference", 0.7), ("ask_types", 0.2)])
    )
    assert message.get(INTENT)["name"] == "ask_types"
    assert message.get("comparison_focus") == "inbound_outbound"
    assert [r["name"] for r in message.get(INTENT_RANKING_KEY)][:2] == ["ask_types", "ask_difference"]


def test_a_specific_aspect_the_classifier_chose_is_kept():
    message = route(
        ranked_message("Inbound vs outbound agents: who earns more?", [("ask_pay", 0.8), ("ask_types", 0.1)])
    )
    assert message.get(INTENT)["name"] == "ask_pay"
    assert message.get("comparison_focus") is None


def test_contact_center_vs_call_center_becomes_its_own_aspect_without_a_focus():
    message = route(ranked_message("Contact center vs call center?", [("ask_difference", 0.9)]))
    assert message.get(INTENT)["name"] == "ask_contact_center"
    assert message.get("comparison_focus") is None


def test_messages_without_a_pair_and_button_payloads_are_left_alone():
    plain = route(ranked_message("BPO vs call center", [("ask_difference", 0.9)]))
    payload = route(ranked_message('/ask_types{"subject":"bpo"}', [("ask_types", 1.0)]))
    assert plain.get(INTENT)["name"] == "ask_difference"
    assert payload.get("comparison_focus") is None


def test_inbound_vs_outbound_in_another_language_gets_the_same_aspect_and_focus():
    message = route(
        ranked_message(
            "Mikä ero on saapuvilla ja lähtevillä puheluilla?",
            [("out_of_scope", 0.4), ("ask_difference", 0.3), ("ask_types", 0.2)],
        )
    )
    assert message.get(INTENT) == {"name": "ask_types", "confidence": 1.0}
    assert message.get("comparison_focus") == "inbound_outbound"
    # The pair's intent is first and listed once; the others keep their order and confidence.
    assert message.get(INTENT_RANKING_KEY) == [
        {"name": "ask_types", "confidence": 1.0},
        {"name": "out_of_scope", "confidence": 0.4},
        {"name": "ask_difference", "confidence": 0.3},
    ]


def test_the_pairs_own_intent_gets_its_focus_and_a_message_without_intent_gets_both():
    chosen = route(ranked_message("Outsourcing vs offshoring?", [("ask_location", 0.6), ("ask_cost", 0.3)]))
    assert chosen.get(INTENT) == {"name": "ask_location", "confidence": 1.0}
    assert chosen.get("comparison_focus") == "outsourcing_offshoring"
    assert [r["name"] for r in chosen.get(INTENT_RANKING_KEY)] == ["ask_location", "ask_cost"]
    unclassified = route(ranked_message("horizontal vs vertical BPO", []))
    assert unclassified.get(INTENT) == {"name": "ask_types", "confidence": 1.0}
    assert unclassified.get("comparison_focus") == "horizontal_vertical"


def test_a_message_without_text_is_skipped():
    message = Message(data={})
    assert route(message).get(INTENT) is None


def test_pairs_go_to_the_output_so_the_actions_see_the_focus():
    message = route(ranked_message("inbound vs outbound", [("ask_difference", 0.9)]))
    output = message.as_dict_nlu()
    assert output["comparison_focus"] == "inbound_outbound"
    assert output[INTENT]["name"] == "ask_types"
