"""On the topic or not: what decides between "not covered yet" and "off-topic"."""

from __future__ import annotations

import pytest

from faq.topic import on_topic


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
