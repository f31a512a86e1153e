"""`make shell`: chat with the running assistant in a terminal.

Talks to Rasa's REST channel like any client, renders replies with `rendering`, and lets
the user pick a button by typing its number or its label. Type /quit (or Ctrl-D) to leave.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
import uuid
from typing import Any

from channels.rendering import pick_button, render_terminal

QUIT = {"/quit", "/exit", "/stop"}


def send(url: str, sender: str, text: str, timeout: float = 30.0) -> list[dict[str, Any]]:
    request = urllib.request.Request(
        f"{url}/webhooks/rest/webhook",
        data=json.dumps({"sender": sender, "message": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        messages: list[dict[str, Any]] = json.loads(response.read() or b"[]")
    return messages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    parser.add_argument("--sender", default=f"shell-{uuid.uuid4().hex[:12]}")
    args = parser.parse_args(argv)
    bold = sys.stdout.isatty()
    print(
        "Ask about BPO and call centers in English, Slovak, Indonesian, Swedish or Finnish. /quit to leave."
    )
    buttons: list[dict[str, str]] = []
    while True:
        try:
            typed = input("You: ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if typed.strip() in QUIT:
            return 0
        if not typed.strip():
            continue
        button = pick_button(typed, buttons)
        message = button["payload"] if button else typed
        if button:
            print(f"You chose: {button['title']}")
        try:
            view = render_terminal(send(args.url, args.sender, message), bold=bold)
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            print(f"(the assistant is not reachable at {args.url}: {error})")
            continue
        buttons = view.buttons
        print(f"Bot: {view.text}" if view.text else "Bot: (no reply)")


if __name__ == "__main__":
    sys.exit(main())
