"""The website widget in a real browser (Debian's chromium driven by Playwright).

Asks in two languages, clicks a follow-up button, reloads and sees the history, checks
that XSS probes stay inert, and saves desktop and phone screenshots to test-artifacts/.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from faq.knowledge import REQUIRED_ASPECTS
from tests.browser import ARTIFACTS, CHROMIUM, wait_until

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


def _ask(page, text: str, expected_bubbles: int) -> None:
    page.get_by_role("textbox").fill(text)
    page.keyboard.press("Enter")
    wait_until(
        page,
        f"document.querySelectorAll('.bfw-bot .bfw-sources').length >= {expected_bubbles}",
        timeout=30000,
    )


def test_widget_conversation_buttons_history_and_screenshots(stack, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1100, "height": 900}, locale="en-US")
    page.goto(f"{stack.widget_url}/")
    assert page.get_by_role("textbox").count() == 1
    assert "BPO" in page.locator("#intro").inner_text()
    assert page.locator("[aria-live=polite]").count() == 1

    _ask(page, "What skills do call center agents need?", 1)
    log = page.locator(".bfw-log")
    assert "communication" in log.inner_text().lower()
    assert "Call centers and BPOs provide outsourcing options" in log.inner_text()

    _ask(page, "Mitä puhelinkeskus tekee?", 2)
    assert "Lähteet" in page.locator(".bfw-sources").nth(1).inner_text()

    # Wait for the follow-up suggestions: the last bubble with buttons and no sources (the
    # bubble before it, with the sources, holds the rating buttons).
    wait_until(
        page,
        "(() => { const b = [...document.querySelectorAll('.bfw-bot')].pop();"
        " return b && b.querySelector('.bfw-button') && !b.querySelector('.bfw-sources'); })()",
        timeout=30000,
    )
    button = page.locator(".bfw-bot").last.locator(".bfw-button").first
    label = button.inner_text()
    button.click()
    wait_until(page, "document.querySelectorAll('.bfw-bot .bfw-sources').length >= 3", timeout=30000)
    assert page.locator(".bfw-user").last.inner_text() == label
    page.screenshot(path=str(ARTIFACTS / "widget-desktop.png"), full_page=True)

    before = page.locator(".bfw-msg").count()
    page.reload()
    page.wait_for_selector(".bfw-msg")
    assert page.locator(".bfw-msg").count() == before
    assert "Mitä puhelinkeskus tekee?" in page.locator(".bfw-log").inner_text()

    page.set_viewport_size({"width": 375, "height": 740})
    page.screenshot(path=str(ARTIFACTS / "widget-phone.png"), full_page=True)
    page.close()


def test_xss_probes_stay_inert_text(stack, browser):
    page = browser.new_page()
    page.goto(f"{stack.widget_url}/")
    probes = [
        '<img src=x onerror="window.__xss=1">',
        "<script>window.__xss=2</script>",
        "[click me](javascript:window.__xss=3)",
    ]
    for probe in probes:
        page.get_by_role("textbox").fill(probe)
        page.keyboard.press("Enter")
    wait_until(page, "document.querySelectorAll('.bfw-bot').length >= 3", timeout=30000)
    # Server-side text goes through the same renderer: feed it the probes directly too.
    page.evaluate(
        "probes => probes.forEach(p => document.querySelector('.bfw-log')"
        ".appendChild(BpoFaqWidget._renderText(p)))",
        probes,
    )
    page.wait_for_timeout(500)
    assert page.evaluate("window.__xss") is None
    assert page.locator(".bfw-log img, .bfw-log script").count() == 0
    hrefs = page.eval_on_selector_all(".bfw-log a", "links => links.map(a => a.href)")
    assert all(href.startswith(("http://", "https://")) for href in hrefs)
    assert probes[0] in page.locator(".bfw-user").first.inner_text()
    page.close()


def test_socketio_accepts_only_the_configured_origin(stack):
    import socketio

    async def connect(origin: str) -> bool:
        client = socketio.AsyncClient(reconnection=False)
        try:
            await client.connect(
                stack.url, headers={"Origin": origin}, transports=["websocket"], wait_timeout=10
            )
        except socketio.exceptions.ConnectionError:
            return False
        await client.disconnect()
        return True

    # Playwright's sync API owns this thread's event loop, so the client runs in its own thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, connect(stack.widget_url)).result() is True
        assert pool.submit(asyncio.run, connect("http://evil.example")).result() is False


def test_widget_renders_the_comparison_table_and_feedback_buttons(stack, browser):
    page = browser.new_page()
    page.goto(f"{stack.widget_url}/")
    page.get_by_role("textbox").fill("show me the comparison table")
    page.keyboard.press("Enter")
    page.wait_for_selector(".bfw-table", timeout=30000)
    assert page.locator(".bfw-table tbody tr").count() == len(REQUIRED_ASPECTS["per_subject"])
    assert page.locator(".bfw-table thead th").all_inner_texts() == ["Aspect", "BPO", "Call center"]
    page.get_by_role("textbox").fill("What is a call center?")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Not helpful", timeout=30000)
    page.locator(".bfw-button", has_text="Not helpful").last.click()
    page.wait_for_selector(".bfw-user >> text=Not helpful", timeout=30000)
    page.close()
