"""The report's output: `unanswered.csv`, `index.html` and its charts, from the collected items.

The page shows the charts (reporting/charts.py, PNG files beside the page): how questions
were answered per language and per week, the most frequent uncovered topics, helpful vs
not helpful per aspect, and the unanswered turns by kind; then the messages grouped by
language and aspect. Users' words are masked when read, escaped in the page and never
become formulas in the CSV, and the store's address is shown without its credentials.
"""

from __future__ import annotations

import csv
import html
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from faq.language import names_domain_term
from reporting import charts
from reporting.charts import KIND_COLOURS
from reporting.collect import KINDS, Item
from reporting.grouping import group_texts, representative
from reporting.outcomes import OUTCOMES, RATINGS, OutcomeTally

__all__ = ["KIND_COLOURS", "html_page", "spreadsheet_safe", "write_csv", "write_html"]

# Messages listed per language and aspect on the page; the CSV has them all.
ROWS_PER_GROUP = 200
# Uncovered topics on the chart.
TOP_TOPICS = 10

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_STYLE = (
    "body{font:15px/1.4 system-ui,sans-serif;max-width:1000px;margin:24px auto;padding:0 12px;"
    "color:#1b1f24}\n"
    "table{border-collapse:collapse;width:100%;margin-bottom:16px}"
    "td,th{border:1px solid #d5dbe3;padding:4px 8px;text-align:left;vertical-align:top}\n"
    "figure{margin:12px 0 24px}img{max-width:100%}.totals span{margin-right:18px}"
)


@dataclass
class Chart:
    file: str
    heading: str
    numbers: str = ""  # an HTML table of what the chart shows


def write_csv(items: list[Item], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=list(asdict(items[0]).keys()) if items else list(Item.__annotations__)
        )
        writer.writeheader()
        for item in items:
            writer.writerow({key: spreadsheet_safe(value) for key, value in asdict(item).items()})


def spreadsheet_safe(value: object) -> object:
    """User text as a spreadsheet shows it, never as a formula ("=HYPERLINK(...)")."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_html(
    items: list[Item], path: Path, db_url: str, events: int, tally: OutcomeTally | None = None
) -> None:
    """The page and its chart files, in the page's folder."""
    figures = draw_charts(items, tally or OutcomeTally(), path.parent)
    path.write_text(html_page(items, db_url, events, figures), encoding="utf-8")


def draw_charts(items: list[Item], tally: OutcomeTally, folder: Path) -> list[Chart]:
    """Draws the report's charts into `folder`; what the page needs to show them."""
    by_language, by_week = tally.per(0), tally.per(1)
    topics = uncovered_topics(items)
    ratings = tally.ratings_per_aspect()
    figures = [
        Chart("outcomes_by_language.png", "How questions were answered, by language"),
        Chart("outcomes_by_week.png", "How questions were answered, by week (ISO weeks, UTC)"),
        Chart("uncovered_topics.png", "Most frequent uncovered topics"),
        Chart("ratings_by_aspect.png", "Helpful vs not helpful, by aspect"),
        Chart("unanswered_by_language.png", "Unanswered turns by language, by kind"),
        Chart("unanswered_by_aspect.png", "Unanswered turns by aspect, by kind"),
    ]
    language_chart, week_chart, topics_chart, ratings_chart, kinds_by_language, kinds_by_aspect = figures
    charts.share_chart(by_language, language_chart.heading, folder / language_chart.file)
    language_chart.numbers = _table(["language", *OUTCOMES, "questions"], _outcome_rows(by_language))
    charts.share_chart(by_week, week_chart.heading, folder / week_chart.file)
    week_chart.numbers = _table(["week", *OUTCOMES, "questions"], _outcome_rows(by_week))
    charts.topics_chart(topics, topics_chart.heading, folder / topics_chart.file)
    topics_chart.numbers = _table(["typical question", "questions"], [[label, n] for label, n in topics])
    charts.ratings_chart(ratings, ratings_chart.heading, folder / ratings_chart.file)
    ratings_chart.numbers = _table(
        ["aspect", *RATINGS], [[a, *(ratings[a][r] for r in RATINGS)] for a in ratings]
    )
    charts.kinds_chart(
        _kinds_per(items, _language), kinds_by_language.heading, folder / kinds_by_language.file, KINDS
    )
    charts.kinds_chart(
        _kinds_per(items, _aspect), kinds_by_aspect.heading, folder / kinds_by_aspect.file, KINDS
    )
    return figures


def _language(item: Item) -> str:
    return item.language


def _aspect(item: Item) -> str:
    return item.aspect


def _outcome_rows(counts: dict[str, Counter[str]]) -> list[list[object]]:
    return [[row, *(counts[row][o] for o in OUTCOMES), sum(counts[row].values())] for row in counts]


def _table(columns: list[str], rows: list[list[object]]) -> str:
    if not rows:
        return ""
    head = "".join(f"<th>{html.escape(column)}</th>" for column in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<details><summary>The numbers</summary><table><tr>{head}</tr>{body}</table></details>"


def uncovered(item: Item) -> bool:
    """On the topic and left unanswered: not covered, or not understood (a fallback naming a
    term of the field) with no aspect picked from the "did you mean" buttons."""
    if item.kind == "not_covered":
        return True
    return item.kind == "fallback" and not item.chosen and names_domain_term(item.text)


def uncovered_topics(items: list[Item], limit: int = TOP_TOPICS) -> list[tuple[str, int]]:
    """The most frequent groups of uncovered questions: "[language] typical question", count."""
    topics: list[tuple[str, int]] = []
    by_language: dict[str, list[str]] = defaultdict(list)
    for item in items:
        if uncovered(item):
            by_language[item.language].append(item.text)
    for language, texts in sorted(by_language.items()):
        groups: dict[int, list[str]] = defaultdict(list)
        for label, text in zip(group_texts(texts), texts, strict=True):
            groups[label].append(text)
        topics += [(f"[{language}] {representative(group)}", len(group)) for group in groups.values()]
    return sorted(topics, key=lambda topic: (-topic[1], topic[0]))[:limit]


def html_page(items: list[Item], db_url: str, events: int, figures: list[Chart] | None = None) -> str:
    """The whole report page: totals, the charts, then the messages by language and aspect."""
    totals = Counter(item.kind for item in items)
    sections = "".join(
        _group_section(language, aspect, group) for (language, aspect), group in _groups(items)
    )
    shown = "".join(
        f'<figure><img src="{html.escape(f.file)}" alt="Chart: {html.escape(f.heading)}">{f.numbers}</figure>'
        for f in figures or []
    )
    lines = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">',
        "<title>Unanswered questions report</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Unanswered questions</h1>",
        f"<p>{events} events read from <code>{html.escape(_redact(db_url))}</code>. "
        "What to add to the knowledge file or the training data. Personal data (e-mail "
        "addresses, phone numbers, stated names) is masked. <code>make review</code> groups these "
        "turns and suggests training examples (<code>results/review/review.html</code>).</p>",
        f'<p class="totals">{"".join(f"<span><b>{totals[k]}</b> {k}</span>" for k in KINDS)}</p>',
        shown,
        f"<h2>What users wrote, by language and aspect</h2>{sections or '<p>Nothing to report.</p>'}",
        "</body></html>",
    ]
    return "\n".join(lines)


def _kinds_per(items: list[Item], group_of: Callable[[Item], str]) -> dict[str, Counter[str]]:
    """How many items of each kind each group has, groups in the order they first appear."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for item in items:
        counts[group_of(item)][item.kind] += 1
    return counts


def _groups(items: list[Item]) -> list[tuple[tuple[str, str], list[Item]]]:
    """Items grouped by (language, aspect), the largest group first."""
    grouped: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in items:
        grouped[(item.language, item.aspect)].append(item)
    return sorted(grouped.items(), key=lambda pair: (-len(pair[1]), pair[0]))


def _group_section(language: str, aspect: str, group: list[Item]) -> str:
    """A heading and a table of what users wrote, the first ROWS_PER_GROUP of the group."""
    rows = "".join(_item_row(item) for item in group[:ROWS_PER_GROUP])
    hidden = len(group) - ROWS_PER_GROUP
    more = f"<p>… and {hidden} more in the CSV.</p>" if hidden > 0 else ""
    return (
        f"<h3>{html.escape(language)} · {html.escape(aspect)} ({len(group)})</h3>"
        "<table><tr><th>kind</th><th>what the user wrote</th><th>confidence</th></tr>"
        f"{rows}</table>{more}"
    )


def _item_row(item: Item) -> str:
    confidence = "" if item.confidence is None else f"{item.confidence:.2f}"
    return f"<tr><td>{html.escape(item.kind)}</td><td>{html.escape(item.text)}</td><td>{confidence}</td></tr>"


def _redact(db_url: str) -> str:
    """The store's address without its user and password. The password may contain "@" or
    "/", so the credentials end at the last "@" (a host, port and database name have none)."""
    if "://" not in db_url:
        return db_url
    scheme, rest = db_url.split("://", 1)
    credentials_end = rest.rfind("@")
    if credentials_end < 0:
        return db_url
    return f"{scheme}://***@{rest[credentials_end + 1:]}"
