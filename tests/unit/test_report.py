"""The unanswered-questions report's command line: a tracker store in, a CSV and a page out."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from reporting.unanswered import main
from tests.unit.test_report_collect import CONVERSATION, build_store, user_turn

PROJECT = Path(__file__).resolve().parents[2]


def test_writes_csv_and_html_from_a_large_store_with_progress(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = build_store(tmp_path / "tracker.db", [(f"user-{n}", CONVERSATION) for n in range(4000)])
    out = tmp_path / "report"
    assert main(["--db-url", url, "--out", str(out)]) == 0
    with open(out / "unanswered.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4 * 4000
    page = (out / "index.html").read_text(encoding="utf-8")
    assert '<img src="outcomes_by_language.png"' in page and "Mikä on sää huomenna?" in page
    assert "read 20,000 of 32,000 events" in capsys.readouterr().err


def test_user_text_is_escaped_in_the_html(tmp_path: Path) -> None:
    url = build_store(
        tmp_path / "tracker.db", [("c", [user_turn("<script>alert(1)</script>", "nlu_fallback", 1.0)])]
    )
    main(["--db-url", url, "--out", str(tmp_path)])
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_unreadable_store_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db-url", f"sqlite:///{tmp_path / 'missing' / 'x.db'}", "--out", str(tmp_path)]) == 1
    assert "Cannot read the tracker store" in capsys.readouterr().err


def test_runs_as_a_module_with_its_options(tmp_path: Path) -> None:
    url = build_store(tmp_path / "tracker.db", [("c", CONVERSATION)])
    out = tmp_path / "report"
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "reporting.unanswered",
            "--db-url",
            url,
            "--out",
            str(out),
            "--low-confidence",
            "0.2",
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.startswith("3 turns to look at (1 fallback, 0 not_covered, 1 out_of_scope, ")
    assert sorted(path.name for path in out.iterdir()) == [
        "index.html",
        "outcomes_by_language.png",
        "outcomes_by_week.png",
        "ratings_by_aspect.png",
        "unanswered.csv",
        "unanswered_by_aspect.png",
        "unanswered_by_language.png",
        "uncovered_topics.png",
    ]


def test_the_names_it_offered_before_the_split_still_import() -> None:
    from reporting import collect, render, unanswered

    assert unanswered.collect is collect.collect and unanswered.stream_events is collect.stream_events
    assert unanswered.spreadsheet_safe is render.spreadsheet_safe and unanswered._redact is render._redact
    assert unanswered.write_csv is render.write_csv and unanswered.write_html is render.write_html
    assert unanswered.Item is collect.Item and unanswered.KINDS == collect.KINDS
