"""BM25 over one language's training examples: which intent's examples a question's words
are nearest to.

A second opinion for the intent classifier (nlu_components/retrieval_blend.py). The
classifier weighs every word it was trained on at once and follows the frequent domain
words; the nearest example by BM25 (Robertson and Zaragoza, 2009) weighs the words that are
rare among the examples. Nothing here knows of Rasa: terms in, intents out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse  # type: ignore[import-untyped]  # scipy ships no type stubs

# The usual BM25 constants: term-frequency saturation and document-length normalisation.
K1, B = 1.2, 0.75


class NearestExamples:
    """An index of (intent, terms) examples; `intent_scores` ranks intents by the BM25 score
    of each intent's best-matching example."""

    def __init__(self, examples: Sequence[tuple[str, Sequence[str]]]) -> None:
        self.examples = [(intent, list(terms)) for intent, terms in examples]
        # Examples are grouped by intent, so one reduce over row ranges gives each intent's best.
        self.examples.sort(key=lambda example: example[0])
        self.intents = sorted({intent for intent, _ in self.examples})
        first_rows: dict[str, int] = {}
        for row, (intent, _) in enumerate(self.examples):
            first_rows.setdefault(intent, row)
        self._intent_starts = np.array([first_rows[intent] for intent in self.intents], dtype=np.intp)
        self.vocabulary: dict[str, int] = {}
        rows, columns, counts = [], [], []
        for row, (_, terms) in enumerate(self.examples):
            for term in terms:
                column = self.vocabulary.setdefault(term, len(self.vocabulary))
                rows.append(row)
                columns.append(column)
                counts.append(1.0)
        shape = (len(self.examples), max(len(self.vocabulary), 1))
        frequencies = scipy.sparse.csr_matrix((counts, (rows, columns)), shape=shape)  # duplicates summed
        self._weights = _bm25_weights(frequencies).tocsc()  # columns read per query term

    def intent_scores(self, terms: Sequence[str]) -> list[tuple[str, float]]:
        """Every intent with a score above zero, best first."""
        columns = sorted({self.vocabulary[term] for term in terms if term in self.vocabulary})
        if not columns or not self.examples:
            return []
        per_example = np.asarray(self._weights[:, columns].sum(axis=1)).ravel()
        best = np.maximum.reduceat(per_example, self._intent_starts)
        ranked = sorted(zip(self.intents, best.tolist(), strict=False), key=lambda pair: -pair[1])
        return [(intent, score) for intent, score in ranked if score > 0]

    def to_json(self) -> list[list[Any]]:
        return [[intent, terms] for intent, terms in self.examples]

    @classmethod
    def from_json(cls, data: list[list[Any]]) -> NearestExamples:
        return cls([(intent, terms) for intent, terms in data])


def _bm25_weights(frequencies: scipy.sparse.csr_matrix) -> scipy.sparse.csr_matrix:
    """Each (example, term) cell's BM25 contribution, so that a query's score for an example
    is the sum of its terms' columns (each query term counted once)."""
    documents = frequencies.shape[0]
    lengths = np.asarray(frequencies.sum(axis=1)).ravel()
    average = lengths.mean() if documents else 1.0
    containing = np.bincount(frequencies.indices, minlength=frequencies.shape[1])
    idf = np.log(1.0 + (documents - containing + 0.5) / (containing + 0.5))
    weights = frequencies.tocoo()
    tf = weights.data
    norm = K1 * (1.0 - B + B * lengths[weights.row] / max(average, 1e-9))
    weights.data = idf[weights.col] * tf * (K1 + 1.0) / (tf + norm)
    return weights.tocsr()
