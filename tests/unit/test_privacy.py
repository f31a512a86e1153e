"""Masking personal data before the report or the review writes users' words."""

from __future__ import annotations

import pytest

from reporting.privacy import mask_personal_data


@pytest.mark.parametrize(
    "text, masked",
    [
        # English
        ("my name is John Smith, what is BPO?", "my name is <name>, what is BPO?"),
        ("My name is anna and I want to know about pay", "My name is <name> and I want to know about pay"),
        ("hi, my name's Raj Kumar Patel Singh", "hi, my name's <name>"),
        ("my name is john what is a call center", "my name is <name> what is a call center"),
        # Slovak, with and without diacritics
        ("Volám sa Ján Novák a chcem vedieť, čo je BPO", "Volám sa <name> a chcem vedieť, čo je BPO"),
        ("volam sa jan, kolko zarabaju operatori?", "volam sa <name>, kolko zarabaju operatori?"),
        ("Moje meno je Zuzana Kováčová.", "Moje meno je <name>."),
        # Indonesian
        ("Nama saya Budi Santoso, apa itu BPO?", "Nama saya <name>, apa itu BPO?"),
        (
            "nama saya adalah Siti dan saya ingin tahu gaji",
            "nama saya adalah <name> dan saya ingin tahu gaji",
        ),
        (
            "Saya bernama Dewi. Berapa gaji di call center?",
            "Saya bernama <name>. Berapa gaji di call center?",
        ),
        # Swedish
        ("Jag heter Erik Johansson och undrar vad BPO är", "Jag heter <name> och undrar vad BPO är"),
        ("Mitt namn är Åsa, vad tjänar man?", "Mitt namn är <name>, vad tjänar man?"),
        # Finnish
        ("Nimeni on Matti Virtanen ja haluan tietää palkasta", "Nimeni on <name> ja haluan tietää palkasta"),
        ("Olen nimeltäni Aino. Mikä on BPO?", "Olen nimeltäni <name>. Mikä on BPO?"),
    ],
)
def test_names_after_my_name_is_are_masked_in_the_five_languages(text: str, masked: str) -> None:
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize(
    "text, masked",
    [
        ("email me at maria.santos@example.com please", "email me at <email> please"),
        ("Napíšte mi na jan.novak+bpo@firma.sk", "Napíšte mi na <email>"),
        ("kirim ke budi_s@mail.co.id ya", "kirim ke <email> ya"),
        ("call me on +63 917 555 1234 about jobs", "call me on <phone> about jobs"),
        ("zavolajte mi 0905 123 456", "zavolajte mi <phone>"),
        ("hubungi 0812-3456-7890", "hubungi <phone>"),
        ("ring mig på 070-123 45 67", "ring mig på <phone>"),
        ("soita minulle (09) 123 4567", "soita minulle <phone>"),
        ("my number is +421905123456.", "my number is <phone>."),
        ("+358 40 123 4567", "<phone>"),
    ],
)
def test_emails_and_phone_numbers_are_masked(text: str, masked: str) -> None:
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "How did BPO grow from 1990-2020?",
        "Is Rp 5.000.000 a good call center salary?",
        "Is 1,200,000 pesos a year good pay?",
        "Onko 5 000 000 euroa paljon?",
        "What does 24/7 support mean in a call center?",
        "Call centers in 2024 handle 300 calls a day",
        "what is a call center",
        "my name is",
        "Volám sa",
    ],
)
def test_numbers_that_are_not_phones_and_plain_questions_are_kept(text: str) -> None:
    assert mask_personal_data(text) == text


def test_everything_in_one_message_is_masked() -> None:
    text = "Hi, my name is Ana Cruz, mail ana@x.ph or call 09171234567. What is BPO?"
    assert mask_personal_data(text) == "Hi, my name is <name>, mail <email> or call <phone>. What is BPO?"
