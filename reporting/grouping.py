"""Groups similar questions with scikit-learn, for the review and the report's topics chart.

Each text becomes a TF-IDF vector of character n-grams of its folded words (case and
diacritics ignored, so "vyhody" meets "výhody" and "call centre" meets "call center"), and
average-linkage agglomerative clustering joins questions whose cosine distance is below a
threshold. The caller may add a second view of each text (the classifier's scores): the
distance is then a weighted mean of both, so two questions group when they are worded
alike and the model reads them alike.

Identical texts (after folding) are clustered once. The distance matrix is quadratic in the
number of distinct texts, so only the MAX_DISTINCT most frequent are clustered; the rest
stay groups of their own.
"""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from faq.text import fold, join_abbreviations

# Below this cosine distance (0 = same n-grams, 1 = none shared) questions join a group.
DEFAULT_THRESHOLD = 0.6
MAX_DISTINCT = 2000


def normalise(text: str) -> str:
    """The form texts are compared in: folded, abbreviations joined, spaces collapsed."""
    return " ".join(fold(join_abbreviations(text)).split())


def group_texts(
    texts: Sequence[str],
    views: Sequence[Sequence[float]] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    view_weight: float = 0.0,
) -> list[int]:
    """A group number per text; group 0 is the largest, then 1, ...

    Args:
        texts: the questions.
        views: optionally, a vector per text (e.g. the classifier's score per intent).
        threshold: the largest average cosine distance inside a group.
        view_weight: the share of `views` in the distance (0 ignores them).
    """
    if not texts:
        return []
    keys = [normalise(text) for text in texts]
    frequency = Counter(keys)
    distinct = sorted(frequency, key=lambda key: (-frequency[key], key))
    clustered = distinct[:MAX_DISTINCT]
    first = {key: index for index, key in reversed(list(enumerate(keys)))}
    clusters = _cluster(clustered, _views_of(clustered, first, views), threshold, view_weight)
    labels = dict(zip(clustered, clusters, strict=True))
    next_label = max(labels.values(), default=-1) + 1
    for key in distinct[MAX_DISTINCT:]:
        labels[key], next_label = next_label, next_label + 1
    return _by_size([labels[key] for key in keys])


def _views_of(
    keys: list[str], first: dict[str, int], views: Sequence[Sequence[float]] | None
) -> NDArray[np.float64] | None:
    """The view of each distinct text: that of its first occurrence."""
    if views is None:
        return None
    return np.array([list(views[first[key]]) for key in keys], dtype=float)


def _cluster(
    keys: list[str], views: NDArray[np.float64] | None, threshold: float, view_weight: float
) -> list[int]:
    """Agglomerative clustering of distinct texts on the (weighted) cosine distance."""
    if len(keys) == 1:
        return [0]
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances

    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).fit_transform(keys)
    distance = cosine_distances(vectors)
    if views is not None and view_weight > 0:
        distance = (1 - view_weight) * distance + view_weight * cosine_distances(views)
    clustering = AgglomerativeClustering(
        n_clusters=None, distance_threshold=threshold, linkage="average", **_precomputed()
    )
    return [int(label) for label in clustering.fit_predict(distance)]


def _precomputed() -> dict[str, Any]:
    """scikit-learn renamed `affinity` to `metric` in 1.2; the installed one decides."""
    from sklearn.cluster import AgglomerativeClustering

    parameters = inspect.signature(AgglomerativeClustering).parameters
    return {"metric" if "metric" in parameters else "affinity": "precomputed"}


def _by_size(labels: list[int]) -> list[int]:
    """Labels renumbered so that the largest group is 0 (ties: the one seen first)."""
    sizes = Counter(labels)
    order = sorted(sizes, key=lambda label: (-sizes[label], labels.index(label)))
    renumber = {label: number for number, label in enumerate(order)}
    return [renumber[label] for label in labels]


def representative(texts: Sequence[str]) -> str:
    """The group's most typical question: the most frequent; of those, the shortest."""
    counts = Counter(texts)
    return max(texts, key=lambda text: (counts[text], -len(text)))
