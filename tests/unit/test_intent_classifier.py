"""The intent classifier builds the feature rows Rasa's LogisticRegressionClassifier builds
and predicts the same probabilities."""

from __future__ import annotations

import numpy as np
import scipy.sparse
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from nlu_components.intent_classifier import SparseLogisticRegressionClassifier, feature_row


def message(seed: int, dense: bool = False) -> Message:
    rng = np.random.default_rng(seed)
    features = []
    for origin, width in (("words", 7), ("chars", 11)):
        sequence = scipy.sparse.random(3, width, density=0.3, random_state=seed, format="coo")
        features.append(Features(sequence, FEATURE_TYPE_SEQUENCE, TEXT, origin))
        features.append(
            Features(scipy.sparse.coo_matrix(sequence.sum(axis=0)), FEATURE_TYPE_SENTENCE, TEXT, origin)
        )
    if dense:
        features.append(Features(rng.random((1, 4)), FEATURE_TYPE_SENTENCE, TEXT, "dense"))
    return Message(data={TEXT: f"message {seed}"}, features=features)


def rasa_rows(messages):
    return LogisticRegressionClassifier._create_X(None, messages).toarray()


def test_rows_are_rasa_rows():
    messages = [message(seed) for seed in range(5)]
    ours = scipy.sparse.vstack([feature_row(m) for m in messages]).toarray()
    np.testing.assert_array_equal(ours, rasa_rows(messages))


def test_messages_with_dense_features_use_rasa_rows():
    assert feature_row(message(1, dense=True)) is None
    messages = [message(1, dense=True), message(2, dense=True)]
    classifier = object.__new__(SparseLogisticRegressionClassifier)
    np.testing.assert_array_equal(classifier._create_X(messages).toarray(), rasa_rows(messages))


def test_column_major_weights_predict_the_same_probabilities():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    features = scipy.sparse.random(60, 18, density=0.3, random_state=0, format="csr")
    labels = rng.integers(0, 4, 60)
    classifier = LogisticRegression(max_iter=200).fit(features, labels)
    expected = classifier.predict_proba(features)
    classifier.coef_ = np.asfortranarray(classifier.coef_)
    np.testing.assert_allclose(classifier.predict_proba(features), expected)


def test_a_message_without_features_gets_no_intent_instead_of_an_error():
    classifier = object.__new__(SparseLogisticRegressionClassifier)
    empty = Message(data={TEXT: "?"})
    classifier.process([empty])
    assert empty.get("intent") == {"name": None, "confidence": 0.0}
    assert empty.get("intent_ranking") == []
