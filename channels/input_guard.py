"""What every channel does before and after handing a message to Rasa.

Before: clean the text (control and zero-width characters), reject what cannot be a
question (empty, or longer than MAX_MESSAGE_CHARS) with a polite reply in the user's
language, without running the NLU on it. After: when the assistant sent nothing within
REPLY_BUDGET_SECONDS (the action server is down or slow: Rasa's own behaviour is an empty
reply after up to 300 s), send a short apology in the user's language. The message keeps
being processed in the background, so nothing the user said is lost.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from faq.knowledge import KnowledgeBase
from faq.language import DEFAULT_LANGUAGE, detect
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
    """A message after the checks: the text to process, or the reply to send instead."""

    text: str | None
    reply: str | None = None


@lru_cache(maxsize=1)
def _phrases() -> KnowledgeBase:
    current = settings()
    return KnowledgeBase.load(current.path(current.knowledge_file), current.path(current.phrases_file))


def phrase(phrase_id: str, text: str, **values: Any) -> str:
    """One of the assistant's lines in the language `text` is written in."""
    scores = detect(text[:_LANGUAGE_SAMPLE])
    language = scores[0].code if scores else DEFAULT_LANGUAGE
    return _phrases().phrase(phrase_id, language, **values)


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
        return Checked(None, _phrases().phrase("fallback", DEFAULT_LANGUAGE))
    if len(cleaned) > MAX_MESSAGE_CHARS:
        return Checked(None, phrase("message_too_long", cleaned, max_chars=MAX_MESSAGE_CHARS))
    return Checked(cleaned)


async def handle_or_apologise(
    handle: Awaitable[Any],
    replied: Callable[[], bool],
    apologise: Callable[[], Awaitable[None]],
    budget: float | None = None,
) -> None:
    """Runs `handle`; apologises if it fails or nothing was sent within the budget.

    On a timeout the handling goes on in the background (it is not cancelled), so the
    conversation is stored complete and a late answer still reaches push channels.
    """
    task = asyncio.ensure_future(handle)
    done, _ = await asyncio.wait(
        {task}, timeout=budget if budget is not None else settings().reply_budget_seconds
    )
    if task in done and task.exception() is not None:
        logger.error("Handling a message failed: %r", task.exception())
    if not replied():
        await apologise()
    if task not in done:
        task.add_done_callback(_log_late_failure)


def _log_late_failure(task: asyncio.Future[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("Handling a message failed after the reply budget: %r", task.exception())
