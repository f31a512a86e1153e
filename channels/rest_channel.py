"""The REST channel (`/webhooks/rest/webhook`): Rasa's, with strict input and a reply always.

- A body that is not a JSON object with text `message` and `sender` is a 400, not a 500
  (invalid JSON and invalid UTF-8 included). A sender id in Slack's namespace is a 400 too.
- Empty and over-long messages get a polite reply without reaching the NLU
  (channels/input_guard.py).
- When the assistant sends nothing in time (action server down or slow), the reply is a
  short apology in the user's language instead of an empty list after minutes.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.input_guard import (
    MAX_BODY_BYTES,
    check,
    handle_or_apologise,
    metadata_problem,
    phrase,
    rate_limit_wait,
    tracker_store_of,
)
from faq.protocol import CHANNEL_SENDER_PREFIXES, Phrase

MAX_SENDER_CHARS = 256


class FaqRestInput(RestInput):
    """REST input with validation and a guaranteed reply (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        webhook = Blueprint("faq_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.json(
                    {"error": f"the body must be at most {MAX_BODY_BYTES} bytes"}, status=413
                )
            try:
                body = json.loads(request.body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return response.json({"error": "the body must be JSON in UTF-8"}, status=400)
            problem = _problem_with(body)
            if problem:
                return response.json({"error": problem}, status=400)
            sender, store = body["sender"], tracker_store_of(request.app)
            wait = rate_limit_wait(sender, request.remote_addr or request.ip)
            if wait:
                text = await phrase(Phrase.RATE_LIMITED, body["message"], sender, None, seconds=wait)
                return response.json(
                    [{"recipient_id": sender, "text": text}], status=429, headers={"Retry-After": str(wait)}
                )
            checked = check(body["message"])
            if checked.refusal is not None:
                text = await phrase(checked.refusal, checked.sample, sender, store, **checked.values)
                return response.json([{"recipient_id": sender, "text": text}])
            metadata = body.get("metadata")
            collector = CollectingOutputChannel()
            message = UserMessage(
                checked.text, collector, body["sender"], input_channel=self.name(), metadata=metadata
            )

            async def apologise() -> None:
                apology = await phrase(Phrase.SERVICE_UNAVAILABLE, checked.sample, sender, store)
                await collector.send_text_message(sender, apology)

            await handle_or_apologise(
                on_new_message(message),
                lambda: bool(collector.messages),
                apologise,
                discard=collector.messages.clear,
            )
            return response.json(collector.messages)

        return webhook


def _problem_with(body: Any) -> str | None:
    if not isinstance(body, dict):
        return "expected a JSON object with 'sender' and 'message'"
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return f"'sender' must be non-empty text of at most {MAX_SENDER_CHARS} characters"
    if sender.lower().startswith(CHANNEL_SENDER_PREFIXES):
        prefixes = " or ".join(CHANNEL_SENDER_PREFIXES)
        return f"senders starting with {prefixes} belong to other channels; choose another id"
    if not isinstance(message, str):
        return "'message' must be text"
    return metadata_problem(body.get("metadata"))
