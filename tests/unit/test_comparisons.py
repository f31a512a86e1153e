"""Comparisons inside one subject: which pair a message names, in the five languages."""

from __future__ import annotations

import pytest

from faq.comparisons import PAIRS, find_pair


@pytest.mark.parametrize(
    "text, pair",
    [
        ("Inbound vs Outbound Call Center: Key Differences", "inbound_outbound"),
        ("whats the diff between inbound and outbound", "inbound_outbound"),
        ("Rozdiel medzi prichádzajúcimi a odchádzajúcimi hovormi", "inbound_outbound"),
        ("Mikä ero on saapuvilla ja lähtevillä puheluilla?", "inbound_outbound"),
        ("Skillnaden mellan inkommande och utgående samtal", "inbound_outbound"),
        ("Front office vs back office BPO", "front_back_office"),
        ("apa bedanya frontoffice sama backoffice", "front_back_office"),
        ("horizontal vs vertical BPO explained", "horizontal_vertical"),
        ("horisontell eller vertikal BPO", "horizontal_vertical"),
        ("Onshore, nearshore or offshore outsourcing: which is best?", "onshore_offshore"),
        ("Outsourcing vs offshoring: what's the difference?", "outsourcing_offshoring"),
        ("ulkoistaminen vs offshoring", "outsourcing_offshoring"),
        ("Vad skiljer utkontraktering från utlokalisering?", "outsourcing_offshoring"),
        ("Ulkoistaminen kotimaassa vai ulkomaille?", "outsourcing_offshoring"),
        ("Outsourcing doma alebo do zahraničia?", "outsourcing_offshoring"),
        ("alih daya lokal atau ke luar negeri, apa bedanya?", "outsourcing_offshoring"),
        ("Contact center vs call center", "contact_center"),
        ("Kontaktikeskus ja call center – mikä ero?", "contact_center"),
    ],
)
def test_a_message_naming_both_ends_of_a_pair_finds_it(text, pair):
    found = find_pair(text)
    assert found is not None and found.name == pair


@pytest.mark.parametrize(
    "text",
    [
        "What is the difference between BPO and a call center?",
        "BPO vs Contact Center: Which Fits Your Startup?",  # BPO on one side: the main comparison
        "What is an offshore BPO?",
        "Do inbound agents earn more?",
        "Rozdiel medzi BPO a call centrom",
        "",
    ],
)
def test_other_messages_name_no_pair(text):
    assert find_pair(text) is None


def test_every_pair_belongs_to_a_subject_and_an_aspect():
    for pair in PAIRS:
        assert pair.subject in ("bpo", "call_center", "both")
        assert pair.ends
