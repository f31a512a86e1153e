"""The scale-out's per-conversation lock: Rasa's ticket lock in Redis, in two round trips.

Rasa's `RedisLockStore` keeps each conversation's ticket lock as one JSON value that every
step reads, changes in Python and writes back: seven Redis round trips a message (issue a
ticket: read, write; acquire: read; finish: read, write; anyone waiting: read; delete), and
two processes issuing tickets at the same moment can overwrite each other's. Profiling the
scale-out (README "Performance") put it at an eighth of a turn.

Here the same lock (first come, first served; a ticket expires after `lock_lifetime`, so a
crashed process does not hold a conversation for ever) lives in Redis structures changed by
Lua scripts, each one atomic:
- take: draw the next ticket and say whether it is its turn (one round trip);
- check: while waiting, whether it is its turn now (expired tickets ahead are dropped);
- release: return the ticket; the keys go when nobody holds or waits for one.

A waiting message checks again every `poll_seconds` (Rasa waits a whole second), so a
conversation's second message, a double-click say, is answered right after the first.
The scripts go through redis-py's asyncio client: while Redis answers, the process serves
other messages (Rasa's blocking client stopped the event loop for each round trip).

Whose turn it was before: the ticket that gets its turn also records its process as the
conversation's holder, and learns which process held it before, in the same script. When
that was this process, no other process can have written the conversation since, and the
tracker store skips its catch-up query (`served_here_last`, runtime/tracker_store.py).
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections import deque
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple

import redis
import redis.asyncio
from rasa.core.constants import DEFAULT_LOCK_LIFETIME
from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LockError, RedisLockStore

# KEYS: queue (sorted set of tickets), expiry (hash ticket -> expiry, ms), counter, holder
# (the process whose ticket had the last turn; it outlives the lock's other keys).
# The first unexpired ticket in the queue is served; expired ones ahead of it are dropped.
_FIRST_UNEXPIRED = """
local function first_unexpired(now)
  while true do
    local first = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
    if not first then return nil end
    local expiry = tonumber(redis.call('HGET', KEYS[2], first))
    if expiry and expiry > now then return tonumber(first) end
    redis.call('ZREM', KEYS[1], first)
    redis.call('HDEL', KEYS[2], first)
  end
end
"""
# Its turn: record this process as the holder and return the previous one (nil if none).
_CLAIM = """
local function claim(holder, keep_ms)
  local previous = redis.call('GET', KEYS[4])
  redis.call('SET', KEYS[4], holder, 'PX', keep_ms)
  return previous
end
"""
# ARGV: now (ms), lifetime (ms), holder, holder kept (ms).
# Returns {ticket, 1 if it is its turn else 0, the previous holder if its turn}.
_TAKE = (
    _FIRST_UNEXPIRED
    + _CLAIM
    + """
local now, lifetime = tonumber(ARGV[1]), tonumber(ARGV[2])
local ticket = redis.call('INCR', KEYS[3])
redis.call('ZADD', KEYS[1], ticket, ticket)
redis.call('HSET', KEYS[2], ticket, now + lifetime)
for index = 1, 3 do redis.call('PEXPIRE', KEYS[index], lifetime) end
local first = first_unexpired(now)
if first == ticket then return {ticket, 1, claim(ARGV[3], ARGV[4])} end
return {ticket, 0}
"""
)
# ARGV: ticket, now (ms), holder, holder kept (ms).
# Returns {1, the previous holder} (its turn), {0} (wait) or {-1} (the ticket expired).
_CHECK = (
    _FIRST_UNEXPIRED
    + _CLAIM
    + """
local ticket, now = tonumber(ARGV[1]), tonumber(ARGV[2])
local first = first_unexpired(now)
if first == ticket then return {1, claim(ARGV[3], ARGV[4])} end
if redis.call('ZSCORE', KEYS[1], ticket) then return {0} end
return {-1}
"""
)
# ARGV: ticket.
_RELEASE = """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('DEL', KEYS[1], KEYS[2], KEYS[3]) end
return 1
"""

DEFAULT_POLL_SECONDS = 0.02
# How long a conversation's holder is kept after its last turn; after that, the next turn
# counts as another process's (one catch-up query).
HOLDER_KEPT_MS = 24 * 3600 * 1000

# (conversation, whether this process held its previous turn), inside a taken lock.
_PREVIOUS_TURN: ContextVar[tuple[str, bool] | None] = ContextVar("previous_turn", default=None)


def served_here_last(conversation_id: str) -> bool:
    """Inside this process's lock on the conversation: whether this process also served the
    conversation's previous turn (so nobody else has written it since). False elsewhere."""
    return _PREVIOUS_TURN.get() == (conversation_id, True)


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` whose `lock` (the only method Rasa's server uses) runs atomically in
    Redis. Configured like Rasa's (`url`, `port`, `db`, `password`, `key_prefix`, ...) plus
    `poll_seconds`; Rasa passes a custom lock store its endpoint configuration."""

    def __init__(self, endpoint_config: Any = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        self.poll_seconds = float(kwargs.pop("poll_seconds", DEFAULT_POLL_SECONDS))
        super().__init__(**kwargs)
        # Rasa's client (`self.red`, blocking) stays for Rasa's own methods; `lock` uses an
        # asyncio client connected the same way, one per event loop (`_scripts`).
        self._connection = _same_connection(self.red)
        self._loop_scripts: tuple[asyncio.AbstractEventLoop, _Scripts] | None = None
        self._instance = uuid.uuid4().hex

    def _keys(self, conversation_id: str) -> list[str]:
        base = f"{self.key_prefix}atomic:{conversation_id}"
        return [f"{base}:queue", f"{base}:expiry", f"{base}:counter", f"{base}:holder"]

    @property
    def _holder(self) -> str:
        # The process id too: Sanic's workers are forked from one process.
        return f"{self._instance}:{os.getpid()}"

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = DEFAULT_LOCK_LIFETIME,
        wait_time_in_seconds: float = 1,
    ) -> AsyncGenerator[TicketLock, None]:
        keys = self._keys(conversation_id)
        scripts = self._scripts()
        holder = self._holder
        ticket, its_turn, *previous = await scripts.take(
            keys=keys, args=[_now_ms(), int(lock_lifetime * 1000), holder, HOLDER_KEPT_MS]
        )
        try:
            # Rasa's wait_time_in_seconds is how long to sleep between checks; a short one
            # serves the next message sooner, and each check is one small script.
            wait = min(wait_time_in_seconds, self.poll_seconds)
            while not its_turn:
                await asyncio.sleep(wait)
                state, *previous = await scripts.check(
                    keys=keys, args=[ticket, _now_ms(), holder, HOLDER_KEPT_MS]
                )
                if state < 0:
                    raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
                its_turn = state == 1
            here_last = bool(previous) and previous[0] == holder.encode()
            turn = _PREVIOUS_TURN.set((conversation_id, here_last))
            try:
                # What Rasa's lock() yields: the lock, now serving this ticket.
                yield TicketLock(conversation_id, deque([Ticket(int(ticket), time.time() + lock_lifetime)]))
            finally:
                _PREVIOUS_TURN.reset(turn)
        finally:
            # Shielded: a message cancelled while it returns its ticket (a client gone, say)
            # still returns it, rather than making the next message wait for it to expire.
            await asyncio.shield(scripts.release(keys=keys, args=[ticket]))

    def _scripts(self) -> _Scripts:
        """The scripts on this event loop's client. Rasa's lock store calls Redis through a
        blocking client: the event loop then waits for each round trip, which was 6 % of the
        Rasa process's time in the scale-out profile at 10 users (two calls a message). An
        asyncio client serves other messages meanwhile (README "Performance")."""
        loop = asyncio.get_running_loop()
        if self._loop_scripts is None or self._loop_scripts[0] is not loop:
            client = redis.asyncio.Redis(**self._connection)
            scripts = _Scripts(*(client.register_script(script) for script in (_TAKE, _CHECK, _RELEASE)))
            self._loop_scripts = (loop, scripts)
        return self._loop_scripts[1]


class _Scripts(NamedTuple):
    take: Any
    check: Any
    release: Any


def _same_connection(client: redis.Redis) -> dict[str, Any]:
    """The arguments of an asyncio client connected as Rasa connected its blocking one."""
    connected = client.connection_pool.connection_kwargs
    names = ["host", "port", "db", "username", "password", "socket_timeout"]
    arguments = {name: connected[name] for name in names}
    if issubclass(client.connection_pool.connection_class, redis.SSLConnection):
        ssl_names = ["ssl_certfile", "ssl_keyfile", "ssl_ca_certs"]
        arguments.update(ssl=True, **{name: connected[name] for name in ssl_names})
    return arguments


def _now_ms() -> int:
    return int(time.time() * 1000)
