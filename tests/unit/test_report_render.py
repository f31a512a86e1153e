"""Rendering the report: CSV cells that stay text, the store's address without credentials, the page."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from reporting.collect import Item
from reporting.render import ROWS_PER_GROUP, _redact, html_page, spreadsheet_safe, write_csv


def _item(text: str, kind: str = "fallback", confidence: float | None = 0.4) -> Item:
    return Item(kind, "en", "cost", "c1", 1.0, text, confidence)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_written_as_text(text: str) -> None:
    assert spreadsheet_safe(text) == "'" + text
    assert spreadsheet_safe("What is BPO?") == "What is BPO?"
    assert spreadsheet_safe(0.4) == 0.4


def test_the_csv_neutralises_formulas_in_every_text_cell(tmp_path: Path) -> None:
    texts = ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "What is BPO?"]
    items = [_item(text) for text in texts] + [Item("fallback", "=en", "@cost", "-c", 2.0, "x", None)]
    write_csv(items, tmp_path / "unanswered.csv")
    with open(tmp_path / "unanswered.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["text"] for row in rows] == ["'" + text for text in texts[:-1]] + ["What is BPO?", "x"]
    assert (rows[-1]["language"], rows[-1]["aspect"], rows[-1]["conversation"]) == ("'=en", "'@cost", "'-c")
    assert (rows[0]["confidence"], rows[-1]["confidence"]) == ("0.4", "")


def test_an_empty_csv_still_has_its_header(tmp_path: Path) -> None:
    write_csv([], tmp_path / "unanswered.csv")
    assert (tmp_path / "unanswered.csv").read_text(encoding="utf-8").splitlines() == [
        "kind,language,aspect,conversation,timestamp,text,confidence,chosen"
    ]


@pytest.mark.parametrize(
    "url, shown",
    [
        ("postgresql://faq:p@ss@db.local:5432/faq", "postgresql://***@db.local:5432/faq"),
        ("postgresql://faq:p@@ss@@db.local/faq", "postgresql://***@db.local/faq"),
        ("postgresql://faq:secret@db/faq?sslmode=require", "postgresql://***@db/faq?sslmode=require"),
        ("postgresql://faq@db/faq", "postgresql://***@db/faq"),
        ("postgresql://faq:p/ss@db.local/faq", "postgresql://***@db.local/faq"),
        ("postgresql://faq:a/b@c/d@db:5432/faq", "postgresql://***@db:5432/faq"),
        ("sqlite:////work/var/tracker.db", "sqlite:////work/var/tracker.db"),
        ("not a url", "not a url"),
    ],
)
def test_the_store_address_is_shown_without_credentials(url: str, shown: str) -> None:
    assert _redact(url) == shown


def test_no_part_of_a_password_with_at_signs_is_shown() -> None:
    shown = _redact("postgresql://faq:s3cr@t@pa55@db.local:5432/faq")
    assert "s3cr" not in shown and "pa55" not in shown and "faq:" not in shown


def test_the_page_escapes_users_words_and_hides_the_stores_credentials() -> None:
    page = html_page([_item("<script>alert(1)</script>")], "postgresql://faq:p@ss@db/faq", 12)
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "p@ss" not in page and "12 events read from <code>postgresql://***@db/faq</code>" in page
    assert "<td>0.40</td>" in page


def test_the_page_lists_the_first_rows_of_a_group_and_points_to_the_csv_for_the_rest() -> None:
    page = html_page([_item(f"question {n}") for n in range(ROWS_PER_GROUP + 3)], "sqlite:///x.db", 1)
    assert page.count("<tr><td>fallback</td>") == ROWS_PER_GROUP
    assert "… and 3 more in the CSV." in page and f"en · cost ({ROWS_PER_GROUP + 3})" in page


def test_an_empty_report_says_so() -> None:
    page = html_page([], "sqlite:///x.db", 0)
    assert "<p>Nothing to report.</p>" in page and page.endswith("</body></html>")
