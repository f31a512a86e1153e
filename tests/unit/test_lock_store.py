"""runtime/lock_store.py: the scale-out's per-conversation lock, against a real redis-server."""

from __future__ import annotations

import asyncio
import time

import pytest
import redis
from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from runtime.lock_store import AtomicRedisLockStore


def _store(port: int, **extra) -> LockStore:
    config = EndpointConfig(
        url="127.0.0.1", type="runtime.lock_store.AtomicRedisLockStore", port=port, db=3, **extra
    )
    return LockStore.create(config)


def test_rasa_builds_it_from_the_endpoints_file(redis_port):
    store = _store(redis_port, key_prefix="faq", poll_seconds=0.005)
    assert isinstance(store, AtomicRedisLockStore)
    assert store.poll_seconds == 0.005 and store.key_prefix == "faq:lock:"


def test_one_message_at_a_time_per_conversation_first_come_first_served(redis_port):
    """Two processes (two stores) and eight messages of one conversation: never two inside
    at once, served in the order they arrived; another conversation does not wait."""
    processes = [_store(redis_port), _store(redis_port)]
    inside, order, overlaps = set(), [], []

    async def message(number: int, conversation: str = "c1") -> None:
        await asyncio.sleep(number * 0.01)  # arrive in order
        async with processes[number % 2].lock(conversation):
            if inside & {conversation}:
                overlaps.append(number)
            inside.add(conversation)
            order.append((conversation, number))
            await asyncio.sleep(0.03)
            inside.discard(conversation)

    async def run() -> float:
        started = time.monotonic()
        other = asyncio.create_task(message(1, "c2"))
        await asyncio.gather(*(message(n) for n in range(8)))
        await other
        return time.monotonic() - started

    run_seconds = asyncio.run(run())
    assert overlaps == []
    assert [n for c, n in order if c == "c1"] == list(range(8))
    assert order.index(("c2", 1)) < 3  # not queued behind c1's messages
    assert run_seconds < 8 * 0.03 + 1  # waits poll, not Rasa's one-second sleeps


def test_a_ticket_its_holder_never_returns_expires(redis_port):
    """A process that crashed holding the lock: the next message waits until the ticket's
    lifetime has passed, then is served."""
    store = _store(redis_port)

    async def run() -> float:
        crashed = store.lock("c3", lock_lifetime=0.3)
        await crashed.__aenter__()  # and never exits
        started = time.monotonic()
        async with store.lock("c3"):
            return time.monotonic() - started

    waited = asyncio.run(run())
    assert 0.2 < waited < 2


def test_a_waiting_message_whose_ticket_expired_gets_a_lock_error(redis_port):
    store = _store(redis_port)

    async def run() -> None:
        holder = store.lock("c4", lock_lifetime=5)
        await holder.__aenter__()
        async with store.lock("c4", lock_lifetime=0.1):
            pass

    with pytest.raises(LockError):
        asyncio.run(run())


def test_nothing_is_left_in_redis_once_served(redis_port):
    store = _store(redis_port)

    async def run() -> None:
        for _ in range(3):
            async with store.lock("c5"):
                pass

    asyncio.run(run())
    keys = redis.StrictRedis(host="127.0.0.1", port=redis_port, db=3).keys("*c5*")
    assert keys == []
