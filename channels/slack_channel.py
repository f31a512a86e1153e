"""The Slack channel (Events API and interactive buttons).

Built on Rasa's SlackInput for its signature check, with the behaviour Slack users expect:
- replies go to the conversation and the thread the question came from;
- one user message gets one Slack post: the answer, table, sources and buttons are the
  blocks of that post (Block Kit and mrkdwn, channels/rendering.py);
- a message is answered once, however often Slack delivers it: as `message` and
  `app_mention` events, or as retries (channels/seen_messages.py; shared in Redis when
  scaled out). A retry of an event that never arrived is handled as the first;
- bad or stale signatures get 401; `url_verification` is answered;
- messages from bots, including this one, and message edits are ignored;
- a Content-Type with a charset parameter is accepted;
- `api_url` (SLACK_API_URL) points the Web API client elsewhere, e.g. at a local fake.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.slack import SlackInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from slack_sdk.web.async_client import AsyncWebClient

from channels.input_guard import check, handle_or_apologise, phrase, rate_limit_wait, tracker_store_of
from channels.rendering import slack_post
from channels.seen_messages import SeenMessages, seen_messages_for
from faq.protocol import SLACK_SENDER_PREFIX, Phrase
from settings import settings

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
# Message subtypes that are not a person writing something new.
_MENTION = re.compile(r"<@[A-Z0-9]+>")
IGNORED_SUBTYPES = {"bot_message", "message_changed", "message_deleted", "channel_join", "channel_leave"}


class SlackTurnOutput(OutputChannel):
    """Collects the bot messages of one turn and posts them as one Slack message."""

    @classmethod
    def name(cls) -> str:
        return "slack"

    def __init__(self, client: AsyncWebClient, channel: str, thread_ts: str | None) -> None:
        self.client = client
        self.channel = channel
        self.thread_ts = thread_ts
        self.pending: list[dict[str, Any]] = []
        self.posts = 0

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.pending.append(message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.pending.append({"text": text})

    async def post(self) -> None:
        """Posts what was collected, if anything, as one message."""
        if not self.pending:
            return
        messages, self.pending = self.pending, []
        arguments = slack_post(messages)
        if self.thread_ts:
            arguments["thread_ts"] = self.thread_ts
        self.posts += 1
        await self.client.chat_postMessage(channel=self.channel, **arguments)


class FaqSlackInput(SlackInput):
    """Slack Events API input for the FAQ assistant (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> FaqSlackInput:
        credentials = credentials or {}
        token, secret = credentials.get("slack_token"), credentials.get("slack_signing_secret")
        if not token or not secret:
            raise ValueError("Slack needs both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET.")
        channel = cls(token, slack_signing_secret=secret)
        channel.api_url = credentials.get("api_url") or DEFAULT_API_URL
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_url = DEFAULT_API_URL
        current = settings()
        self._seen: SeenMessages = seen_messages_for(
            current.scale, current.redis_host, current.redis_port, current.redis_db, current.redis_password
        )
        self._tasks: set[asyncio.Task[None]] = set()
        self._client: AsyncWebClient | None = None
        # Rasa's tracker store, where a refusal or an apology reads the conversation's language.
        self._tracker_store: Any = None

    @property
    def client(self) -> AsyncWebClient:
        if self._client is None:
            base_url = self.api_url if self.api_url.endswith("/") else self.api_url + "/"
            self._client = AsyncWebClient(token=self.slack_token, base_url=base_url)
        return self._client

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        slack_webhook = Blueprint("slack_webhook", __name__)

        @slack_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @slack_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.is_request_from_slack_authentic(request):
                return response.text("invalid or stale Slack signature", status=HTTPStatus.UNAUTHORIZED)
            self._tracker_store = tracker_store_of(request.app)
            media_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
            try:
                if media_type == "application/json":
                    return await self._handle_event(json.loads(request.body or b"{}"), on_new_message)
                if media_type == "application/x-www-form-urlencoded":
                    return await self._handle_interaction(request, on_new_message)
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                logger.info("Malformed Slack request: %s", error)
                return response.text("malformed request", status=HTTPStatus.BAD_REQUEST)
            return response.text("unsupported content type", status=HTTPStatus.UNSUPPORTED_MEDIA_TYPE)

        return slack_webhook

    async def _handle_event(self, body: Any, on_new_message: OnNewMessage) -> HTTPResponse:
        if not isinstance(body, dict):
            raise ValueError("body is not an object")
        if body.get("type") == "url_verification":
            return response.json({"challenge": str(body.get("challenge", ""))})
        event = body.get("event")
        if body.get("type") != "event_callback" or not isinstance(event, dict):
            return response.text("ignored")
        if event.get("type") not in ("message", "app_mention"):
            return response.text("ignored")
        if event.get("bot_id") or event.get("subtype") in IGNORED_SUBTYPES or not event.get("user"):
            return response.text("bot or system message ignored")
        text = event.get("text")
        if not isinstance(text, str):
            raise ValueError("message text is not text")
        channel = str(event["channel"])
        # The message, not the event: a mention arrives as `message` and `app_mention`.
        message_key = (
            f"message:{channel}:{event.get('ts') or event.get('client_msg_id') or body.get('event_id')}"
        )
        if not await self._seen.first_time(message_key):
            return response.text("duplicate ignored", headers={"X-Slack-No-Retry": "1"})
        self._dispatch(
            on_new_message, _strip_mentions(text), str(event["user"]), channel, event.get("thread_ts")
        )
        return response.text("")

    async def _handle_interaction(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        payload = json.loads(request.form.get("payload") or "{}")
        actions = payload.get("actions") or []
        if payload.get("type") != "block_actions" or not actions or "value" not in actions[0]:
            return response.text("ignored")
        click_key = f"click:{payload.get('trigger_id')}:{actions[0].get('action_ts')}"
        if not await self._seen.first_time(click_key):
            return response.text("duplicate ignored")
        channel = str(
            (payload.get("channel") or {}).get("id") or (payload.get("container") or {})["channel_id"]
        )
        message = payload.get("message") or {}
        self._dispatch(
            on_new_message,
            str(actions[0]["value"]),
            str(payload["user"]["id"]),
            channel,
            message.get("thread_ts"),
        )
        return response.text("")

    def _dispatch(
        self, on_new_message: OnNewMessage, text: str, user: str, channel: str, thread_ts: str | None
    ) -> None:
        # Slack wants an answer within 3 seconds, so the message is handled in the background.
        sender_id = f"{SLACK_SENDER_PREFIX}{user}-{channel}" + (f"-{thread_ts}" if thread_ts else "")
        output = SlackTurnOutput(self.client, channel, thread_ts)
        # Every request comes from Slack's servers: only the conversation's own limit applies.
        wait = rate_limit_wait(sender_id, None)
        checked = check(text)

        async def handle() -> None:
            if wait:
                text = await phrase(Phrase.RATE_LIMITED, checked.sample, sender_id, None, seconds=wait)
                await output.send_response(sender_id, {"text": text})
                await output.post()
                return
            if checked.refusal is not None:
                text = await phrase(
                    checked.refusal, checked.sample, sender_id, self._tracker_store, **checked.values
                )
                await output.send_response(sender_id, {"text": text})
                await output.post()
                return
            message = UserMessage(
                checked.text,
                output,
                sender_id,
                input_channel=self.name(),
                metadata={"out_channel": channel, "thread_id": thread_ts},
            )

            async def answer() -> None:
                await on_new_message(message)
                await output.post()  # the whole turn, as one post

            async def apologise() -> None:
                # Posted on its own; the answer, if it comes later, follows as one post.
                apology = await phrase(
                    Phrase.SERVICE_UNAVAILABLE, checked.sample, sender_id, self._tracker_store
                )
                await self.client.chat_postMessage(channel=channel, text=apology, thread_ts=thread_ts)

            await handle_or_apologise(
                answer(),
                lambda: output.posts > 0 or bool(output.pending),
                apologise,
                discard=output.pending.clear,
            )

        task = asyncio.create_task(handle())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _strip_mentions(text: str) -> str:
    """Removes `<@U123>` mentions of the bot (and anyone) from the text."""
    return _MENTION.sub("", text).strip()
