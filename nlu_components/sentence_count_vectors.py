"""Rasa's `CountVectorsFeaturizer`, giving an incoming message only the features the
pipeline reads, at a fraction of the cost.

For each message Rasa's featurizer runs scikit-learn's `CountVectorizer.transform` twice:
once per token (sequence features, for models that read a message word by word) and once
for the whole text (sentence features). Nothing in this pipeline reads sequence features:
the intent classifier reads the sentence row (nlu_components/intent_classifier.py). So an
incoming message gets the sentence features only, computed with the trained vectorizer's
own analyzer and vocabulary but without `transform`'s input checks and matrix
conversions: the same counts in the same sparse matrix. The two featurizers took ~11% of
the Rasa process's CPU per message (README "Performance").

Training is Rasa's, unchanged (training examples get both kinds of features), so a model
trained with either class has the same vocabulary and weights;
tests/integration/test_sentence_count_vectors.py compares the rows with Rasa's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SentenceCountVectorsFeaturizer(CountVectorsFeaturizer):
    def process(self, messages: list[Message]) -> list[Message]:
        if self.vectorizers is None:
            return super().process(messages)  # Rasa logs that it was not trained
        for message in messages:
            for attribute in self._attributes:
                tokens = self._get_processed_message_tokens_by_attribute(message, attribute)
                if not tokens or self._get_attribute_vocabulary(attribute) is None:
                    continue  # as in Rasa: no features for an absent attribute
                if attribute not in DENSE_FEATURIZABLE_ATTRIBUTES:
                    # Rasa gives these sequence features only; nothing here reads them.
                    sequence, sentence = self._create_features(attribute, [tokens])
                    self.add_features_to_message(sequence[0], sentence[0], attribute, message)
                    continue
                row = self._sentence_row(attribute, " ".join(tokens))
                self.add_features_to_message(None, row, attribute, message)
        return messages

    def _sentence_row(self, attribute: str, text: str) -> scipy.sparse.coo_matrix:
        """`vectorizer.transform([text])`, sorted and in COO form, as Rasa stores it."""
        vectorizer = self.vectorizers[attribute]
        analyze, vocabulary = self._analyzer_and_vocabulary(vectorizer)
        counts: dict[int, int] = {}
        for feature in analyze(text):
            index = vocabulary.get(feature)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        columns = np.array(sorted(counts), dtype=np.int32)
        values = np.array([counts[column] for column in columns.tolist()], dtype=vectorizer.dtype)
        if vectorizer.binary:
            values.fill(1)
        rows = np.zeros(len(columns), dtype=np.int32)
        return scipy.sparse.coo_matrix(
            (values, (rows, columns)), shape=(1, len(vocabulary)), dtype=vectorizer.dtype
        )

    def _analyzer_and_vocabulary(self, vectorizer: Any) -> tuple[Any, dict[str, int]]:
        # Built once per vectorizer: scikit-learn builds the analyzer on every transform.
        built: dict[int, tuple[Any, dict[str, int]]] = self.__dict__.setdefault("_analyzers", {})
        key = id(vectorizer)
        if key not in built:
            built[key] = (vectorizer.build_analyzer(), vectorizer.vocabulary_)
        return built[key]
