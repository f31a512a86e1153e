"""Language detection per message, and when a message may switch the conversation's language."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from faq.language import decide_language, detect, language_text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("What's the difference between BPO and a call center?", "en"),
        ("Aké zručnosti potrebujem do call centra?", "sk"),
        ("Apa kelebihan BPO?", "id"),
        ("Vad är fördelarna med ett callcenter?", "sv"),
        ("Mitä puhelinkeskus tekee?", "fi"),
        ("Čo je BPO?", "sk"),
        ("Milloin BPO sai alkunsa?", "fi"),
    ],
)
def test_first_message_sets_the_language(text, expected):
    assert decide_language(detect(text), previous=None) == expected


@pytest.mark.parametrize(
    "text, previous",
    [
        ("and for BPO?", "sv"),
        ("BPO?", "fi"),
        ("call center", "sk"),
        ("ok", "id"),
        ("👍", "fi"),
        ("", "sv"),
    ],
)
def test_short_follow_ups_keep_the_conversation_language(text, previous):
    assert decide_language(detect(text), previous=previous) == previous


@pytest.mark.parametrize(
    "text, previous, expected",
    [
        ("och nackdelarna?", "en", "sv"),
        ("Mitä puhelinkeskus tekee?", "en", "fi"),
        ("What skills do call center agents need?", "sk", "en"),
        ("Apa saja jenis call center?", "sv", "id"),
    ],
)
def test_a_clear_message_in_another_language_switches(text, previous, expected):
    assert decide_language(detect(text), previous=previous) == expected


def test_domain_terms_do_not_count_as_english():
    assert language_text("Apa saja jenis call center dan BPO?") == "Apa saja jenis dan ?"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("LOWONGAN AGENT CALL CENTER", "id"),
        ("Apa bedanya AHT (Average Handling Time) dan FCR?", "id"),
        ("Hur mäter man First Call Resolution och Customer Satisfaction?", "sv"),
        ("Mikä on hyvä Service Level Agreement -taso?", "fi"),
        ("What does an agent do all day?", "en"),
    ],
)
def test_english_workplace_jargon_does_not_decide_the_language(text, expected):
    assert decide_language(detect(text), previous=None) == expected


def test_jargon_the_vocabulary_saw_in_one_language_does_not_claim_another():
    from faq.language import VocabularyModel, identify

    vocabulary = VocabularyModel.fit(
        [
            ("vad gör en agent", "sv"),
            ("hur blir man agent", "sv"),
            ("agent lön", "sv"),
            ("karir di call center", "id"),
            ("apa itu karir", "id"),
        ]
    )
    assert decide_language(identify("KARIR AGENT CALL CENTER", vocabulary), previous=None) == "id"


def test_jargon_alone_is_known_vocabulary_but_no_evidence_of_a_language():
    from faq.language import VocabularyModel, identify

    vocabulary = VocabularyModel.fit(
        [("mitä CSAT mittaa", "fi"), ("what is AHT", "en"), ("apa itu vs", "id")]
    )
    assert vocabulary.knows_any_word("CSAT?")
    assert identify("First Call Resolution vs. Average Handle Time", vocabulary) == []


def test_no_letters_means_no_scores():
    assert detect("?!? 123") == []
    assert decide_language([], previous=None) == "en"


def test_domain_loanwords_do_not_decide_the_language():
    assert decide_language(detect("Čo je non-voice proces?"), previous=None) == "sk"


# --- messages that give no evidence of a language -------------------------------------


def _vocabulary():
    from faq.language import VocabularyModel

    return VocabularyModel.fit(
        [
            ("what is a call center", "en"),
            ("what skills do I need", "en"),
            ("čo je call centrum", "sk"),
            ("mitä BPO tarkoittaa", "fi"),
            ("apa itu BPO", "id"),
            ("vad är ett callcenter", "sv"),
        ]
    )


@pytest.mark.parametrize("text", ["asdkj qwpoe", "xqzv blorf wug", "B.P.O.?", "zzzzzz", "KPO BPO"])
def test_gibberish_abbreviations_and_bare_terms_have_no_language(text):
    from faq.language import identify

    assert identify(text, _vocabulary()) == []


@pytest.mark.parametrize("previous, expected", [(None, "en"), ("fi", "fi"), ("sk", "sk")])
def test_without_evidence_the_conversation_language_or_english_answers(previous, expected):
    from faq.language import identify

    assert decide_language(identify("qwrtz plkmn", _vocabulary()), previous=previous) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("what is a B.P.O.?", "en"),
        ("čo je B.P.O.?", "sk"),
        ("Mitä B.P.O. tarkoittaa?", "fi"),
    ],
)
def test_a_dotted_abbreviation_does_not_decide_the_language(text, expected):
    from faq.language import identify

    assert decide_language(identify(text, _vocabulary())) == expected


def test_dotted_abbreviations_are_joined():
    from faq.text import join_abbreviations

    assert join_abbreviations("what is a B.P.O.? and k.p.o") == "what is a BPO? and kpo"
    assert join_abbreviations("version 3.1.2, e.g. this") == "version 3.1.2, eg this"


@pytest.mark.parametrize("text", ["kjsd lqwe mnbv zxcvb", "hjkl fdsa qwrtz plmk", "asdkj qwpoe zzxm blorp"])
def test_keyboard_mashing_is_neither_a_language_nor_a_foreign_one(text):
    from faq.language import identify, looks_like_gibberish, unsupported_language

    assert looks_like_gibberish(text)
    assert identify(text, _vocabulary()) == []
    assert unsupported_language(text, known_word_share=0.0) is None


@pytest.mark.parametrize(
    "text", ["What is FCR and AHT?", "Mitä BPO tarkoittaa", "Was ist ein Callcenter?", "apa itu KPI"]
)
def test_real_words_and_acronyms_are_not_gibberish(text):
    from faq.language import looks_like_gibberish

    assert not looks_like_gibberish(text)


# The one language decision (faq.language.decide_language), as the NLU, the actions and the
# channels call it: message, pinned language, conversation language -> reply language.
DECISIONS = [
    # gibberish: no evidence, so the conversation's language, else English
    ("asdkj qwpoe zzxm", None, None, False, "en"),
    ("asdkj qwpoe zzxm", None, "fi", False, "fi"),
    ("xqzv blorf wug", None, "sv", False, "sv"),
    # one-word and abbreviation-only messages keep the conversation's language
    ("BPO?", None, "sk", False, "sk"),
    ("B.P.O.?", None, "id", False, "id"),
    ("ok", None, "fi", False, "fi"),
    # a clear sentence switches an unpinned conversation
    ("Vad är skillnaden mellan BPO och callcenter?", None, "en", False, "sv"),
    ("Apa perbedaan BPO dan call center?", None, "fi", False, "id"),
    # mixed-language: Finnish question with English domain words
    ("Mitä eroa on BPO:lla ja call centerillä?", None, None, False, "fi"),
    ("Berapa gaji karyawan di perusahaan call center?", None, "en", False, "id"),
    # an explicit switch (pinned) wins over the message's own language
    ("What is BPO?", "fi", "fi", False, "fi"),
    ("Čo je call centrum?", "sv", "en", False, "sv"),
    # a language the assistant does not speak: the default, or the pinned one
    ("Was ist der Unterschied zwischen BPO und Callcenter?", None, "sk", True, "en"),
    ("Was ist der Unterschied zwischen BPO und Callcenter?", "fi", "fi", True, "fi"),
    # a pinned or previous value that is not a supported language is ignored
    ("What is BPO?", "de", "xx", False, "en"),
]


@pytest.mark.parametrize("text, pinned, previous, unsupported, expected", DECISIONS)
def test_one_language_decision(text, pinned, previous, unsupported, expected):
    from faq.language import identify

    scores = identify(text, _vocabulary())
    assert decide_language(scores, pinned=pinned, previous=previous, unsupported=unsupported) == expected


def test_scores_survive_the_parse_data_round_trip_and_junk_is_dropped():
    from faq.language import LanguageScore, scores_from_parse_data, scores_to_parse_data

    scores = [LanguageScore("fi", 0.9), LanguageScore("sv", 0.1)]
    assert scores_from_parse_data(scores_to_parse_data(scores)) == scores
    assert scores_from_parse_data([{"language": "de", "confidence": 1}, "x", {"language": "en"}]) == [
        LanguageScore("en", 0.0)
    ]
    assert scores_from_parse_data(None) == []


# Property-based (hypothesis).
@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400), st.sampled_from([None, "en", "sk", "id", "sv", "fi", "xx"]))
def test_language_choice_is_always_one_of_the_five(text, previous):
    assert decide_language(detect(text), previous=previous) in {"en", "sk", "id", "sv", "fi"}
