"""`make report`: what users asked that the assistant did not answer well.

Reads the tracker store (the SQLite file by default, PostgreSQL or any SQL store Rasa
writes to with `--db-url`), streaming its `events` table in id order so a large store needs
little memory, and collects four kinds of turns, with the user's own words:
- fallback: the message was not understood (`nlu_fallback`, "did you mean");
- out_of_scope: the message was off-topic;
- low_confidence: answered, but the classifier was unsure;
- not_helpful: the user rated the answer "not helpful" (the question that led to it).
Writes `unanswered.csv` and `index.html` (bar charts by language and by aspect, then the
messages grouped by language and aspect) to the output folder.

    python -m reporting.unanswered [--db-url URL] [--out DIR] [--low-confidence 0.5]
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from faq.protocol import FALLBACK_INTENT, LANGUAGE_SCORES, OUT_OF_SCOPE_INTENT, aspect_of
from faq.topic import on_topic
from settings import settings

# not_covered: on the topic, but no knowledge entry answers it (what to add next).
KINDS = ("fallback", "not_covered", "out_of_scope", "low_confidence", "not_helpful")
KIND_COLOURS = {
    "fallback": "#c0392b",
    "not_covered": "#2c7fb8",
    "out_of_scope": "#7f8c8d",
    "low_confidence": "#e67e22",
    "not_helpful": "#8e44ad",
}
PROGRESS_EVERY = 20_000


@dataclass
class Item:
    kind: str
    language: str
    aspect: str
    conversation: str
    timestamp: float
    text: str
    confidence: float | None


@dataclass
class _Conversation:
    language: str = "?"
    aspect: str = "(no topic yet)"
    last_question: str = ""
    last_timestamp: float = 0.0


def default_db_url() -> str:
    current = settings()
    return current.tracker_db_url or f"sqlite:///{current.path(current.tracker_db)}"


def stream_events(db_url: str, batch: int = 5_000) -> tuple[int, Iterator[tuple[str, str, float, dict]]]:
    """(number of events, iterator of (conversation, type, timestamp, data)) in id order."""
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    with engine.connect() as connection:
        total = connection.execute(sa.text("SELECT COUNT(*) FROM events")).scalar() or 0

    def rows() -> Iterator[tuple[str, str, float, dict]]:
        last_id = -1
        with engine.connect() as connection:
            while True:
                page = connection.execute(
                    sa.text(
                        "SELECT id, sender_id, type_name, timestamp, data FROM events "
                        "WHERE id > :last ORDER BY id LIMIT :batch"
                    ),
                    {"last": last_id, "batch": batch},
                ).fetchall()
                if not page:
                    return
                for event_id, sender, kind, timestamp, data in page:
                    last_id = event_id
                    try:
                        parsed = json.loads(data) if data else {}
                    except ValueError:
                        parsed = {}
                    yield sender, kind, float(timestamp or 0), parsed

    return total, rows()


def collect(
    events: Iterable[tuple[str, str, float, dict]], low_confidence: float, total: int = 0, progress=None
) -> list[Item]:
    """The report's items, from events in order."""
    conversations: dict[str, _Conversation] = defaultdict(_Conversation)
    items: list[Item] = []
    for count, (sender, kind, timestamp, data) in enumerate(events, start=1):
        if progress and count % PROGRESS_EVERY == 0:
            progress(count, total)
        state = conversations[sender]
        if kind == "user":
            parse = data.get("parse_data") or {}
            intent = (parse.get("intent") or {}).get("name")
            confidence = (parse.get("intent") or {}).get("confidence")
            text = data.get("text") or ""
            scores = parse.get(LANGUAGE_SCORES) or []
            language = scores[0]["language"] if scores and isinstance(scores[0], dict) else state.language
            if text.startswith("/"):
                continue  # a button payload, not the user's words
            state.last_question, state.last_timestamp = text, timestamp
            if intent == FALLBACK_INTENT:
                items.append(Item("fallback", language, state.aspect, sender, timestamp, text, confidence))
            elif intent == OUT_OF_SCOPE_INTENT:
                kind_of_turn = "not_covered" if on_topic({**parse, "text": text}) else "out_of_scope"
                items.append(Item(kind_of_turn, language, state.aspect, sender, timestamp, text, confidence))
            elif isinstance(confidence, int | float) and confidence < low_confidence:
                aspect = aspect_of(intent) or state.aspect
                items.append(Item("low_confidence", language, aspect, sender, timestamp, text, confidence))
        elif kind == "slot":
            name, value = data.get("name"), data.get("value")
            if name == "language" and isinstance(value, str):
                state.language = value
            elif name == "aspect" and isinstance(value, str):
                state.aspect = value
            elif name == "feedback" and isinstance(value, dict) and value.get("rating") == "not_helpful":
                items.append(
                    Item(
                        "not_helpful",
                        str(value.get("language") or state.language),
                        str(value.get("aspect") or state.aspect),
                        sender,
                        state.last_timestamp or timestamp,
                        state.last_question,
                        None,
                    )
                )
    if progress and total:
        progress(total, total)
    return items


def write_csv(items: list[Item], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=list(asdict(items[0]).keys()) if items else list(Item.__annotations__)
        )
        writer.writeheader()
        for item in items:
            writer.writerow({key: spreadsheet_safe(value) for key, value in asdict(item).items()})


# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """User text as a spreadsheet shows it, never as a formula ("=HYPERLINK(...)")."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _bar_chart(title: str, counts: dict[str, Counter]) -> str:
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
        x = label_width
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


def write_html(items: list[Item], path: Path, db_url: str, events: int) -> None:
    by_language: dict[str, Counter] = defaultdict(Counter)
    by_aspect: dict[str, Counter] = defaultdict(Counter)
    grouped: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in items:
        by_language[item.language][item.kind] += 1
        by_aspect[item.aspect][item.kind] += 1
        grouped[(item.language, item.aspect)].append(item)
    legend = " ".join(f'<span class="key" style="background:{KIND_COLOURS[k]}"></span>{k}' for k in KINDS)
    totals = Counter(item.kind for item in items)
    sections = []
    for (language, aspect), group in sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        rows = "".join(
            f"<tr><td>{html.escape(i.kind)}</td><td>{html.escape(i.text)}</td>"
            f"<td>{'' if i.confidence is None else f'{i.confidence:.2f}'}</td></tr>"
            for i in group[:200]
        )
        more = f"<p>… and {len(group) - 200} more in the CSV.</p>" if len(group) > 200 else ""
        sections.append(
            f"<h3>{html.escape(language)} · {html.escape(aspect)} ({len(group)})</h3>"
            f"<table><tr><th>kind</th><th>what the user wrote</th><th>confidence</th></tr>{rows}</table>{more}"
        )
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Unanswered questions report</title>
<style>body{{font:15px/1.4 system-ui,sans-serif;max-width:1000px;margin:24px auto;padding:0 12px;color:#1b1f24}}
table{{border-collapse:collapse;width:100%;margin-bottom:16px}}td,th{{border:1px solid #d5dbe3;padding:4px 8px;text-align:left;vertical-align:top}}
.key{{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}}.totals span{{margin-right:18px}}</style></head><body>
<h1>Unanswered questions</h1>
<p>{events} events read from <code>{html.escape(_redact(db_url))}</code>. What to add to the knowledge file or the training data.</p>
<p class="totals">{''.join(f'<span><b>{totals[k]}</b> {k}</span>' for k in KINDS)}</p>
<p>{legend}</p>
<h2>By language</h2>{_bar_chart("Turns by language", by_language)}
<h2>By aspect</h2>{_bar_chart("Turns by aspect", by_aspect)}
<h2>What users wrote, by language and aspect</h2>{''.join(sections) or '<p>Nothing to report.</p>'}
</body></html>"""
    path.write_text(page, encoding="utf-8")


def _redact(db_url: str) -> str:
    """The store's address without its user and password (a password may contain "@")."""
    if "://" not in db_url:
        return db_url
    scheme, rest = db_url.split("://", 1)
    authority, slash, path = rest.partition("/")
    if "@" in authority:
        authority = "***@" + authority.rsplit("@", 1)[1]
    return f"{scheme}://{authority}{slash}{path}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", default=default_db_url())
    parser.add_argument("--out", default="results/report")
    parser.add_argument("--low-confidence", type=float, default=0.5)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    def progress(done: int, total: int) -> None:
        share = f" ({done / total:.0%})" if total else ""
        print(f"  read {done:,} of {total:,} events{share}", file=sys.stderr, flush=True)

    try:
        total, events = stream_events(args.db_url)
    except Exception as error:  # noqa: BLE001 - any driver error means: cannot read the store
        print(f"Cannot read the tracker store at {_redact(args.db_url)}: {error}", file=sys.stderr)
        return 1
    print(f"Reading {total:,} events from {_redact(args.db_url)}", file=sys.stderr)
    items = collect(events, args.low_confidence, total, progress)
    write_csv(items, out / "unanswered.csv")
    write_html(items, out / "index.html", args.db_url, total)
    counts = Counter(item.kind for item in items)
    print(
        f"{len(items)} turns to look at ({', '.join(f'{counts[k]} {k}' for k in KINDS)}): "
        f"{out / 'index.html'}, {out / 'unanswered.csv'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
