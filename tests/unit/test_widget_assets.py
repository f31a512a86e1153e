"""widget/public: the widget stays small, its styles cannot reach a host page, and it never
writes HTML or inline styles (the pages' Content-Security-Policy forbids those)."""

from __future__ import annotations

import gzip
import re

from channels.widget_page import PUBLIC

WIDGET = ("chat-widget.js", "chat-widget.css")
# What a page loads before anyone opens the chat (socket.io comes after, and separately).
GZIP_BUDGET_BYTES = 10 * 1024


def _selectors(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = (text.strip() for text in re.findall(r"([^{}]+)\{", css))
    return [selector.strip() for rule in rules if not rule.startswith("@") for selector in rule.split(",")]


def test_the_widget_stays_small():
    compressed = sum(len(gzip.compress((PUBLIC / name).read_bytes(), 9)) for name in WIDGET)
    assert compressed < GZIP_BUDGET_BYTES, f"{compressed} bytes gzipped"


def test_every_widget_selector_is_prefixed_so_nothing_reaches_the_host_page():
    selectors = _selectors((PUBLIC / "chat-widget.css").read_text(encoding="utf-8"))
    assert len(selectors) > 40
    assert [s for s in selectors if not s.startswith((".bfw", ":host"))] == []


def test_the_selector_check_would_catch_a_global_rule():
    assert _selectors("/* x */ * { a: b } @media (x) { .bfw, body p { c: d } }") == ["*", ".bfw", "body p"]


def test_the_widget_writes_no_html_and_no_inline_style():
    script = (PUBLIC / "chat-widget.js").read_text(encoding="utf-8")
    risky = ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", ".style", '"style"', "eval(")
    assert [name for name in risky if name in script] == []
