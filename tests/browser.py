"""Debian's chromium driven by Playwright, for the widget's browser tests. The `browser`
fixture is registered in tests/conftest.py."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium")
ARTIFACTS = PROJECT / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()


def wait_until(page, expression: str, timeout: float = 30000) -> None:
    """Polls a page expression from Playwright's side: the page's Content-Security-Policy
    forbids the string evaluation `page.wait_for_function` does inside the page."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {expression}")
        time.sleep(0.1)
