"""The review's files: `suggested_nlu.yml`, `uncovered.csv` and `review.html`.

`suggested_nlu.yml` is Rasa NLU YAML with one block per proposed intent. Its examples are
in Rasa's list form so that each can carry a comment naming its source turns (a comment
inside a `|` block would become part of the example) and metadata naming its group and
language, which `python -m reporting.review accept` reads. A maintainer may edit the file
(delete a line, move an example to another block) before accepting a group.

Every user text here was masked when it was read (reporting/collect.py) and is escaped in
the page; CSV cells never start a formula.
"""

from __future__ import annotations

import csv
import html
import json
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path

from reporting.privacy import mask_personal_data
from reporting.render import spreadsheet_safe
from reporting.suggest import NOT_COVERED, OFF_TOPIC, SUGGEST, UNSURE, Group, Review, Turn

SUGGESTIONS_FILE = "suggested_nlu.yml"
UNCOVERED_FILE = "uncovered.csv"
PAGE_FILE = "review.html"
# Source turns named in the comment above an example; the page lists them all.
SOURCES_PER_EXAMPLE = 5
GROUP_KEY, LANGUAGE_KEY = "review_group", "language"

# An aspect id -> its label ("pay" -> "Pay"); the identity when no knowledge is at hand.
Labeller = Callable[[str], str]


def accept_command(group: Group) -> str:
    return f"make review-accept GROUP={group.id}"


def utc(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def scores_text(ranking: Iterable[tuple[str, float]]) -> str:
    return ", ".join(f"{intent} {score:.2f}" for intent, score in ranking)


def source_of(turn: Turn) -> str:
    """Where an example came from: conversation, time, kind, and what the user did."""
    item = turn.item
    if item.chosen:
        what = f"{item.kind}, the user picked {item.chosen}"
    elif item.kind == "not_helpful":
        what = f"answered as {item.aspect}, rated not helpful"
    else:
        what = item.kind
    return f"conversation {mask_personal_data(item.conversation)}, {utc(item.timestamp)}, {what}"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def suggestions_yaml(review: Review, model: str, generated: float) -> str:
    """The suggestions as Rasa NLU YAML, one block per proposed intent."""
    suggested = review.of(SUGGEST)
    lines = [
        f"# Suggested training examples from `make review` ({utc(generated)}, model {model}).",
        "# Nothing here is trained on. Read a group, edit or delete its lines if you need to,",
        "# then accept it (appends to data/nlu/<language>/review_accepted.yml):",
        "#   make review-accept GROUP=<group>    (INTENT=ask_... to file it under another intent)",
        "#   make validate && make train",
        'version: "3.1"',
        "nlu:" if suggested else "nlu: []",
    ]
    intents = list(dict.fromkeys(group.intent for group in suggested if group.intent))
    for intent in intents:
        lines += [f"- intent: {intent}", "  examples:"]
        for group in (group for group in suggested if group.intent == intent):
            lines += _group_lines(group)
    return "\n".join(lines) + "\n"


def _group_lines(group: Group) -> list[str]:
    header = [
        f"  # ---- group {group.id} ({group.language}): {plural(len(group.turns), 'question')}, "
        f"{group.agreement} agree on {group.intent}, subject {group.subject or 'none'}; "
        f"accept: {accept_command(group)}",
        f"  #      classifier's top three (group mean): {scores_text(group.top_three)}",
    ]
    for text, turns in group.examples:
        header += [f"  # {source_of(turn)}; top three: {scores_text(turn.top_three)}" for turn in turns][
            :SOURCES_PER_EXAMPLE
        ]
        if len(turns) > SOURCES_PER_EXAMPLE:
            header.append(f"  # ... and {len(turns) - SOURCES_PER_EXAMPLE} more turns with these words")
        header += [
            f"  - text: {_quoted(text)}",
            "    metadata:",
            f"      {GROUP_KEY}: {_quoted(group.id)}",
            f"      {LANGUAGE_KEY}: {_quoted(group.language)}",
            f"      source: {_quoted(source_of(turns[0]))}",
        ]
    return header


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def write_suggestions(review: Review, out: Path, model: str, generated: float) -> Path:
    path = out / SUGGESTIONS_FILE
    path.write_text(suggestions_yaml(review, model, generated), encoding="utf-8")
    return path


UNCOVERED_COLUMNS = ("group", "language", "questions", "typical question", "closest intents", "all questions")


def write_uncovered(review: Review, out: Path) -> Path:
    """The questions no aspect fits, a row per group, the largest first."""
    path = out / UNCOVERED_FILE
    groups = sorted(review.of(NOT_COVERED), key=lambda group: (-len(group.turns), group.id))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(UNCOVERED_COLUMNS)
        for group in groups:
            texts = [turn.item.text for turn in group.turns]
            row = [group.id, group.language, len(texts), typical(group), scores_text(group.top_three)]
            writer.writerow([spreadsheet_safe(cell) for cell in [*row, " | ".join(dict.fromkeys(texts))]])
    return path


def typical(group: Group) -> str:
    """The group's most frequent question; of those, the shortest."""
    counts = Counter(turn.item.text for turn in group.turns)
    return max(counts, key=lambda text: (counts[text], -len(text)))


_STYLE = (
    "body{font:15px/1.4 system-ui,sans-serif;max-width:1100px;margin:24px auto;padding:0 12px;color:#1b1f24}"
    "table{border-collapse:collapse;width:100%;margin-bottom:12px}"
    "td,th{border:1px solid #d5dbe3;padding:4px 8px;text-align:left;vertical-align:top}"
    "section{border:1px solid #d5dbe3;border-radius:6px;padding:4px 14px;margin:14px 0}"
    "code{background:#f1f3f6;padding:1px 4px}.muted{color:#57606a}"
)


def review_page(review: Review, label: Labeller, db: str, model: str, generated: float) -> str:
    """The review page: what to accept, what no aspect covers, what was off-topic."""
    suggested, unsure, uncovered, off_topic = (
        review.of(v) for v in (SUGGEST, UNSURE, NOT_COVERED, OFF_TOPIC)
    )
    turns = sum(len(group.turns) for group in review.groups)
    set_aside = "".join(
        f"<li>{count} turn(s): {html.escape(reason)}</li>" for reason, count in review.set_aside.items()
    )
    parts = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">',
        "<title>Review: unanswered questions</title>",
        f"<style>{_STYLE}</style></head><body><h1>Review: unanswered questions</h1>",
        f'<p class="muted">{turns} turns from <code>{html.escape(db)}</code>, parsed again by '
        f"<code>{html.escape(model)}</code>, {utc(generated)}. Personal data is masked. "
        "Nothing is merged until a maintainer accepts a group.</p>",
        f"<p><b>{len(suggested)}</b> groups with suggested training examples · <b>{len(unsure)}</b> "
        f"unsure · <b>{len(uncovered)}</b> no aspect covers · <b>{len(off_topic)}</b> off-topic</p>",
        f"<ul>{set_aside}</ul>" if set_aside else "",
        "<h2>Suggested training examples</h2>",
        "<p>Each group's questions go to the proposed intent when you accept it; "
        f"<code>{SUGGESTIONS_FILE}</code> has them as Rasa NLU YAML.</p>",
        "".join(_suggested_section(group, label) for group in suggested) or "<p>None.</p>",
        "<h2>Unsure: the classifier's guess, not agreed on yet</h2>",
        "<p>An aspect probably fits, but no user picked it and no group of questions agrees on it. "
        "Add the question to the training data by hand if the guess is right; when more users ask "
        "it, it becomes a suggestion.</p>",
        _groups_table(unsure, "the classifier's guess (mean score)", _guess),
        "<h2>Not covered: candidates for new knowledge entries</h2>",
        f"<p>On the topic, but no aspect fits (also in <code>{UNCOVERED_FILE}</code>).</p>",
        _groups_table(uncovered, "closest intents (mean score)", lambda group: scores_text(group.top_three)),
        f"<h2>Off-topic ({sum(len(group.turns) for group in off_topic)} turns)</h2>",
        _off_topic_list(off_topic),
        "</body></html>",
    ]
    return "\n".join(parts)


def _suggested_section(group: Group, label: Labeller) -> str:
    aspect = f" (aspect {html.escape(label(group.aspect))})" if group.aspect else ""
    rows = "".join(_turn_row(turn) for turn in group.turns)
    return (
        f'<section id="{html.escape(group.id)}"><h3>{html.escape(group.id)}: '
        f"{html.escape(str(group.intent))}{aspect}, subject {html.escape(group.subject or 'none')}</h3>"
        f"<p>{plural(len(group.turns), 'question')} in {html.escape(group.language)}; "
        f"{group.agreement} agree "
        f"({group.chosen} picked by users). Classifier's top three (group mean): "
        f"{html.escape(scores_text(group.top_three))}.</p>"
        "<table><tr><th>what the user wrote</th><th>turn</th><th>supports</th><th>top three</th></tr>"
        f"{rows}</table><p>Accept: <code>{html.escape(accept_command(group))}</code></p></section>"
    )


def _turn_row(turn: Turn) -> str:
    cells = (
        turn.item.text,
        turn.item.kind,
        f"{turn.vote or '-'} ({turn.reason})" if turn.vote else "-",
        scores_text(turn.top_three),
    )
    return "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in cells) + "</tr>"


def _guess(group: Group) -> str:
    return f"{group.intent} {group.score:.2f} (top three: {scores_text(group.top_three)})"


def _groups_table(groups: list[Group], heading: str, describe: Callable[[Group], str]) -> str:
    """A row per group, the largest first: its questions and what the classifier makes of them."""
    if not groups:
        return "<p>None.</p>"
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(cell))}</td>"
            for cell in (
                group.id,
                group.language,
                len(group.turns),
                " · ".join(dict.fromkeys(turn.item.text for turn in group.turns)),
                describe(group),
            )
        )
        + "</tr>"
        for group in sorted(groups, key=lambda group: (-len(group.turns), group.id))
    )
    return (
        "<table><tr><th>group</th><th>language</th><th>turns</th><th>what users wrote</th>"
        f"<th>{html.escape(heading)}</th></tr>{rows}</table>"
    )


def _off_topic_list(groups: list[Group]) -> str:
    texts = [f"{group.language}: {turn.item.text}" for group in groups for turn in group.turns]
    if not texts:
        return "<p>None.</p>"
    items = "".join(f"<li>{html.escape(text)}</li>" for text in texts)
    summary = "Not about BPO or call centers: nothing to add to the knowledge."
    return f"<details><summary>{summary}</summary><ul>{items}</ul></details>"


def write_review_page(
    review: Review, out: Path, label: Labeller, db: str, model: str, generated: float
) -> Path:
    path = out / PAGE_FILE
    path.write_text(review_page(review, label, db, model, generated), encoding="utf-8")
    return path
