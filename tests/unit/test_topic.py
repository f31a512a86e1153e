"""On the topic or not: what decides between "not covered yet" and "off-topic"."""

from __future__ import annotations

import pytest

from faq.topic import named_subject, on_topic


@pytest.mark.parametrize(
    "parse",
    [
        {"text": "How do I pass the interview?", "entities": [{"entity": "subject", "value": "bpo"}]},
        {"text": "what salary do they offer at Concentrix", "aspect_mentions": ["pay"]},
        {"text": "Is outsourcing payroll legal in Slovakia?"},
        {"text": "what is a B.P.O. interview like"},
        {"text": "Onko call centerissä pukukoodi?"},
    ],
)
def test_messages_about_the_field_are_on_topic(parse):
    assert on_topic(parse)


@pytest.mark.parametrize(
    "parse",
    [
        {"text": "Can you book me a flight to Paris?"},
        {"text": "Vad blir det för väder i morgon?", "entities": [], "aspect_mentions": []},
        {"text": None},
        {},
    ],
)
def test_other_messages_are_not(parse):
    assert not on_topic(parse)


@pytest.mark.parametrize(
    "mentions, side",
    [
        ([("bpo", "BPO"), ("call_center", "customer service")], "bpo"),  # the side named by its name wins
        ([("call_center", "asiakaspalvelija"), ("bpo", "ulkoistaminen")], "bpo"),
        ([("bpo", "BPO"), ("call_center", "call center")], "both"),
        ([("call_center", "agents"), ("call_center", "puhelinkeskus")], "call_center"),
        ([("call_center", "agents")], "call_center"),
        ([("both", "both"), ("nonsense", "x")], None),
        ([], None),
    ],
)
def test_the_side_a_message_asks_about(mentions, side):
    assert named_subject(mentions) == side
