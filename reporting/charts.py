"""The report's charts, drawn with matplotlib (Agg: no display needed) as PNG files.

Each answers one question an operator asks:
- How many questions were answered, partly answered ("did you mean") or not answered, per
  language and per week? (100 % stacked bars, with the number of questions per bar)
- What do users ask that the knowledge does not cover? (the most frequent groups of
  questions on the topic left unanswered, each labelled with a typical question)
- Which answers do users find helpful? (helpful vs not helpful ratings per aspect)
- Where are the unanswered turns? (by kind, per language and per aspect)
An empty chart still gets its file, saying there is nothing to show yet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reporting.outcomes import ANSWERED, NOT_ANSWERED, OUTCOMES, PARTLY, RATINGS

OUTCOME_COLOURS = {ANSWERED: "#2e7d32", PARTLY: "#f9a825", NOT_ANSWERED: "#c62828"}
RATING_COLOURS = {"helpful": "#2e7d32", "not_helpful": "#c62828"}
KIND_COLOURS = {
    "fallback": "#c0392b",
    "not_covered": "#2c7fb8",
    "out_of_scope": "#7f8c8d",
    "low_confidence": "#e67e22",
    "not_helpful": "#8e44ad",
}
LABEL_LENGTH = 60
DPI = 100


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _figure(rows: int) -> tuple[Any, Any]:
    figure, axes = _pyplot().subplots(figsize=(9, 1.2 + 0.42 * max(rows, 1)), dpi=DPI)
    return figure, axes


def _save(figure: Any, path: Path) -> Path:
    figure.tight_layout()
    figure.savefig(path, format="png")
    _pyplot().close(figure)
    return path


def _empty(axes: Any, title: str) -> None:
    axes.set_title(title, loc="left")
    axes.text(0.5, 0.5, "Nothing to show yet", ha="center", va="center", transform=axes.transAxes)
    axes.set_axis_off()


def share_chart(counts: dict[str, Counter[str]], title: str, path: Path) -> Path:
    """100 % stacked horizontal bars: each row's answered / partly / not answered shares."""
    rows = list(counts)
    figure, axes = _figure(len(rows))
    if not rows:
        _empty(axes, title)
        return _save(figure, path)
    totals = [sum(counts[row][outcome] for outcome in OUTCOMES) or 1 for row in rows]
    left = [0.0] * len(rows)
    for outcome in OUTCOMES:
        shares = [counts[row][outcome] / total * 100 for row, total in zip(rows, totals, strict=True)]
        bars = axes.barh(rows, shares, left=left, color=OUTCOME_COLOURS[outcome], label=outcome)
        labels = [f"{share:.0f}%" if share >= 8 else "" for share in shares]
        axes.bar_label(bars, labels=labels, label_type="center", color="white", fontsize=9)
        left = [a + b for a, b in zip(left, shares, strict=True)]
    for index, row in enumerate(rows):
        axes.text(101, index, f"n={sum(counts[row].values())}", va="center", fontsize=9)
    axes.set_xlim(0, 112)
    axes.invert_yaxis()
    axes.set_xlabel("share of questions (%)")
    axes.set_title(title, loc="left", pad=22)
    axes.legend(ncol=3, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=9)
    return _save(figure, path)


def topics_chart(topics: Sequence[tuple[str, int]], title: str, path: Path) -> Path:
    """Horizontal bars: how often each uncovered topic (a typical question) was asked."""
    figure, axes = _figure(len(topics))
    if not topics:
        _empty(axes, title)
        return _save(figure, path)
    labels = [_shorten(label) for label, _ in topics]
    bars = axes.barh(labels, [count for _, count in topics], color="#2c7fb8")
    axes.bar_label(bars, padding=3, fontsize=9)
    axes.invert_yaxis()
    axes.set_xlabel("questions")
    axes.set_title(title, loc="left")
    axes.xaxis.get_major_locator().set_params(integer=True)
    return _save(figure, path)


def ratings_chart(ratings: dict[str, Counter[str]], title: str, path: Path) -> Path:
    """Side-by-side bars per aspect: helpful and not helpful ratings."""
    aspects = sorted(ratings, key=lambda aspect: (-sum(ratings[aspect].values()), aspect))
    figure, axes = _figure(len(aspects))
    if not aspects:
        _empty(axes, title)
        return _save(figure, path)
    height = 0.4
    for offset, rating in zip((-height / 2, height / 2), RATINGS, strict=True):
        positions = [index + offset for index in range(len(aspects))]
        values = [ratings[aspect][rating] for aspect in aspects]
        bars = axes.barh(
            positions, values, height=height, color=RATING_COLOURS[rating], label=rating.replace("_", " ")
        )
        axes.bar_label(bars, labels=[str(v) if v else "" for v in values], padding=2, fontsize=8)
    axes.set_yticks(range(len(aspects)), aspects)
    axes.invert_yaxis()
    axes.set_xlabel("ratings")
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.set_title(title, loc="left", pad=22)
    axes.legend(ncol=2, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=9)
    return _save(figure, path)


def kinds_chart(counts: dict[str, Counter[str]], title: str, path: Path, kinds: Sequence[str]) -> Path:
    """Stacked horizontal bars: the unanswered turns of each kind, per group."""
    rows = sorted(counts, key=lambda row: (-sum(counts[row].values()), row))
    figure, axes = _figure(len(rows))
    if not rows:
        _empty(axes, title)
        return _save(figure, path)
    left = [0] * len(rows)
    for kind in kinds:
        values = [counts[row][kind] for row in rows]
        axes.barh(rows, values, left=left, color=KIND_COLOURS.get(kind, "#555555"), label=kind)
        left = [a + b for a, b in zip(left, values, strict=True)]
    for index, total in enumerate(left):
        axes.text(total, index, f" {total}", va="center", fontsize=9)
    axes.invert_yaxis()
    axes.set_xlabel("turns")
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.set_title(title, loc="left", pad=22)
    axes.legend(ncol=len(kinds), loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=8)
    return _save(figure, path)


def _shorten(text: str) -> str:
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"
