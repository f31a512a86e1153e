"""Rasa's `LogisticRegressionClassifier` with the same model and the same output, at a
fraction of its cost per message.

Profiling the server (README "Performance") showed ~15% of a turn in two places:
- Rasa builds each message's feature row with scipy `hstack` calls (one to join the
  featurizers' matrices, one to append empty dense features): here the row is assembled
  once from the featurizers' sentence matrices, in the order Rasa joins them;
- scikit-learn multiplies the row by `coef_.T`, which is not contiguous, so scipy copied
  the whole weight matrix (classes x vocabulary) on every call: here the weights are
  stored column-major once, so the product reads them in place.
Training is Rasa's, on rows built the same way, so a model trained with either class
predicts the same probabilities. One difference: a message without features (no word at
all, like "?") gets no intent, for the fallback components to handle, where Rasa's
classifier raised an error.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import (
    FEATURE_TYPE_SENTENCE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SparseLogisticRegressionClassifier(LogisticRegressionClassifier):
    def process(self, messages: list[Message]) -> list[Message]:
        readable = [message for message in messages if _has_text_features(message)]
        if readable:
            super().process(readable)
        for message in messages:
            if not _has_text_features(message):
                message.set(
                    INTENT, {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True
                )
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        return messages

    def _create_X(self, messages: list[Message]) -> scipy.sparse.csr_matrix:
        rows = [feature_row(message) for message in messages]
        if any(row is None for row in rows):  # dense sentence features: Rasa's way
            return super()._create_X(messages)
        return scipy.sparse.vstack(rows, format="csr")

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SparseLogisticRegressionClassifier:
        component = super().load(config, model_storage, resource, execution_context, **kwargs)
        if hasattr(component.clf, "coef_"):
            component.clf.coef_ = np.asfortranarray(component.clf.coef_)
        return component


def _has_text_features(message: Message) -> bool:
    return any(features.attribute == TEXT for features in message.features)


def feature_row(message: Message) -> scipy.sparse.csr_matrix | None:
    """The message's sparse sentence features of its text, side by side in pipeline order
    (what `Message.get_sparse_features` joins), as one CSR row; None when the message
    also has dense sentence features, which Rasa's own row builder handles."""
    indices, values, width = [], [], 0
    for features in message.features:
        if features.attribute != TEXT or features.type != FEATURE_TYPE_SENTENCE:
            continue
        if not features.is_sparse():
            return None
        matrix = features.features.tocoo()
        indices.append(matrix.col + width)
        values.append(matrix.data)
        width += matrix.shape[1]
    if not indices:
        return scipy.sparse.csr_matrix((1, 0))
    columns = np.concatenate(indices)
    return scipy.sparse.csr_matrix(
        (np.concatenate(values), columns, np.array([0, len(columns)])), shape=(1, width)
    )
