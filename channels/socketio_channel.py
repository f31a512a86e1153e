"""The website widget's channel: Rasa's socket.io channel with three changes.

1. Each bot message goes to the browser whole (text, buttons and custom payload in one
   event), so the widget can render a citation or a table with the text it belongs to.
   Rasa's own output splits them, and its `send_custom_json` cannot send `{"sources": ...}`.
2. Only the configured origins may connect (Rasa creates the socket.io server with origin
   checks switched off).
3. Messages are validated before they reach Rasa: a missing or non-text message, or a
   session id that is not a long random token, is answered with an error event, not a crash;
   empty or over-long messages and a silent action server get a polite reply
   (channels/input_guard.py). `session_request` is validated the same way, and a socket may
   write only to the session it joined: knowing another session's id is not enough to
   send into it from another socket that has not asked for it.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from channels.input_guard import (
    MAX_METADATA_BYTES,
    check,
    handle_or_apologise,
    metadata_problem,
    phrase,
    rate_limit_wait,
    tracker_store_of,
)
from faq.protocol import WIDGET_SENDER_PREFIX, Phrase
from settings import settings

logger = logging.getLogger(__name__)

# Session ids are the browser's random token (crypto.randomUUID without dashes or longer).
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{32,128}$")
ERROR_EVENT = "error_message"
SESSION_ID_PROBLEM = "'session_id' must be a random token of 32 to 128 letters, digits, '-' or '_'"


class WidgetOutput(SocketIOOutput):
    """Sends each bot message as one event, with everything the widget needs to render it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sent = 0

    @classmethod
    def name(cls) -> str:
        return "socketio"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        event = {
            key: message[key]
            for key in ("text", "buttons", "quick_replies", "image", "attachment", "custom")
            if message.get(key)
        }
        if event:
            self.sent += 1
            # Rasa addresses the conversation ("widget-<session>"); the socket room is the session.
            await self._send_message(recipient_id.removeprefix(WIDGET_SENDER_PREFIX), event)


class WidgetSocketIOInput(SocketIOInput):
    """socket.io input for the widget (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WidgetSocketIOInput:
        credentials = credentials or {}
        channel: WidgetSocketIOInput = super().from_credentials(credentials)
        origins = credentials.get("cors_allowed_origins") or list(settings().widget_origins)
        if isinstance(origins, str):
            origins = [origin.strip() for origin in origins.split(",") if origin.strip()]
        channel.cors_allowed_origins = list(origins)
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook: Blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None
        # An empty list switches engine.io's origin check off; None means "same origin only".
        sio.eio.cors_allowed_origins = getattr(self, "cors_allowed_origins", None) or None

        # socket id -> the one session it joined with session_request.
        joined: dict[str, str] = {}

        async def session_request(sid: str, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested if requested is not None else uuid.uuid4().hex
            if not isinstance(session_id, str) or not SESSION_ID.match(session_id):
                await sio.emit(ERROR_EVENT, {"error": SESSION_ID_PROBLEM}, room=sid)
                return
            previous = joined.get(sid)
            if previous is not None and previous != session_id and self.session_persistence:
                sio.leave_room(sid, previous)
            joined[sid] = session_id
            if self.session_persistence:
                sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        async def disconnect(sid: str) -> None:
            joined.pop(sid, None)

        async def handle_message(sid: str, data: Any) -> None:
            problem = self._problem_with(data)
            if not problem and self.session_persistence and joined.get(sid) != data.get("session_id"):
                problem = "send session_request with this session_id first"
            if problem:
                await sio.emit(ERROR_EVENT, {"error": problem}, room=sid)
                return
            # The conversation id is namespaced (faq/protocol.py); the room is the session.
            sender_id = WIDGET_SENDER_PREFIX + (data["session_id"] if self.session_persistence else sid)
            room = data["session_id"] if self.session_persistence else sid
            output = WidgetOutput(sio, self.bot_message_evt)
            # python-engineio keeps the Sanic request of the socket's handshake in its environ
            # (its REMOTE_ADDR is a constant; the request knows the client's address).
            handshake = (sio.get_environ(sid) or {}).get("sanic.request")
            store = tracker_store_of(getattr(handshake, "app", None))
            address = getattr(handshake, "remote_addr", None) or getattr(handshake, "ip", None)
            wait = rate_limit_wait(sender_id, address)
            if wait:
                text = await phrase(Phrase.RATE_LIMITED, data["message"], sender_id, None, seconds=wait)
                await output.send_response(room, {"text": text})
                await sio.emit(ERROR_EVENT, {"error": "rate limited", "retry_after": wait}, room=sid)
                return
            checked = check(data["message"])
            if checked.refusal is not None:
                text = await phrase(checked.refusal, checked.sample, sender_id, store, **checked.values)
                await output.send_response(room, {"text": text})
                return
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            message = UserMessage(
                checked.text,
                output,
                sender_id,
                input_channel=self.name(),
                metadata=metadata if isinstance(metadata, dict) else {},
            )

            async def apologise() -> None:
                apology = await phrase(Phrase.SERVICE_UNAVAILABLE, checked.sample, sender_id, store)
                await output.send_response(room, {"text": apology})

            await handle_or_apologise(on_new_message(message), lambda: output.sent > 0, apologise)

        # Replace Rasa's handlers for the same events with the validating ones above.
        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on("disconnect", disconnect, namespace=self.namespace)
        sio.on(self.user_message_evt, handle_message, namespace=self.namespace)
        return webhook

    def _problem_with(self, data: Any) -> str | None:
        if not isinstance(data, dict):
            return "expected an object with 'message' and 'session_id'"
        if not isinstance(data.get("message"), str):
            return "'message' must be text"
        if self.session_persistence and not SESSION_ID.match(str(data.get("session_id") or "")):
            return SESSION_ID_PROBLEM
        metadata = data.get(self.metadata_key)
        if isinstance(metadata, str):  # rasa-webchat sends it as JSON text
            too_big = len(metadata.encode("utf-8")) > MAX_METADATA_BYTES
            return f"'{self.metadata_key}' must be at most {MAX_METADATA_BYTES} bytes" if too_big else None
        return metadata_problem(metadata)
