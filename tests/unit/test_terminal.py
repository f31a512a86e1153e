"""channels/terminal.py (`make shell`): what the user types goes to the REST channel, a button is
picked by its number or label, and the replies are printed as the terminal renders them."""

from __future__ import annotations

import json
import threading
import urllib.error
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from channels import terminal

REPLY = [
    {"text": "BPO agents earn a **salary**."},
    {"text": "Sources: the English article", "custom": {"sources": [{"title": "Article", "language": "en"}]}},
    {
        "text": "You could also ask about:",
        "buttons": [
            {"title": "Skills", "payload": '/ask_skills{"subject":"bpo"}'},
            {"title": "Careers", "payload": "/ask_careers"},
        ],
    },
]


def chat(monkeypatch, capsys, typed: list[str], replies: Any) -> tuple[int, list[str], str]:
    """Runs the client on typed lines; returns its exit code, what it sent and what it printed."""
    lines, sent = iter(typed), []

    def fake_input(prompt: str) -> str:
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    def fake_send(url: str, sender: str, text: str, timeout: float = 30.0) -> list[dict[str, Any]]:
        sent.append(text)
        reply = replies(text) if callable(replies) else replies
        if isinstance(reply, Exception):
            raise reply
        return reply

    monkeypatch.setattr("builtins.input", fake_input)
    monkeypatch.setattr(terminal, "send", fake_send)
    code = terminal.main(["--url", "http://assistant.test", "--sender", "shell-test"])
    return code, sent, capsys.readouterr().out


def test_a_question_prints_the_answer_sources_and_numbered_buttons(monkeypatch, capsys):
    code, sent, out = chat(monkeypatch, capsys, ["How are BPO agents paid?"], REPLY)
    assert code == 0 and sent == ["How are BPO agents paid?"]
    assert "Bot: BPO agents earn a salary.\nSources: the English article\nYou could also ask about:\n" in out
    assert "  1. Skills\n  2. Careers\n" in out


@pytest.mark.parametrize("choice", ["1", " skills "])
def test_a_button_is_picked_by_number_or_label_and_its_payload_sent(monkeypatch, capsys, choice):
    code, sent, out = chat(monkeypatch, capsys, ["pay?", choice], REPLY)
    assert sent == ["pay?", '/ask_skills{"subject":"bpo"}']
    assert "You chose: Skills" in out


def test_a_number_means_a_button_only_while_the_last_reply_offers_one(monkeypatch, capsys):
    def replies(text: str) -> list[dict[str, Any]]:
        return [{"text": "no buttons here"}] if text == "hi" else REPLY

    _, sent, _ = chat(monkeypatch, capsys, ["hi", "2"], replies)
    assert sent == ["hi", "2"]


def test_blank_lines_are_skipped_and_quit_ends_the_session(monkeypatch, capsys):
    code, sent, _ = chat(monkeypatch, capsys, ["", "   ", "/quit", "never sent"], REPLY)
    assert code == 0 and sent == []


def test_an_unreachable_assistant_is_reported_and_the_session_goes_on(monkeypatch, capsys):
    def replies(text: str) -> Any:
        return urllib.error.URLError("refused") if text == "first" else []

    code, sent, out = chat(monkeypatch, capsys, ["first", "second"], replies)
    assert code == 0 and sent == ["first", "second"]
    assert "(the assistant is not reachable at http://assistant.test: <urlopen error refused>)" in out
    assert "Bot: (no reply)" in out


class _RestChannel(BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, Any]]] = []

    def do_POST(self) -> None:  # noqa: N802 - the standard library's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append((self.path, body))
        reply = json.dumps([{"recipient_id": body["sender"], "text": f"echo: {body['message']}"}]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args: Any) -> None:
        pass


def test_send_posts_the_message_to_the_rest_webhook_and_returns_the_replies():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RestChannel)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        replies = terminal.send(url, "shell-1", "Čo je BPO?", timeout=5)
    finally:
        server.shutdown()
        server.server_close()
    assert _RestChannel.received == [
        ("/webhooks/rest/webhook", {"sender": "shell-1", "message": "Čo je BPO?"})
    ]
    assert replies == [{"recipient_id": "shell-1", "text": "echo: Čo je BPO?"}]
