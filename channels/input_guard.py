"""What every channel does before and after handing a message to Rasa.

Before: clean the text (control and zero-width characters), reject what cannot be a
question (empty, or longer than MAX_MESSAGE_CHARS) with a polite reply in the user's
language, without running the NLU on it. The reply's language is decided by the same rule
as every answer's (faq.language.decide_language), with the conversation's pinned and
current language read from the tracker store. After: when the assistant sent nothing within
REPLY_BUDGET_SECONDS (the action server is down or slow: Rasa's own behaviour is an empty
reply after up to 300 s), send a short apology in the user's language. The message keeps
being processed in the background, so nothing the user said is lost.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import math
import re
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from faq.knowledge import KnowledgeBase, KnowledgeError, ReloadableKnowledge
from faq.language import decide_language, detect
from faq.protocol import SLOT_LANGUAGE, SLOT_LANGUAGE_PINNED, Phrase
from faq.text import strip_invisible
from settings import settings

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000
# A request body and the metadata that comes with a message (stored in every event row and
# sent to the action server on every turn) are capped.
MAX_BODY_BYTES = 64 * 1024
MAX_METADATA_BYTES = 4 * 1024
# Control characters other than tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# How much of an over-long message is read to tell its language.
_LANGUAGE_SAMPLE = 500


@dataclass(frozen=True)
class Checked:
    """A message after the checks: the text to process, or the phrase to reply instead."""

    text: str | None
    refusal: str | None = None
    # What the refusal phrase fills in ({max_chars}).
    values: dict[str, Any] = field(default_factory=dict)
    # The part of the message that tells its language (the text itself when accepted).
    sample: str = ""


@lru_cache(maxsize=1)
def _phrases() -> ReloadableKnowledge:
    current = settings()
    return ReloadableKnowledge(current.path(current.knowledge_file), current.path(current.phrases_file))


def phrases() -> KnowledgeBase:
    return _phrases().current()


def reload_phrases(*_: object) -> None:
    """SIGHUP: re-read the knowledge and phrases files; a bad edit keeps the last good ones."""
    try:
        _phrases().reload()
        logger.info("Channel phrases reloaded")
    except KnowledgeError as error:
        logger.error("Phrases reload failed, still using the last good version: %s", error)


async def conversation_languages(tracker_store: Any, sender_id: str) -> tuple[str | None, str | None]:
    """The conversation's pinned and current language, (None, None) when unknown or unreadable."""
    if tracker_store is None:
        return None, None
    try:
        tracker = await tracker_store.retrieve(sender_id)
    except Exception as error:  # a refusal or an apology must still be sent
        logger.warning("Could not read conversation %r for its language: %r", sender_id, error)
        return None, None
    if tracker is None:
        return None, None
    return tracker.get_slot(SLOT_LANGUAGE_PINNED), tracker.get_slot(SLOT_LANGUAGE)


async def phrase(phrase_id: str, text: str, sender_id: str, tracker_store: Any, **values: Any) -> str:
    """One of the assistant's lines, in the language this message is answered in.

    With `tracker_store` None the message alone decides: the rate-limit reply is sent that
    way, so a flood never costs a read of the conversation per refused message."""
    pinned, previous = await conversation_languages(tracker_store, sender_id)
    language = decide_language(detect(text[:_LANGUAGE_SAMPLE]), pinned=pinned, previous=previous)
    return phrases().phrase(phrase_id, language, **values)


class RateLimiter:
    """Token buckets per key: `burst` messages at once, refilled at `rate_per_minute`.

    Only the most recently seen `max_keys` keys are kept, so memory stays bounded however
    many senders or addresses appear; a key dropped from memory starts again with a full
    bucket, which only ever errs on the side of answering.
    """

    def __init__(self, rate_per_minute: float, burst: float, max_keys: int = 100_000) -> None:
        self.rate_per_second = rate_per_minute / 60.0
        self.burst = burst
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def wait_seconds(self, key: str, now: float | None = None) -> float:
        """0 when `key` may send now (and that message is counted), else how long to wait."""
        now = time.monotonic() if now is None else now
        tokens, updated = self._buckets.pop(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - updated) * self.rate_per_second)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self.rate_per_second
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return wait


@lru_cache(maxsize=1)
def _limiters() -> tuple[RateLimiter, RateLimiter]:
    current = settings()
    return (
        RateLimiter(current.sender_rate_per_minute, current.sender_burst),
        RateLimiter(current.address_rate_per_minute, current.address_burst),
    )


def _is_loopback(address: str | None) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def rate_limit_wait(sender_id: str, address: str | None) -> int:
    """Whole seconds this message must wait (0: it may be handled now).

    Each conversation has its own limit, and each client address one; loopback is exempt
    from the address limit because a local proxy connects from it and limits per client
    address itself (deploy/nginx.conf.template). A refused message does not count twice.
    """
    per_sender, per_address = _limiters()
    wait = per_sender.wait_seconds(sender_id)
    if not wait and address and not _is_loopback(address):
        wait = per_address.wait_seconds(address)
    return math.ceil(wait)


def tracker_store_of(app: Any) -> Any:
    """The Rasa agent's tracker store of a Sanic app, or None before a model is loaded."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    return getattr(agent, "tracker_store", None)


def metadata_problem(metadata: Any) -> str | None:
    """Why a message's metadata is refused, or None: it must be a small JSON object."""
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        return "'metadata' must be a JSON object"
    try:
        size = len(json.dumps(metadata, ensure_ascii=False).encode("utf-8"))
    except (TypeError, ValueError):
        return "'metadata' must be plain JSON"
    if size > MAX_METADATA_BYTES:
        return f"'metadata' must be at most {MAX_METADATA_BYTES} bytes of JSON"
    return None


def clean(text: str) -> str:
    """NFC-normalised text without control or invisible characters."""
    return _CONTROL.sub(" ", strip_invisible(unicodedata.normalize("NFC", text)))


def check(text: str) -> Checked:
    cleaned = clean(text)
    if not cleaned.strip():
        return Checked(None, Phrase.FALLBACK)
    if len(cleaned) > MAX_MESSAGE_CHARS:
        return Checked(
            None, Phrase.MESSAGE_TOO_LONG, {"max_chars": MAX_MESSAGE_CHARS}, cleaned[:_LANGUAGE_SAMPLE]
        )
    return Checked(cleaned, sample=cleaned)


async def handle_or_apologise(
    handle: Awaitable[Any],
    replied: Callable[[], bool],
    apologise: Callable[[], Awaitable[None]],
    budget: float | None = None,
    discard: Callable[[], None] | None = None,
) -> None:
    """Runs `handle`; apologises if it fails or nothing was sent within the budget.

    On a timeout the handling goes on in the background (it is not cancelled), so the
    conversation is stored complete and a late answer still reaches push channels. When
    the handling fails (the turn could not be stored, say), a channel that has not sent
    its reply yet `discard`s it and apologises instead: an answer the user receives is
    always one the conversation keeps.
    """
    task = asyncio.ensure_future(handle)
    done, _ = await asyncio.wait(
        {task}, timeout=budget if budget is not None else settings().reply_budget_seconds
    )
    failed = task in done and task.exception() is not None
    if failed:
        logger.error("Handling a message failed: %r", task.exception())
        if discard is not None:
            discard()
    if (failed and discard is not None) or not replied():
        await apologise()
    if task not in done:
        task.add_done_callback(_log_late_failure)


def _log_late_failure(task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("Handling a message failed after the reply budget: %r", task.exception())
