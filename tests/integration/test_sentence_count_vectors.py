"""SentenceCountVectorsFeaturizer (nlu_components/sentence_count_vectors.py) gives an
incoming message the sentence features Rasa's CountVectorsFeaturizer gives it, from the
trained model's own vectorizers, and no sequence features (nothing in the pipeline reads
them)."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu_components.sentence_count_vectors import SentenceCountVectorsFeaturizer
from tests.integration.test_graph_runner import held_out_questions


@pytest.fixture(scope="module")
def pipeline(nlu_agent) -> tuple[list, list[SentenceCountVectorsFeaturizer]]:
    components = [node._component for node in nlu_agent.processor.graph_runner._instantiated_nodes.values()]
    featurizers = [c for c in components if isinstance(c, SentenceCountVectorsFeaturizer)]
    first = components.index(featurizers[0])
    return components[:first], featurizers


def _before_featurizers(pipeline, text: str) -> Message:
    message = Message(data={TEXT: text})
    for component in pipeline[0]:
        if hasattr(component, "process") and not hasattr(component, "predict_action_probabilities"):
            try:
                component.process([message])
            except TypeError:
                pass  # a graph node that is not a message component (domain, converters)
    return message


def _features(message: Message, feature_type: str) -> list:
    return [f for f in message.features if f.attribute == TEXT and f.type == feature_type]


def test_both_kinds_of_featurizer_are_in_the_model(pipeline):
    featurizers = pipeline[1]
    assert {f._config["analyzer"] for f in featurizers} == {"word", "char_wb"}


def test_sentence_rows_are_rasas(pipeline):
    compared = 0
    for text in held_out_questions(per_intent=3) + ["BPO BPO bpo", "Výhody a nevýhody call centra?", "x"]:
        ours = _before_featurizers(pipeline, text)
        if not ours.get("text_tokens") and not ours.get("tokens"):
            continue
        rasas = copy.deepcopy(ours)
        for featurizer in pipeline[1]:
            featurizer.process([ours])
            CountVectorsFeaturizer.process(featurizer, [rasas])
        assert _features(ours, FEATURE_TYPE_SEQUENCE) == []
        expected, got = _features(rasas, FEATURE_TYPE_SENTENCE), _features(ours, FEATURE_TYPE_SENTENCE)
        assert len(expected) == len(got) == 2, text
        for want, have in zip(expected, got, strict=True):
            assert have.origin == want.origin
            a, b = want.features.tocoo(), have.features.tocoo()
            assert a.shape == b.shape and a.dtype == b.dtype, text
            for part in ("row", "col", "data"):
                assert np.array_equal(getattr(a, part), getattr(b, part)), (text, part)
        compared += 1
    assert compared >= 300
