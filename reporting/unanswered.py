"""`make report`: what users asked that the assistant did not answer well.

Reads the tracker store (the SQLite file by default, PostgreSQL or any SQL store Rasa
writes to with `--db-url`), streaming its `events` table in id order so a large store needs
little memory, and collects five kinds of turns, with the user's own words:
- fallback: the message was not understood (`nlu_fallback`, "did you mean");
- not_covered: on the topic, but no knowledge entry answers it (what to add next);
- out_of_scope: the message was off-topic;
- low_confidence: answered, but the classifier was unsure;
- not_helpful: the user rated the answer "not helpful" (the question that led to it).
While it reads, it also counts how every question was answered (reporting/outcomes.py).
Writes `unanswered.csv`, `index.html` and the page's charts (matplotlib PNG files: answered,
partly answered and not answered per language and per week, the most frequent uncovered
topics, helpful vs not helpful per aspect, unanswered turns by kind) to the output folder.
The users' words are masked (e-mail addresses, phone numbers, stated names) as they are read.

This module is the command line; reporting.collect reads and classifies the turns,
reporting.render writes the files, reporting.charts draws the charts.

    python -m reporting.unanswered [--db-url URL] [--out DIR] [--low-confidence 0.5]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from reporting.collect import KINDS, PROGRESS_EVERY, Item, collect, default_db_url, stream_events
from reporting.outcomes import OutcomeTally
from reporting.render import KIND_COLOURS, _redact, spreadsheet_safe, write_csv, write_html

# The names this module offered before the split, for code that imports them from here.
__all__ = [
    "KINDS",
    "KIND_COLOURS",
    "PROGRESS_EVERY",
    "Item",
    "_redact",
    "collect",
    "default_db_url",
    "main",
    "spreadsheet_safe",
    "stream_events",
    "write_csv",
    "write_html",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", default=default_db_url())
    parser.add_argument("--out", default="results/report")
    parser.add_argument("--low-confidence", type=float, default=0.5)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    try:
        total, events = stream_events(args.db_url)
    except Exception as error:  # noqa: BLE001 - any driver error means: cannot read the store
        print(f"Cannot read the tracker store at {_redact(args.db_url)}: {error}", file=sys.stderr)
        return 1
    print(f"Reading {total:,} events from {_redact(args.db_url)}", file=sys.stderr)
    tally = OutcomeTally()
    items = collect(tally.observe(events), args.low_confidence, total, _print_progress)
    write_csv(items, out / "unanswered.csv")
    write_html(items, out / "index.html", args.db_url, total, tally)
    counts = Counter(item.kind for item in items)
    print(
        f"{len(items)} turns to look at ({', '.join(f'{counts[k]} {k}' for k in KINDS)}): "
        f"{out / 'index.html'}, {out / 'unanswered.csv'}"
    )
    return 0


def _print_progress(done: int, total: int) -> None:
    share = f" ({done / total:.0%})" if total else ""
    print(f"  read {done:,} of {total:,} events{share}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
