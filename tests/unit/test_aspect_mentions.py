"""nlu_components/aspect_mentions.py: which aspects a message names, learned from the intents'
training examples ("salary" -> pay), in order of mention, inflected forms included."""

from __future__ import annotations

import pytest
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from nlu_components.aspect_mentions import AspectMentionDetector
from tests.unit.helpers import model_storage, training_data

EXAMPLES = [
    ("What is the salary of an agent?", "ask_pay"),
    ("Is the salary good?", "ask_pay"),
    ("salary in a call center", "ask_pay"),
    ("What skills do agents need?", "ask_skills"),
    ("Which skills matter?", "ask_skills"),
    ("skills for BPO work", "ask_skills"),
    ("What is the history of BPO?", "ask_history"),
    ("history of call centers", "ask_history"),
    ("When did the history of BPO start?", "ask_history"),
    ("hello, what is up", "greet"),
    ("hello there", "greet"),
    ("hello hello", "greet"),
]


@pytest.fixture
def trained(tmp_path):
    storage, resource = model_storage(tmp_path), Resource("aspect_mentions")
    detector = AspectMentionDetector.create({}, storage, resource, None)
    detector.train(training_data(EXAMPLES))
    return detector, storage, resource


def test_a_word_frequent_and_precise_for_one_aspect_intent_marks_that_aspect(trained):
    detector, _, _ = trained
    # "what" and "is" appear under several intents; "hello" only under greet, which is no aspect;
    # "bpo" appears under skills once and history twice (below min_count for either).
    assert detector.keywords == {"salary": "pay", "skills": "skills", "history": "history"}


def test_mentions_are_listed_once_in_the_order_they_are_named(trained):
    detector, _, _ = trained
    assert detector.mentions("Compare their SKILLS, salary and skills again") == ["skills", "pay"]
    assert detector.mentions("hello, what is a BPO?") == []


def test_an_inflected_form_extending_a_long_keyword_counts(trained):
    detector, _, _ = trained
    assert detector.mentions("what skillsets and historyczne facts") == ["skills", "history"]
    # Short keywords are matched exactly only: "salarys" does not extend a keyword of 6 letters.
    assert (
        AspectMentionDetector({"prefix_length": 6}, None, None, {"salary": "pay"}).mentions("salarys") == []
    )


def test_process_adds_the_mentions_to_the_parse_output(trained):
    detector, _, _ = trained
    message = Message(data={"text": "history and salary, side by side"})
    no_text = Message(data={})
    detector.process([message, no_text])
    assert message.as_dict_nlu()["aspect_mentions"] == ["history", "pay"]
    assert no_text.get("aspect_mentions") is None


def test_the_trained_keywords_are_stored_with_the_model_and_loaded_back(trained):
    detector, storage, resource = trained
    loaded = AspectMentionDetector.load({}, storage, resource, None)
    assert loaded.keywords == detector.keywords
    assert loaded.mentions("skills or salary?") == ["skills", "pay"]


def test_stricter_settings_learn_fewer_keywords(tmp_path):
    strict = AspectMentionDetector.create({"min_count": 4}, model_storage(tmp_path), Resource("strict"), None)
    strict.train(training_data(EXAMPLES))
    assert strict.keywords == {}


def test_an_untrained_model_mentions_nothing(tmp_path):
    loaded = AspectMentionDetector.load({}, model_storage(tmp_path), Resource("never_trained"), None)
    assert loaded.keywords == {} and loaded.mentions("salary and skills") == []
