"""The unanswered-questions report: what it collects from a tracker store, and its output."""

from __future__ import annotations

import csv
import json
import sqlite3

import pytest

from reporting.unanswered import collect, main


def _user(text, intent, confidence, language="en"):
    return (
        "user",
        {
            "text": text,
            "parse_data": {
                "intent": {"name": intent, "confidence": confidence},
                "language_scores": [{"language": language, "confidence": 0.9}],
            },
        },
    )


def _slot(name, value):
    return ("slot", {"name": name, "value": value})


CONVERSATION = [
    _user("What is BPO?", "ask_definition", 0.93),
    _slot("aspect", "definition"),
    _slot("language", "en"),
    _user('/feedback{"rating":"not_helpful"}', "feedback", 1.0),
    _slot("feedback", {"rating": "not_helpful", "aspect": "definition", "subject": "bpo", "language": "en"}),
    _user("xqzv blorf", "nlu_fallback", 1.0),
    _user("Mikä on sää huomenna?", "out_of_scope", 0.8, "fi"),
    _user("bpo money thing", "ask_cost", 0.31),
]


def _store(path, conversations):
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, "
        "timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"
    )
    rows = [
        (sender, kind, float(i), json.dumps(data))
        for sender, events in conversations
        for i, (kind, data) in enumerate(events)
    ]
    connection.executemany(
        "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)", rows
    )
    connection.commit()
    connection.close()


def test_collects_each_kind_with_language_aspect_and_words():
    items = collect(
        (("c1", kind, float(i), data) for i, (kind, data) in enumerate(CONVERSATION)), low_confidence=0.5
    )
    assert [(i.kind, i.language, i.aspect, i.text) for i in items] == [
        ("not_helpful", "en", "definition", "What is BPO?"),
        ("fallback", "en", "definition", "xqzv blorf"),
        ("out_of_scope", "fi", "definition", "Mikä on sää huomenna?"),
        ("low_confidence", "en", "cost", "bpo money thing"),
    ]


def test_writes_csv_and_html_from_a_large_store_with_progress(tmp_path, capsys):
    _store(tmp_path / "tracker.db", [(f"user-{n}", CONVERSATION) for n in range(4000)])
    out = tmp_path / "report"
    assert main(["--db-url", f"sqlite:///{tmp_path / 'tracker.db'}", "--out", str(out)]) == 0
    rows = list(csv.DictReader(open(out / "unanswered.csv", encoding="utf-8")))
    assert len(rows) == 4 * 4000
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<svg" in page and "Mikä on sää huomenna?" in page
    assert "read 20,000 of 32,000 events" in capsys.readouterr().err


def test_user_text_is_escaped_in_the_html(tmp_path):
    _store(tmp_path / "tracker.db", [("c", [_user("<script>alert(1)</script>", "nlu_fallback", 1.0)])])
    main(["--db-url", f"sqlite:///{tmp_path / 'tracker.db'}", "--out", str(tmp_path)])
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_unreadable_store_is_a_clear_error(tmp_path, capsys):
    assert main(["--db-url", f"sqlite:///{tmp_path / 'missing' / 'x.db'}", "--out", str(tmp_path)]) == 1
    assert "Cannot read the tracker store" in capsys.readouterr().err


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_written_as_text(text):
    from reporting.unanswered import spreadsheet_safe

    assert spreadsheet_safe(text) == "'" + text
    assert spreadsheet_safe("What is BPO?") == "What is BPO?"
    assert spreadsheet_safe(0.4) == 0.4


@pytest.mark.parametrize(
    "url, shown",
    [
        ("postgresql://faq:p@ss@db.local:5432/faq", "postgresql://***@db.local:5432/faq"),
        ("postgresql://faq:secret@db/faq?sslmode=require", "postgresql://***@db/faq?sslmode=require"),
        ("sqlite:////work/var/tracker.db", "sqlite:////work/var/tracker.db"),
    ],
)
def test_the_store_address_is_shown_without_credentials(url, shown):
    from reporting.unanswered import _redact

    assert _redact(url) == shown
