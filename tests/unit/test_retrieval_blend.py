"""nlu_components/retrieval_blend.py: the classifier's ranking blended with the nearest training
examples' intents (BM25), in the message's own language."""

from __future__ import annotations

import pytest
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from nlu_components.retrieval_blend import RetrievalBlend, blend, softmax
from tests.conftest import scores
from tests.unit.helpers import model_storage, ranked_message, training_data

EXAMPLES = {
    "en": [
        ("what is a bpo", "ask_definition"),
        ("how much does a call center agent earn", "ask_pay"),
        ("what does the law say about overtime in a call center", "out_of_scope"),
    ],
    "sv": [("vad är bpo", "ask_definition"), ("hur mycket tjänar man på ett callcenter", "ask_pay")],
}


def tokenized(message: Message, language: str) -> Message:
    """As the tokenizer leaves a message: its folded lemmas as tokens, and its language."""
    words = message.get("text").lower().replace("?", "").split()
    message.set(TOKENS_NAMES["text"], [Token(word, 0, lemma=word) for word in words])
    message.set("language_scores", scores(language))
    return message


@pytest.fixture
def trained(tmp_path):
    storage, resource = model_storage(tmp_path), Resource("retrieval_blend")
    component = RetrievalBlend.create({"weight": 0.4, "temperature": 1.0}, storage, resource, None)
    data = training_data([example for examples in EXAMPLES.values() for example in examples])
    for example in data.training_examples:
        language = next(code for code, found in EXAMPLES.items() if example.get("text") in dict(found))
        tokenized(example, language)
    component.train(data)
    return component, storage, resource


def processed(component, text, ranking, language="en"):
    (message,) = component.process([tokenized(ranked_message(text, ranking), language)])
    return message


def names(message):
    return [entry["name"] for entry in message.get(INTENT_RANKING_KEY)]


def test_softmax_turns_scores_into_probabilities_sharper_at_a_lower_temperature():
    sharp, soft = softmax([("a", 4.0), ("b", 2.0)], 1.0), softmax([("a", 4.0), ("b", 2.0)], 4.0)
    assert sum(sharp.values()) == pytest.approx(1.0) and sum(soft.values()) == pytest.approx(1.0)
    assert sharp["a"] > soft["a"] > 0.5
    assert softmax([], 1.0) == {}


def test_blend_weighs_both_opinions_adds_intents_only_retrieval_knows_and_keeps_the_sum():
    ranking = [{"name": "ask_pay", "confidence": 0.6}, {"name": "ask_cost", "confidence": 0.4}]
    blended = blend(ranking, {"ask_cost": 0.9, "out_of_scope": 0.1}, 0.5)
    assert [entry["name"] for entry in blended] == ["ask_cost", "ask_pay", "out_of_scope"]
    assert [entry["confidence"] for entry in blended] == pytest.approx([0.65, 0.3, 0.05])
    assert blend(ranking, {"ask_cost": 1.0}, 0.0)[0] == {"name": "ask_pay", "confidence": 0.6}


def test_a_near_example_overrules_an_unsure_classifier(trained):
    component, *_ = trained
    message = processed(
        component, "overtime law in a call center", [("ask_pay", 0.45), ("out_of_scope", 0.35)]
    )
    assert message.get(INTENT)["name"] == "out_of_scope"
    assert names(message)[:2] == ["out_of_scope", "ask_pay"]
    # 0.6 x the classifier's 0.8 + 0.4 x the retrieval's 1.0
    assert sum(entry["confidence"] for entry in message.get(INTENT_RANKING_KEY)) == pytest.approx(0.88)


def test_a_sure_classifier_keeps_its_intent(trained):
    component, *_ = trained
    message = processed(
        component, "overtime law in a call center", [("ask_pay", 0.95), ("out_of_scope", 0.05)]
    )
    assert message.get(INTENT)["name"] == "ask_pay"


def test_each_language_has_its_own_examples(trained):
    component, *_ = trained
    ranking = [("ask_definition", 0.5), ("ask_pay", 0.5)]
    assert processed(component, "vad tjänar man", ranking, language="sv").get(INTENT)["name"] == "ask_pay"
    # No Finnish examples: the classifier's ranking stands as it was.
    assert names(processed(component, "vad tjänar man", ranking, language="fi")) == [
        "ask_definition",
        "ask_pay",
    ]


def test_no_change_without_an_intent_a_known_word_or_a_weight(trained, tmp_path):
    component, storage, resource = trained
    assert processed(component, "zebra crossing", [("ask_definition", 0.6), ("ask_pay", 0.4)]).get(
        INTENT
    ) == {
        "name": "ask_definition",
        "confidence": 0.6,
    }
    assert processed(component, "what is a bpo", []).get(INTENT_RANKING_KEY) == []
    off = RetrievalBlend.load({"weight": 0.0}, storage, resource, None)
    ranking = [("ask_pay", 0.45), ("out_of_scope", 0.35)]
    assert names(processed(off, "overtime law in a call center", ranking)) == ["ask_pay", "out_of_scope"]


def test_the_index_is_stored_with_the_model_and_loaded_back(trained):
    component, storage, resource = trained
    loaded = RetrievalBlend.load({"weight": 0.4, "temperature": 1.0}, storage, resource, None)
    ranking = [("ask_pay", 0.45), ("out_of_scope", 0.35)]
    text = "overtime law in a call center"
    assert processed(loaded, text, ranking).get(INTENT_RANKING_KEY) == processed(
        component, text, ranking
    ).get(INTENT_RANKING_KEY)
