"""faq/retrieval.py: BM25 over training examples, ranking intents by their nearest example."""

from __future__ import annotations

import pytest

from faq.retrieval import NearestExamples

EXAMPLES = [
    ("ask_definition", ["what", "be", "bpo"]),
    ("ask_definition", ["bpo", "meaning"]),
    ("ask_pay", ["call", "center", "salary"]),
    ("ask_pay", ["how", "much", "do", "agent", "earn"]),
    ("out_of_scope", ["law", "on", "overtime", "in", "call", "center"]),
]


@pytest.fixture(scope="module")
def index() -> NearestExamples:
    return NearestExamples(EXAMPLES)


def test_the_rare_words_decide_which_example_is_nearest(index):
    # "call" and "center" are in two intents' examples; "overtime" only in one.
    ranked = index.intent_scores(["overtime", "call", "center"])
    assert [intent for intent, _ in ranked] == ["out_of_scope", "ask_pay"]
    assert ranked[0][1] > ranked[1][1] > 0


def test_an_intent_scores_its_best_example_not_the_sum_of_its_examples():
    # Three long examples mentioning "bpo" would win on a sum; one short, close example wins here.
    index = NearestExamples(
        [
            *[("ask_history", ["bpo", "history", "of", "the", "industry", word]) for word in ("a", "b", "c")],
            ("ask_definition", ["bpo", "meaning"]),
            ("ask_pay", ["salary"]),
        ]
    )
    assert [intent for intent, _ in index.intent_scores(["bpo", "meaning"])][0] == "ask_definition"
    assert [intent for intent, _ in index.intent_scores(["bpo"])][0] == "ask_definition"


def test_a_repeated_query_word_counts_once_and_unknown_words_not_at_all(index):
    assert index.intent_scores(["salary", "salary", "zebra"]) == index.intent_scores(["salary"])
    assert index.intent_scores(["zebra"]) == []
    assert index.intent_scores([]) == []


def test_the_index_survives_its_json_form(index):
    again = NearestExamples.from_json(index.to_json())
    query = ["how", "much", "call", "center"]
    assert again.intent_scores(query) == index.intent_scores(query)


def test_an_empty_index_ranks_nothing():
    assert NearestExamples([]).intent_scores(["bpo"]) == []
