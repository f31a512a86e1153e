"""The report's output: `unanswered.csv` and `index.html` from the collected items.

The page shows bar charts by language and by aspect, then the messages grouped by language
and aspect. Users' words are escaped in the page and never become formulas in the CSV, and
the store's address is shown without its credentials.
"""

from __future__ import annotations

import csv
import html
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from reporting.collect import KINDS, Item

KIND_COLOURS = {
    "fallback": "#c0392b",
    "not_covered": "#2c7fb8",
    "out_of_scope": "#7f8c8d",
    "low_confidence": "#e67e22",
    "not_helpful": "#8e44ad",
}
# Messages listed per language and aspect on the page; the CSV has them all.
ROWS_PER_GROUP = 200

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_STYLE = (
    "body{font:15px/1.4 system-ui,sans-serif;max-width:1000px;margin:24px auto;padding:0 12px;"
    "color:#1b1f24}\n"
    "table{border-collapse:collapse;width:100%;margin-bottom:16px}"
    "td,th{border:1px solid #d5dbe3;padding:4px 8px;text-align:left;vertical-align:top}\n"
    ".key{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}.totals span{margin-right:18px}"
)


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


def write_html(items: list[Item], path: Path, db_url: str, events: int) -> None:
    path.write_text(html_page(items, db_url, events), encoding="utf-8")


def html_page(items: list[Item], db_url: str, events: int) -> str:
    """The whole report page: totals, the two charts, then the messages by language and aspect."""
    by_language = _kinds_per(items, lambda item: item.language)
    by_aspect = _kinds_per(items, lambda item: item.aspect)
    legend = " ".join(f'<span class="key" style="background:{KIND_COLOURS[k]}"></span>{k}' for k in KINDS)
    totals = Counter(item.kind for item in items)
    sections = "".join(
        _group_section(language, aspect, group) for (language, aspect), group in _groups(items)
    )
    lines = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">',
        "<title>Unanswered questions report</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Unanswered questions</h1>",
        f"<p>{events} events read from <code>{html.escape(_redact(db_url))}</code>. "
        "What to add to the knowledge file or the training data.</p>",
        f'<p class="totals">{"".join(f"<span><b>{totals[k]}</b> {k}</span>" for k in KINDS)}</p>',
        f"<p>{legend}</p>",
        f"<h2>By language</h2>{_bar_chart('Turns by language', by_language)}",
        f"<h2>By aspect</h2>{_bar_chart('Turns by aspect', by_aspect)}",
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


def _bar_chart(title: str, counts: dict[str, Counter[str]]) -> str:
    """A stacked horizontal bar chart as inline SVG: one bar per group, one colour per kind."""
    groups = sorted(counts, key=lambda g: -sum(counts[g].values()))
    largest = max((sum(c.values()) for c in counts.values()), default=1) or 1
    row, label_width, width = 26, 150, 560
    parts = [
        f'<svg role="img" aria-label="{html.escape(title)}" width="{label_width + width + 60}" '
        f'height="{row * len(groups) + 10}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, group in enumerate(groups):
        y = index * row + 5
        parts.append(f'<text x="0" y="{y + 16}" font-size="13">{html.escape(group)}</text>')
        x: float = label_width
        for kind in KINDS:
            value = counts[group][kind]
            if value:
                length = value / largest * width
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="20" fill="{KIND_COLOURS[kind]}">'
                    f"<title>{kind}: {value}</title></rect>"
                )
                x += length
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + 16}" font-size="12">{sum(counts[group].values())}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


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
