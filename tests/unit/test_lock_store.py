"""runtime/lock_store.py: the scale-out's per-conversation lock, against a real redis-server."""

from __future__ import annotations

import asyncio
import time

import pytest
import redis
from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from runtime.lock_store import HOLDER_KEPT_MS, AtomicRedisLockStore, served_here_last


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


def test_only_the_holder_is_left_in_redis_once_served_and_it_expires(redis_port):
    store = _store(redis_port)

    async def run() -> None:
        for _ in range(3):
            async with store.lock("c5"):
                pass

    asyncio.run(run())
    client = redis.StrictRedis(host="127.0.0.1", port=redis_port, db=3)
    assert client.keys("*c5*") == [b"lock:atomic:c5:holder"]
    assert 0 < client.pttl("lock:atomic:c5:holder") <= HOLDER_KEPT_MS


def test_a_turn_knows_whether_this_process_served_the_previous_one(redis_port):
    """Two processes (two stores) take turns: inside the lock, `served_here_last` is true
    only when the same process held the conversation's previous turn."""
    processes = [_store(redis_port), _store(redis_port)]
    seen = []

    async def turn(process: int, conversation: str = "c6") -> None:
        async with processes[process].lock(conversation):
            seen.append((served_here_last(conversation), served_here_last("another")))
        assert served_here_last(conversation) is False  # outside the lock

    async def run() -> None:
        for process in (0, 0, 1, 0, 1, 1):
            await turn(process)

    asyncio.run(run())
    assert [here for here, _ in seen] == [False, True, False, False, False, True]
    assert not any(other for _, other in seen)


def test_a_waiting_ticket_learns_the_previous_holder_when_its_turn_comes(redis_port):
    first, second = _store(redis_port, poll_seconds=0.005), _store(redis_port, poll_seconds=0.005)
    seen = {}

    async def hold(store, name: str, delay: float) -> None:
        await asyncio.sleep(delay)
        async with store.lock("c7"):
            seen[name] = served_here_last("c7")
            await asyncio.sleep(0.05)

    async def run() -> None:
        await hold(first, "opening", 0)
        # The same process again, but queued behind the other one: not its previous turn.
        await asyncio.gather(hold(second, "other", 0), hold(first, "queued", 0.01))

    asyncio.run(run())
    assert seen == {"opening": False, "other": False, "queued": False}


def test_waiting_for_redis_does_not_stop_the_event_loop(redis_port):
    """While Redis is slow to answer (paused here for 0.3 s), the process goes on serving
    other messages: a ticker on the same event loop keeps ticking. Rasa's blocking client
    would have stopped it for the whole wait."""
    store = _store(redis_port)
    admin = redis.StrictRedis(host="127.0.0.1", port=redis_port, db=3)
    ticks: list[float] = []

    async def ticker() -> None:
        while True:
            ticks.append(time.monotonic())
            await asyncio.sleep(0.01)

    async def run() -> tuple[float, float]:
        ticking = asyncio.create_task(ticker())
        await asyncio.sleep(0.05)
        admin.execute_command("CLIENT", "PAUSE", 300)
        started = time.monotonic()
        async with store.lock("c8"):
            pass
        ended = time.monotonic()
        ticking.cancel()
        return started, ended

    started, ended = asyncio.run(run())
    assert ended - started >= 0.25  # the lock did wait for Redis
    assert len([tick for tick in ticks if started < tick < ended]) >= 10
