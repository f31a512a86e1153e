"""The widget's launcher mode in a real browser (Debian's chromium driven by Playwright).

Another site embeds the widget with one script tag and global CSS as hostile as it gets;
the test opens it with the keyboard, asks in two languages, gets an unread badge for a
reply that arrives while it is closed (sent by a second socket.io client speaking the
rasa-webchat protocol in the same session), reloads, and finds the conversation and the
open/closed state restored, the widget's styles untouched and a full-screen sheet at phone
width. The second test takes the README's screenshots of both modes on our own pages,
which are served with their strict Content-Security-Policy.
"""

from __future__ import annotations

import asyncio
import http.server
import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser import ARTIFACTS, CHROMIUM, wait_until
from tests.conftest import PROJECT

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")

FIXTURES = Path(__file__).parent / "fixtures"
SCREENSHOTS = PROJECT / "docs" / "screenshots"
SHADOW = "document.querySelector('bpo-faq-widget').shadowRoot"
READY = f"!!document.querySelector('bpo-faq-widget') && !{SHADOW}.querySelector('.bfw-root').hidden"
# The element that has the keyboard focus, looking inside shadow roots: its class.
FOCUSED = (
    "(() => { let a = document.activeElement;"
    " while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;"
    " return a ? a.getAttribute('class') : null; })()"
)
SESSION_ID = (
    "(() => { for (let i = 0; i < localStorage.length; i++) { const k = localStorage.key(i);"
    " if (k.startsWith('bpo-faq-widget:')) return JSON.parse(localStorage.getItem(k)).sessionId; } })()"
)
COMPUTED = """() => {
  const root = document.querySelector('bpo-faq-widget').shadowRoot;
  const pick = (selector, names) => {
    const style = getComputedStyle(root.querySelector(selector));
    return Object.fromEntries(names.map(name => [name, style.getPropertyValue(name)]));
  };
  return {
    hostTransform: getComputedStyle(document.querySelector('bpo-faq-widget')).transform,
    launcher: pick('.bfw-launcher', ['display', 'position', 'width', 'height', 'opacity']),
    panel: pick('.bfw-panel', ['display', 'position', 'font-size', 'width', 'box-sizing']),
    input: pick('.bfw-input', ['font-size', 'color', 'height', 'opacity']),
    bot: pick('.bfw-bot', ['color', 'font-family', 'letter-spacing', 'text-transform', 'position']),
    hostText: Object.fromEntries(['font-size', 'color'].map(
      name => [name, getComputedStyle(document.getElementById('host-text')).getPropertyValue(name)])),
    widgetLinksInPage: document.querySelectorAll('link[href*="chat-widget"]').length,
  };
}"""


def _watch_errors(page) -> list[str]:
    """Console errors (a CSP refusal is one), uncaught exceptions and failed responses, by
    URL (the browser's own request for /favicon.ico aside)."""
    errors: list[str] = []

    def console(message) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def response(reply) -> None:
        if reply.status >= 400 and not reply.url.endswith("/favicon.ico"):
            errors.append(f"{reply.status} {reply.url}")

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", response)
    return errors


@pytest.fixture
def host_page(stack) -> Iterator[str]:
    """Another site, on its own origin and with a strict CSP of its own, whose page embeds
    the widget with one script tag (tests/integration/fixtures): its URL."""
    html = (FIXTURES / "hostile_host.html").read_text(encoding="utf-8")
    html = html.replace("__WIDGET__", stack.widget_url).replace("__SERVER__", stack.url)
    files = {
        "/shop.html": (html, "text/html"),
        "/hostile_host.css": ((FIXTURES / "hostile_host.css").read_text(encoding="utf-8"), "text/css"),
    }
    policy = (
        f"default-src 'none'; script-src {stack.widget_url}; style-src 'self' {stack.widget_url}; "
        f"connect-src {stack.url} ws://{urlsplit(stack.url).netloc}"
    )

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            text, kind = files.get(self.path, ("not found", "text/plain"))
            body = text.encode()
            self.send_response(404 if kind == "text/plain" else 200)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Security-Policy", policy)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    # A real server on loopback: Chromium lets a loopback page reach the loopback Rasa server.
    server = http.server.ThreadingHTTPServer(("127.0.0.1", stack.host_page_port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"{stack.host_page_origin}/shop.html"
    server.shutdown()
    server.server_close()


def _tab_to_launcher(page) -> None:
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED) == "bfw-launcher":
            return
    raise AssertionError("Tab never reached the launcher")


def _ask(page, text: str, answers: int) -> None:
    """Types into the focused input, sends with Enter, waits for the answer's citation."""
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    wait_until(page, f"{SHADOW}.querySelectorAll('.bfw-bot .bfw-sources').length >= {answers}")


def _settle(page, selector: str = ".bfw-msg") -> None:
    """Waits until no message has arrived for a moment (an answer comes as several)."""
    count, since = -1, time.monotonic()
    while time.monotonic() - since < 1.0:
        now = page.locator(selector).count()
        if now != count:
            count, since = now, time.monotonic()
        time.sleep(0.1)


def _ask_over_socketio(stack, session_id: str, text: str) -> list:
    """A second client in the widget's session, speaking the protocol rasa-webchat speaks
    (session_request, then user_uttered with customData as JSON text): its replies."""
    import socketio

    async def go() -> list:
        client = socketio.AsyncClient(reconnection=False)
        confirmed, answered, replies = asyncio.Event(), asyncio.Event(), []
        client.on("session_confirm", lambda *_: confirmed.set())
        client.on("bot_uttered", lambda message: (replies.append(message), answered.set()))
        await client.connect(
            stack.url, headers={"Origin": stack.host_page_origin}, transports=["websocket"], wait_timeout=10
        )
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), 10)
        message = {"message": text, "session_id": session_id, "customData": json.dumps({"language": "en"})}
        await client.emit("user_uttered", message)
        await asyncio.wait_for(answered.wait(), 30)
        await client.disconnect()
        return replies

    # Playwright's sync API owns this thread's event loop, so the client runs in its own thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, go()).result()


def _save(page, name: str, readme: bool = False) -> None:
    """Saves to test-artifacts/; the README's copies in docs/screenshots are replaced only
    with UPDATE_SCREENSHOTS=1, so a test run leaves the working tree as it was."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))
    if readme and os.environ.get("UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ARTIFACTS / name, SCREENSHOTS / name)


def _assert_sheet_covers(page, width: int, height: int) -> None:
    box = page.locator(".bfw-panel").bounding_box()
    assert box == {"x": 0, "y": 0, "width": width, "height": height}, box
    assert page.locator(".bfw-launcher").is_hidden()


def test_one_script_tag_on_a_hostile_page_keyboard_two_languages_badge_and_reload(stack, browser, host_page):
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="en-US")
    errors = _watch_errors(page)
    page.goto(host_page)
    wait_until(page, READY)
    launcher, panel = page.locator(".bfw-launcher"), page.locator(".bfw-panel")
    assert panel.is_hidden() and launcher.get_attribute("aria-expanded") == "false"
    assert launcher.get_attribute("aria-controls") == panel.get_attribute("id")

    # Keyboard only: Tab to the launcher, Enter opens it and puts the focus in the input.
    _tab_to_launcher(page)
    page.keyboard.press("Enter")
    assert panel.is_visible() and launcher.get_attribute("aria-expanded") == "true"
    assert page.evaluate(FOCUSED) == "bfw-input"
    assert page.locator(".bfw-log").get_attribute("aria-live") == "polite"
    assert page.locator(".bfw-log").get_attribute("role") == "log"

    _ask(page, "What is BPO?", 1)
    assert page.locator(".bfw-sources").nth(0).inner_text().startswith("Sources")
    _ask(page, "Mikä on BPO?", 2)
    assert page.locator(".bfw-sources").nth(1).inner_text().startswith("Lähteet")
    _settle(page)

    # The host page's CSS is in force on its own elements and reaches none of the widget's.
    styles = page.evaluate(COMPUTED)
    assert styles["hostText"] == {"font-size": "40px", "color": "rgb(255, 0, 0)"}
    assert styles["widgetLinksInPage"] == 0, "the widget's styles belong in its shadow root"
    assert styles["hostTransform"] == "none"
    assert styles["launcher"] == {
        "display": "flex",
        "position": "fixed",
        "width": "56px",
        "height": "56px",
        "opacity": "1",
    }
    assert styles["panel"] == {
        "display": "flex",
        "position": "fixed",
        "font-size": "15px",
        "width": "380px",
        "box-sizing": "border-box",
    }
    assert styles["input"]["font-size"] == "15px" and styles["input"]["opacity"] == "1"
    assert styles["input"]["color"] == "rgb(27, 31, 36)" and float(styles["input"]["height"][:-2]) > 30
    assert styles["bot"]["color"] == "rgb(27, 31, 36)" and "Comic" not in styles["bot"]["font-family"]
    assert styles["bot"]["letter-spacing"] == "normal" and styles["bot"]["text-transform"] == "none"
    assert styles["bot"]["position"] == "static"
    box = launcher.bounding_box()
    assert (box["x"] + box["width"], box["y"] + box["height"]) == (1260, 780)
    _save(page, "launcher-hostile-open.png")

    # Escape closes the panel and gives the focus back to the launcher.
    page.locator(".bfw-input").focus()
    page.keyboard.press("Escape")
    assert panel.is_hidden() and launcher.get_attribute("aria-expanded") == "false"
    assert page.evaluate(FOCUSED) == "bfw-launcher"

    # A reply that arrives while the panel is closed shows an unread badge, and is announced.
    replies = _ask_over_socketio(stack, page.evaluate(SESSION_ID), "What does a call center do?")
    assert replies and any(reply.get("text") for reply in replies)
    wait_until(page, f"!{SHADOW}.querySelector('.bfw-badge').hidden")
    _settle(page)
    unread = int(page.locator(".bfw-badge").inner_text())
    assert unread >= 1
    assert f"New messages: {unread}" in launcher.get_attribute("aria-label")
    assert page.locator(".bfw-root > [role=status]").inner_text() == f"New messages: {unread}"
    messages = page.locator(".bfw-msg").count()
    _save(page, "launcher-hostile-closed.png")

    # Reload: still closed, the badge and the whole conversation kept.
    page.reload()
    wait_until(page, READY)
    assert panel.is_hidden() and launcher.get_attribute("aria-expanded") == "false"
    assert page.locator(".bfw-badge").inner_text() == str(unread)
    _tab_to_launcher(page)
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED) == "bfw-input" and page.locator(".bfw-badge").is_hidden()
    assert page.locator(".bfw-msg").count() == messages
    assert page.locator(".bfw-user").all_inner_texts()[:2] == ["What is BPO?", "Mikä on BPO?"]

    # Reload while open: open again, the conversation kept, and no focus taken from the page.
    page.reload()
    wait_until(page, READY)
    assert panel.is_visible() and launcher.get_attribute("aria-expanded") == "true"
    assert page.locator(".bfw-msg").count() == messages
    assert page.evaluate(FOCUSED) != "bfw-input"

    # Phone width: the open panel is a full-screen sheet; its close button gives the focus back.
    page.set_viewport_size({"width": 390, "height": 844})
    _assert_sheet_covers(page, 390, 844)
    _save(page, "launcher-hostile-phone.png")
    page.locator(".bfw-close").click()
    assert panel.is_hidden() and launcher.is_visible()
    assert page.evaluate(FOCUSED) == "bfw-launcher"
    assert errors == []
    page.close()


def test_both_modes_on_our_own_pages_and_the_readme_screenshots(stack, browser):
    page = browser.new_page(viewport={"width": 1100, "height": 760}, locale="en-US")
    errors = _watch_errors(page)
    page.goto(f"{stack.widget_url}/launcher.html")
    wait_until(page, READY)
    _save(page, "launcher-closed.png", readme=True)

    page.locator(".bfw-launcher").click()
    assert page.evaluate(FOCUSED) == "bfw-input"
    _ask(page, "What is the difference between BPO and a call center?", 1)
    _settle(page)
    _save(page, "launcher-open.png", readme=True)

    page.set_viewport_size({"width": 390, "height": 844})
    _assert_sheet_covers(page, 390, 844)
    _save(page, "launcher-phone.png", readme=True)

    embedded = browser.new_page(viewport={"width": 1100, "height": 760}, locale="en-US")
    errors += _watch_errors(embedded)
    embedded.goto(f"{stack.widget_url}/")
    assert embedded.locator("bpo-faq-widget").count() == 0 and embedded.locator(".bfw-launcher").count() == 0
    embedded.get_by_role("textbox").fill("What skills do call center agents need?")
    embedded.keyboard.press("Enter")
    wait_until(embedded, "document.querySelectorAll('#chat .bfw-bot .bfw-sources').length >= 1")
    _settle(embedded)
    _save(embedded, "embedded.png", readme=True)
    # Our pages' Content-Security-Policy (no inline script or style) refused nothing.
    assert errors == []
    embedded.close()
    page.close()
