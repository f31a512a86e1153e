"""Which Slack messages were already answered: each is answered once.

Slack may deliver one message several times: as a `message` and an `app_mention` event
(with different event ids), and again as retries. The key is the message itself (channel
and `ts`), not the event. On one machine the keys live in this process's memory; with
SCALE=postgres they live in Redis with a TTL, shared by every Rasa process and kept
across restarts, so a retry that reaches another process, or a restarted one, is not
answered again.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any, Protocol

logger = logging.getLogger(__name__)

# How many recent keys one process remembers (Slack retries within minutes).
MEMORY_KEYS = 10_000
# How long Redis remembers a key: far beyond Slack's last retry (about 5 minutes).
REDIS_TTL_SECONDS = 24 * 3600
REDIS_KEY_PREFIX = "bpo-faq:slack-seen:"


class SeenMessages(Protocol):
    async def first_time(self, key: str) -> bool:
        """True exactly once per key: the caller answers only then."""
        ...


class MemorySeenMessages:
    """A bounded set in this process, oldest forgotten first."""

    def __init__(self, size: int = MEMORY_KEYS) -> None:
        self._keys: OrderedDict[str, None] = OrderedDict()
        self._size = size

    async def first_time(self, key: str) -> bool:
        if key in self._keys:
            return False
        self._keys[key] = None
        if len(self._keys) > self._size:
            self._keys.popitem(last=False)
        return True


class RedisSeenMessages:
    """Keys in Redis (SET NX with a TTL): one answer across processes and restarts.

    When Redis cannot be reached the process's own memory decides, so Slack users are
    still answered (at worst twice, if a retry lands on another process meanwhile).
    """

    def __init__(self, client: Any, ttl_seconds: int = REDIS_TTL_SECONDS) -> None:
        self._client = client
        self._ttl = ttl_seconds
        self._fallback = MemorySeenMessages()

    @classmethod
    def connect(cls, host: str, port: int, db: int, password: str) -> RedisSeenMessages:
        from redis.asyncio import Redis

        return cls(Redis(host=host, port=port, db=db, password=password or None, socket_timeout=2))

    async def first_time(self, key: str) -> bool:
        from redis.exceptions import RedisError

        try:
            return bool(await self._client.set(REDIS_KEY_PREFIX + key, "1", nx=True, ex=self._ttl))
        except (RedisError, OSError) as error:
            logger.warning("Redis unavailable for Slack de-duplication, using memory: %r", error)
            return await self._fallback.first_time(key)


def seen_messages_for(scale: str, host: str, port: int, db: int, password: str) -> SeenMessages:
    """Redis when the assistant is scaled out (SCALE=postgres), else this process's memory."""
    if scale == "postgres":
        return RedisSeenMessages.connect(host, port, db, password)
    return MemorySeenMessages()
